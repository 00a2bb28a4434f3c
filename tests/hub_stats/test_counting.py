"""Judging and counting: which requests are views of a page by a person, and what else is counted
(channels, referrers, feeds and their subscribers, 404s), per day in UTC."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from combined_logs import (
    BERLIN_WINTER,
    FEEDBIN,
    FEEDBIN_OTHER,
    FEEDLY,
    FIREFOX,
    GOOGLEBOT,
    HEALTHCHECK,
    INOREADER,
    MINIFLUX,
    NEWSBLUR,
    OLD_READER,
    PYTHON_REQUESTS,
    SAFARI,
    combined,
    common,
)
from hub_stats.judge import Judge, Rules, rules_from
from hub_stats.logformats import detect
from hub_stats.model import DayFigures, Hit
from hub_stats.reading import FileReading, count_lines

RULES = Rules(
    own_hosts=("blog.hellwig-antriebe.example",),
    feeds=("feeds/alle.{format}.xml", "feeds/kategorie/{slug}.{format}.xml", "teaser/{name}.xml"),
    health_agents=("Hub-Healthcheck",),
)
AT = datetime(2026, 11, 20, 10, 0, tzinfo=BERLIN_WINTER)


def count(lines: list[str], rules: Rules = RULES) -> FileReading:
    found = detect(lines)
    assert found is not None
    return count_lines([line + "\n" for line in lines], found.parser(lines), Judge(rules), "access.log", found.name)


def one_day(lines: list[str], rules: Rules = RULES) -> DayFigures:
    [figures] = count(lines, rules).days
    return figures


def test_a_view_is_a_get_of_an_html_page_by_a_person_with_2xx():
    figures = one_day(
        [
            combined(AT, "/2026/getriebe/"),
            combined(AT, "/2026/getriebe/index.html", agent=SAFARI),
            combined(AT, "/2026/getriebe/?utm_source=linkedin"),
            combined(AT, "/alt.html"),
            combined(AT, "/"),
            combined(AT, "/2026/getriebe/", method="HEAD"),
            combined(AT, "/kontakt/", method="POST"),
            combined(AT, "/2026/getriebe/", status=304),
            combined(AT, "/2026/weg/", status=404),
            combined(AT, "/2026/kaputt/", status=500),
            combined(AT, "/2026/getriebe", status=301),
            combined(AT, "/theme/css/style.css"),
            combined(AT, "/images/kopf.webp"),
            combined(AT, "/pagefind/pagefind.js"),
            combined(AT, "/pagefind/fragment/de_1.html"),
            combined(AT, "/dialog/"),
            combined(AT, "/sitemap.xml"),
            combined(AT, "/feeds/alle.atom.xml"),
        ]
    )
    assert figures.views == Counter({"/2026/getriebe/": 3, "/alt.html": 1, "/": 1})
    assert figures.not_found == Counter({"/2026/weg/": 1})
    assert figures.filtered == Counter({"method": 2, "status": 4, "asset": 6, "feed": 1})
    # Every request is in one place: a view or a reason.
    assert figures.total_views + sum(figures.filtered.values()) == 18


def test_bots_health_checks_and_prefetches_are_not_readers():
    figures = one_day(
        [
            combined(AT, "/2026/getriebe/", agent=GOOGLEBOT),
            combined(AT, "/2026/getriebe/", agent=PYTHON_REQUESTS),
            combined(AT, "/2026/getriebe/", agent=""),
            combined(AT, "/2026/getriebe/", agent="-"),
            combined(AT, "/2026/getriebe/", agent=HEALTHCHECK),
            combined(AT, "/2026/weg/", agent=GOOGLEBOT, status=404),
            combined(AT, "/2026/getriebe/", purpose="prefetch"),
            combined(AT, "/2026/getriebe/", purpose="prefetch;prerender"),
            combined(AT, "/2026/getriebe/", purpose="Prerender"),
            combined(AT, "/2026/getriebe/", purpose="-"),
        ]
    )
    assert figures.views == Counter({"/2026/getriebe/": 1})
    assert figures.filtered == Counter({"bot": 5, "health": 1, "prefetch": 3})
    assert not figures.not_found  # a crawler's 404 is not a broken link a reader followed


def test_channels_from_utm_source_and_referrers_from_other_sites_only():
    figures = one_day(
        [
            combined(AT, "/2026/getriebe/?utm_source=mastodon&utm_medium=social"),
            combined(AT, "/2026/getriebe/?utm_source=mastodon", referrer="https://social.example/@redaktion/1"),
            combined(AT, "/2026/getriebe/?utm_source=linkedin", referrer="https://www.linkedin.com/feed/"),
            combined(AT, "/2026/lager/?x=1&utm_source=newsletter%20de"),
            combined(AT, "/2026/lager/", referrer="https://blog.hellwig-antriebe.example/2026/getriebe/"),
            combined(AT, "/2026/lager/", referrer="https://www.hellwig-antriebe.example/"),
            combined(AT, "/2026/lager/", referrer="https://WWW.Google.de:443/search?q=getriebe"),
            combined(AT, "/2026/lager/", referrer="http://192.0.2.10/intranet/"),
            combined(AT, "/2026/lager/", referrer="android-app://com.google.android.gm/"),
            combined(AT, "/theme/css/style.css?utm_source=mastodon", referrer="https://social.example/"),
        ]
    )
    assert figures.channels == {
        "mastodon": Counter({"/2026/getriebe/": 2}),
        "linkedin": Counter({"/2026/getriebe/": 1}),
        "newsletter de": Counter({"/2026/lager/": 1}),
    }
    # Our own pages are no referrer; the company's main site is one; an IP address is no site name.
    assert figures.referrers == Counter(
        {
            "social.example": 1,
            "www.linkedin.com": 1,
            "www.hellwig-antriebe.example": 1,
            "www.google.de": 1,
            "com.google.android.gm": 1,
        }
    )


def test_feed_fetches_by_anyone_and_the_subscribers_readers_report():
    lines = [
        combined(AT, "/feeds/alle.atom.xml", agent=FEEDLY),
        combined(AT + timedelta(hours=1), "/feeds/alle.atom.xml", agent=FEEDLY.replace("462", "470"), status=304),
        combined(AT + timedelta(hours=2), "/feeds/alle.atom.xml", agent=FEEDLY.replace("462", "465")),
        combined(AT, "/feeds/alle.atom.xml", agent=FEEDBIN),
        combined(AT, "/feeds/alle.atom.xml", agent=FEEDBIN_OTHER),
        combined(AT, "/feeds/alle.rss.xml", agent=INOREADER),
        combined(AT, "/feeds/alle.rss.xml", agent=NEWSBLUR),
        combined(AT, "/feeds/kategorie/technik.atom.xml", agent=OLD_READER),
        combined(AT, "/feeds/kategorie/technik.atom.xml", agent=MINIFLUX),
        combined(AT, "/teaser/newsletter.xml", agent=FIREFOX),
        combined(AT, "/feeds/alle.atom.xml", agent=HEALTHCHECK),
        combined(AT, "/feeds/alle.atom.xml", agent=FEEDLY, method="HEAD"),
        combined(AT, "/feeds/weg.atom.xml", agent=FEEDLY, status=404),
    ]
    figures = one_day(lines)
    assert figures.feeds == Counter(
        {
            "/feeds/alle.atom.xml": 5,
            "/feeds/alle.rss.xml": 2,
            "/feeds/kategorie/technik.atom.xml": 2,
            "/teaser/newsletter.xml": 1,
        }
    )
    assert figures.subscribers == {
        # the day's highest report per service; one service, two feed ids: two groups of subscribers
        "/feeds/alle.atom.xml": {"feedly": 470, "feedbin#1697787": 102, "feedbin#2200001": 7},
        "/feeds/alle.rss.xml": {"inoreader": 114, "newsblur#7704055": 27},
        "/feeds/kategorie/technik.atom.xml": {"theoldreader#cead6c3a837650eeefd8fe4a": 3},
    }
    assert figures.filtered == Counter({"feed": 10, "health": 1, "bot": 2})
    assert not figures.views


def test_days_are_utc_and_a_file_spanning_midnight_touches_two():
    reading = count(
        [
            combined(datetime(2026, 11, 20, 23, 59, 59, tzinfo=BERLIN_WINTER), "/a/"),  # 22:59:59 UTC
            combined(datetime(2026, 11, 21, 0, 30, tzinfo=BERLIN_WINTER), "/a/"),  # 23:30 UTC, the 20th
            combined(datetime(2026, 11, 21, 1, 30, tzinfo=BERLIN_WINTER), "/a/"),  # 00:30 UTC, the 21st
        ]
    )
    assert [(figures.day, figures.total_views) for figures in reading.days] == [
        (date(2026, 11, 20), 2),
        (date(2026, 11, 21), 1),
    ]


def test_addresses_are_named_as_the_built_site_names_them():
    figures = one_day(
        [
            combined(AT, "/2026/gr%C3%B6%C3%9Fe/"),
            combined(AT, "/2026/größe/index.html"),
            combined(AT, "http://blog.hellwig-antriebe.example/2026/gr%c3%b6%c3%9fe/"),
            combined(AT, "/2026/gr\\xC3\\xB6\\xC3\\x9Fe/"),  # nginx escapes bytes it logs raw
            combined(AT, "/2026/kaputt%ZZ/"),
        ]
    )
    assert figures.views == Counter({"/2026/größe/": 4, "/2026/kaputt%ZZ/": 1})


def test_a_site_below_a_path_counts_only_its_own_pages():
    rules = rules_from({"SITEURL": "https://www.hellwig.example/blog", "HUB_STATS_HEALTH_AGENTS": ()})
    assert rules.base == "/blog/" and rules.own_hosts == ("hellwig.example",)
    figures = one_day(
        [
            combined(AT, "/blog/2026/getriebe/"),
            combined(AT, "/shop/"),
            combined(AT, "/blog/feeds/alle.atom.xml", agent=FEEDLY),
            combined(AT, "/blog/pagefind/x.html"),
        ],
        rules,
    )
    assert figures.views == Counter({"/blog/2026/getriebe/": 1})
    assert figures.feeds == Counter({"/blog/feeds/alle.atom.xml": 1})


def test_the_content_type_decides_where_the_log_has_one():
    judge = Judge(RULES)
    from hub_stats.aggregate import Tally

    tally = Tally(judge)
    at = AT.astimezone()
    for path, content_type in [
        ("/2026/getriebe/", "text/html; charset=utf-8"),
        ("/2026/ohne-endung", "text/html"),
        ("/2026/getriebe/", "application/json"),
        ("/dialog/", "text/html"),
        ("/theme/x.css", "-"),
    ]:
        tally.add(Hit(at, "GET", path, "", 200, "", FIREFOX, content_type, ""))
    [figures] = tally.figures()
    assert figures.views == Counter({"/2026/getriebe/": 1, "/2026/ohne-endung": 1})
    assert figures.filtered == Counter({"asset": 3})


def test_the_common_format_cannot_tell_bots_and_counts_every_page():
    figures = one_day([common(AT, "/2026/getriebe/"), common(AT, "/theme/x.css"), common(AT, "/weg/", status=404)])
    assert figures.views == Counter({"/2026/getriebe/": 1})
    assert figures.not_found == Counter({"/weg/": 1})


def test_broken_lines_are_counted_on_their_day_with_examples_and_never_stop_the_file():
    reading = count(
        [
            "kaputt am Anfang",
            combined(AT, "/a/"),
            '203.0.113.7 - - [20/Nov/2026:10:00:00 +0100] "GET /b/ HTTP/1.1" 200',
            combined(AT, "/b/"),
        ]
    )
    assert reading.lines == 4 and reading.malformed == 2
    assert [number for number, _reason in reading.examples] == [1, 3]
    [figures] = reading.days
    assert figures.malformed == 2 and figures.total_views == 2
