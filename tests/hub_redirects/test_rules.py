"""The record of published addresses and the redirects planned from it, with plain data."""

from __future__ import annotations

import pytest
from hub_publish.redirects import redirect_location, refresh_target
from hub_redirects.page import link_to, render_redirect
from hub_redirects.plan import Redirect, Skip, Skipped, Target, file_of, plan_redirects
from hub_redirects.record import RecordError, UrlRecord, parse_record, render_record

POST = "posts/2026/pruefstand.md"


def test_remember_appends_a_new_address_and_moves_a_returning_one_to_the_end():
    record = UrlRecord().remember({POST: "2026/a/"})
    assert record.published == {POST: ("2026/a/",)}
    assert record.remember({POST: "2026/a/"}) == record  # nothing new: the same record, no write
    moved = record.remember({POST: "2026/b/"}).remember({POST: "2026/c/"})
    assert moved.published[POST] == ("2026/a/", "2026/b/", "2026/c/")
    assert moved.changed_addresses(record) == [(POST, "2026/a/", "2026/c/")]
    back = moved.remember({POST: "2026/a/"})
    assert back.published[POST] == ("2026/b/", "2026/c/", "2026/a/")


def test_record_file_round_trips_sorted_with_the_editors_redirects():
    record = UrlRecord({"z.md": ("z/",), POST: ("2026/a/", "2026/b/")}, {"alt/": "2026/b/"})
    text = render_record(record)
    assert text.startswith("# Adressen veröffentlichter Beiträge")
    assert text.index(POST) < text.index("z.md")
    assert parse_record(text) == record
    assert render_record(parse_record(text)) == text
    assert parse_record("") == UrlRecord()
    assert parse_record("published:\n  x.md: [/2026/x/]\n").published == {"x.md": ("2026/x/",)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("published: [\n", "nicht als YAML lesbar"),
        ("- a\n", "erwartet: die Felder published und redirects"),
        ("publishd: {}\n", "gefunden: publishd"),
        ("published:\n  x.md: 2026/x/\n", "published: x.md: erwartet: eine Liste von Adressen"),
        ("redirects:\n  alt/: ''\n", "redirects: alt/: erwartet: eine alte und eine neue Adresse"),
    ],
)
def test_a_record_that_does_not_fit_says_where(text: str, expected: str):
    with pytest.raises(RecordError, match=expected):
        parse_record(text)


def test_file_of_an_address():
    assert file_of("2026/a/") == "2026/a/index.html"
    assert file_of("/2026/a.html") == "2026/a.html"
    assert file_of("2026/a") == "2026/a/index.html"
    assert file_of("") == "index.html"


LIVE = {"2026/c/index.html", "index.html", "kategorie/technik/index.html"}


def test_a_chain_of_changes_leads_straight_to_the_newest_address():
    record = UrlRecord({POST: ("2026/a/", "2026/b/", "2026/c/")})
    plan = plan_redirects(record, {POST: Target("2026/c/", "de")}, LIVE, "de")
    assert plan.redirects == (
        Redirect("2026/a/", "2026/a/index.html", "2026/c/", "de"),
        Redirect("2026/b/", "2026/b/index.html", "2026/c/", "de"),
    )
    assert plan.skipped == ()


def test_an_old_address_that_is_a_page_again_stays_that_page():
    record = UrlRecord({POST: ("2026/a/", "2026/c/"), "posts/other.md": ("2026/a/",)})
    live = LIVE | {"2026/a/index.html"}  # another post took the old slug
    plan = plan_redirects(
        record, {POST: Target("2026/c/", "de"), "posts/other.md": Target("2026/a/", "de")}, live, "de"
    )
    assert plan.redirects == ()
    assert plan.skipped == (Skipped("2026/a/", "2026/c/", Skip.LIVE_PAGE),)


def test_a_removed_or_withdrawn_post_is_not_redirected():
    record = UrlRecord({POST: ("2026/a/", "2026/c/")})
    assert plan_redirects(record, {}, LIVE, "de").redirects == ()


def test_editors_redirects_follow_on_and_must_end_at_a_page():
    record = UrlRecord(
        {POST: ("2026/b/", "2026/c/")},
        {
            "alt/": "2026/b/",  # an old address of the post: on to where it is now
            "aelter/": "alt/",  # a chain of the editors' own
            "kat/": "kategorie/technik/",
            "nirgends/": "gibt-es-nicht/",
            "x/": "y/",
            "y/": "x/",
        },
    )
    plan = plan_redirects(record, {POST: Target("2026/c/", "en")}, LIVE, "de")
    assert {(r.old_url, r.new_url, r.lang) for r in plan.redirects} == {
        ("2026/b/", "2026/c/", "en"),
        ("alt/", "2026/c/", "en"),
        ("aelter/", "2026/c/", "en"),
        ("kat/", "kategorie/technik/", "de"),
    }
    assert {(s.old_url, s.reason) for s in plan.skipped} == {
        ("nirgends/", Skip.NO_TARGET),
        ("x/", Skip.CYCLE),
        ("y/", Skip.CYCLE),
    }


def test_links_are_absolute_in_production_and_relative_in_development():
    assert link_to("2026/c/", from_file="2026/a/index.html", siteurl="https://blog.example", relative=False) == (
        "https://blog.example/2026/c/"
    )
    assert link_to("2026/c/", from_file="2026/a/index.html", siteurl="", relative=True) == "../c/"
    assert link_to("2027/c/", from_file="2026/a/index.html", siteurl="", relative=True) == "../../2027/c/"
    assert link_to("2026/c.html", from_file="2026/a.html", siteurl="", relative=True) == "c.html"


def test_the_page_moves_on_without_javascript_and_publish_recognises_it():
    page = render_redirect(
        href="https://blog.example/2026/c/?a=1&b=2",
        canonical="https://blog.example/2026/c/?a=1&b=2",
        lang="de",
        title="Seite umgezogen",
        text="Diese Seite hat eine neue Adresse:",
        link="weiter zur neuen Seite",
    )
    html = page.decode()
    assert "<script" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<link rel="canonical" href="https://blog.example/2026/c/?a=1&amp;b=2">' in html
    assert refresh_target(page) == "https://blog.example/2026/c/?a=1&b=2"
    assert redirect_location("2026/a/index.html", page) == "https://blog.example/2026/c/?a=1&b=2"


def test_redirect_location_resolves_relative_targets_and_ignores_other_pages():
    relative = b'<meta http-equiv="refresh" content="0; url=../c/">'
    assert redirect_location("blog/2026/a/index.html", relative) == "/blog/2026/c/"
    assert redirect_location("2026/a/index.html", relative) == "/2026/c/"
    assert redirect_location("2026/a/data.json", relative) is None
    assert redirect_location("x.html", b'<meta http-equiv="refresh" content="30; url=/later/">') is None
    assert redirect_location("x.html", b"<title>refresh</title><p>Just a page</p>") is None
    assert redirect_location("x.html", relative + b" " * 9000) is None
