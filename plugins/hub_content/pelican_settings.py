"""Translate Pelican's settings dict into the plain ContentSettings the checks use."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from hub_core.errors import ConfigurationError
from hub_core.findings import Level
from hub_core.options import read
from pelican.utils import slugify

from .loader import PELICAN_SUFFIXES, ContentSettings, validate_levels
from .options import CHECKS, LANGUAGES, LEGAL_PAGES, SPONSORED_LABEL, STRICT, calendar_file
from .site import OutputPatterns


class SettingsError(ConfigurationError):
    """A HUB_* setting hub_content reads is wrong (every problem in one message)."""

    topic = "configuration"


def reader_suffixes(readers: Mapping[str, Any]) -> tuple[str, ...]:
    """The suffixes Pelican reads: its own readers', changed by the READERS setting (None switches one
    off). The build asks a real Readers object instead, which knows plugins' readers too."""
    suffixes = {suffix.lstrip(".") for suffix in PELICAN_SUFFIXES}
    for extension, reader in readers.items():
        if reader:
            suffixes.add(extension)
        else:
            suffixes.discard(extension)
    return tuple(f".{suffix}" for suffix in sorted(suffixes))


def template_folders(settings: Mapping[str, Any]) -> tuple[Path, ...]:
    """Where Pelican looks for a post's `template:`: the overrides, then the theme's templates."""
    theme = settings.get("THEME")
    if not theme:
        return ()
    overrides = [Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    return (*overrides, Path(theme) / "templates")


def content_settings(
    settings: Mapping[str, Any], *, strict: bool | None = None, display_root: Path | None = None
) -> ContentSettings:
    levels, problems = validate_levels(read(CHECKS, settings))
    if problems:
        raise SettingsError("; ".join(problems))
    content_root = Path(settings["PATH"])
    slug_subs = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    return ContentSettings(
        content_root=content_root,
        calendar_file=calendar_file(settings),
        article_paths=tuple(settings.get("ARTICLE_PATHS", [""])),
        page_paths=tuple(settings.get("PAGE_PATHS", ["pages"])),
        article_excludes=tuple(settings.get("ARTICLE_EXCLUDES", [])),
        page_excludes=tuple(settings.get("PAGE_EXCLUDES", [])),
        reader_suffixes=reader_suffixes(settings.get("READERS") or {}),
        static_paths=tuple(settings.get("STATIC_PATHS", [])),
        filename_metadata=settings.get("FILENAME_METADATA") or "",
        path_metadata=settings.get("PATH_METADATA") or "",
        static_images="hub_images" in (settings.get("PLUGINS") or ()),
        template_folders=template_folders(settings),
        template_extensions=tuple(settings.get("TEMPLATE_EXTENSIONS", [".html"])),
        ignore_files=tuple(settings.get("IGNORE_FILES", [".#*"])),
        languages=tuple(read(LANGUAGES, settings)),
        default_lang=settings.get("DEFAULT_LANG", "de"),
        sponsored_label=read(SPONSORED_LABEL, settings),
        legal_pages=tuple(read(LEGAL_PAGES, settings)),
        levels=levels,
        strict=read(STRICT, settings) if strict is None else strict,
        patterns=OutputPatterns.from_settings(settings),
        slugify=partial(
            slugify,
            regex_subs=slug_subs,
            preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
        ),
        display_root=display_root or content_root.parent,
    )


__all__ = ["Level", "SettingsError", "calendar_file", "content_settings"]
