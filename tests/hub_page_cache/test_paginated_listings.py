"""page_cache on paginated listings: a page depends on the posts it shows and the numbers it prints.

Every test compares with the truth: a build of the same content with the cache off writes the same bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Site, valid_post
from hub_page_cache.pagination import NEIGHBOUR, PAGE, PAGINATOR, WHOLE, read_parts, true_pages
from hub_page_cache.templates import template_inputs
from hub_page_cache.writer import CachingWriter, Stats
from jinja2 import DictLoader, Environment, FileSystemLoader

PAGINATION = {"DEFAULT_PAGINATION": 3, "DEFAULT_ORPHANS": 0}
LISTS = frozenset({"articles", "dates"})  # what Pelican paginates


def german(number: int, **overrides: Any) -> str:
    fields: dict[str, Any] = {
        "title": f'"Beitrag {number}"',
        "slug": f"beitrag-{number}",
        "date": f'"2026-11-{number:02d} 09:00 +01:00"',
        "category": "Technik" if number % 3 else "Unternehmen",
        "tags": "[Antriebe]" if number % 2 else "[Sensorik]",
        "body": f"Text von Beitrag {number}.\n",
    }
    fields.update(overrides)
    return valid_post(**fields)


def english(number: int, **overrides: Any) -> str:
    fields: dict[str, Any] = {
        "title": f'"Post {number}"',
        "slug": f"post-{number}",
        "lang": "en",
        "translation_of": f"beitrag-{number}",
        "date": f'"2026-11-{number:02d} 09:00 +01:00"',
        "body": f"Text of post {number}.\n",
    }
    fields.update(overrides)
    return valid_post(**fields)


def snapshot(output: Path) -> dict[str, bytes]:
    """Every file the templates wrote (the editors' dashboard carries the build time: left out)."""
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*.html")
        if not p.relative_to(output).as_posix().startswith("redaktion/")
    }


def build(site: Site, **overrides: Any) -> Stats:
    site.build(**PAGINATION, **overrides)
    stats = CachingWriter.last_stats
    assert stats is not None, "the page cache did not run"
    return stats


def truth(site: Site, tmp_path: Path, **overrides: Any) -> dict[str, bytes]:
    output = tmp_path / "truth"
    shutil.rmtree(output, ignore_errors=True)
    site.build(OUTPUT_PATH=str(output), HUB_PAGE_CACHE="", **PAGINATION, **overrides)
    return snapshot(output)


@pytest.fixture
def blog(site: Site) -> Site:
    for number in range(1, 19):
        site.write(f"posts/beitrag-{number}.md", german(number))
    for number in range(1, 8):
        site.write(f"posts/beitrag-{number}.en.md", english(number))
    return site


FRONT_PAGE = ["index.html", *(f"seite/{n}/index.html" for n in range(2, 7))]  # 18 posts, 3 a page
TECHNIK = ["kategorie/technik/index.html", *(f"kategorie/technik/seite/{n}/index.html" for n in range(2, 5))]


