"""The editorial calendar feed (.ics) and the dashboard page, from a real gate run over a small site."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from bs4 import BeautifulSoup
from conftest import CALENDAR, Site, valid_post
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_core import i18n
from hub_core.findings import Level
from hub_review.dashboard import editorial_dashboard
from hub_review.gate import GateResult
from hub_review.ics import editorial_ics
from hub_review.runner import run_gate
from hub_review.weeks import Week

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=BERLIN)  # a Wednesday in 2026-W47
DOMAIN = "blog.example"
EVIL_TITLE = "<script>alert(1)</script> Kältetest & Co: Wie Getriebemotoren bei minus 30 Grad anlaufen"

EDITORIAL = """\
channels:
  linkedin: {type: feed}
approval:
  since: 2026-11-10
plan:
  - id: tag-slot
    due: 2026-11-24
    topic: "Tag & <Nacht>"
    owner: jdoe
    channels: [linkedin]
    post: geplanter-beitrag
  - id: woche-48
    week: 2026-W48
    topic: Wochenthema
freeze:
  - from: 2026-12-23
    to: 2027-01-04
    reason: Betriebsferien
"""

POSTS = {
    "posts/alt.md": {"title": '"Alter Beitrag"', "slug": "alt", "date": "2026-11-02 09:00 +01:00"},
    "posts/geplant.md": {
        "title": '"Geplanter Beitrag"',
        "slug": "geplanter-beitrag",
        "date": "2026-11-24 10:00 +01:00",
    },
    "posts/pruefung.md": {
        "title": f'"{EVIL_TITLE}"',
        "slug": "in-pruefung",
        "date": "2026-11-26 09:00 +01:00",
        "authors": "[mmuster]",
        "status": "review",
    },
    "posts/entwurf.md": {
        "title": '"Neuer Entwurf"',
        "slug": "entwurf",
        "date": "2026-11-30 09:00 +01:00",
        "status": "draft",
    },
    "posts/alter-entwurf.md": {
        "title": '"Liegengebliebener Entwurf"',
        "slug": "alter-entwurf",
        "date": "2026-10-01 09:00 +02:00",
        "status": "draft",
    },
}


@pytest.fixture
def planned(site: Site) -> Site:
    site.calendar.write_text(CALENDAR + EDITORIAL, encoding="utf-8")
    for relative, fields in POSTS.items():
        site.write(relative, valid_post(**fields))
    site.approve("posts/geplant.md", "eeditor", at=datetime(2026, 11, 16, 12, 0, tzinfo=BERLIN))
    return site


def gate(site: Site, now: datetime = NOW, environ: dict[str, str] | None = None) -> GateResult:
    settings = content_settings(site.settings())
    result, _ = run_gate(check_content(settings), settings, now, environ=environ or {})
    return result


def events(ics: bytes) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(ics)
    return {str(event["UID"]): event for event in parsed.walk("VEVENT")}


def test_the_gate_sees_the_site_as_intended(planned: Site) -> None:
    states = {p.slug: str(p.state) for p in gate(planned).posts}
    assert states == {
        "alt": "published",
        "geplanter-beitrag": "scheduled",
        "in-pruefung": "in review",
        "entwurf": "draft",
        "alter-entwurf": "draft",
    }


def test_ics_has_slots_upcoming_posts_and_freezes(planned: Site) -> None:
    ics = editorial_ics(gate(planned), calendar_name="Redaktionsplan Test", uid_domain=DOMAIN)
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Redaktionsplan Test" and calendar["PRODID"]
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT3H\r\n" in ics and b"X-PUBLISHED-TTL:PT3H\r\n" in ics

    found = events(ics)
    # Published and older-than-this-week posts are not in the plan feed.
    assert set(found) == {
        f"slot-tag-slot@{DOMAIN}",
        f"slot-woche-48@{DOMAIN}",
        f"post-geplanter-beitrag@{DOMAIN}",
        f"post-in-pruefung@{DOMAIN}",
        f"post-entwurf@{DOMAIN}",
        f"freeze-20261222T230000Z@{DOMAIN}",
    }
    assert {e["DTSTAMP"].dt for e in found.values()} == {NOW.astimezone(UTC)}

    slot = found[f"slot-tag-slot@{DOMAIN}"]
    assert (slot["DTSTART"].dt, slot["DTEND"].dt) == (date(2026, 11, 24), date(2026, 11, 25))
    assert not isinstance(slot["DTSTART"].dt, datetime)  # all-day
    assert str(slot["SUMMARY"]) == "[Plan: bereit] Tag & <Nacht>"
    assert slot.categories == ["bereit"]
    description = str(slot["DESCRIPTION"])
    assert "Verantwortlich: Jana Döring" in description and "Kanäle: linkedin" in description
    assert "Beitrag: Geplanter Beitrag (geplant)" in description

    week = found[f"slot-woche-48@{DOMAIN}"]
    # Monday through the due day (Friday, the last publishing day); DTEND is exclusive.
    assert (week["DTSTART"].dt, week["DTEND"].dt) == (date(2026, 11, 23), date(2026, 11, 28))
    assert str(week["SUMMARY"]) == "[Plan: offen] Wochenthema"

    post = found[f"post-geplanter-beitrag@{DOMAIN}"]
    assert post["DTSTART"].dt == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert post["DTEND"].dt - post["DTSTART"].dt == timedelta(minutes=30)
    assert str(post["SUMMARY"]) == "[Beitrag: geplant] Geplanter Beitrag"
    assert "Freigegeben von: Eva Editor" in str(post["DESCRIPTION"])
    assert "Autor:innen: Jana Döring" in str(post["DESCRIPTION"])
    review = found[f"post-in-pruefung@{DOMAIN}"]
    assert str(review["SUMMARY"]) == f"[Beitrag: in Prüfung] {EVIL_TITLE}"
    assert "Autor:innen: Max Muster" in str(review["DESCRIPTION"])
    assert str(found[f"post-entwurf@{DOMAIN}"]["SUMMARY"]) == "[Beitrag: Entwurf] Neuer Entwurf"

    freeze = found[f"freeze-20261222T230000Z@{DOMAIN}"]
    assert (freeze["DTSTART"].dt, freeze["DTEND"].dt) == (date(2026, 12, 23), date(2027, 1, 5))
    assert str(freeze["SUMMARY"]) == "Veröffentlichungsstopp: Betriebsferien"


def test_ics_is_stable_and_well_formed(planned: Site) -> None:
    first = editorial_ics(gate(planned), calendar_name="Plan", uid_domain=DOMAIN)
    assert editorial_ics(gate(planned), calendar_name="Plan", uid_domain=DOMAIN) == first
    # A day later the same things keep the same UIDs, so subscribers update instead of duplicating.
    later = editorial_ics(gate(planned, NOW + timedelta(days=1)), calendar_name="Plan", uid_domain=DOMAIN)
    assert set(events(later)) == set(events(first))

    assert first.endswith(b"\r\n") and b"\n" not in first.replace(b"\r\n", b"")
    lines = first.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded, not cut
    assert first.count(b"BEGIN:VCALENDAR") == 1 and lines[0] == b"BEGIN:VCALENDAR"


def test_crisis_stop_is_an_open_ended_event_with_a_fixed_uid(planned: Site) -> None:
    environ = {"HUB_CRISIS_STOP": "Rückruf <Produkt>"}
    uids = []
    for day in (0, 1):
        now = NOW + timedelta(days=day)
        found = events(editorial_ics(gate(planned, now, environ), calendar_name="Plan", uid_domain=DOMAIN))
        crisis = found[f"freeze-crisis@{DOMAIN}"]
        assert str(crisis["SUMMARY"]).startswith("Veröffentlichungsstopp: Rückruf <Produkt>")
        # From the start of the day it was switched on, to the end of the look-ahead (4 weeks).
        assert crisis["DTSTART"].dt == now.date()
        assert crisis["DTEND"].dt == now.date() + timedelta(weeks=4, days=1)
        uids.append(set(found))
    assert uids[0] == uids[1]


def soup_of(result: GateResult) -> tuple[str, BeautifulSoup]:
    page = editorial_dashboard(result, site_name="Test & <Blog>")
    return page, BeautifulSoup(page, "html.parser")


def test_dashboard_chart_matches_the_weeks(planned: Site) -> None:
    result = gate(planned)
    _, soup = soup_of(result)
    svg = soup.select_one("section.chart svg")
    assert svg is not None and svg["role"] == "img" and "Beiträge pro Woche" in svg["aria-label"]
    groups = svg.select("g.week")
    assert [g["data-week"] for g in groups] == [str(w.week) for w in result.weeks]
    assert len(svg.select("rect.posts")) == len(result.weeks)
    for group, count in zip(groups, result.weeks, strict=True):
        assert int(group.select_one("rect.posts")["data-value"]) == count.posts
        waiting = group.select_one("rect.waiting")
        assert (int(waiting["data-value"]) if waiting else 0) == count.in_review
        assert ("below" in group["class"]) == bool(count.missing)
        assert group.find("title").get_text().startswith(f"KW {count.week.number}/")
        assert group.select_one("text.week-label").get_text() == f"KW {count.week.number}"
    assert [g["data-week"] for g in svg.select("g.current")] == [str(Week.of(NOW))]

    target = svg.select_one("line.target")
    assert target is not None and target["data-value"] == "2"
    tick = next(t for t in svg.select("text.tick") if t.get_text() == "2")
    assert float(tick["y"]) - 4 == float(target["y1"]) == float(target["y2"])
    assert [t.get_text() for t in svg.select("text.tick")] == ["0", "1", "2"]  # whole posts only

    rows = soup.select("table.weeks tbody tr")
    numbers = [[int(td.get_text()) for td in row.select("td.num")] for row in rows]
    assert numbers == [[w.posts, w.in_review, w.target, w.missing] for w in result.weeks]
    by_week = {w.week: (w.posts, w.in_review) for w in result.weeks}
    assert by_week[Week(2026, 48)] == (1, 1)  # scheduled, and the one in review stacked on top
    assert by_week[Week(2026, 49)] == (0, 0)  # a draft is not waiting for approval


def test_dashboard_tables_findings_and_safety(planned: Site) -> None:
    result = gate(planned)
    page, soup = soup_of(result)
    assert soup.html["lang"] == "de"
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    assert soup.h1.get_text() == "Redaktionsplan – Test & <Blog>"
    assert "Stand: 18.11.2026 10:00" in soup.get_text()
    assert [a["href"] for a in soup.find_all("a", href=True) if a["href"].endswith(".ics")] == ["redaktionsplan.ics"]

    # Self-contained: no script, no external resource, the evil title only as text.
    assert soup.find("script") is None and soup.find("link") is None and soup.find("img") is None
    for tag in soup.find_all(src=True) + soup.find_all(href=True):
        assert not re.match(r"^(https?:)?//", tag.get("src") or tag.get("href"))
    assert not re.search(r"https?://", page) and "url(" not in page and "@import" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page

    slots = {row["data-slot"]: row for row in soup.select("table.slots tbody tr")}
    assert slots["tag-slot"]["class"] == ["slot-ready"] and slots["woche-48"]["class"] == ["slot-open"]
    cells = [td.get_text() for td in slots["tag-slot"].find_all("td")]
    assert cells[:6] == [
        "24.11.2026",
        "Tag & <Nacht>",
        "Jana Döring",
        "linkedin",
        "Geplanter Beitrag (geplant)",
        "bereit",
    ]
    assert slots["woche-48"].td.get_text() == "KW 48/2026 (23.11.–27.11.2026)"

    posts = {row["data-slug"]: row for row in soup.select("table.posts tbody tr")}
    assert set(posts) == {"geplanter-beitrag", "in-pruefung", "entwurf", "alter-entwurf"}
    assert posts["in-pruefung"]["class"] == ["state-in-review"]
    cells = [td.get_text() for td in posts["geplanter-beitrag"].find_all("td")]
    assert cells[:5] == ["24.11.2026 10:00", "Geplanter Beitrag", "Jana Döring", "geplant", "1 von 1: Eva Editor"]
    assert posts["in-pruefung"].find_all("td")[1].get_text() == EVIL_TITLE

    errors = sum(1 for f in result.findings if f.level is Level.ERROR)
    warnings = sum(1 for f in result.findings if f.level is Level.WARNING)
    assert warnings > 0  # e.g. the open week slot and the coming weeks below the target
    assert soup.select_one("#befunde h2").get_text() == f"Befunde: {errors} Fehler, {warnings} Warnungen"
    assert len(soup.select("#befunde li")) == errors + warnings
    assert soup.select_one("section.stop") is None
    # The invoke task passes the report's findings, with HUB_CHECKS levels applied.
    quiet = BeautifulSoup(editorial_dashboard(result, site_name="x", findings=[]), "html.parser")
    assert quiet.select_one("#befunde").get_text(" ", strip=True) == "Befunde: 0 Fehler, 0 Warnungen Keine Befunde."


def test_dashboard_shows_the_crisis_stop(planned: Site) -> None:
    _, soup = soup_of(gate(planned, environ={"HUB_CRISIS_STOP": "Rückruf <Produkt>"}))
    stop = soup.select_one("section.stop")
    assert stop is not None
    assert "Veröffentlichungsstopp aktiv: Rückruf <Produkt>" in stop.get_text()
    assert "Seit 18.11.2026 00:00 bis auf Weiteres" in stop.get_text()


def test_dashboard_and_ics_in_english_on_request(planned: Site) -> None:
    i18n.use_language("en")
    result = gate(planned, environ={"HUB_CRISIS_STOP": "Recall"})
    _, soup = soup_of(result)
    assert soup.html["lang"] == "en"
    assert soup.h1.get_text() == "Editorial plan – Test & <Blog>"
    assert "As of 2026-11-18 10:00 (Europe/Berlin)" in soup.get_text()
    assert "Publication freeze in force: Recall; set by HUB_CRISIS_STOP" in soup.select_one("section.stop").get_text()
    slots = {row["data-slot"]: row for row in soup.select("table.slots tbody tr")}
    assert [td.get_text() for td in slots["tag-slot"].find_all("td")][:6] == [
        "2026-11-24",
        "Tag & <Nacht>",
        "Jana Döring",
        "linkedin",
        "Geplanter Beitrag (held back)",  # the crisis switch holds back what is not live yet
        "in progress",
    ]
    assert slots["woche-48"].td.get_text() == "week 48/2026 (11-23–2026-11-27)"
    assert [th.get_text() for th in soup.select("table.posts thead th")] == [
        "date",
        "title",
        "authors",
        "state",
        "approval",
        "note",
    ]

    found = events(editorial_ics(result, calendar_name="Plan", uid_domain=DOMAIN))
    assert str(found[f"slot-tag-slot@{DOMAIN}"]["SUMMARY"]) == "[Plan: in progress] Tag & <Nacht>"
    assert "Owner: Jana Döring" in str(found[f"slot-tag-slot@{DOMAIN}"]["DESCRIPTION"])
    assert str(found[f"freeze-crisis@{DOMAIN}"]["SUMMARY"]) == "Publication freeze: Recall; set by HUB_CRISIS_STOP"
