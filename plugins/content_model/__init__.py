"""content_model: Markdown with YAML front matter, the team, and checks before every build.

Settings (pelicanconf.py), all optional:
  HUB_CALENDAR         path of editorial_calendar.yaml (default: beside the content folder)
  HUB_CHECKS           {"check-id": "error" | "warning" | "off"} to change a check's level
  HUB_STRICT           treat warnings as errors
  HUB_LANGUAGES        languages posts may have (default ("de", "en"))
  HUB_SPONSORED_LABEL  label of sponsored content (default "Anzeige")
  HUB_LEGAL_PAGES      slugs of pages every footer links to (default impressum, datenschutz)
"""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals
from pelican.contents import Static
from pelican.readers import MarkdownReader

from .findings import Level
from .loader import check_content
from .pelican_settings import content_settings
from .reader import SITE_CHECK_KEY, YamlFrontMatterReader

logger = logging.getLogger(__name__)
PREFIX = "content_model:"


class ContentCheckFailed(Exception):
    """Raised to stop the build before anything is rendered; Pelican exits with `exitcode`."""

    exitcode = 1


def use_our_reader(readers: Any) -> None:
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = YamlFrontMatterReader


def check_before_build(pelican: Any) -> None:
    """Check all content before any generator reads it; stop on errors."""
    settings = content_settings(pelican.settings)
    result = check_content(settings)
    for finding in result.report.findings:
        log = logger.error if finding.level is Level.ERROR else logger.warning
        log("%s %s", PREFIX, finding.render())
    pelican.settings[SITE_CHECK_KEY] = result
    if not result.ok:
        raise ContentCheckFailed(f"{PREFIX} {result.report.summary(result.files_checked)}; nothing was written")


def share_team(generator: Any) -> None:
    result = generator.settings.get(SITE_CHECK_KEY)
    if result is None:
        return
    team = result.calendar.team
    generator.context["TEAM"] = team
    generator.context["TEAM_BY_NAME"] = result.calendar.member_by_name()


def complete_content(content: Any) -> None:
    """Give every post and page what the theme and translations rely on."""
    if isinstance(content, Static):
        return
    if not hasattr(content, "translation_key"):
        content.translation_key = content.slug
    result = content.settings.get(SITE_CHECK_KEY)
    team = result.calendar.team if result else {}
    ids = getattr(content, "author_ids", [])
    content.team_authors = [team[i] for i in ids if i in team]


def register() -> None:
    signals.readers_init.connect(use_our_reader)
    signals.get_generators.connect(check_before_build)
    signals.generator_init.connect(share_team)
    signals.content_object_init.connect(complete_content)