def test_an_edited_post_renders_the_pages_that_show_it(blog: Site, tmp_path: Path) -> None:
    first = build(blog)
    assert len([name for name in first.rendered_names if name in FRONT_PAGE]) == 6

    blog.write("posts/beitrag-10.md", german(10, body="Ganz neuer Text.\n"))
    stats = build(blog)

    assert "Ganz neuer Text." in blog.html("2026/beitrag-10/index.html").get_text()
    # Beitrag 10 is the third on page 3 of the front page (18, 17, 16 | 15, 14, 13 | 12, 11, 10), on page 2
    # of Technik and of its tag, page 3 of its author's; the overviews and the archive list every post.
    assert sorted(stats.rendered_names) == [
        "2026/beitrag-10/index.html",
        "archiv/index.html",
        "autor/jana-doering/seite/3/index.html",
        "autoren/index.html",
        "kategorie/technik/seite/2/index.html",
        "kategorien/index.html",
        "schlagwoerter/index.html",
        "schlagwort/sensorik/seite/2/index.html",
        "seite/3/index.html",
    ]
    assert stats.rendered + stats.reused == first.rendered
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_an_edited_english_post_renders_its_english_pages(blog: Site, tmp_path: Path) -> None:
    """hub_theme writes the English listings page by page itself, with the names Pelican would give."""
    build(blog)
    blog.write("posts/beitrag-2.en.md", english(2, body="Brand new text.\n"))

    stats = build(blog)

    assert sorted(stats.rendered_names) == [
        "en/2026/post-2/index.html",
        "en/archive/index.html",
        "en/author/jana-doering/page/2/index.html",
        "en/authors/index.html",
        "en/categories/index.html",
        "en/category/technik/page/2/index.html",
        "en/page/2/index.html",
    ]
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_a_post_moved_to_the_top_shifts_every_page_it_passes(blog: Site, tmp_path: Path) -> None:
    build(blog)
    blog.write("posts/beitrag-1.md", german(1, date='"2026-11-20 10:00 +01:00"'))

    stats = build(blog)

    assert blog.html("index.html").select(".card__title a")[0].get_text() == "Beitrag 1"
    rendered = set(stats.rendered_names)
    assert set(FRONT_PAGE + TECHNIK) <= rendered  # Beitrag 1 is in Technik: every page of both moved
    assert not rendered & {"kategorie/unternehmen/index.html", "kategorie/unternehmen/seite/2/index.html"}
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_a_new_post_renders_every_page_of_its_listings(blog: Site, tmp_path: Path) -> None:
    build(blog)
    blog.write("posts/beitrag-19.md", german(19, category="Unternehmen"))

    stats = build(blog)

    assert {*FRONT_PAGE, "seite/7/index.html"} <= set(stats.rendered_names)
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_what_every_page_shows_renders_every_page(blog: Site, tmp_path: Path) -> None:
    """A new category reaches the footer of every page (NAV_CATEGORIES)."""
    first = build(blog)
    blog.write("posts/beitrag-4.md", german(4, category="Vertrieb"))
    shutil.rmtree(blog.output)  # development builds keep old files; the comparison is with a fresh build

    stats = build(blog)

    assert stats.reused == 0 and stats.rendered >= first.rendered
    assert "Vertrieb" in blog.html("seite/5/index.html").select_one(".site-footer").get_text()
    assert snapshot(blog.output) == truth(blog, tmp_path)


# --- templates reading more than their page: the whole list -------------------------------------


def themed(blog: Site, tmp_path: Path, template: str, old: str, new: str) -> dict[str, Any]:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "hub", theme)
    path = theme / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return {"THEME": str(theme)}


@pytest.mark.parametrize(
    "whole_list",
    [
        '{{ articles|map(attribute="summary")|join(" · ") }}',
        "{% for a in articles_paginator.object_list %}{{ a.summary }}{% endfor %}",
        "{{ articles_paginator.page(6).object_list|map(attribute='summary')|join }}",
        "{% set pages = articles_page %}{{ pages.paginator.object_list|map(attribute='summary')|join }}",
        "{% set articles_page = none %}{{ articles_page.object_list if articles_page else articles|map(attribute='summary')|join }}",
    ],
)
def test_a_template_reading_the_whole_list_depends_on_all_of_it(blog: Site, tmp_path: Path, whole_list: str) -> None:
    theme = themed(blog, tmp_path, "index.html", "{{ m.pagination(lang) }}", "{{ m.pagination(lang) }}" + whole_list)
    build(blog, **theme)
    blog.write("posts/beitrag-1.md", german(1, body="Umgeschrieben.\n"))  # on the last page only

    stats = build(blog, **theme)

    assert "Umgeschrieben." in blog.html("index.html").get_text()
    assert set(FRONT_PAGE) <= set(stats.rendered_names)
    assert snapshot(blog.output) == truth(blog, tmp_path, **theme)


def test_a_length_filter_of_the_site_is_not_taken_for_a_count(blog: Site, tmp_path: Path) -> None:
    """`articles|length` is keyed as a count only while it is Jinja's own filter."""

    def letters(values: Any) -> int:
        return sum(len(value.summary) for value in values)

    build(blog, JINJA_FILTERS={"length": letters})
    blog.write("posts/beitrag-1.md", german(1, body="Ein viel längerer Text als zuvor.\n"))  # last page of Technik

    stats = build(blog, JINJA_FILTERS={"length": letters})

    assert set(TECHNIK) <= set(stats.rendered_names)
    assert snapshot(blog.output) == truth(blog, tmp_path, JINJA_FILTERS={"length": letters})


