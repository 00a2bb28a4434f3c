"""content_model: Markdown with YAML front matter, the team, and checks before every build.

Settings (pelicanconf.py), all optional:
  HUB_CALENDAR         path of editorial_calendar.yaml (default: beside the content folder)
  HUB_CHECKS           {"check-id": "error" | "warning" | "off"} to change a check's level
  HUB_STRICT           treat warnings as errors
  HUB_LANGUAGES        languages posts may have (default ("de", "en"))
  HUB_SPONSORED_LABEL  label of sponsored content (default "Anzeige")
  HUB_LEGAL_PAGES      slugs of pages every footer links to (default impressum, datenschutz)
  HUB_MARKDOWN_CACHE   folder of the rendered-Markdown cache (default CACHE_PATH/hub-markdown);
                       "" or False: render every body in every build
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from hub_core import build_log, build_tracking, state
from hub_core.build_log import ProblemLog
from hub_core.errors import BuildStopped, nothing_written
from hub_core.i18n import translator
from hub_core.options import read
from hub_core.render_cache import RenderCache
from pelican import signals
from pelican.contents import Static
from pelican.readers import HTMLReader, MarkdownReader, Readers, RstReader

from .lead import lead_of
from .loader import check_content
from .options import MARKDOWN_CACHE_FOLDER
from .pelican_settings import content_settings
from .reader import HubHtmlReader, HubRstReader, YamlFrontMatterReader
from .slots import MARKDOWN_CACHE, SITE_CHECK

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_content")
PREFIX = "content_model:"


# Every format Pelican reads on its own is read by ours: the metadata comes from the checked item.
OUR_READERS = ((MarkdownReader, YamlFrontMatterReader), (RstReader, HubRstReader), (HTMLReader, HubHtmlReader))


def use_our_reader(readers: Any) -> None:
    for pelican_reader, ours in OUR_READERS:
        for extension in pelican_reader.file_extensions:
            if readers.reader_classes.get(extension, pelican_reader) is not None:  # READERS may switch one off
                readers.reader_classes[extension] = ours


def check_before_build(pelican: Any) -> None:
    """Check all content before any generator reads it; stop on errors."""
    # The suffixes the build's readers really take (READERS and other plugins may add some): a file
    # read by a reader we do not know is an error, never an unchecked post.
    suffixes = tuple(f".{extension}" for extension in Readers(pelican.settings).extensions)
    settings = replace(content_settings(pelican.settings), reader_suffixes=suffixes)
    result = check_content(settings)
    problems = ProblemLog(logger, PREFIX)
    for finding in result.report.findings:
        problems.finding(finding, settings.display_root)
    state.of(pelican.settings).put(SITE_CHECK, result)
    if not result.ok:
        raise BuildStopped(f"{PREFIX} {nothing_written(result.report.summary(result.files_checked))}")
    problems.stop()


def markdown_cache_folder(settings: dict[str, Any]) -> Path | None:
    configured = read(MARKDOWN_CACHE_FOLDER, settings)
    return Path(configured) if configured else None


def start_markdown_cache(pelican: Any) -> None:
    """A fresh cache (and counts) for every run, closed when the run ends, failed or not."""
    cache = RenderCache(
        markdown_cache_folder(pelican.settings), warn=lambda message: logger.warning("%s %s", PREFIX, message)
    )
    build = state.of(pelican.settings)
    build.put(MARKDOWN_CACHE, cache)
    build.at_end(cache.close)


def save_markdown_cache(generators: Any) -> None:
    """Everything is read: store what was rendered in one transaction and say how much the cache saved."""
    cache = state.of(generators[0].settings).get(MARKDOWN_CACHE) if generators else None
    if cache is None:
        return
    enabled = cache.enabled
    cache.flush()
    cache.close()
    if enabled:
        stats = cache.stats
        line = _("Markdown cache: {hits} taken from the cache, {rendered} rendered").format(
            hits=f"{stats.hits:,}", rendered=f"{stats.rendered:,}"
        )
        if stats.uncacheable:
            line += _(", {count} not cacheable").format(count=f"{stats.uncacheable:,}")
        logger.info("%s %s", PREFIX, line)


def share_team(generator: Any) -> None:
    result = state.of(generator.settings).get(SITE_CHECK)
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
    build = state.running(content.settings)  # None for a post made outside a build
    result = build.get(SITE_CHECK) if build else None
    team = result.calendar.team if result else {}
    ids = getattr(content, "author_ids", [])
    content.team_authors = [team[i] for i in ids if i in team]
    # The lead above the body: only a summary the author wrote, and never one the body repeats.
    content.lead = lead_of(
        content.metadata.get("summary") if getattr(content, "has_lead", False) else None,
        getattr(content, "_content", "") or "",
    )


CONNECTIONS = (
    (signals.readers_init, use_our_reader),
    (signals.get_generators, check_before_build),
    (signals.get_generators, start_markdown_cache),
    (signals.all_generators_finalized, save_markdown_cache),
    (signals.generator_init, share_team),
    (signals.content_object_init, complete_content),
)


def register() -> None:
    build_log.install()  # one line per problem, no traceback unless asked, CI-readable (a `pelican` process only)
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
