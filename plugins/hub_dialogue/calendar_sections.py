"""The dialogue's section of editorial_calendar.yaml: response times, routing, the spam word list.

    dialogue:
      respond_within: 8h        # business hours (cadence.weekdays and cadence.hours, the calendar's zone)
      escalate_after: 6h        # the lead hears of an unanswered item this long after it came in
      lead: sroth               # team id
      words: [Casino, Viagra]   # the intake's spam word list
      routes:
        - {categories: [Produkte], to: maydin}
        - {topics: [Reklamation, Lieferzeit], to: tberger}   # words in the comment's text
      default: sroth
      webhook: redaktion-chat   # optional: a webhook channel of `channels:` that gets the notices too

Pure, declared with hub_core.schema like hub_review's sections; hub_content.calendar hands the key
over and afterwards runs `dialogue_references` against the team and the channels. Categories are
not checked here: the calendar does not know them, the posts do (a route for a category no post
has simply never matches).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from hub_content.calendar import Calendar
from hub_core.findings import Finding
from hub_core.i18n import translator
from hub_core.schema import Field, Invalid, Section, SectionContext, names, read_map, text
from hub_core.suggest import did_you_mean
from hub_core.yamlsource import Entry, describe
from hub_crosspost.channels import CHANNELS

from .routing import DialogueRules, Route

_, ngettext = translator("hub_dialogue")

DURATION = re.compile(r"^(?:(?P<hours>\d+)\s*h)?\s*(?:(?P<minutes>\d+)\s*(?:min|m))?$")


def duration(entry: Entry) -> timedelta:
    """Business time such as `8h`, `90m` or `1h30m` (a bare number counts hours)."""
    value = entry.value
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return timedelta(hours=value)
    match = DURATION.match(value.strip()) if isinstance(value, str) else None
    if match and (match["hours"] or match["minutes"]):
        length = timedelta(hours=int(match["hours"] or 0), minutes=int(match["minutes"] or 0))
        if length > timedelta(0):
            return length
    raise Invalid(_("expected business hours such as 8h, 90m or 1h30m, found {found}").format(found=describe(entry)))


def _categories(entry: Entry) -> frozenset[str]:
    return frozenset(names(entry))


ROUTE_CATEGORIES: Field[frozenset[str]] = Field("categories", _categories, frozenset())
ROUTE_TOPICS: Field[tuple[str, ...]] = Field("topics", names, ())
ROUTE_TO = Field("to", text, "", required=True)
ROUTE_FIELDS = (ROUTE_CATEGORIES, ROUTE_TOPICS, ROUTE_TO)

RESPOND_WITHIN: Field[timedelta | None] = Field("respond_within", duration, None)
ESCALATE_AFTER: Field[timedelta | None] = Field("escalate_after", duration, None)
LEAD = Field("lead", text, "")
WORDS: Field[tuple[str, ...]] = Field("words", names, ())
ROUTES: Field[Entry | None] = Field("routes", lambda entry: entry, None)
DEFAULT = Field("default", text, "")
WEBHOOK = Field("webhook", text, "")
DIALOGUE_FIELDS = (RESPOND_WITHIN, ESCALATE_AFTER, LEAD, WORDS, ROUTES, DEFAULT, WEBHOOK)


def parse_dialogue(entry: Entry, context: SectionContext) -> tuple[DialogueRules, list[Finding]]:
    path = context.path
    reading = read_map(entry, "dialogue", DIALOGUE_FIELDS, path=path, what="respond_within, routes, …")
    findings = reading.findings
    if not reading.is_map:
        return DialogueRules(), findings
    v = reading.values
    c = entry.children

    def problem(key: str, message: str) -> None:
        findings.append(Finding(path, c[key].line, f"dialogue.{key}", message, "calendar"))

    within, escalate = v[RESPOND_WITHIN], v[ESCALATE_AFTER]
    if escalate is not None and within is not None and escalate >= within:
        problem("escalate_after", _("expected less than respond_within, so the lead hears of it before the deadline"))
    if escalate is not None and not v[LEAD]:
        problem("escalate_after", _("expected a lead to escalate to, found no 'lead'"))
    routes = _routes(v[ROUTES], context, findings)
    rules = DialogueRules(
        within,
        escalate,
        v[LEAD],
        v[WORDS],
        routes,
        v[DEFAULT],
        v[WEBHOOK],
        entry.line,
        {key: child.line for key, child in c.items()},
    )
    return rules, findings


def _routes(entry: Entry | None, context: SectionContext, findings: list[Finding]) -> tuple[Route, ...]:
    if entry is None:
        return ()
    if not isinstance(entry.value, list):
        message = _("expected a list of routes (each with categories or topics, and to), found {found}").format(
            found=describe(entry)
        )
        findings.append(Finding(context.path, entry.line, "dialogue.routes", message, "calendar"))
        return ()
    routes = []
    for index, item in enumerate(entry.items):
        where = f"dialogue.routes[{index}]"
        reading = read_map(item, where, ROUTE_FIELDS, path=context.path, what="categories or topics, and to")
        findings.extend(reading.findings)
        if not reading.ok:
            continue
        r = reading.values
        categories, topics = r[ROUTE_CATEGORIES], r[ROUTE_TOPICS]
        if not (categories or topics):
            message = _("expected 'categories' or 'topics' (or both), found neither")
            findings.append(Finding(context.path, item.line, where, message, "calendar"))
            continue
        routes.append(Route(r[ROUTE_TO], categories, topics, item.line))
    return tuple(routes)


def dialogue_references(rules: DialogueRules, calendar: Calendar) -> list[Finding]:
    """Who gets items must be in the team; the webhook must be a webhook channel."""
    named = [("lead", rules.lead, rules.line_of("lead")), ("default", rules.default, rules.line_of("default"))]
    named += [(f"routes[{index}].to", route.to, route.line) for index, route in enumerate(rules.routes)]
    findings = [
        Finding(
            calendar.path,
            line,
            f"dialogue.{where}",
            _("expected a team id{suggestion}, found '{found}'").format(
                suggestion=did_you_mean(member, calendar.team), found=member
            ),
            "calendar",
        )
        for where, member, line in named
        if member and member not in calendar.team
    ]
    if rules.webhook:
        channels = calendar.section(CHANNELS)
        webhooks = [name for name, channel in channels.items() if channel.type == "webhook"]
        if rules.webhook not in webhooks:
            message = _(
                "expected a webhook channel from the calendar's channels ({known}), found '{found}'{hint}"
            ).format(known=", ".join(webhooks) or "–", found=rules.webhook, hint=did_you_mean(rules.webhook, webhooks))
            findings.append(Finding(calendar.path, rules.line_of("webhook"), "dialogue.webhook", message, "calendar"))
    return findings


DIALOGUE: Section[DialogueRules] = Section("dialogue", parse_dialogue, DialogueRules, dialogue_references)
SECTIONS: tuple[Section[Any], ...] = (DIALOGUE,)
