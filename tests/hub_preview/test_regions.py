"""The regions a quick page replaces: found by the HTML tokenizer, never by guessing."""

from __future__ import annotations

from hub_preview.regions import regions, replace_regions

PAGE = (
    '<html><body><header><h1 class="t" data-preview="title">Alt &amp; gut</h1></header>\n'
    '<div class="prose" data-preview="content"><div class="note">innen</div>\n'
    '<!-- </div> --><p title="a > b">Text</p><script>if (a < b) { x = "</div>"; }</script></div>\n'
    "<div>danach</div></body></html>"
)


def test_a_region_ends_at_its_own_end_tag_not_at_a_nested_commented_or_scripted_one() -> None:
    found = regions(PAGE)
    inner = PAGE[found["content"].start : found["content"].end]
    assert inner.startswith('<div class="note">innen</div>') and inner.endswith("</script>")
    assert PAGE[found["title"].start : found["title"].end] == "Alt &amp; gut"


def test_replacing_keeps_every_other_byte() -> None:
    replaced = replace_regions(PAGE, {"content": "<p>Neu</p>", "title": "Neu"})
    assert replaced == (
        '<html><body><header><h1 class="t" data-preview="title">Neu</h1></header>\n'
        '<div class="prose" data-preview="content"><p>Neu</p></div>\n'
        "<div>danach</div></body></html>"
    )


def test_a_page_without_a_region_gets_no_replacement() -> None:
    assert replace_regions(PAGE, {"lead": "x"}) is None
    assert replace_regions("<p>no marks</p>", {"content": "x"}) is None
    unclosed = '<div data-preview="content"><p>never closed'
    assert replace_regions(unclosed, {"content": "x"}) is None
