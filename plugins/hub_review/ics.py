"""The editorial plan as an iCalendar feed (RFC 5545) that Outlook and Google Calendar subscribe to.

Pure: a GateResult in, the bytes of a .ics file out. Every UID is derived from
the plan or the post, never from the clock, so a subscribed calendar updates
its events in place instead of piling up copies on every build.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub_content.calendar import Calendar as EditorialCalendar
from hub_core.i18n import translator
from icalendar import Calendar, Event, vDuration
from icalendar.enums import TRANSP

from .calendar_sections import CADENCE, FREEZE, FreezeWindow
from .gate import GateResult
from .plan import SlotReview
from .readable import day, member_name, moment, week_label
from .states import PostReview, State
from .weeks import Week

_, ngettext = translator("hub_review")

PRODID = "-//hub//Redaktionsplan//DE"
# Subscribers poll; a few hours keeps them current without hammering the web server.
REFRESH = timedelta(hours=3)
POST_DURATION = timedelta(minutes=30)


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
        description=_("Editorial plan: slots, upcoming posts and publication freezes ({calendar})").format(
            calendar=calendar_name
        ),
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
    label = review.state.shown()
    due = day(due_day)
    if slot.week:
        due = _("{week}, by {day}").format(week=week_label(*slot.week), day=due)
    lines = [_("Due: {due}").format(due=due), _("State: {state}").format(state=label)]
    if slot.owner:
        lines.append(_("Owner: {name}").format(name=member_name(calendar, slot.owner)))
    if slot.channels:
        lines.append(_("Channels: {channels}").format(channels=", ".join(slot.channels)))
    if review.post is not None:
        lines.append(
            _("Post: {title} ({state})").format(title=post_title(review.post), state=review.post.state.shown())
        )
    else:
        lines.append(_("Post: none yet"))
    if review.note:
        lines.append(_("Note: {note}").format(note=review.note))
    return _event(
        f"slot-{slot.id}@{domain}",
        stamp,
        _("[Plan: {state}] {topic}").format(state=label, topic=slot.topic),
        "\n".join(lines),
        label,
        first,
        due_day + timedelta(days=1),  # DTEND of an all-day event is exclusive
    )


def _post_event(post: PostReview, calendar: EditorialCalendar, stamp: datetime, domain: str) -> Event:
    assert post.date is not None
    item = post.item
    label = post.state.shown()
    approvers = [member_name(calendar, by) for by in post.verdict.approvers]
    lines = [
        _("State: {state}").format(state=label),
        _("Authors: {names}").format(names=", ".join(member_name(calendar, a) for a in item.authors) or "–"),
        _("Category: {category}").format(category=item.category or "–"),
        _("Approved by: {names}").format(names=", ".join(approvers) or "–"),
        _("File: {path}").format(path=item.path),
    ]
    if post.slot:
        lines.append(_("Plan slot: {slot}").format(slot=post.slot))
    if post.note:
        lines.append(_("Note: {note}").format(note=post.note))
    # A translation may share its original's slug; its language keeps the UID apart.
    uid = f"post-{post.slug}.{item.lang}" if item.translation_of and item.lang else f"post-{post.slug}"
    start = post.date.astimezone(UTC)
    return _event(
        f"{uid}@{domain}",
        stamp,
        _("[Post: {state}] {title}").format(state=label, title=post_title(post)),
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
    start_text = moment(window.start.astimezone(zone))
    if window.end:
        span = _("No publishing and no cross-posting from {start} to {end}.").format(
            start=start_text, end=moment(window.end.astimezone(zone))
        )
    else:
        span = _("No publishing and no cross-posting from {start} until further notice (open-ended).").format(
            start=start_text
        )
    lines = [span, _("Reason: {reason}").format(reason=window.reason)]
    if window.allow:
        lines.append(_("Exempt: {slugs}").format(slugs=", ".join(sorted(window.allow))))
    # The crisis switch starts "today" unless HUB_CRISIS_SINCE is set: its UID must not follow the date.
    key = f"{window.start.astimezone(UTC):%Y%m%dT%H%M%SZ}" if window in result.calendar.section(FREEZE) else "crisis"
    start: date = window.start.astimezone(UTC)
    stop: date = end.astimezone(UTC)
    if _is_midnight(window.start, zone) and _is_midnight(end, zone):
        start, stop = window.start.astimezone(zone).date(), end.astimezone(zone).date()
    return _event(
        f"freeze-{key}@{domain}",
        stamp,
        _("Publication freeze: {reason}").format(reason=window.reason),
        "\n".join(lines),
        _("Publication freeze"),
        start,
        stop,
    )
