"""Run the gate over a checked site: the one entry point for the build and the invoke tasks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from hub_content.loader import ContentSettings, SiteCheck, check_content
from hub_content.site import effective_slug
from hub_core.batch import paused_gc
from hub_core.findings import Report

from .calendar_sections import APPROVAL
from .fingerprint import file_digest
from .gate import GateResult, Post, evaluate
from .gitproof import unproven_approvals


def gate_posts(site_check: SiteCheck, settings: ContentSettings) -> list[Post]:
    posts = []
    for source, item in site_check.items.items():
        if item.kind != "article":
            continue  # pages (Impressum, …) are not part of the editorial flow
        slug = effective_slug(item, settings.slugify) or source.stem
        posts.append(Post(item, site_check.documents[source].body, slug))
    return posts


def run_gate(
    site_check: SiteCheck, settings: ContentSettings, now: datetime, environ: Mapping[str, str]
) -> tuple[GateResult, Report]:
    """Review all posts; the report has the configured levels (HUB_CHECKS, strict) applied."""
    posts = gate_posts(site_check, settings)
    calendar = site_check.calendar
    proofs = None
    if calendar.section(APPROVAL).git_proof:
        proofs = unproven_approvals(
            [p.item for p in posts],
            calendar,
            repo=settings.content_root,
            verify_signatures=calendar.section(APPROVAL).verify_signatures,
        )
    with paused_gc():
        result = evaluate(
            posts, calendar, now, digest=file_digest(settings.content_root), environ=environ, proofs=proofs
        )
    report = Report(result.findings).apply_levels(settings.levels, strict=settings.strict)
    return result, report


def judge_site(
    settings: ContentSettings, clock: Callable[[ZoneInfo], datetime], environ: Mapping[str, str]
) -> tuple[SiteCheck, GateResult, Report]:
    """Everything a build decides before it renders: the content checks, then the gate, with the same
    settings and levels. `invoke check`, `invoke review` and the build all come here, so "check green,
    build red" cannot happen. Every finding at once: the gate runs even where the content has errors
    (the build stops at those first; the author sees the rest now instead of one round later)."""
    site_check = check_content(settings)
    now = clock(site_check.calendar.timezone)  # "now" in the calendar's zone, which only the calendar knows
    result, gate_report = run_gate(site_check, settings, now, environ)
    content_findings = sorted(site_check.report.findings, key=lambda f: (f.path, f.line))
    return site_check, result, Report(content_findings + gate_report.findings)


__all__ = ["gate_posts", "judge_site", "run_gate"]
