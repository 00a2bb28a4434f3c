"""A realistic month of KPIs for the report's tests: November 2026 of a company blog.

Six posts (one never read, one too young for its 7-day figure), four channels (and the views that
came through none), two departments with questions (answered in time, late, open past the deadline,
open within it; one text carries an e-mail address, one starts like an Excel formula), a target
missed, and gaps: three days without logs, unreadable log lines.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hub_stats.kpis import (
    Cadence,
    ChannelFigures,
    Coverage,
    Department,
    GroupFigures,
    Kpis,
    Period,
    PostFigures,
    Question,
    ResponseTimes,
    Target,
    WeekFigures,
)
from hub_stats.model import Reactions

PEOPLE = {"anna": "Anna Berger", "jonas": "Jonas Krüger", "mehmet": "Mehmet Yılmaz"}

WAERMEPUMPE = PostFigures(
    key="de/waermepumpe-im-altbau",
    title="Wärmepumpe im Altbau: was wirklich zählt",
    path="2026/waermepumpe-im-altbau/",
    category="Produkte",
    authors=("anna",),
    published=date(2026, 11, 3),
    views=12345,
    views_7=4321,
    views_30=11020,
    channels={"linkedin": 2100, "mastodon": 640, "bluesky": 210},
    reactions={"mastodon": Reactions(replies=4, reposts=12, likes=30)},
    comments=7,
)
MESSE = PostFigures(
    key="de/messe-rueckblick",
    title="Rückblick: unser Stand auf der „Chillventa“ <2026>",
    path="2026/messe-rueckblick/",
    category="Unternehmen",
    authors=("jonas", "mehmet"),
    published=date(2026, 10, 20),
    views=2310,
    views_7=1800,
    views_30=2900,
    channels={"linkedin": 900},
    comments=2,
)
WARTUNG = PostFigures(
    key="de/wartung-checkliste",
    title="Checkliste Wartung: 12 Punkte vor dem Winter",
    path="2026/wartung-checkliste/",
    category="Service",
    authors=("mehmet",),
    published=date(2026, 11, 10),
    views=1002,
    views_7=870,
    views_30=None,
    channels={"mastodon": 120},
    comments=3,
)
FOERDERUNG = PostFigures(
    key="de/foerderung-2027",
    title="Förderung 2027: die neuen Sätze",
    path="2026/foerderung-2027/",
    category="Produkte",
    authors=("anna",),
    published=date(2026, 11, 26),
    views=480,
    views_7=None,
    views_30=None,
)
AZUBIS = PostFigures(
    key="de/azubis-2026",
    title="Unsere neuen Azubis",
    path="2026/azubis-2026/",
    category="Unternehmen",
    authors=("jonas",),
    published=date(2026, 11, 17),
    views=95,
    views_7=80,
    views_30=None,
)
ARCHIV = PostFigures(
    key="de/heizlast-berechnen",
    title="Heizlast berechnen (2019)",
    path="2019/heizlast-berechnen/",
    category="Service",
    authors=("anna",),
    published=date(2019, 3, 4),
    views=0,
    views_7=None,
    views_30=None,
)
POSTS = (WAERMEPUMPE, MESSE, WARTUNG, FOERDERUNG, AZUBIS, ARCHIV)

ZONE_OFFSET = timedelta(hours=1)  # CET: the sample's moments are written in UTC


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


PRODUCT_QUESTIONS = (
    Question(
        post=WAERMEPUMPE.key,
        title=WAERMEPUMPE.title,
        source="web",
        received=utc(4, 8, 30),
        text="Geht das auch mit Heizkörpern aus den 70ern? Antwort bitte an k.meier@example.org",
        topic="",
        answered=utc(4, 10, 45),
        in_time=True,
    ),
    Question(
        post=WAERMEPUMPE.key,
        title=WAERMEPUMPE.title,
        source="mastodon",
        received=utc(12, 9, 0),
        text='=HYPERLINK("http://example.org";"Wie laut ist die Außeneinheit nachts?")',
        topic="Lautstärke",
        answered=utc(14, 16, 0),
        in_time=False,
    ),
    Question(
        post=FOERDERUNG.key,
        title=FOERDERUNG.title,
        source="bluesky",
        received=utc(27, 15, 10),
        text="Gilt der Bonus auch für Gewerbe?",
        topic="Förderung",
        answered=None,
        in_time=False,
    ),
)
SERVICE_QUESTIONS = (
    Question(
        post=WARTUNG.key,
        title=WARTUNG.title,
        source="web",
        received=utc(30, 14, 0),
        text="Beschwerde: Der Techniker kam zwei Stunden zu spät & ohne Ersatzteil.",
        topic="Beschwerde",
        answered=None,
        in_time=None,
    ),
)

PRODUCT_RESPONSES = ResponseTimes(
    deadline=timedelta(hours=8),
    received=3,
    answered=2,
    in_time=1,
    open=1,
    median=timedelta(hours=2, minutes=15),
    p90=timedelta(hours=20, minutes=30),
)
SERVICE_RESPONSES = ResponseTimes(  # the service team set no deadline (dialogue.respond_within)
    deadline=None, received=1, answered=0, in_time=0, open=1, median=None, p90=None
)
ALL_RESPONSES = ResponseTimes(
    deadline=timedelta(hours=8),
    received=12,
    answered=10,
    in_time=8,
    open=2,
    median=timedelta(hours=1, minutes=40),
    p90=timedelta(hours=9, minutes=5),
)

WEEKS = (
    WeekFigures("2026-W44", date(2026, 10, 26), posts=0, target=2, views=310),
    WeekFigures("2026-W45", date(2026, 11, 2), posts=1, target=2, views=6120),
    WeekFigures("2026-W46", date(2026, 11, 9), posts=1, target=2, views=4870),
    WeekFigures("2026-W47", date(2026, 11, 16), posts=2, target=2, views=3350),
    WeekFigures("2026-W48", date(2026, 11, 23), posts=2, target=2, views=2012),
)


def sample_kpis() -> Kpis:
    return Kpis(
        period=Period(date(2026, 11, 1), date(2026, 11, 30)),
        generated=datetime(2026, 12, 1, 5, 0, tzinfo=UTC),
        coverage=Coverage(days_with_logs=27, days_with_platforms=30, inbox=True, malformed_lines=1234),
        posts=POSTS,
        channels=(
            ChannelFigures("linkedin", teasers=4, visits=3000, reactions=Reactions(3, 9, 41), comments=0),
            ChannelFigures("mastodon", teasers=5, visits=760, reactions=Reactions(6, 14, 52), comments=6),
            ChannelFigures("bluesky", teasers=3, visits=210, reactions=Reactions(1, 2, 9), comments=1),
            ChannelFigures("", teasers=0, visits=12262, reactions=Reactions(), comments=0),
        ),
        categories=(
            GroupFigures("Produkte", posts=2, views=12825, views_7_median=4321.0, comments=7),
            GroupFigures("Unternehmen", posts=1, views=2405, views_7_median=940.0, comments=2),
            GroupFigures("Service", posts=1, views=1002, views_7_median=870.0, comments=3),
        ),
        authors=(
            GroupFigures("anna", posts=2, views=12825, views_7_median=4321.0, comments=7),
            GroupFigures("jonas", posts=1, views=2405, views_7_median=940.0, comments=2),
            GroupFigures("mehmet", posts=1, views=3312, views_7_median=1335.5, comments=5),
        ),
        months=(
            GroupFigures("2026-10", posts=5, views=10400, views_7_median=812.5, comments=9),
            GroupFigures("2026-11", posts=4, views=16232, views_7_median=870.0, comments=12),
        ),
        cadence=Cadence(target_per_week=2, weeks=WEEKS, slots_due=5, slots_met=4),
        referrers=(("www.google.com", 5400), ("www.linkedin.com", 310), ("heizungsforum.example", 87)),
        feed_fetches=18250,
        feed_subscribers=412,
        not_found=(("/2025/alte-aktion/", 61), ("/wp-login.php", 12)),
        responses=ALL_RESPONSES,
        departments=(
            Department(
                name="Produktmanagement",
                recipients=("anna",),
                posts=(WAERMEPUMPE, FOERDERUNG),
                questions=PRODUCT_QUESTIONS,
                responses=PRODUCT_RESPONSES,
            ),
            Department(
                name="Qualität & Service",
                recipients=("mehmet", "jonas"),
                posts=(WARTUNG,),
                questions=SERVICE_QUESTIONS,
                responses=SERVICE_RESPONSES,
            ),
        ),
        targets=(
            Target("posts_per_week", "Beiträge pro Woche", goal=2, actual=1.5),
            Target("views_after_7_days", "Aufrufe nach 7 Tagen (Median)", goal=500, actual=870),
            Target("answered_in_time", "Rechtzeitig beantwortet (Anteil)", goal=0.9, actual=0.8),
            Target("comments_per_post", "Kommentare pro Beitrag", goal=1, actual=None),
        ),
        top=(WAERMEPUMPE, MESSE, WARTUNG),
        unread=(ARCHIV,),
    )


# The files `invoke report` writes for this month beside bericht.html and bericht.pdf.
CSV_FILES = {
    "ziele.csv",
    "wochen.csv",
    "meistgelesen.csv",
    "ungelesen.csv",
    "beitraege.csv",
    "kanaele.csv",
    "kategorien.csv",
    "autoren.csv",
    "monate.csv",
    "verweise.csv",
    "feeds.csv",
    "nicht-gefunden.csv",
    "antwortzeiten.csv",
    "fragen-produktmanagement.csv",
    "beitraege-produktmanagement.csv",
    "fragen-qualitaet-service.csv",
    "beitraege-qualitaet-service.csv",
}
