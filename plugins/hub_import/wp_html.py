"""WordPress post HTML to a Markdown body: Gutenberg's block comments out, `[caption]` to a
figure with alt text, embeds to links, simple paragraphs and headings to Markdown; the rest
stays HTML (Markdown takes HTML blocks). Shortcodes of plugins cannot be converted: they are
kept as an HTML comment and returned as problems.

Pure: text in, body and problems out.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from hub_core.i18n import translator

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
MORE = re.compile(r"<!--\s*(more|nextpage|noteaser)\b.*?-->", re.IGNORECASE)
CAPTION = re.compile(r"\[caption(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE | re.DOTALL)
ATTR = re.compile(r"""(?P<name>[a-zA-Z-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
EMBED_FIGURE = re.compile(
    r"<figure[^>]*\bwp-block-embed\b[^>]*>\s*<div[^>]*>\s*(?P<url>https?://\S+?)\s*</div>\s*(?:<figcaption[^>]*>.*?</figcaption>\s*)?</figure>",
    re.DOTALL,
)
EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\](?P<url>https?://[^\[]+?)\[/embed\]", re.IGNORECASE)
# A shortcode: [name attr="…"], [name]…[/name]. Bare [words] in text are left alone.
SHORTCODE = re.compile(
    r"\[(?P<name>[a-z][\w-]*)(?P<attrs>(?:\s+[^\]]*)?)\](?:(?P<inner>.*?)\[/(?P=name)\])?", re.DOTALL | re.IGNORECASE
)
KNOWN_SHORTCODES = {"gallery", "audio", "video", "playlist", "embed", "caption", "wp_caption"}
SIMPLE_P = re.compile(r"^<p>(?P<inner>(?:(?!</?(?:p|div|figure|ul|ol|table|h\d|blockquote|pre)\b).)*)</p>$", re.DOTALL)
SIMPLE_H = re.compile(r"^<h(?P<n>[1-6])(?:\s+class=\"wp-block-heading\")?>(?P<inner>[^<]*)</h(?P=n)>$")
SIZED_IMAGE_ATTRS = re.compile(r"\s+(?:srcset|sizes)=(?:\"[^\"]*\"|'[^']*')", re.IGNORECASE)

_, ngettext = translator("hub_import")


@dataclass
class CleanBody:
    markdown: str
    problems: list[str] = field(default_factory=list)  # shortcodes and embeds that need a person
    notes: list[str] = field(default_factory=list)


def attributes(tag: str) -> dict[str, str]:
    return {
        m.group("name").lower(): html.unescape(m.group("dq") if m.group("dq") is not None else m.group("sq") or "")
        for m in ATTR.finditer(tag)
    }


def clean(content: str) -> CleanBody:
    result = CleanBody("")
    text = BLOCK_COMMENT.sub("", content.replace("\r\n", "\n"))
    if MORE.search(text):
        result.notes.append(_("Marker <!--more--> removed (the summary is in summary)"))
        text = MORE.sub("", text)
    text = SIZED_IMAGE_ATTRS.sub("", text)
    text = CAPTION.sub(lambda m: "\n\n" + _figure(m, result) + "\n\n", text)
    text = EMBED_FIGURE.sub(lambda m: _embed(m.group("url"), result), text)
    text = EMBED_SHORTCODE.sub(lambda m: _embed(m.group("url").strip(), result), text)
    text = SHORTCODE.sub(lambda m: _shortcode(m, result), text)
    text = re.sub(r"</li>\s*\n\s*\n\s*<li", "</li>\n<li", text)  # Gutenberg's list items, one HTML block
    blocks = [_simplify(block.strip()) for block in re.split(r"\n\s*\n", text)]
    result.markdown = "\n\n".join(b for b in blocks if b and b not in ("&nbsp;", "<p>&nbsp;</p>")) + "\n"
    return result


def _figure(match: re.Match[str], result: CleanBody) -> str:
    inner = match.group("inner")
    image = IMG.search(inner)
    caption = " ".join(re.sub(r"<[^>]+>", "", IMG.sub("", inner)).split())
    if image is None:
        return f"<p>{caption}</p>" if caption else ""
    tag = " ".join(image.group(0).split())
    alt = attributes(tag).get("alt", "")
    if not alt.strip() and caption:
        tag = re.sub(r"\salt=(\"[^\"]*\"|'[^']*')", "", tag)
        tag = tag.replace("<img", f'<img alt="{html.escape(html.unescape(caption))}"', 1)
        result.notes.append(
            _("Alternative text taken from the caption: “{caption}”").format(caption=html.unescape(caption))
        )
    link = re.search(r"<a\b[^>]*>\s*<img", inner)
    if link:
        tag = re.search(r"<a\b[^>]*>", inner).group(0) + tag + "</a>"  # type: ignore[union-attr]
    figcaption = f"\n<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>\n{tag}{figcaption}\n</figure>"


def _embed(url: str, result: CleanBody) -> str:
    result.notes.append(_("Embed imported as a link (no third-party content without consent): {url}").format(url=url))
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def _shortcode(match: re.Match[str], result: CleanBody) -> str:
    name = match.group("name").lower()
    looks_like_one = name in KNOWN_SHORTCODES or "=" in match.group("attrs") or match.group("inner") is not None
    if not looks_like_one:
        return match.group(0)
    shown = " ".join(match.group(0).split())
    result.problems.append(
        _("WordPress shortcode {shortcode} not converted: replace or remove it").format(shortcode=shown)
    )
    # A hint for the post's author, in the language of the import.
    kept = _("Not imported: {shortcode}").format(shortcode=shown.replace("--", "- -"))
    return f"\n\n<!-- {kept} -->\n\n"


def _simplify(block: str) -> str:
    """`<p>text</p>` and `<h2>text</h2>` as Markdown; anything richer stays HTML."""
    paragraph = SIMPLE_P.match(block)
    if paragraph and "\n\n" not in paragraph.group("inner"):
        inner = paragraph.group("inner").strip()
        return "\\" + inner if re.match(r"^(#|>|[-+*]\s|\d+[.)]\s)", inner) else inner
    heading = SIMPLE_H.match(block)
    if heading:
        return "#" * int(heading.group("n")) + " " + html.unescape(heading.group("inner")).strip()
    return block
