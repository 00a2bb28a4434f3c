"""The KPIs of a month, computed from a real site in a temporary folder: posts judged by the review
gate, the record of their addresses, day files written through FiguresStore, a ledger written by the
cross-posting code, platform counts and the inbox's figures. Every expected number is worked out
here from the figures the test writes, not by the code under test."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import BERLIN, CALENDAR, ROOT, Site, post
from conftest import NOW as SAMPLE_NOW
from hub_content.calendar import parse_calendar
from hub_content.pelican_settings import content_settings
from hub_crosspost.ledger import Entry, Ledger
from hub_crosspost.ledger import Status as Sent
from hub_inbox.model import Decision, Item, Source, Status
from hub_inbox.rights import staff_answer
from hub_inbox.sqlite import SqliteStore
from hub_stats.compute import from_inbox, month_kpis, month_period, period_weeks
from hub_stats.kpis import ChannelFigures, Coverage, DialogueFigures, Kpis, Period, PostFigures, Question, ResponseTimes
from hub_stats.model import DayFigures, PlatformDay, Reactions
from hub_stats.store import FiguresStore
from pelican.settings import read_settings

SITEURL = "https://www.example.com/blog"  # logged paths may or may not carry its /blog prefix
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=BERLIN)  # November's report, ten days after the month
NOVEMBER = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]

SITE_CALENDAR = (
    CALENDAR
    + """\
cadence:
  min_posts_per_week: 2
  hours: "08:00-18:00"
approval:
  since: 2027-01-01
plan:
  - {id: w45-b, due: 2026-11-03, topic: Beitrag B, post: b-beitrag}
  - {id: w46-leer, due: 2026-11-12, topic: Nie geschrieben}
  - {id: w50-spaeter, due: 2026-12-10, topic: Nach dem Monat}
channels:
  linkedin:
    type: feed
  mastodon:
    type: mastodon
    instance: https://social.example
    token_env: HUB_MASTODON_TOKEN
    since: 2026-11-01
dialogue:
  respond_within: 8h
  routes:
    - {topics: [Lieferzeit], to: jdoe}
kpi:
  targets:
    views_after_7_days: 60
    answered_in_time: 90%
  departments:
    - name: Technik
      to: [jdoe]
      categories: [Technik]
      topics: [Lieferzeit]
    - name: Ausbildung
      to: [mmuster]
      categories: [Ausbildung]
"""
)

POSTS = {  # file: (slug, date, category, authors)
    "posts/a.md": ("a-neu", "2026-11-02 09:00 +01:00", "Technik", "[jdoe]"),
    "posts/b.md": ("b-beitrag", "2026-11-03 09:00 +01:00", "Technik", "[jdoe, mmuster]"),
    "posts/c.md": ("c-ungelesen", "2026-11-05 09:00 +01:00", "Ausbildung", "[mmuster]"),
    "posts/d.md": ("d-spaet", "2026-11-26 09:00 +01:00", "Ausbildung", "[mmuster]"),
    "posts/e.md": ("e-alt", "2026-10-01 09:00 +02:00", "Technik", "[jdoe]"),
}
RECORD = """\
published:
  pages/impressum.md:
  - impressum/
  posts/a.md:
  - 2026/a-alt/
  - 2026/a-neu/
  posts/gone.md:
  - 2026/geloescht/
redirects:
  alt/b/: 2026/b-beitrag/
