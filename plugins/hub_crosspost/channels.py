"""The `channels` section of the calendar: where teasers go, and how each platform wants them.

Pure: located YAML in, a ChannelConfig per channel and findings out, declared as the section
CHANNELS (hub_core.schema) that hub_content's calendar hands this key to. Secrets are never
configured here, only the names of the environment variables holding them. What differs per
platform is the table in hub_crosspost.platforms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from hub_core.dates import located_when
from hub_core.findings import Finding
from hub_core.schema import Section, SectionContext
from hub_core.sponsored import DEFAULT_SPONSORED_LABEL
from hub_core.suggest import did_you_mean
from hub_core.yamlsource import Entry, describe

from .platforms import CHANNEL_TYPES, PLATFORMS

WEBHOOK_FORMATS = ("slack", "teams", "mattermost", "discord")
VISIBILITIES = ("public", "unlisted", "private")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
CHANNEL_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ORGANIZATION_URN = re.compile(r"^urn:li:organization:\d+$")
PLACEHOLDERS = ("title", "teaser", "link", "hashtags", "author", "label")
# Keys that would put a secret into the repository; the message says where it belongs instead.
SECRET_KEYS = {"token": "token_env", "password": "password_env", "secret": "token_env", "webhook_url": "url_env"}

COMMON_KEYS = (
    "type",
    "since",
    "template",
    "hashtags",
    "utm",
    "max_per_run",
    "sponsored_label",
    "language",
    "enabled",
)
# By type, from the platform table (the names tests and the clients have always read).
TYPE_KEYS = {kind: platform.keys for kind, platform in PLATFORMS.items()}
REQUIRED_KEYS = {kind: platform.required for kind, platform in PLATFORMS.items()}
DEFAULTS = {kind: dict(platform.defaults) for kind, platform in PLATFORMS.items()}
LIMITS = {kind: platform.limit for kind, platform in PLATFORMS.items()}
TEMPLATES = {kind: platform.template for kind, platform in PLATFORMS.items()}
MAX_HASHTAGS = {kind: platform.max_hashtags for kind, platform in PLATFORMS.items()}


@dataclass(frozen=True)
class Hashtags:
    from_tags: bool = True
    max: int = 3
    always: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChannelConfig:
    name: str
    type: str
    since: datetime | None  # posts dated before it never go to this channel (None: feed channels only)
    line: int
    template: str
    limit: int
    hashtags: Hashtags = field(default_factory=Hashtags)
    utm_campaign: str | None = "blog"  # None: no UTM parameters
    max_per_run: int = 3
    sponsored_label: str = DEFAULT_SPONSORED_LABEL
    language: str | None = None  # None: the post's language
    enabled: bool = True
    # Type-specific settings (instance, organization, format, path, …) and env variable names.
    settings: dict[str, str] = field(default_factory=dict)

    def env_names(self) -> dict[str, str]:
        """The credential variables this channel reads: key → variable name."""
        return {key: value for key, value in self.settings.items() if key.endswith("_env")}


Report = Callable[..., None]


def parse_channels(entry: Entry, zone: ZoneInfo, report: Report) -> dict[str, ChannelConfig]:
    """One ChannelConfig per valid entry; `report(entry, field, message[, check])` for each problem."""
    channels: dict[str, ChannelConfig] = {}
    if not isinstance(entry.value, dict):
        report(entry, "channels", f"expected a map with one entry per channel name, found {describe(entry)}")
        return channels
    for name, child in entry.children.items():
        where = f"channels.{name}"
        if not CHANNEL_NAME.match(name):
            report(child, where, f"expected a channel name of lower-case letters, digits and '-', found '{name}'")
            continue
        if not isinstance(child.value, dict):
            report(child, where, f"expected a map with type, since, …, found {describe(child)}")
            continue
        config = _channel(name, child, where, zone, report)
        if config is not None:
            channels[name] = config
    return channels


def _channel(name: str, entry: Entry, where: str, zone: ZoneInfo, report: Report) -> ChannelConfig | None:
    c = entry.children
    type_entry = c.get("type")
    if type_entry is None or type_entry.value not in CHANNEL_TYPES:
        found = "the key missing" if type_entry is None else describe(type_entry)
        hint = did_you_mean(str(type_entry.value), CHANNEL_TYPES) if type_entry is not None else ""
        report(type_entry or entry, f"{where}.type", f"expected one of {', '.join(CHANNEL_TYPES)}{hint}, found {found}")
        return None
    kind = type_entry.value
    ok = True

    def bad(key: str, message: str, check: str = "calendar") -> None:
        nonlocal ok
        report(c.get(key, entry), f"{where}.{key}", message, check)
        if check == "calendar":
            ok = False

    known = COMMON_KEYS + TYPE_KEYS[kind]
    for key in c:
        if key in SECRET_KEYS:
            bad(
                key,
                f"expected no secret in the repository: put it in an environment variable and name that "
                f"variable in '{SECRET_KEYS[key]}', found '{key}'",
            )
        elif key not in known:
            bad(
                key,
                f"unknown key{did_you_mean(key, known)} for a {kind} channel; known keys: {', '.join(known)}",
                "unknown-key",
            )
    for key in REQUIRED_KEYS[kind]:
        if key not in c:
            bad(key, "expected a value, found the key missing")

    settings: dict[str, str] = {k: str(v) for k, v in DEFAULTS[kind].items()}
    for key in TYPE_KEYS[kind]:
        if key not in c:
            continue
        value = c[key].value
        if not isinstance(value, str) or not value.strip():
            bad(key, f"expected text, found {describe(c[key])}")
            continue
        value = value.strip()
        if key.endswith("_env") and not ENV_NAME.match(value):
            bad(key, f"expected the name of an environment variable such as HUB_{kind.upper()}_TOKEN, found '{value}'")
        elif key in ("instance", "service", "api"):
            parts = urlsplit(value)
            if parts.scheme not in ("https", "http") or not parts.netloc:
                bad(key, f"expected an https:// address, found '{value}'")
        elif key == "organization" and not ORGANIZATION_URN.match(value):
            bad(key, f"expected an organization URN such as urn:li:organization:123456, found '{value}'")
        elif key == "format" and value not in WEBHOOK_FORMATS:
            bad(
                key,
                f"expected one of {', '.join(WEBHOOK_FORMATS)}{did_you_mean(value, WEBHOOK_FORMATS)}, found '{value}'",
            )
        elif key == "visibility" and value not in VISIBILITIES:
            bad(key, f"expected one of {', '.join(VISIBILITIES)}, found '{value}'")
        elif key == "path" and (value.startswith("/") or ".." in value):
            bad(key, f"expected a path inside the output folder, found '{value}'")
        settings[key] = value
    if kind == "feed":
        settings.setdefault("path", f"teaser/{name}.xml")

    since = None
    if "since" not in c:
        if kind != "feed":  # a feed shows its newest items anyway; an API channel would post the whole backlog
            bad(
                "since",
                "expected the date from which posts go to this channel (no backlog on the first run), found none",
            )
    else:
        moment = located_when(c["since"], zone, "2026-11-20")
        if isinstance(moment, str):
            bad("since", moment)
        else:
            since = moment

    template = TEMPLATES[kind]
    if "template" in c:
        raw = c["template"].value
        if not isinstance(raw, str) or "{link}" not in raw:
            bad(
                "template",
                f"expected text containing {{link}} (the link is never dropped), found {describe(c['template'])}",
            )
        else:
            unknown = [p for p in re.findall(r"\{(\w*)\}", raw) if p not in PLACEHOLDERS]
            if unknown:
                bad("template", f"expected only the placeholders {', '.join(PLACEHOLDERS)}, found {{{unknown[0]}}}")
            else:
                template = raw

    hashtags = Hashtags(max=MAX_HASHTAGS[kind])
    if "hashtags" in c:
        hashtags = _hashtags(c["hashtags"], f"{where}.hashtags", hashtags, bad)

    utm: str | None = "blog"
    if "utm" in c:
        value = c["utm"].value
        if value is False:
            utm = None
        elif isinstance(value, dict) and set(value) <= {"campaign"} and isinstance(value.get("campaign", "blog"), str):
            utm = str(value.get("campaign", "blog"))
        else:
            bad("utm", f"expected false or a map with 'campaign', found {describe(c['utm'])}")

    numbers = {"max_per_run": 3}
    if "max_per_run" in c:
        value = c["max_per_run"].value
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            bad("max_per_run", f"expected a whole number of at least 1, found {describe(c['max_per_run'])}")
        else:
            numbers["max_per_run"] = value
    label = DEFAULT_SPONSORED_LABEL
    if "sponsored_label" in c:
        value = c["sponsored_label"].value
        if not isinstance(value, str) or not value.strip():
            bad(
                "sponsored_label",
                f"expected text such as '{DEFAULT_SPONSORED_LABEL}' or '#ad', found {describe(c['sponsored_label'])}",
            )
        else:
            label = value.strip()
    language = None
    if "language" in c:
        value = c["language"].value
        if not isinstance(value, str) or not re.match(r"^[a-z]{2}$", value):
            bad("language", f"expected a two-letter language code such as de, found {describe(c['language'])}")
        else:
            language = value
    enabled = True
    if "enabled" in c:
        if not isinstance(c["enabled"].value, bool):
            bad("enabled", f"expected true or false, found {describe(c['enabled'])}")
        else:
            enabled = c["enabled"].value
    if not ok:
        return None
    return ChannelConfig(
        name,
        kind,
        since,
        entry.line,
        template,
        LIMITS[kind],
        hashtags,
        utm,
        numbers["max_per_run"],
        label,
        language,
        enabled,
        settings,
    )


def _hashtags(entry: Entry, where: str, default: Hashtags, bad: Callable[..., None]) -> Hashtags:
    value = entry.value
    if value is False:
        return Hashtags(from_tags=False, max=0)
    if not isinstance(value, dict) or not set(value) <= {"from_tags", "max", "always"}:
        bad("hashtags", f"expected false or a map with from_tags, max and always, found {describe(entry)}")
        return default
    from_tags = value.get("from_tags", default.from_tags)
    maximum = value.get("max", default.max)
    always = value.get("always", [])
    if not isinstance(from_tags, bool):
        bad("hashtags", f"expected from_tags: true or false, found '{from_tags}'")
        return default
    if isinstance(maximum, bool) or not isinstance(maximum, int) or maximum < 0:
        bad("hashtags", f"expected max: a whole number of at least 0, found '{maximum}'")
        return default
    if not isinstance(always, list) or not all(isinstance(tag, str) and tag.strip() for tag in always):
        bad("hashtags", f"expected always: a list of hashtags, found '{always}'")
        return default
    return Hashtags(from_tags, maximum, tuple(tag.strip().lstrip("#") for tag in always))


def parse_channels_section(entry: Entry, context: SectionContext) -> tuple[dict[str, ChannelConfig], list[Finding]]:
    findings: list[Finding] = []

    def report(at: Entry | None, name: str, message: str, check: str = "calendar") -> None:
        findings.append(Finding(context.path, at.line if at else entry.line, name, message, check))

    return parse_channels(entry, context.zone, report), findings


CHANNELS: Section[dict[str, ChannelConfig]] = Section("channels", parse_channels_section, dict)
