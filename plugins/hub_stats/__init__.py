"""stats: what each post and channel achieved, counted without tracking.

Readers are counted from the web server's or CDN's access logs (`invoke stats`), never in their
browser: no cookie, no script, no third-party request. Each log line is read, judged (a person reading
a page, a feed reader, a bot, a prefetch, our own health check) and added to the figures of its day;
then it is gone. The figures (model.DayFigures) hold paths, channel names, referring hosts and counts,
nothing about a reader: no IP address, no User-Agent string. They live as small JSON files in
`data/stats/` (store.py), which CI commits like the cross-posting ledger. Raw logs older than
HUB_STATS_KEEP_RAW_DAYS are deleted at every run, also when the run fails.

Platform figures (replies, reposts, likes of each teaser) are fetched per day with the clients of
hub_crosspost and hub_inbox.listen. The KPIs (compute.py) and the monthly report (`invoke report`) are
computed from these files, the posts, the editorial calendar and, when it exists, the comment inbox.

Settings: options.py. The calendar's `kpi:` section: calendar_sections.py.

As a Pelican plugin (register() below), hub_stats holds the privacy page against the settings in
every build where HUB_STATS_LOGS is set (check `stats-privacy-notice`, the rule in privacy.py): the
page names the counting and the days the raw logs live. Where the build writes the editors'
dashboard (HUB_DASHBOARD_SAVE_AS), it adds the KPI section of the last weeks (dashboard.py) from
the figures and the review gate's result, which hub_review places in the page.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from hub_content.fields import CHECKS
from hub_content.slots import SITE_CHECK
from hub_core import build_tracking, state
from hub_core.build_log import ProblemLog
from hub_core.errors import BuildStopped, nothing_written
from hub_core.findings import Finding, Report
from hub_core.options import read
from hub_dialogue.options import PRIVACY_PAGE
from hub_review.options import DASHBOARD_SAVE_AS
from hub_review.slots import KPI_SECTION, REVIEW, KpiSection
from pelican import signals

from .options import KEEP_RAW_DAYS, LOGS, template_cache_folder
from .privacy import CHECK, missing_page, privacy_notice_problems, privacy_page

logger = logging.getLogger(__name__)
PREFIX = "stats:"


def check_privacy_page(pelican: Any) -> None:
    """Counting from the logs: the privacy page must say so, with the raw logs' days (before anything is built)."""
    settings = pelican.settings
    if read(LOGS, settings) is None:
        return
    site_check = state.of(settings).need(SITE_CHECK, PREFIX)
    checked = site_check.settings
    slug = read(PRIVACY_PAGE, settings)  # the one slug of the privacy page (the comment form links it too)
    page = privacy_page(site_check.items.values(), slug, checked.slugify, checked.default_lang)
    level = CHECKS[CHECK][0]
    if page is None:
        pages = checked.content_root / (checked.page_paths[0] if checked.page_paths else "")
        findings = [Finding(checked.display(pages), 0, "", missing_page(slug), CHECK, level)]
    else:
        text = page.source.read_text(encoding="utf-8")
        problems = privacy_notice_problems(text, read(KEEP_RAW_DAYS, settings))
        findings = [Finding(page.path, problem.line, "", problem.message, CHECK, level) for problem in problems]
    report = Report(findings).apply_levels(checked.levels, strict=checked.strict)
    log = ProblemLog(logger, PREFIX)
    for finding in report.findings:
        log.finding(finding, checked.display_root)
    if report.errors:
        raise BuildStopped(f"{PREFIX} {nothing_written(report.summary(1))}")
    log.stop()


def add_kpi_section(generator: Any) -> None:
    """The dashboard's KPI section, made before hub_review writes the dashboard at `finalized`; with
    no dashboard (production) nothing is read or computed."""
    settings = generator.settings
    build = state.of(settings)
    review = build.get(REVIEW)
    if review is None or not read(DASHBOARD_SAVE_AS, settings):
        build.put(KPI_SECTION, KpiSection(""))
        return
    from .dashboard import recent_weeks, start_section, use_template_cache  # only where a dashboard is written

    use_template_cache(template_cache_folder(settings))
    gate = review.result
    weeks = recent_weeks(gate.now.astimezone(gate.calendar.timezone).date())
    section = start_section(settings, weeks, review.content)
    if section is None:  # there are figures: the KPIs, the charts and the tables are needed
        from .dashboard_figures import kpi_section

        section, warnings = kpi_section(settings, weeks, gate, review.content, os.environ)
        for warning in warnings:
            logger.warning("%s %s", PREFIX, warning)
    build.put(KPI_SECTION, section)


CONNECTIONS = (
    (signals.get_generators, check_privacy_page),
    (signals.article_generator_finalized, add_kpi_section),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