"""

HOME = 5  # views of the home page on every day: every day from FIRST to LAST has figures …
FIRST, LAST = date(2026, 9, 25), date(2026, 12, 9)
GAP = date(2026, 10, 3)  # … but this one: no log covered it


def day(d: date, views: dict[str, int] | None = None, **parts: Any) -> DayFigures:
    figures = DayFigures(d, views=Counter(views or {}))
    for name, value in parts.items():
        if name == "channels":
            figures.channels = {channel: Counter(paths) for channel, paths in value.items()}
        elif name in ("referrers", "feeds", "not_found"):
            setattr(figures, name, Counter(value))
        else:
            setattr(figures, name, value)
    return figures


# What readers did, beyond the home page: (UTC) day → figures. The comments say what each one is for.
EVENTS = [
    # a: its old address (10 a day) and its new one with prefix and index.html (1 a day), its first 7 days
    *(day(date(2026, 11, 2) + timedelta(n), {"/2026/a-alt/": 10, "/blog/2026/a-neu/index.html": 1}) for n in range(7)),
    day(date(2026, 11, 9), {"/2026/a-neu/": 1000}),  # a's 8th day: in views_30, not in views_7
    # a through a LinkedIn teaser; two pages that are no post; referrers
    day(
        date(2026, 11, 12),
        {"/2026/a-neu/": 20, "/kategorie/technik/": 2},
        channels={"linkedin": {"/2026/a-neu/": 20}},
        referrers={"www.google.com": 15, "news.ycombinator.com": 3},
    ),
    # b: its first day, the 2nd through Mastodon and a hand-written redirect, the 7th, the 8th
    day(date(2026, 11, 3), {"/2026/b-beitrag/": 4}),
    day(date(2026, 11, 4), {"/2026/b-beitrag/": 3, "/alt/b/": 2}, channels={"mastodon": {"/2026/b-beitrag/": 3}}),
    day(date(2026, 11, 9), {"/blog/2026/b-beitrag": 6}),
    day(date(2026, 11, 10), {"/2026/b-beitrag/": 100}, feeds={"/feeds/all.atom.xml": 40}),
    # e, an October post read in November, also through a newsletter's own utm_source
    day(
        date(2026, 11, 20),
        {"/2026/e-alt/": 7},
        channels={"newsletter": {"/2026/e-alt/": 2}},
        referrers={"www.google.com": 5},
    ),
    day(date(2026, 10, 1), {"/2026/e-alt/": 50}),  # e's first day, in October: not in November's views
    day(date(2026, 11, 11), feeds={"/feeds/all.atom.xml": 60}),
    day(date(2026, 11, 10), subscribers={"/feeds/all.atom.xml": {"Feedly": 12, "Inoreader": 3}}),
    day(date(2026, 11, 28), subscribers={"/feeds/all.atom.xml": {"Feedly": 14}}),
    day(date(2026, 12, 2), subscribers={"/feeds/all.atom.xml": {"Feedly": 99}}),  # after the month
    day(date(2026, 11, 15), not_found={"/alt/seite/": 4, "/wp-login.php": 9}, malformed=2),
    day(date(2026, 11, 16), {"/2026/geloescht/": 8}),  # a deleted post's address: nobody's
]

TEASERS = [
    Entry("de/a-neu", "linkedin", Sent.POSTED, "2026-11-02T09:05:00+01:00"),
    Entry("de/b-beitrag", "mastodon", Sent.POSTED, "2026-11-03T10:00:00+01:00", remote_id="1"),
    Entry("de/c-ungelesen", "mastodon", Sent.FAILED, "2026-11-05T10:00:00+01:00", error="500"),
    Entry("de/e-alt", "linkedin", Sent.POSTED, "2026-10-01T10:00:00+02:00"),  # before the month
]
PLATFORMS = [
    PlatformDay(date(2026, 11, 20), {"de/b-beitrag": {"mastodon": Reactions(1, 2, 3)}}),
    PlatformDay(date(2026, 11, 28), {"de/b-beitrag": {"mastodon": Reactions(2, 4, 6)}}),
    PlatformDay(date(2026, 12, 2), {"de/b-beitrag": {"mastodon": Reactions(9, 9, 9)}}),  # after the month
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


Q_SOUND = Question(
    "de/b-beitrag", "B", "mastodon", at("2026-11-09 09:00"), "Wie laut ist das?", "", at("2026-11-09 11:00"), True
)
# Friday 17:00 to Monday 17:00 is 1 + 9 = 10 business hours (08:00–18:00, Monday to Friday): late.
Q_DELIVERY = Question(
    "de/c-ungelesen", "C", "web", at("2026-11-13 17:00"), "Die Lieferzeit ist zu lang.", "Lieferzeit",
    at("2026-11-16 17:00"), False,
)  # fmt: skip
Q_OPEN = Question("de/c-ungelesen", "C", "web", at("2026-11-27 10:00"), "Wann geht es los?", "", None, False)
DIALOGUE = DialogueFigures(
    responses=ResponseTimes(timedelta(hours=8), 3, 2, 1, 1, timedelta(hours=6), timedelta(hours=10)),
    questions=(Q_SOUND, Q_DELIVERY, Q_OPEN),
    comments={"de/b-beitrag": 1, "de/c-ungelesen": 2},
    by_source={"mastodon": 1, "web": 2},
)


@pytest.fixture
def shop(site: Site) -> Site:
    """The site with its posts, the record of addresses, the ledger, the figures and platform counts."""
    site.calendar.write_text(SITE_CALENDAR, encoding="utf-8")
    for file, (slug, when, category, authors) in POSTS.items():
        site.write(file, post(title=f'"{slug}"', slug=slug, date=when, category=category, authors=authors))
    site.write("posts/f.md", post(title='"Entwurf"', date="2026-11-10 09:00 +01:00", authors="[jdoe]", status="draft"))
    (site.root / "data").mkdir()
    (site.root / "data" / "published-urls.yaml").write_text(RECORD, encoding="utf-8")
    ledger = Ledger(site.root / "data" / "crosspost-ledger.jsonl")
    for entry in TEASERS:
        ledger.append(entry)
    store = FiguresStore(site.root / "data" / "stats")
    d = FIRST
    while d <= LAST:
        if d != GAP:
            store.fold(f"home-{d}", [day(d, {"/": HOME})])
        d += timedelta(days=1)
    for index, figures in enumerate(EVENTS):
        store.fold(f"event-{index}", [figures])
    for platform_day in PLATFORMS:
        store.save_platform_day(platform_day)
    return site


def november(site: Site, now: datetime = NOW, dialogue: DialogueFigures | None = DIALOGUE) -> Kpis:
    settings = site.settings(prod=True, SITEURL=SITEURL)
    return month_kpis(
        settings,
        "2026-11",
        now,
        {},
        checked=content_settings(settings),
        dialogue=lambda calendar, posts, period: dialogue,
    )


def by_key(posts: tuple[PostFigures, ...]) -> dict[str, PostFigures]:
    return {p.key: p for p in posts}


def test_views_per_post_over_every_address_and_its_first_7_and_30_days(shop: Site) -> None:
    kpis = november(shop)
    posts = by_key(kpis.posts)
    a, b, c, d, e = (posts[f"de/{slug}"] for slug, *_ in POSTS.values())
    # a: 7 days of 10 at the old address and 1 at the new; its 8th day 1000; 20 from LinkedIn on the 12th
    assert (a.views_7, a.views_30, a.views) == (7 * 11, 7 * 11 + 1000 + 20, 7 * 11 + 1000 + 20)
    assert a.path == "2026/a-neu/" and a.published == date(2026, 11, 2) and a.channels == {"linkedin": 20}
    # b: 4 on day 1, 3 + 2 (redirect) on day 2, 6 on day 7 (no slash, with prefix); 100 on day 8
    assert (b.views_7, b.views_30, b.views) == (4 + 3 + 2 + 6, 4 + 3 + 2 + 6 + 100, 115)
    assert b.channels == {"mastodon": 3} and b.authors == ("jdoe", "mmuster") and b.comments == 1
    assert b.reactions == {"mastodon": Reactions(2, 4, 6)}  # as fetched last by 30 November
    # c: nobody read it, its windows are covered by logs: 0, not None
    assert (c.views_7, c.views_30, c.views, c.comments) == (0, 0, 0, 2)
    # d: 26 November + 6 days is 2 December, over by 10 December; its 30 days are not
    assert (d.views_7, d.views_30, d.views) == (0, None, 0)
    # e: its first week has a day without logs (3 October): not measurable; November's 7 views count
    assert (e.views_7, e.views_30, e.views, e.channels) == (None, None, 7, {"newsletter": 2})
    assert [p.key for p in kpis.posts] == ["de/a-neu", "de/b-beitrag", "de/e-alt", "de/d-spaet", "de/c-ungelesen"]
    assert "de/entwurf" not in posts  # a draft has no readers


def test_a_window_that_is_not_over_is_none(shop: Site) -> None:
    posts = by_key(november(shop, now=at("2026-12-02 23:00")).posts)
    assert posts["de/d-spaet"].views_7 is None  # its 7th day (2 December, UTC) is not over yet
    posts = by_key(november(shop, now=at("2026-12-03 09:00")).posts)
    assert posts["de/d-spaet"].views_7 == 0
    assert posts["de/a-neu"].views_30 == 7 * 11 + 1000 + 20  # 2 November + 29 days = 1 December: over


def test_top_and_unread_posts(shop: Site) -> None:
    kpis = november(shop)
    assert [p.key for p in kpis.top] == ["de/a-neu", "de/b-beitrag", "de/e-alt"]
    # c was published 25 days before the month's end and nobody read it; d is only 4 days old
    assert [p.key for p in kpis.unread] == ["de/c-ungelesen"]


def test_without_any_logs_no_post_is_called_unread(site: Site) -> None:
    site.calendar.write_text(SITE_CALENDAR, encoding="utf-8")
    for file, (slug, when, category, authors) in POSTS.items():
        site.write(file, post(title=f'"{slug}"', slug=slug, date=when, category=category, authors=authors))
    kpis = november(site, dialogue=None)
    assert kpis.unread == () and kpis.coverage.days_with_logs == 0 and kpis.coverage.inbox is False
    assert {p.views_7 for p in kpis.posts} == {None} and kpis.top == ()
    assert kpis.responses is None and all(d.responses is None and d.questions == () for d in kpis.departments)


def test_weeks_below_the_cadence_and_plan_slots(shop: Site) -> None:
    cadence = november(shop).cadence
    assert cadence.target_per_week == 2
    # ISO weeks whose Thursday is in November: W45 (2–8 Nov) to W48 (23–29 Nov)
    assert [(w.week, w.monday, w.posts, w.target) for w in cadence.weeks] == [
        ("2026-W45", date(2026, 11, 2), 3, 2),  # a, b, c
        ("2026-W46", date(2026, 11, 9), 0, 2),
        ("2026-W47", date(2026, 11, 16), 0, 2),
        ("2026-W48", date(2026, 11, 23), 1, 2),  # d
    ]
    assert cadence.weeks_met == 1
    # W46's views: the home page every day, a's 1000 and b's 6 on the 9th, b's 100 on the 10th, a's 20
    # and the category page's 2 on the 12th
    assert cadence.weeks[1].views == 7 * HOME + 1000 + 6 + 100 + 20 + 2
    # the slot of b (due 3 November, b published that morning) is met, the one of 12 November not;
    # the December slot is not in November
    assert (cadence.slots_due, cadence.slots_met) == (2, 1)


def test_channels_reach_and_engagement(shop: Site) -> None:
    kpis = november(shop)
    home = 30 * HOME
    total = home + 7 * 11 + 1000 + 20 + 2 + 4 + 3 + 2 + 6 + 100 + 7 + 8
    assert kpis.channels == (
        ChannelFigures("linkedin", 1, 20, Reactions(), 0),  # e's teaser of October is not November's
        ChannelFigures("mastodon", 1, 3, Reactions(2, 4, 6), 1),  # the failed teaser of c does not count
        ChannelFigures("newsletter", 0, 2, Reactions(), 0),
        ChannelFigures("", 0, total - 20 - 3 - 2, Reactions(), 2),  # the rest, and the site's own comments
    )


def test_referrers_feeds_and_not_found(shop: Site) -> None:
    kpis = november(shop)
    assert kpis.referrers == (("www.google.com", 20), ("news.ycombinator.com", 3))
    assert kpis.feed_fetches == 100
    assert kpis.feed_subscribers == 14 + 3  # Feedly's last report in November, Inoreader's only one
    assert kpis.not_found == (("/wp-login.php", 9), ("/alt/seite/", 4))
    assert kpis.coverage.days_with_logs == 30 and kpis.coverage.days_with_platforms == 2
    assert kpis.coverage.malformed_lines == 2 and kpis.coverage.inbox is True


def test_groups_by_category_author_and_month(shop: Site) -> None:
    kpis = november(shop)
    a, b, e = 1097, 115, 7
    assert [(g.name, g.posts, g.views, g.views_7_median, g.comments) for g in kpis.categories] == [
        ("Technik", 2, a + b + e, (77 + 15) / 2, 1),  # e is older: its views count, it is no post of November
        ("Ausbildung", 2, 0, 0.0, 2),
    ]
    assert [(g.name, g.posts, g.views, g.views_7_median) for g in kpis.authors] == [
        ("jdoe", 2, a + b + e, (77 + 15) / 2),
        ("mmuster", 3, b, 0.0),  # b, c, d: views_7 15, 0, 0
    ]
    assert [(g.name, g.posts, g.views) for g in kpis.months] == [("2026-10", 0, e), ("2026-11", 4, a + b)]


def test_targets_met_or_not(shop: Site) -> None:
    targets = {t.name: t for t in november(shop).targets}
    assert set(targets) == {"posts_per_week", "views_after_7_days", "answered_in_time"}  # 30 days: not set
    posts_per_week = targets["posts_per_week"]
    assert (posts_per_week.goal, posts_per_week.actual, posts_per_week.met) == (2, (3 + 0 + 0 + 1) / 4, False)
    assert posts_per_week.label == "Beiträge pro Woche"
    views = targets["views_after_7_days"]  # the median of a 77, b 15, c 0, d 0
    assert (views.goal, views.actual, views.met) == (60, (15 + 0) / 2, False)
    answered = targets["answered_in_time"]  # decided: one in time, one late, one overdue
    assert (answered.goal, answered.actual, answered.met) == (0.9, 1 / 3, False)


def test_departments_get_their_posts_and_questions(shop: Site) -> None:
    technik, ausbildung = november(shop).departments
    assert (technik.name, technik.recipients) == ("Technik", ("jdoe",))
    assert [p.key for p in technik.posts] == ["de/a-neu", "de/b-beitrag", "de/e-alt"]
    # the question on b by its category, the one on c by its topic word
    assert technik.questions == (Q_SOUND, Q_DELIVERY)
    assert technik.responses == ResponseTimes(
        timedelta(hours=8), 2, 2, 1, 0, timedelta(hours=(2 + 10) / 2), timedelta(hours=10)
    )
    assert [p.key for p in ausbildung.posts] == ["de/d-spaet", "de/c-ungelesen"]
    assert ausbildung.questions == (Q_DELIVERY, Q_OPEN)
    assert ausbildung.responses == ResponseTimes(
        timedelta(hours=8), 2, 1, 0, 1, timedelta(hours=10), timedelta(hours=10)
    )


def test_a_month_is_its_calendar_days_and_the_weeks_of_its_thursdays() -> None:
    assert month_period("2026-11") == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert month_period("2028-02") == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert month_period("2026-12").days == 31
    # December 2026: Thursday 31 December belongs to W53, which ends in January
    assert [str(w) for w in period_weeks(month_period("2026-12"))] == [
        "2026-W49",
        "2026-W50",
        "2026-W51",
        "2026-W52",
        "2026-W53",
    ]
    assert [str(w) for w in period_weeks(Period(date(2026, 11, 13), date(2026, 11, 15)))] == ["2026-W46"]
    with pytest.raises(ValueError):
        month_period("November")


def test_the_sample_site_without_figures_yet(tmp_path: Path) -> None:
    """The project's own content and calendar: the departments of its `kpi:` section get their
    categories' posts; without day files nothing is called unread and no window is measured."""
    settings = read_settings(str(ROOT / "publishconf.py"), override={"HUB_STATS_DIR": str(tmp_path / "stats")})
    kpis = month_kpis(settings, "2026-11", SAMPLE_NOW, {}, checked=content_settings(settings))
    assert kpis.coverage == Coverage(0, 0, False, 0) and kpis.unread == () and kpis.responses is None
    assert {d.name: {p.category for p in d.posts} for d in kpis.departments} == {
        "Produktmanagement": {"Technik & Labor"},
        "Ausbildung": {"Ausbildung & Karriere"},
    }
    published = [p for p in kpis.posts if p.published.month == 11]
    assert published and all(p.views == 0 and p.views_7 is None for p in kpis.posts)
    assert [w.week for w in kpis.cadence.weeks] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert {t.name: t.goal for t in kpis.targets} == {
        "posts_per_week": 2,
        "views_after_7_days": 150,
        "views_after_30_days": 400,
        "answered_in_time": 0.9,
    }


