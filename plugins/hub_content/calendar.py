"""The editorial calendar file: time zone and team (who writes, who approves, their keys), and the
sections other plugins own (the review gate's cadence, approval, plan and freeze; cross-posting's
channels).

This module owns the file: it reads its own keys, hands every other top-level key to the section
its plugin declared (hub_core.schema.Section, in `<plugin>.calendar_sections.SECTIONS`), and once
all are read checks what the sections name elsewhere (a slot's channel, an approver's id).
Pure: reads a YAML text, returns a Calendar and findings. Knows nothing of Pelican.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub_core.findings import Finding, Level
from hub_core.i18n import translator
from hub_core.plugin_modules import declarations_of, hub_packages_with
from hub_core.schema import (
    Field,
    Invalid,
    Section,
    SectionContext,
    any_of,
    identifier,
    listed,
    matching,
    maybe_text,
    raw,
    read_map,
    text,
)
from hub_core.suggest import did_you_mean
from hub_core.yamlsource import Entry, describe, load_located

from .signing_keys import EXAMPLE as KEY_EXAMPLE
from .signing_keys import SigningKey, parse_key

_, ngettext = translator("hub_content")

DEFAULT_TIMEZONE = "Europe/Berlin"
RIGHTS = ("author", "editor")
ROOT_KEYS = ("timezone", "team")
SECTIONS_MODULE = "calendar_sections"  # where a plugin declares its sections of the file, as SECTIONS
T = TypeVar("T")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class TeamMember:
    id: str
    name: str
    role: str
    email: str = ""
    photo: str = ""
    bio: str = ""
    rights: frozenset[str] = frozenset()
    # None means every category; otherwise the categories this editor may approve.
    approves: frozenset[str] | None = frozenset()
    # Accounts per channel name or type, e.g. {"mastodon": "@mhellwig@social.example"}: {author} in teasers.
    handles: dict[str, str] = field(default_factory=dict)
    # SSH public keys whose signatures prove this member's approvals (approval.verify_signatures).
    signing_keys: tuple[SigningKey, ...] = ()

    @property
    def is_author(self) -> bool:
        return "author" in self.rights

    @property
    def is_editor(self) -> bool:
        return "editor" in self.rights

    def may_approve(self, category: str) -> bool:
        if not self.is_editor:
            return False
        return self.approves is None or category in self.approves


@dataclass
class Calendar:
    path: str
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    team: dict[str, TeamMember] = field(default_factory=dict)
    # Each plugin's section as its owner parsed it, by key; read one with `section`.
    sections: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # of each top-level key, for messages

    def section(self, section: Section[T]) -> T:
        """A plugin's section, e.g. `calendar.section(CADENCE)`; its default if the file has none."""
        return SectionContext(self.path, self.timezone, self.sections).get(section)

    def names_in(self, key: str) -> tuple[str, ...]:
        """The names a section defines (a map's keys: the channels), for references from other sections."""
        value = self.sections.get(key)
        return tuple(value) if isinstance(value, Mapping) else ()

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    def member_by_name(self) -> dict[str, TeamMember]:
        return {member.name: member for member in self.team.values()}