def test_a_filter_reading_the_context_is_always_rendered(blog: Site, tmp_path: Path) -> None:
    from jinja2 import pass_context

    @pass_context
    def newest(context: Any, _: Any) -> str:
        return str(context["articles"][0].summary)

    settings = {"JINJA_FILTERS": {"newest": newest}}
    theme = themed(blog, tmp_path, "index.html", "{{ m.pagination(lang) }}", "{{ m.pagination(lang) }}{{ 1|newest }}")
    build(blog, **settings, **theme)
    blog.write("posts/beitrag-18.md", german(18, body="Der neueste Text.\n"))

    stats = build(blog, **settings, **theme)

    assert "Der neueste Text." in blog.html("seite/6/index.html").get_text()
    assert set(FRONT_PAGE) <= set(stats.rendered_names) and stats.uncacheable >= len(FRONT_PAGE)
    assert snapshot(blog.output) == truth(blog, tmp_path, **settings, **theme)


# --- how templates use the names of a paginated list ---------------------------------------------


def reads(templates: dict[str, str], prefix: str = "articles", lists: frozenset[str] = LISTS) -> dict[str, str] | None:
    environment = Environment(loader=DictLoader(templates))
    uses = template_inputs(environment, "page.html").uses
    return read_parts(prefix, uses, true_pages(lists, uses))


def test_the_themes_listings_read_their_page_and_numbers_only() -> None:
    theme = Environment(loader=FileSystemLoader(str(ROOT / "themes" / "hub" / "templates")))
    for name in ("image_size", "responsive", "srcset_base", "long_date", "month_name"):
        theme.filters[name] = str
    numbers = {
        "articles_page": PAGE,
        "articles_paginator": PAGINATOR,
        "articles_previous_page": NEIGHBOUR,
        "articles_next_page": NEIGHBOUR,
    }
    for template, expected in [
        ("index.html", numbers),  # `articles` only where there is no page
        ("author.html", numbers),
        ("category.html", {"articles": WHOLE, **numbers}),  # its length: "12 Beiträge"
        ("tag.html", {"articles": WHOLE, **numbers}),
    ]:
        uses = template_inputs(theme, template).uses
        assert read_parts("articles", uses, true_pages(LISTS, uses)) == expected, template
        assert read_parts("dates", uses, true_pages(LISTS, uses)) == {}, template
    archive = template_inputs(theme, "archives.html").uses
    assert read_parts("dates", archive, true_pages(LISTS, archive)) is None  # every post, by year


def test_names_bound_by_a_loop_or_a_macro_are_not_the_lists() -> None:
    assert reads(
        {
            "page.html": "{% macro grid(articles) %}{{ articles|first }}{% endmacro %}"
            "{% for articles in groups %}{{ articles }}{% endfor %}{{ grid(articles_page.object_list) }}"
            "{% with articles_paginator = 1 %}{{ articles_paginator }}{% endwith %}"
        }
    ) == {"articles_page": PAGE}


@pytest.mark.parametrize(
    "template",
    [
        "{{ articles|first }}",
        "{{ articles_page }}",
        "{{ articles_page and articles_page.number }}",  # hands on the page itself when it is false
        "{{ articles_page.paginator.object_list }}",
        "{{ articles_paginator.page(2).object_list }}",
        "{{ articles_page['object_list'] }}",
        "{{ articles|length(1) }}",
        "{% set articles_page = pages %}{{ articles_page.number }}",
        "{% for articles in groups %}{% include 'part.html' %}{% endfor %}",  # part.html sees the loop's
        "{% if articles %}{% else %}{{ articles_next_page }}{% endif %}",
        # An assigned page is no proof that the `else` never runs.
        "{% set dates_page = none %}{{ 1 if dates_page else articles|first }}",
    ],
)
def test_anything_else_depends_on_the_whole_list(template: str) -> None:
    assert reads({"page.html": template, "part.html": "{{ articles|length }}"}) is None


def test_what_runs_only_without_a_page_is_left_out() -> None:
    template = (
        "{{ articles_page.object_list if articles_page else articles }}"
        "{% if not articles_page %}{{ articles|first }}{% endif %}"
        "{% if articles_page %}{{ articles_page.number }}{% elif x %}{{ articles }}{% else %}{{ articles }}{% endif %}"
        "{% if articles_paginator is defined and articles_paginator and articles_paginator.num_pages > 1 %}"
        "{{ articles_previous_page.url if articles_page.has_previous() }}{{ articles|length }}{% endif %}"
    )
    assert reads({"page.html": template}) == {
        "articles": WHOLE,
        "articles_page": PAGE,
        "articles_paginator": PAGINATOR,
        "articles_previous_page": NEIGHBOUR,
    }
    # Without Pelican's page (a listing not paginated) nothing is dead.
    assert reads({"page.html": template}, lists=frozenset()) is None