def test_the_inbox_is_read_through_responses(shop: Site) -> None:
    """With the settings' inbox (a real SQLite store): its figures land in the KPIs and the department
    of the post's category; without one the report says it is blind there."""
    settings = shop.settings(prod=True, SITEURL=SITEURL)
    checked = content_settings(settings)
    kpis = month_kpis(settings, "2026-11", NOW, {}, checked=checked, dialogue=from_inbox(settings, NOW, {}))
    assert kpis.coverage.inbox is False and kpis.responses is None  # no database file yet

    book, _findings = parse_calendar(SITE_CALENDAR, display_path="editorial_calendar.yaml", content_root=shop.content)
    store = SqliteStore(shop.root / "var" / "inbox.sqlite")
    store.add(Item("web:1", "de/b-beitrag", Source.WEB, "Wie laut ist das?", at("2026-11-09 09:00"), author="Karla K."))
    answer = staff_answer("staff:1", "de/b-beitrag", "web:1", "Sehr leise.", "jdoe", "", book, at("2026-11-09 10:00"))
    store.add(answer)
    store.approve(answer.id, Decision("eeditor", at("2026-11-09 11:00"), "approve"), status=Status.APPROVED)
    store.close()

    kpis = month_kpis(settings, "2026-11", NOW, {}, checked=checked, dialogue=from_inbox(settings, NOW, {}))
    assert kpis.coverage.inbox is True
    assert kpis.responses is not None and (kpis.responses.received, kpis.responses.in_time) == (1, 1)
    assert kpis.responses.median == timedelta(hours=2)  # published at 11:00, two business hours later
    assert by_key(kpis.posts)["de/b-beitrag"].comments == 1
    technik, ausbildung = kpis.departments
    assert [(q.post, q.title, q.text, q.in_time) for q in technik.questions] == [
        ("de/b-beitrag", "b-beitrag", "Wie laut ist das?", True)
    ]
    assert ausbildung.questions == ()
    assert [c.comments for c in kpis.channels if c.channel == ""] == [1]  # written on the site