def load_calendar(file: Path, *, display_path: str, content_root: Path) -> tuple[Calendar, list[Finding]]:
    """Read and validate the calendar; a missing or broken file gives findings, not exceptions."""
    calendar = Calendar(display_path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return calendar, [
            Finding(
                display_path,
                0,
                "",
                _("expected the editorial calendar with the team here, found no file"),
                "calendar",
            )
        ]
    except (OSError, UnicodeDecodeError) as error:
        return calendar, [
            Finding(
                display_path,
                0,
                "",
                _("expected a UTF-8 text file, found: {error}").format(error=error),
                "calendar",
            )
        ]
    return parse_calendar(text, display_path=display_path, content_root=content_root)


@cache
def plugin_sections() -> tuple[Section[Any], ...]:
    """Every section a hub_* plugin declares, found by the module's name: the plugins that own them
    build on this one, so it may not import them by name. All of them, whether in PLUGINS or not:
    the file is the same for the build, `invoke check` and every other task."""
    modules = declarations_of(hub_packages_with(SECTIONS_MODULE), SECTIONS_MODULE).values()
    return tuple(section for module in modules for section in module.SECTIONS)


def parse_calendar(
    text: str, *, display_path: str, content_root: Path, sections: Sequence[Section[Any]] | None = None
) -> tuple[Calendar, list[Finding]]:
    sections = plugin_sections() if sections is None else sections
    known_keys = ROOT_KEYS + tuple(section.key for section in sections)
    calendar = Calendar(display_path)
    loaded = load_located(text, path=display_path)
    findings = list(loaded.findings)
    root = loaded.root
    if root is None:
        if not findings:
            findings.append(
                Finding(
                    display_path,
                    1,
                    "",
                    _("expected 'timezone' and 'team', found an empty file"),
                    "calendar",
                )
            )
        return calendar, findings
    if not isinstance(root.value, dict):
        findings.append(
            Finding(
                display_path,
                root.line,
                "",
                _("expected a map with 'timezone' and 'team', found {found}").format(found=describe(root)),
                "calendar",
            )
        )
        return calendar, findings

    def problem(entry: Entry | None, name: str, message: str, check: str = "calendar") -> None:
        findings.append(Finding(display_path, entry.line if entry else root.line, name, message, check))

    calendar.lines = {key: entry.line for key, entry in root.children.items()}
    for key, entry in root.children.items():
        if key not in known_keys:
            problem(
                entry,
                key,
                _("unknown key{did_you_mean}; known keys: {known}").format(
                    did_you_mean=did_you_mean(key, known_keys), known=", ".join(known_keys)
                ),
                "unknown-key",
            )

    tz_entry = root.children.get("timezone")
    if tz_entry is not None:
        if not isinstance(tz_entry.value, str):
            problem(
                tz_entry,
                "timezone",
                _("expected a time zone name such as 'Europe/Berlin', found {found}").format(found=describe(tz_entry)),
            )
        else:
            try:
                calendar.timezone = ZoneInfo(tz_entry.value)
            except (ZoneInfoNotFoundError, ValueError):
                problem(
                    tz_entry,
                    "timezone",
                    _("expected a time zone name such as 'Europe/Berlin', found '{zone}'").format(zone=tz_entry.value),
                )

    team_entry = root.children.get("team")
    if team_entry is None:
        problem(None, "team", _("expected a 'team' list with at least one member, found none"))
    elif not isinstance(team_entry.value, list) or not team_entry.items:
        problem(
            team_entry,
            "team",
            _("expected a list of team members, found {found}").format(found=describe(team_entry)),
        )
    else:
        first_line_of: dict[str, int] = {}
        for index, item in enumerate(team_entry.items):
            member = _member(item, index, display_path, content_root, findings)
            id_entry = item.children.get("id")
            member_id = id_entry.value if id_entry is not None and isinstance(id_entry.value, str) else None
            if member_id in first_line_of:
                findings.append(
                    Finding(
                        display_path,
                        item.line,
                        f"team[{index}].id",
                        _("expected unique ids, found '{id}' again (first on line {line})").format(
                            id=member_id, line=first_line_of[member_id]
                        ),
                        "calendar",
                    )
                )
                continue
            if member_id:
                first_line_of[member_id] = item.line
            if member is not None:
                calendar.team[member.id] = member
        findings.extend(_shared_keys(calendar, team_entry, display_path))

    context = SectionContext(display_path, calendar.timezone, calendar.sections)
    for section in sections:
        if section.key in root.children:
            calendar.sections[section.key], section_findings = section.parse(root.children[section.key], context)
            findings.extend(section_findings)
    findings.extend(_name_references(calendar, context))
    if team_entry is not None and calendar.team:
        for section in sections:
            if section.references is not None and section.key in calendar.sections:
                findings.extend(section.references(calendar.sections[section.key], calendar))
    # A typo in a key must be seen, not fail the build: unknown keys are warnings, as in front matter.
    findings = [replace(f, level=Level.WARNING) if f.check == "unknown-key" else f for f in findings]
    return calendar, findings


def _shared_keys(calendar: Calendar, team_entry: Entry, path: str) -> list[Finding]:
    """A signature proves who approved only if its key belongs to one member."""
    findings: list[Finding] = []
    owner: dict[str, str] = {}
    seen: set[str] = set()
    for index, item in enumerate(team_entry.items):
        id_entry = item.children.get("id")
        member = calendar.team.get(id_entry.value) if id_entry and isinstance(id_entry.value, str) else None
        keys_entry = item.children.get("signing_keys")
        if member is None or keys_entry is None or member.id in seen:
            continue  # a repeated id is reported already; its keys are not the member's
        seen.add(member.id)
        lines = [e.line for e in keys_entry.items] or [keys_entry.line]
        for key, line in zip(member.signing_keys, lines, strict=False):
            first = owner.setdefault(key.fingerprint, member.id)
            if first != member.id:
                findings.append(
                    Finding(
                        path,
                        line,
                        f"team[{index}].signing_keys",
                        _(
                            "expected each key to belong to one member, found {fingerprint} listed for '{first}' too"
                        ).format(fingerprint=key.fingerprint, first=first),
                        "calendar",
                    )
                )
    return findings


def _name_references(calendar: Calendar, context: SectionContext) -> list[Finding]:
    """Names one section uses that another defines (a plan slot's channels) must exist there."""
    findings: list[Finding] = []
    for reference in context.references:
        defined = calendar.names_in(reference.section)
        known = ", ".join(defined) or _("none defined under '{section}'").format(section=reference.section)
        for name in reference.names:
            if name not in defined:
                message = _("expected {what} ({known}), found '{name}'{did_you_mean}").format(
                    what=reference.what, known=known, name=name, did_you_mean=did_you_mean(name, defined)
                )
                findings.append(Finding(calendar.path, reference.line, reference.field, message, reference.check))
    return findings


def _approves(entry: Entry) -> frozenset[str] | None:
    if entry.value == "all":
        return None  # every category
    if isinstance(entry.value, list) and all(isinstance(v, str) for v in entry.value):
        return frozenset(entry.value)
    raise Invalid(_("expected 'all' or a list of categories, found {found}").format(found=describe(entry)))


def _handles(entry: Entry) -> dict[str, str]:
    value = entry.value
    if isinstance(value, dict) and all(isinstance(v, str) and v.strip() for v in value.values()):
        return {str(k): v.strip() for k, v in value.items()}
    raise Invalid(
        _("expected a map of channel → account such as {example}, found {found}").format(
            example="{mastodon: '@name@server'}", found=describe(entry)
        )
    )


MEMBER_ID = Field("id", identifier, "", required=True)
MEMBER_NAME = Field("name", text, "", required=True)
MEMBER_ROLE = Field("role", text, "", required=True)
MEMBER_EMAIL = Field("email", matching(EMAIL_PATTERN, lambda: _("an e-mail address"), maybe_text), "")
MEMBER_PHOTO = Field("photo", maybe_text, "")
MEMBER_BIO = Field("bio", maybe_text, "")
MEMBER_RIGHTS: Field[frozenset[str]] = Field(
    "rights",
    any_of(RIGHTS),
    frozenset(),
    required=True,
    missing=lambda: _("expected a list of rights ({rights}), found the key missing").format(rights=", ".join(RIGHTS)),
)
MEMBER_APPROVES: Field[frozenset[str] | None] = Field("approves", _approves, frozenset())
MEMBER_HANDLES: Field[dict[str, str]] = Field("handles", _handles, {})
MEMBER_SIGNING_KEYS: Field[Entry | None] = Field("signing_keys", raw, None)
MEMBER_FIELDS = (
    MEMBER_ID,
    MEMBER_NAME,
    MEMBER_ROLE,
    MEMBER_EMAIL,
    MEMBER_PHOTO,
    MEMBER_BIO,
    MEMBER_RIGHTS,
    MEMBER_APPROVES,
    MEMBER_HANDLES,
    MEMBER_SIGNING_KEYS,
)


def _member(item: Entry, index: int, path: str, content_root: Path, findings: list[Finding]) -> TeamMember | None:
    where = f"team[{index}]"
    reading = read_map(item, where, MEMBER_FIELDS, path=path, what=_("id, name, role and rights"))
    findings.extend(reading.findings)
    if not reading.is_map:
        return None
    v = reading.values
    c = item.children
    ok = reading.ok
    photo = v[MEMBER_PHOTO]
    if photo and not (content_root / photo).is_file():
        # Reported, but the member stays: their posts can still be checked.
        message = _("expected an image file at content/{path}, found no such file").format(path=photo)
        findings.append(Finding(path, c["photo"].line, f"{where}.photo", message, "image-missing"))
    # From the rights as written: a wrong right beside 'editor' is reported once, under rights.
    if "approves" in c and "editor" not in (listed(c["rights"]) if "rights" in c else []):
        message = _("expected 'editor' in rights for someone who approves, found it missing")
        findings.append(Finding(path, c["approves"].line, f"{where}.approves", message, "calendar"))
        ok = False
    # Any address written counts: a malformed one is reported already, not asked for again.
    email = c.get("email")
    has_email = email is not None and isinstance(email.value, str) and bool(email.value.strip())
    signing_keys = _signing_keys(v[MEMBER_SIGNING_KEYS], where, has_email, path, findings)
    if not ok:
        return None
    handles = v[MEMBER_HANDLES]
    return TeamMember(
        v[MEMBER_ID],
        v[MEMBER_NAME],
        v[MEMBER_ROLE],
        v[MEMBER_EMAIL],
        photo,
        v[MEMBER_BIO],
        v[MEMBER_RIGHTS],
        v[MEMBER_APPROVES],
        dict(handles),  # not the shared default
        signing_keys,
    )


def _signing_keys(
    entry: Entry | None, where: str, has_email: bool, path: str, findings: list[Finding]
) -> tuple[SigningKey, ...]:
    """The member's SSH public keys; a bad one is an error but keeps the member (their posts stay checkable)."""
    if entry is None:
        return ()
    keys: list[SigningKey] = []
    values = entry.items if isinstance(entry.value, list) else [entry]
    for position, value in enumerate(values):
        name = f"{where}.signing_keys[{position}]" if isinstance(entry.value, list) else f"{where}.signing_keys"
        parsed = (
            parse_key(value.value.strip())
            if isinstance(value.value, str)
            else _("found {found}").format(found=describe(value))
        )
        if isinstance(parsed, SigningKey):
            keys.append(parsed)
        else:
            message = _("expected an SSH public key such as {example}, {found}").format(
                example=_(KEY_EXAMPLE), found=parsed
            )
            findings.append(Finding(path, value.line, name, message, "calendar"))
    if not has_email:
        message = _("expected an email for a member with signing_keys (git names the signer by it), found none")
        findings.append(Finding(path, entry.line, f"{where}.signing_keys", message, "calendar"))
    return tuple(keys)
