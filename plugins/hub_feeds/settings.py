"""The HUB_FEEDS setting: defaults, and every mistake in it reported at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

from hub_core.i18n import translator

_, ngettext = translator("hub_feeds")
FORMATS = ("atom", "rss")
# The feeds one plugin run can write, and the placeholder each output path needs besides {format}.
KINDS = {"all": None, "language": "lang", "category": "slug", "author": "slug", "tag": "slug"}
DEFAULTS: dict[str, Any] = {
    "all": "feeds/alle.{format}.xml",
    "language": "feeds/{lang}.{format}.xml",
    "category": "feeds/kategorie/{slug}.{format}.xml",
    "author": "feeds/autor/{slug}.{format}.xml",
    "tag": None,  # e.g. "feeds/schlagwort/{slug}.{format}.xml"
    "formats": FORMATS,
    "max_items": 20,
    "dev_siteurl": "http://localhost:8000",
}


@dataclass(frozen=True)
class FeedSettings:
    # kind -> output path pattern; a kind that is missing writes no feeds
    paths: dict[str, str] = field(default_factory=dict)
    formats: tuple[str, ...] = FORMATS
    max_items: int = 20
    dev_siteurl: str = "http://localhost:8000"

    def path(self, kind: str, fmt: str, **values: str) -> str | None:
        pattern = self.paths.get(kind)
        return pattern.format(format=fmt, **values) if pattern else None


def parse_settings(raw: Mapping[str, Any] | None) -> tuple[FeedSettings, list[str], list[str]]:
    """HUB_FEEDS merged over the defaults: (settings, errors, warnings)."""
    errors: list[str] = []
    warnings: list[str] = []
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        return FeedSettings(), [_("HUB_FEEDS: expected a dict, found {type}").format(type=type(raw).__name__)], []
    for key in sorted(set(raw) - set(DEFAULTS)):
        unknown = _("HUB_FEEDS: unknown key '{key}' ignored (known: {known})")
        warnings.append(unknown.format(key=key, known=", ".join(DEFAULTS)))
    values = {**DEFAULTS, **{k: v for k, v in raw.items() if k in DEFAULTS}}

    paths: dict[str, str] = {}
    for kind, needed in KINDS.items():
        pattern = values[kind]
        if pattern in (None, "", False):
            continue
        problem = _pattern_problem(pattern, needed)
        if problem:
            errors.append(
                _("HUB_FEEDS['{kind}']: {problem}, found {value}").format(
                    kind=kind, problem=problem, value=repr(pattern)
                )
            )
        else:
            paths[kind] = pattern
    seen: dict[str, str] = {}
    for kind, pattern in paths.items():
        if pattern in seen:
            same = _("HUB_FEEDS['{kind}']: the same path as HUB_FEEDS['{other}'] ({value})")
            errors.append(same.format(kind=kind, other=seen[pattern], value=repr(pattern)))
        seen.setdefault(pattern, kind)

    formats = values["formats"]
    if isinstance(formats, str) or not all(f in FORMATS for f in formats or ()) or not formats:
        wrong = _("HUB_FEEDS['formats']: expected a non-empty list of {known}, found {value}")
        errors.append(wrong.format(known=", ".join(FORMATS), value=repr(formats)))
        formats = FORMATS
    max_items = values["max_items"]
    if isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1:
        wrong = _("HUB_FEEDS['max_items']: expected a whole number of at least 1, found {value}")
        errors.append(wrong.format(value=repr(max_items)))
        max_items = DEFAULTS["max_items"]
    dev_siteurl = values["dev_siteurl"]
    if not isinstance(dev_siteurl, str) or not dev_siteurl.startswith(("http://", "https://")):
        wrong = _("HUB_FEEDS['dev_siteurl']: expected an absolute http(s) URL, found {value}")
        errors.append(wrong.format(value=repr(dev_siteurl)))
        dev_siteurl = DEFAULTS["dev_siteurl"]
    settings = FeedSettings(paths, tuple(dict.fromkeys(formats)), max_items, dev_siteurl.rstrip("/"))
    return settings, errors, warnings


def _pattern_problem(pattern: object, needed: str | None) -> str | None:
    if not isinstance(pattern, str):
        return _("expected a path pattern (text) or None")
    try:
        names = {name for _literal, name, _spec, _conversion in Formatter().parse(pattern) if name is not None}
    except ValueError as error:
        return _("not a valid pattern ({reason})").format(reason=error)
    allowed = {"format"} | ({needed} if needed else set())
    if names - allowed:
        unknown = sorted(names - allowed)
        listed = ", ".join("{" + n + "}" for n in unknown)
        return ngettext("unknown placeholder {names}", "unknown placeholders {names}", len(unknown)).format(
            names=listed
        )
    if "format" not in names:
        # shown as it is: {format} is the placeholder the user must write
        return _("needs {format}, so Atom and RSS do not overwrite each other")
    if needed and needed not in names:
        return _("needs {name}, so each feed gets its own file").format(name="{" + needed + "}")
    if pattern.startswith("/") or ".." in pattern.split("/") or "\\" in pattern:
        return _("expected a path inside the output folder ('/'-separated, no '..')")
    return None
