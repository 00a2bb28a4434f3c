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
from typing import Any
from urllib.parse import urlsplit

from hub_core.dates import located_when
from hub_core.findings import Finding
from hub_core.i18n import N_, translator
from hub_core.schema import (
    IDENTIFIER,
    Field,
    Invalid,
    Section,
    SectionContext,
    flag,
    matching,
    one_of,
    raw,
    read_map,
    read_one,
    text,
)
from hub_core.sponsored import DEFAULT_SPONSORED_LABEL
from hub_core.suggest import did_you_mean
from hub_core.yamlsource import Entry, describe, pointing_at

from .platforms import CHANNEL_TYPES, PLATFORMS

_, ngettext = translator("hub_crosspost")

WEBHOOK_FORMATS = ("slack", "teams", "mattermost", "discord")
VISIBILITIES = ("public", "unlisted", "private")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
ORGANIZATION_URN = re.compile(r"^urn:li:organization:\d+$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
PLACEHOLDERS = ("title", "teaser", "link", "hashtags", "author", "label")
# Keys that would put a secret into the repository; the message says where it belongs instead.
SECRET_KEYS = {"token": "token_env", "password": "password_env", "secret": "token_env", "webhook_url": "url_env"}
SECRET_REFUSED = N_(
    "expected no secret in the repository: put it in an environment variable and name that variable in '{env}', "
    "found '{key}'"
)


def refused_keys() -> dict[str, str]:
    """The keys that would hold a secret, each with its message in the language of the moment."""
    return {key: _(SECRET_REFUSED).format(env=env, key=key) for key, env in SECRET_KEYS.items()}


# By type, from the platform table (the names tests and the clients have always read).
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


# The fields every channel has.


def _channel_type(entry: Entry) -> str:
    if entry.value in CHANNEL_TYPES:
        return str(entry.value)
    hint = did_you_mean(str(entry.value), CHANNEL_TYPES)
    raise Invalid(
        _("expected one of {types}{hint}, found {found}").format(
            types=", ".join(CHANNEL_TYPES), hint=hint, found=describe(entry)
        )
    )


def _template(entry: Entry) -> str:
    written = entry.value
    if not isinstance(written, str) or "{link}" not in written:
        raise Invalid(
            _("expected text containing {link} (the link is never dropped), found {found}").format(
                link="{link}", found=describe(entry)
            )
        )
    unknown = [p for p in re.findall(r"\{(\w*)\}", written) if p not in PLACEHOLDERS]
    if unknown:
        raise Invalid(
            _("expected only the placeholders {known}, found {unknown}").format(
                known=", ".join(PLACEHOLDERS), unknown=f"{{{unknown[0]}}}"
            )
        )
    return written


def _hashtags(default: Hashtags) -> Callable[[Entry], Hashtags]:
    def read(entry: Entry) -> Hashtags:
        value = entry.value
        if value is False:
            return Hashtags(from_tags=False, max=0)
        if not isinstance(value, dict) or not set(value) <= {"from_tags", "max", "always"}:
            raise Invalid(
                _("expected false or a map with from_tags, max and always, found {found}").format(found=describe(entry))
            )
        from_tags = value.get("from_tags", default.from_tags)
        maximum = value.get("max", default.max)
        always = value.get("always", [])
        if not isinstance(from_tags, bool):
            raise Invalid(_("expected from_tags: true or false, found '{found}'").format(found=from_tags))
        if isinstance(maximum, bool) or not isinstance(maximum, int) or maximum < 0:
            raise Invalid(_("expected max: a whole number of at least 0, found '{found}'").format(found=maximum))
        if not isinstance(always, list) or not all(isinstance(tag, str) and tag.strip() for tag in always):
            raise Invalid(_("expected always: a list of hashtags, found '{found}'").format(found=always))
        return Hashtags(from_tags, maximum, tuple(tag.strip().lstrip("#") for tag in always))

    return read


def _utm(entry: Entry) -> str | None:
    value = entry.value
    if value is False:
        return None  # no UTM parameters
    if isinstance(value, dict) and set(value) <= {"campaign"} and isinstance(value.get("campaign", "blog"), str):
        return str(value.get("campaign", "blog"))
    raise Invalid(_("expected false or a map with 'campaign', found {found}").format(found=describe(entry)))


def _max_per_run(entry: Entry) -> int:
    value = entry.value
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(_("expected a whole number of at least 1, found {found}").format(found=describe(entry)))
    return value


def _sponsored_label(entry: Entry) -> str:
    if isinstance(entry.value, str) and entry.value.strip():
        return entry.value.strip()
    raise Invalid(
        _("expected text such as '{label}' or '#ad', found {found}").format(
            label=DEFAULT_SPONSORED_LABEL, found=describe(entry)
        )
    )


def _language(entry: Entry) -> str:
    if isinstance(entry.value, str) and LANGUAGE_CODE.match(entry.value):
        return entry.value
    raise Invalid(_("expected a two-letter language code such as de, found {found}").format(found=describe(entry)))


TYPE = Field(
    "type",
    _channel_type,
    "",
    required=True,
    missing=lambda: _("expected one of {types}, found the key missing").format(types=", ".join(CHANNEL_TYPES)),
)
TEMPLATE = Field("template", _template, "")  # '': the platform's
UTM: Field[str | None] = Field("utm", _utm, "blog")
MAX_PER_RUN = Field("max_per_run", _max_per_run, 3)
SPONSORED_LABEL = Field("sponsored_label", _sponsored_label, DEFAULT_SPONSORED_LABEL)
LANGUAGE: Field[str | None] = Field("language", _language, None)  # None: the post's language
ENABLED = Field("enabled", flag, True)
# A feed shows its newest items anyway; a channel that posts would post the whole backlog on its first run.
SINCE: dict[str, Field[Entry | None]] = {
    kind: Field(
        "since",
        raw,
        None,
        required=kind != "feed",
        missing=lambda: _(
            "expected the date from which posts go to this channel (no backlog on the first run), found none"
        ),
    )
    for kind in PLATFORMS
}
HASHTAGS = {
    kind: Field("hashtags", _hashtags(Hashtags(max=platform.max_hashtags)), Hashtags(max=platform.max_hashtags))
    for kind, platform in PLATFORMS.items()
}

# The keys only one platform takes (instance, organization, format, path, …) and env variable names.


def _address(entry: Entry) -> str:
    value = text(entry)
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise Invalid(_("expected an https:// address, found '{found}'").format(found=value))
    return value


def _output_path(entry: Entry) -> str:
    value = text(entry)
    if value.startswith("/") or ".." in value:
        raise Invalid(_("expected a path inside the output folder, found '{found}'").format(found=value))
    return value


PLATFORM_KEY_READERS: dict[str, Callable[[Entry], str]] = {
    "instance": _address,
    "service": _address,
    "api": _address,
    "organization": matching(ORGANIZATION_URN, lambda: _("an organization URN such as urn:li:organization:123456")),
    "format": one_of(WEBHOOK_FORMATS),
    "visibility": one_of(VISIBILITIES, hint=False),
    "path": _output_path,
}


def _platform_key(key: str, kind: str) -> Callable[[Entry], str]:
    if key.endswith("_env"):
        return matching(
            ENV_NAME,
            lambda: _("the name of an environment variable such as {example}").format(
                example=f"HUB_{kind.upper()}_TOKEN"
            ),
        )
    return PLATFORM_KEY_READERS.get(key, text)


PLATFORM_FIELDS = {
    kind: tuple(Field(key, _platform_key(key, kind), "", required=key in platform.required) for key in platform.keys)
    for kind, platform in PLATFORMS.items()
}
FIELDS: dict[str, tuple[Field[Any], ...]] = {
    kind: (
        TYPE,
        SINCE[kind],
        TEMPLATE,
        HASHTAGS[kind],
        UTM,
        MAX_PER_RUN,
        SPONSORED_LABEL,
        LANGUAGE,
        ENABLED,
        *PLATFORM_FIELDS[kind],
    )
    for kind in PLATFORMS
}


def parse_channels(entry: Entry, context: SectionContext) -> tuple[dict[str, ChannelConfig], list[Finding]]:
    """One ChannelConfig per valid entry, and a finding for each problem."""
    channels: dict[str, ChannelConfig] = {}
    findings: list[Finding] = []

    def problem(at: Entry, where: str, message: str) -> None:
        findings.append(Finding(context.path, at.line, where, message, "calendar"))

    if not isinstance(entry.value, dict):
        problem(
            entry,
            "channels",
            _("expected a map with one entry per channel name, found {found}").format(found=describe(entry)),
        )
        return channels, findings
    for name, child in entry.children.items():
        where = f"channels.{name}"
        if not IDENTIFIER.match(name):
            problem(
                child,
                where,
                _("expected a channel name of lower-case letters, digits and '-', found '{found}'").format(found=name),
            )
            continue
        if not isinstance(child.value, dict):
            problem(child, where, _("expected a map with type, since, …, found {found}").format(found=describe(child)))
            continue
        config, channel_findings = _channel(name, child, where, context)
        findings.extend(channel_findings)
        if config is not None:
            channels[name] = config
    return channels, findings


def _channel(
    name: str, entry: Entry, where: str, context: SectionContext
) -> tuple[ChannelConfig | None, list[Finding]]:
    # The type decides which keys the channel may have: nothing else is judged without it.
    typed = read_one(entry, where, TYPE, path=context.path)  # not unpacked here: mypy would take T as str | None
    kind = typed[0]
    if kind is None:
        return None, typed[1]
    reading = read_map(
        entry,
        where,
        FIELDS[kind],
        path=context.path,
        what="type, since, …",
        unknown=f" for a {kind} channel",
        refused=refused_keys(),
    )
    findings = reading.findings
    v = reading.values
    since = None
    since_entry = v[SINCE[kind]]
    if since_entry is not None:
        moment = located_when(since_entry, context.zone, "2026-11-20")
        if isinstance(moment, str):
            findings.append(
                pointing_at(Finding(context.path, since_entry.line, f"{where}.since", moment, "calendar"), since_entry)
            )
        else:
            since = moment
    if not reading.ok or (since_entry is not None and since is None):
        return None, findings
    settings = dict(PLATFORMS[kind].defaults)
    settings.update({key.name: v[key] for key in PLATFORM_FIELDS[kind] if key in v})
    if kind == "feed":
        settings.setdefault("path", f"teaser/{name}.xml")
    config = ChannelConfig(
        name,
        kind,
        since,
        entry.line,
        v[TEMPLATE] or TEMPLATES[kind],
        LIMITS[kind],
        v[HASHTAGS[kind]],
        v[UTM],
        v[MAX_PER_RUN],
        v[SPONSORED_LABEL],
        v[LANGUAGE],
        v[ENABLED],
        settings,
    )
    return config, findings


CHANNELS: Section[dict[str, ChannelConfig]] = Section("channels", parse_channels, dict)
