"""The editorial calendar file: time zone, team (who writes, who approves) and the
editorial sections (cadence, approval, plan, freeze, channels; see editorial.py).

Pure: reads a YAML text, returns a Calendar and findings. Knows nothing of Pelican.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub_core.findings import Finding, Level
from hub_core.suggest import did_you_mean
from hub_core.yamlsource import Entry, load_located

from .channels import ChannelConfig
from .editorial import ApprovalPolicy, Cadence, FreezeWindow, PlanSlot, parse_sections
from .frontmatter_split import describe
from .signing_keys import EXAMPLE as KEY_EXAMPLE
from .signing_keys import SigningKey, parse_key

DEFAULT_TIMEZONE = "Europe/Berlin"
RIGHTS = ("author", "editor")
MEMBER_KEYS = ("id", "name", "role", "email", "photo", "bio", "rights", "approves", "handles", "signing_keys")
TOP_LEVEL_KEYS = ("timezone", "team", "cadence", "approval", "plan", "freeze", "channels")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
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
    cadence: Cadence = field(default_factory=Cadence)
    approval: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    plan: list[PlanSlot] = field(default_factory=list)
    freeze: list[FreezeWindow] = field(default_factory=list)
    channels: dict[str, ChannelConfig] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # of each top-level key, for messages

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
                "expected the editorial calendar with the team here, found no file",
                "calendar",
            )
        ]
    except (OSError, UnicodeDecodeError) as error:
        return calendar, [
            Finding(
                display_path,
                0,
                "",
                f"expected a UTF-8 text file, found: {error}",
                "calendar",
            )
        ]
    return parse_calendar(text, display_path=display_path, content_root=content_root)


def parse_calendar(text: str, *, display_path: str, content_root: Path) -> tuple[Calendar, list[Finding]]:
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
                    "expected 'timezone' and 'team', found an empty file",
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
                f"expected a map with 'timezone' and 'team', found {describe(root)}",
                "calendar",
            )
        )
        return calendar, findings

    def problem(entry: Entry | None, name: str, message: str, check: str = "calendar") -> None:
        findings.append(Finding(display_path, entry.line if entry else root.line, name, message, check))

    calendar.lines = {key: entry.line for key, entry in root.children.items()}
    for key, entry in root.children.items():
        if key not in TOP_LEVEL_KEYS:
            problem(
                entry,
                key,
                f"unknown key{did_you_mean(key, TOP_LEVEL_KEYS)}; known keys: {', '.join(TOP_LEVEL_KEYS)}",
                "unknown-key",
            )

    tz_entry = root.children.get("timezone")
    if tz_entry is not None:
        if not isinstance(tz_entry.value, str):
            problem(
                tz_entry,
                "timezone",
                f"expected a time zone name such as 'Europe/Berlin', found {describe(tz_entry)}",
            )
        else:
            try:
                calendar.timezone = ZoneInfo(tz_entry.value)
            except (ZoneInfoNotFoundError, ValueError):
                problem(
                    tz_entry,
                    "timezone",
                    f"expected a time zone name such as 'Europe/Berlin', found '{tz_entry.value}'",
                )

    team_entry = root.children.get("team")
    if team_entry is None:
        problem(None, "team", "expected a 'team' list with at least one member, found none")
    elif not isinstance(team_entry.value, list) or not team_entry.items:
        problem(
            team_entry,
            "team",
            f"expected a list of team members, found {describe(team_entry)}",
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
                        f"expected unique ids, found '{member_id}' again (first on line {first_line_of[member_id]})",
                        "calendar",
                    )
                )
                continue
            if member_id:
                first_line_of[member_id] = item.line
            if member is not None:
                calendar.team[member.id] = member
        findings.extend(_shared_keys(calendar, team_entry, display_path))

    sections, section_findings = parse_sections(root.children, calendar.timezone, display_path, root.line)
    findings.extend(section_findings)
    calendar.cadence, calendar.approval = sections.cadence, sections.approval
    calendar.plan, calendar.freeze, calendar.channels = sections.plan, sections.freeze, sections.channels
    if team_entry is not None and calendar.team:
        findings.extend(_team_references(calendar, root, display_path))
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
                        f"expected each key to belong to one member, found {key.fingerprint} listed for '{first}' too",
                        "calendar",
                    )
                )
    return findings


def _team_references(calendar: Calendar, root: Entry, path: str) -> list[Finding]:
    """Approvers and slot owners named in the editorial sections must be in the team."""
    findings: list[Finding] = []
    approval = root.children.get("approval")
    categories = approval.children.get("categories") if approval else None
    for category, rule in calendar.approval.categories.items():
        entry = categories.children.get(category) if categories else None
        for member_id in sorted(rule.approvers or ()):
            member = calendar.team.get(member_id)
            where = f"approval.categories.{category}.approvers"
            line = entry.line if entry else rule.line
            if member is None:
                findings.append(
                    Finding(
                        path,
                        line,
                        where,
                        f"expected a team id{did_you_mean(member_id, calendar.team)}, found '{member_id}'",
                        "calendar",
                    )
                )
            elif not member.is_editor:
                findings.append(
                    Finding(
                        path,
                        line,
                        where,
                        f"expected an editor, found '{member_id}' without the 'editor' right",
                        "calendar",
                    )
                )
    for slot in calendar.plan:
        if slot.owner and slot.owner not in calendar.team:
            findings.append(
                Finding(
                    path,
                    slot.line,
                    f"plan[{slot.id}].owner",
                    f"expected a team id{did_you_mean(slot.owner, calendar.team)}, found '{slot.owner}'",
                    "calendar",
                )
            )
    return findings


def _member(item: Entry, index: int, path: str, content_root: Path, findings: list[Finding]) -> TeamMember | None:
    where = f"team[{index}]"
    if not isinstance(item.value, dict):
        findings.append(
            Finding(
                path,
                item.line,
                where,
                f"expected a map with id, name, role and rights, found {describe(item)}",
                "calendar",
            )
        )
        return None
    fields = item.children
    ok = True

    def bad(name: str, message: str, check: str = "calendar") -> None:
        nonlocal ok
        entry = fields.get(name)
        findings.append(
            Finding(
                path,
                entry.line if entry else item.line,
                f"{where}.{name}",
                message,
                check,
            )
        )
        if check == "calendar":
            ok = False

    for key, entry in fields.items():
        if key not in MEMBER_KEYS:
            findings.append(
                Finding(
                    path,
                    entry.line,
                    f"{where}.{key}",
                    f"unknown key{did_you_mean(key, MEMBER_KEYS)}; known keys: {', '.join(MEMBER_KEYS)}",
                    "unknown-key",
                )
            )

    def text(name: str, required: bool) -> str:
        entry = fields.get(name)
        if entry is None or (entry.value is None and not required):
            if required:
                bad(name, "expected a value, found the key missing")
            return ""
        if not isinstance(entry.value, str) or not entry.value.strip():
            bad(name, f"expected text, found {describe(entry)}")
            return ""
        return entry.value.strip()

    member_id = text("id", True)
    if member_id and not ID_PATTERN.match(member_id):
        bad("id", f"expected lower-case letters, digits and '-', found '{member_id}'")
    name = text("name", True)
    role = text("role", True)
    email = text("email", False)
    if email and not EMAIL_PATTERN.match(email):
        bad("email", f"expected an e-mail address, found '{email}'")
    photo = text("photo", False)
    if photo and not (content_root / photo).is_file():
        bad(
            "photo",
            f"expected an image file at content/{photo}, found no such file",
            "image-missing",
        )
    bio = text("bio", False)

    rights: frozenset[str] = frozenset()
    rights_entry = fields.get("rights")
    if rights_entry is None:
        bad(
            "rights",
            f"expected a list of rights ({', '.join(RIGHTS)}), found the key missing",
        )
    else:
        values = rights_entry.value if isinstance(rights_entry.value, list) else [rights_entry.value]
        unknown = [v for v in values if v not in RIGHTS]
        if unknown:
            bad(
                "rights",
                f"expected any of {', '.join(RIGHTS)}, found {', '.join(repr(v) for v in unknown)}",
            )
        rights = frozenset(v for v in values if v in RIGHTS)

    approves: frozenset[str] | None = frozenset()
    approves_entry = fields.get("approves")
    if approves_entry is not None:
        if approves_entry.value == "all":
            approves = None
        elif isinstance(approves_entry.value, list) and all(isinstance(v, str) for v in approves_entry.value):
            approves = frozenset(approves_entry.value)
        else:
            bad(
                "approves",
                f"expected 'all' or a list of categories, found {describe(approves_entry)}",
            )
        if "editor" not in rights:
            bad(
                "approves",
                "expected 'editor' in rights for someone who approves, found it missing",
            )

    handles: dict[str, str] = {}
    handles_entry = fields.get("handles")
    if handles_entry is not None:
        value = handles_entry.value
        if isinstance(value, dict) and all(isinstance(v, str) and v.strip() for v in value.values()):
            handles = {str(k): v.strip() for k, v in value.items()}
        else:
            bad(
                "handles",
                f"expected a map of channel → account such as {{mastodon: '@name@server'}}, found {describe(handles_entry)}",
            )
    signing_keys = _signing_keys(fields.get("signing_keys"), where, email, path, findings)
    if not ok:
        return None
    return TeamMember(member_id, name, role, email, photo, bio, rights, approves, handles, tuple(signing_keys))


def _signing_keys(
    entry: Entry | None, where: str, email: str, path: str, findings: list[Finding]
) -> tuple[SigningKey, ...]:
    """The member's SSH public keys; a bad one is an error but keeps the member (their posts stay checkable)."""
    if entry is None:
        return ()
    keys: list[SigningKey] = []
    values = entry.items if isinstance(entry.value, list) else [entry]
    for position, value in enumerate(values):
        name = f"{where}.signing_keys[{position}]" if isinstance(entry.value, list) else f"{where}.signing_keys"
        parsed = parse_key(value.value.strip()) if isinstance(value.value, str) else f"found {describe(value)}"
        if isinstance(parsed, SigningKey):
            keys.append(parsed)
        else:
            message = f"expected an SSH public key such as {KEY_EXAMPLE}, {parsed}"
            findings.append(Finding(path, value.line, name, message, "calendar"))
    if not email:
        message = "expected an email for a member with signing_keys (git names the signer by it), found none"
        findings.append(Finding(path, entry.line, f"{where}.signing_keys", message, "calendar"))
    return tuple(keys)
