"""hub_content's settings: the calendar file, check levels, languages, legal pages, the Markdown cache.

HUB_WORKERS (how many processes check the posts) is an environment variable, not a setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hub_core.i18n import LANGUAGES as MESSAGE_LANGUAGES
from hub_core.i18n import supported, translator
from hub_core.options import Derived, Option, boolean, mapping, path_or_none, read, texts
from hub_core.sponsored import SPONSORED_LABEL

from .loader import validate_levels

_, ngettext = translator("hub_content")


def _levels(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return mapping(value)
    return "\n".join(validate_levels(value)[1]) or None


CALENDAR = Option(
    "HUB_CALENDAR", None, path_or_none, "the calendar file; None: `editorial_calendar.yaml` beside `content/`"
)
CHECKS = Option("HUB_CHECKS", {}, _levels, "level per check: `error`, `warning` or `off` (see above)")
STRICT = Option("HUB_STRICT", False, boolean, "warnings count as errors")
LANGUAGES = Option("HUB_LANGUAGES", ("de", "en"), texts, "languages a post may have")


def _message_language(value: Any) -> str | None:
    if value is None or supported(value):
        return None
    return _("expected one of {choices} or None, found {value}").format(
        choices=", ".join(repr(code) for code in MESSAGE_LANGUAGES), value=repr(value)
    )


MESSAGE_LANGUAGE = Option(
    "HUB_LANG",
    None,
    _message_language,
    "language of every message to authors and editors (`de`, `en`); None: the site's `DEFAULT_LANG`",
)
LEGAL_PAGES = Option(
    "HUB_LEGAL_PAGES",
    ("impressum", "datenschutz"),
    texts,
    "slugs of the pages every page links to; the build fails without them",
)
MARKDOWN_CACHE_FOLDER = Option(
    "HUB_MARKDOWN_CACHE",
    Derived("`CACHE_PATH/hub-markdown`", lambda s: os.path.join(s.get("CACHE_PATH", "cache"), "hub-markdown")),
    path_or_none,
    'rendered Markdown; `""` turns it off (see "Build speed")',
)

OPTIONS = (CALENDAR, CHECKS, STRICT, LANGUAGES, MESSAGE_LANGUAGE, SPONSORED_LABEL, LEGAL_PAGES, MARKDOWN_CACHE_FOLDER)


def calendar_file(settings: Mapping[str, Any]) -> Path:
    """HUB_CALENDAR, relative to the folder holding content/; else editorial_calendar.yaml there."""
    configured = read(CALENDAR, settings)
    content_root = Path(settings["PATH"])
    if configured:
        return Path(configured) if Path(configured).is_absolute() else content_root.parent / configured
    return content_root.parent / "editorial_calendar.yaml"
