"""review_gate: the editorial calendar, cadence and four-eyes approval, enforced in every build.

Runs after hub_content's check. In production (HUB_REVIEW_HOLD = True) every
post that is not published now (not approved, frozen, scheduled, in review,
draft) is taken out of the build before listings, feeds or pages are made, so
it appears nowhere in the output. In development such posts render with a
banner saying why they would not go live.

Settings (pelicanconf.py / publishconf.py): options.py (HUB_REVIEW_HOLD, HUB_DASHBOARD_SAVE_AS,
HUB_UID_DOMAIN).
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from hub_content.slots import SITE_CHECK
from hub_core import build_tracking, state
from hub_core.build_log import ProblemLog
from hub_core.errors import BuildStopped
from hub_core.findings import Level
from hub_core.i18n import translator
from hub_core.options import read
from pelican import signals
from pelican.utils import order_content

from .approval import proof_notice
from .banner import banner_text
from .freeze import CrisisSettingError
from .options import DASHBOARD_SAVE_AS, REVIEW_HOLD, UID_DOMAIN
from .runner import run_gate
from .slots import KPI_SECTION, OVERDUE_COMMENTS, REVIEW, Review

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_review")
PREFIX = "review_gate:"
ARTICLE_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations")
# Findings shown one by one in the build log even when they are warnings: what is held back.
BUILD_LOG_CHECKS = ("held-back",)


def review_before_build(generator: Any) -> None:
    """Judge every post once, before the articles are read; stop on errors."""
    settings = generator.settings
    build = state.of(settings)
    site_check = build.need(SITE_CHECK, PREFIX)
    checked = site_check.settings
    zone = site_check.calendar.timezone
    try:
        result, report = run_gate(site_check, checked, datetime.now(zone), os.environ)
    except CrisisSettingError as error:
        raise BuildStopped(f"{PREFIX} {error}") from None
    hold = read(REVIEW_HOLD, settings)
    notice = proof_notice(site_check.calendar) if hold else None
    if notice:
        logger.warning("%s %s", PREFIX, notice)
    quiet = 0
    problems = ProblemLog(logger, PREFIX)  # every error shown, even under --fatal
    for finding in report.findings:
        if finding.level is Level.ERROR or (hold and finding.check in BUILD_LOG_CHECKS):
            problems.finding(finding, checked.display_root)
        else:
            quiet += 1
    if quiet:
        more = ngettext(
            "{count} more warning about cadence and plan: run 'invoke review'",
            "{count} more warnings about cadence and plan: run 'invoke review'",
            quiet,
        )
        logger.info("%s %s", PREFIX, more.format(count=quiet))
    if report.errors:
        count = len(report.errors)
        stopped = ngettext("{count} error; nothing was written", "{count} errors; nothing was written", count)
        raise BuildStopped(f"{PREFIX} {stopped.format(count=count)}")
    problems.stop()
    build.put(REVIEW, Review(result, report, checked))
    if hold:
        withheld = len(result.withheld_sources())
        published = len(result.posts) - withheld
        counted = ngettext(
            "{count} post published, {withheld} not (yet): left out of every output",
            "{count} posts published, {withheld} not (yet): left out of every output",
            published,
        )
        logger.info("%s %s", PREFIX, counted.format(count=published, withheld=withheld))


def release_due_posts(generator: Any, result: Any) -> None:
    """A post the gate publishes now goes live even if Pelican still holds it as a draft.

    Pelican decides "future date → draft" when it first reads a file, and its content
    cache keeps that decision: without this, a scheduled post read from the cache would
    stay a draft after its date had come (the scheduled post that never goes live).
    """
    for drafts, published in (("drafts", "articles"), ("drafts_translations", "translations")):
        due = [a for a in getattr(generator, drafts, []) if _goes_out(result, a)]
        if not due:
            continue
        for article in due:
            article.status = "published"
        setattr(generator, drafts, [a for a in getattr(generator, drafts) if a not in due])
        merged = list(getattr(generator, published)) + due
        setattr(generator, published, order_content(merged, order_by=generator.settings["ARTICLE_ORDER_BY"]))


def _goes_out(result: Any, article: Any) -> bool:
    review = result.by_source.get(Path(article.source_path))
    return review is not None and review.goes_out and getattr(article, "editorial_status", "published") == "published"


def leave_out_withheld(generator: Any) -> None:
    """Production: keep only what the gate judged published, before taxonomies, feeds and pages are made.

    What is kept is what the gate let out, not everything it held back: a post the gate never saw
    (read by a reader or from a folder the check missed) must stop the build, not go live unjudged.
    """
    review = state.of(generator.settings).get(REVIEW)
    if review is None:
        return
    result = review.result
    release_due_posts(generator, result)
    if not read(REVIEW_HOLD, generator.settings):
        return
    unjudged = sorted(
        {
            article.source_path
            for name in ARTICLE_LISTS
            for article in getattr(generator, name, None) or ()
            if Path(article.source_path) not in result.by_source
        }
    )
    if unjudged:
        never_saw = _("expected a post the review gate has judged, found one it never saw")
        for source in unjudged:
            logger.error("%s %s: %s", PREFIX, source, never_saw)
        stopped = ngettext(
            "{count} post not judged by the review gate; nothing was written",
            "{count} posts not judged by the review gate; nothing was written",
            len(unjudged),
        )
        raise BuildStopped(f"{PREFIX} {stopped.format(count=len(unjudged))}")
    published = {str(path) for path in result.published_sources()}
    for name in ARTICLE_LISTS:
        items = getattr(generator, name, None)
        if items is not None:
            setattr(generator, name, [a for a in items if a.source_path in published])
    # A published post must not link to a withheld translation.
    for article in generator.articles + generator.translations:
        article.translations = [t for t in article.translations if t.source_path in published]


def attach_review(content: Any) -> None:
    """Give the theme each post's review state and, where the gate knows why it is held, the banner's text."""
    build = state.running(content.settings)  # None for a post made outside a build
    gate = build.get(REVIEW) if build else None
    if gate is None or not hasattr(content, "source_path"):
        return
    review = gate.result.by_source.get(Path(content.source_path))
    if review is not None:
        content.review_state = review.state.value
        content.review_note = review.note
        content.review_banner = banner_text(review, gate.result.calendar)


def write_dashboard(pelican: Any) -> None:
    """The editors' dashboard in the output (development; production only if asked)."""
    folder = read(DASHBOARD_SAVE_AS, pelican.settings)
    review = state.of(pelican.settings).get(REVIEW)
    if not folder or review is None:
        return
    from .outputs import write_editorial_outputs  # icalendar is heavy: only load it when writing

    write_editorial_outputs(
        review.result,
        Path(pelican.output_path) / folder,
        site_name=pelican.settings.get("SITENAME", ""),
        uid_domain=read(UID_DOMAIN, pelican.settings) or "localhost",
        findings=review.report.findings,
        deadlines=state.of(pelican.settings).get(OVERDUE_COMMENTS),
        kpi=state.of(pelican.settings).get(KPI_SECTION),
    )


CONNECTIONS = (
    (signals.article_generator_init, review_before_build),
    (signals.article_generator_pretaxonomy, leave_out_withheld),
    (signals.content_object_init, attach_review),
    (signals.finalized, write_dashboard),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
