"""The HUB_FEEDS setting: defaults, and every mistake in it reported at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

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
        return FeedSettings(), [f"HUB_FEEDS: expected a dict, found {type(raw).__name__}"], []
    for key in sorted(set(raw) - set(DEFAULTS)):
        warnings.append(f"HUB_FEEDS: unknown key '{key}' ignored (known: {', '.join(DEFAULTS)})")
    values = {**DEFAULTS, **{k: v for k, v in raw.items() if k in DEFAULTS}}

    paths: dict[str, str] = {}
    for kind, needed in KINDS.items():
        pattern = values[kind]
        if pattern in (None, "", False):
            continue
        problem = _pattern_problem(pattern, needed)
        if problem:
            errors.append(f"HUB_FEEDS['{kind}']: {problem}, found {pattern!r}")
        else:
            paths[kind] = pattern
    seen: dict[str, str] = {}
    for kind, pattern in paths.items():
        if pattern in seen:
            errors.append(f"HUB_FEEDS['{kind}']: the same path as HUB_FEEDS['{seen[pattern]}'] ({pattern!r})")
        seen.setdefault(pattern, kind)

    formats = values["formats"]
    if isinstance(formats, str) or not all(f in FORMATS for f in formats or ()) or not formats:
        errors.append(f"HUB_FEEDS['formats']: expected a non-empty list of {', '.join(FORMATS)}, found {formats!r}")
        formats = FORMATS
    max_items = values["max_items"]
    if isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1:
        errors.append(f"HUB_FEEDS['max_items']: expected a whole number of at least 1, found {max_items!r}")
        max_items = DEFAULTS["max_items"]
    dev_siteurl = values["dev_siteurl"]
    if not isinstance(dev_siteurl, str) or not dev_siteurl.startswith(("http://", "https://")):
        errors.append(f"HUB_FEEDS['dev_siteurl']: expected an absolute http(s) URL, found {dev_siteurl!r}")
        dev_siteurl = DEFAULTS["dev_siteurl"]
    settings = FeedSettings(paths, tuple(dict.fromkeys(formats)), max_items, dev_siteurl.rstrip("/"))
    return settings, errors, warnings


def _pattern_problem(pattern: object, needed: str | None) -> str | None:
    if not isinstance(pattern, str):
        return "expected a path pattern (text) or None"
    try:
        names = {name for _, name, _, _ in Formatter().parse(pattern) if name is not None}
    except ValueError as error:
        return f"not a valid pattern ({error})"
    allowed = {"format"} | ({needed} if needed else set())
    if names - allowed:
        return f"unknown placeholder(s) {', '.join('{' + n + '}' for n in sorted(names - allowed))}"
    if "format" not in names:
        return "needs {format}, so Atom and RSS do not overwrite each other"
    if needed and needed not in names:
        return f"needs {{{needed}}}, so each feed gets its own file"
    if pattern.startswith("/") or ".." in pattern.split("/") or "\\" in pattern:
        return "expected a path inside the output folder ('/'-separated, no '..')"
    return None
