"""The editorial plan as an iCalendar feed (RFC 5545) that Outlook and Google Calendar subscribe to.

Pure: a GateResult in, the bytes of a .ics file out. Every UID is derived from
the plan or the post, never from the clock, so a subscribed calendar updates
its events in place instead of piling up copies on every build.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub_content.calendar import Calendar as EditorialCalendar
from icalendar import Calendar, Event, vDuration
from icalendar.enums import TRANSP

from .calendar_sections import CADENCE, FREEZE, FreezeWindow
from .gate import GateResult
from .plan import SlotReview, SlotState
from .states import PostReview, State
from .weeks import Week

PRODID = "-//hub//Redaktionsplan//DE"
# Subscribers poll; a few hours keeps them current without hammering the web server.
REFRESH = timedelta(hours=3)
POST_DURATION = timedelta(minutes=30)

SLOT_LABELS: dict[SlotState, str] = {
    SlotState.OPEN: "offen",
    SlotState.WRITING: "in Arbeit",
    SlotState.AT_RISK: "gefährdet",
    SlotState.READY: "bereit",
    SlotState.PUBLISHED: "veröffentlicht",
    SlotState.MISSED: "verpasst",
}
POST_LABELS: dict[State, str] = {
    State.DRAFT: "Entwurf",
    State.IN_REVIEW: "in Prüfung",
    State.APPROVED: "freigegeben",
    State.STALE: "Freigabe veraltet",
    State.SCHEDULED: "geplant",
    State.HELD: "zurückgehalten",
    State.PUBLISHED: "veröffentlicht",
}


def member_name(calendar: EditorialCalendar, member_id: str) -> str:
    member = calendar.team.get(member_id)
    return member.name if member else member_id


def post_title(post: PostReview) -> str:
    return post.item.title or post.slug


def upcoming_posts(result: GateResult) -> list[PostReview]:
    """Dated posts that are not live yet, from the start of the current week on."""
    zone = result.calendar.timezone
    since = Week.of(result.now, zone).start(zone)
    return [p for p in result.posts if p.state is not State.PUBLISHED and p.date is not None and p.date >= since]


def slot_days(review: SlotReview) -> tuple[date, date]:
    """First and last day of a slot: the due day, or Monday through the due day for a week slot."""
    slot = review.slot
    # `due` is the midnight after the due day.
    due_day = (slot.due - timedelta(microseconds=1)).date()
    first = date.fromisocalendar(slot.week[0], slot.week[1], 1) if slot.week else due_day
    return first, due_day


def open_end(result: GateResult) -> datetime:
    """Where an open-ended window (the crisis stop) is drawn to: the end of the look-ahead."""
    zone = result.calendar.timezone
    weeks = max(result.calendar.section(CADENCE).lookahead_weeks, 1)
    last_day = (result.now + timedelta(weeks=weeks)).astimezone(zone).date()
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)


def editorial_ics(result: GateResult, *, calendar_name: str, uid_domain: str) -> bytes:
    """The plan slots, the posts not yet live and the freeze windows as one subscribable calendar."""
    stamp = result.now.astimezone(UTC)
    ics = Calendar.new(
        prodid=PRODID,
        name=calendar_name,
        method="PUBLISH",
        uid=f"redaktionsplan@{uid_domain}",
        description=f"Redaktionsplan: Plan-Slots, anstehende Beiträge und Publikationsstopps ({calendar_name})",
    )
    ics.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    ics.add("X-PUBLISHED-TTL", vDuration(REFRESH))  # Outlook reads this one, not REFRESH-INTERVAL
    ics.add("X-WR-TIMEZONE", result.calendar.timezone.key)
    for slot in result.slots:
        ics.add_component(_slot_event(slot, result.calendar, stamp, uid_domain))
    for post in upcoming_posts(result):
        ics.add_component(_post_event(post, result.calendar, stamp, uid_domain))
    for window in result.freezes.windows:
        ics.add_component(_freeze_event(window, result, stamp, uid_domain))
    return ics.to_ical()


def _event(uid: str, stamp: datetime, summary: str, description: str, category: str, start: date, end: date) -> Event:
    # Transparent: the plan shows up in people's calendars but never makes them look busy.
    return Event.new(
        uid=uid,
        stamp=stamp,
        summary=summary,
        description=description,
        categories=[category],
        start=start,
        end=end,
        transparency=TRANSP.TRANSPARENT,
    )


def _slot_event(review: SlotReview, calendar: EditorialCalendar, stamp: datetime, domain: str) -> Event:
    slot = review.slot
    first, due_day = slot_days(review)
    label = SLOT_LABELS[review.state]
    due = f"KW {slot.week[1]}/{slot.week[0]}, bis {due_day:%d.%m.%Y}" if slot.week else f"{due_day:%d.%m.%Y}"
    lines = [f"Fällig: {due}", f"Status: {label}"]
    if slot.owner:
        lines.append(f"Verantwortlich: {member_name(calendar, slot.owner)}")
    if slot.channels:
        lines.append(f"Kanäle: {', '.join(slot.channels)}")
    if review.post is not None:
        lines.append(f"Beitrag: {post_title(review.post)} ({POST_LABELS[review.post.state]})")
    else:
        lines.append("Beitrag: noch keiner")
    if review.note:
        lines.append(f"Hinweis: {review.note}")
    return _event(
        f"slot-{slot.id}@{domain}",
        stamp,
        f"[Plan: {label}] {slot.topic}",
        "\n".join(lines),
        label,
        first,
        due_day + timedelta(days=1),  # DTEND of an all-day event is exclusive
    )


def _post_event(post: PostReview, calendar: EditorialCalendar, stamp: datetime, domain: str) -> Event:
    assert post.date is not None
    item = post.item
    label = POST_LABELS[post.state]
    approvers = [member_name(calendar, by) for by in post.verdict.approvers]
    lines = [
        f"Status: {label}",
        f"Autor:innen: {', '.join(member_name(calendar, a) for a in item.authors) or '–'}",
        f"Kategorie: {item.category or '–'}",
        f"Freigegeben von: {', '.join(approvers) or '–'}",
        f"Datei: {item.path}",
    ]
    if post.slot:
        lines.append(f"Plan-Slot: {post.slot}")
    if post.note:
        lines.append(f"Hinweis: {post.note}")
    # A translation may share its original's slug; its language keeps the UID apart.
    uid = f"post-{post.slug}.{item.lang}" if item.translation_of and item.lang else f"post-{post.slug}"
    start = post.date.astimezone(UTC)
    return _event(
        f"{uid}@{domain}",
        stamp,
        f"[Beitrag: {label}] {post_title(post)}",
        "\n".join(lines),
        label,
        start,
        start + POST_DURATION,
    )


def _is_midnight(moment: datetime, zone: ZoneInfo) -> bool:
    return moment.astimezone(zone).time() == time(0)


def _freeze_event(window: FreezeWindow, result: GateResult, stamp: datetime, domain: str) -> Event:
    zone = result.calendar.timezone
    end = window.end or open_end(result)
    until = f"{window.end.astimezone(zone):%d.%m.%Y %H:%M}" if window.end else "auf Weiteres (offen)"
    lines = [
        f"Keine Veröffentlichung und kein Cross-Posting von {window.start.astimezone(zone):%d.%m.%Y %H:%M} bis {until}.",
        f"Grund: {window.reason}",
    ]
    if window.allow:
        lines.append(f"Ausgenommen: {', '.join(sorted(window.allow))}")
    # The crisis switch starts "today" unless HUB_CRISIS_SINCE is set: its UID must not follow the date.
    key = f"{window.start.astimezone(UTC):%Y%m%dT%H%M%SZ}" if window in result.calendar.section(FREEZE) else "crisis"
    start: date = window.start.astimezone(UTC)
    stop: date = end.astimezone(UTC)
    if _is_midnight(window.start, zone) and _is_midnight(end, zone):
        start, stop = window.start.astimezone(zone).date(), end.astimezone(zone).date()
    return _event(
        f"freeze-{key}@{domain}",
        stamp,
        f"Publikationsstopp: {window.reason}",
        "\n".join(lines),
        "Publikationsstopp",
        start,
        stop,
    )
