"""hub_stats' settings: where the access logs come from, where the figures are kept, how long raw
logs may live, and what is not a reader."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hub_core.i18n import translator
from hub_core.options import (
    Derived,
    Option,
    beside_content,
    describe,
    path_or_none,
    positive_int,
    read,
    text,
    text_or_none,
    texts,
)

_, ngettext = translator("hub_stats")


def _logs(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return None
    return _("expected a folder or an S3 address such as s3://bucket/logs/, or None, found {value}").format(
        value=describe(value)
    )


# Where the web server or the CDN delivers its access logs: a folder (nginx, Apache, a synced bucket)
# or s3://bucket/prefix/ (CloudFront standard logs, S3 server access logs). The S3 endpoint and
# credentials come from the environment like invoke publish's (HUB_S3_ENDPOINT, AWS_*).
LOGS = Option(
    "HUB_STATS_LOGS",
    None,
    _logs,
    "where the access logs are delivered: a folder or `s3://bucket/prefix/`; None: `invoke stats` counts no page views",
)
# The figures are not personal data (paths, channels, hosts, counts), so they may be committed.
FIGURES = Option(
    "HUB_STATS_DIR",
    "data/stats",
    text,
    "where `invoke stats` keeps the daily figures (committed, like the ledger); relative: from the folder holding `content/`",
)
# The privacy page names this number; hub_stats checks that it does (privacy.py).
KEEP_RAW_DAYS = Option(
    "HUB_STATS_KEEP_RAW_DAYS",
    7,
    positive_int,
    "raw access logs older than this many days are deleted at every `invoke stats`, also when it fails",
)
# Requests from our own monitoring are not readers: their User-Agent contains one of these.
HEALTH_AGENTS = Option(
    "HUB_STATS_HEALTH_AGENTS",
    ("Hub-Healthcheck", "UptimeRobot", "Pingdom", "StatusCake", "kube-probe", "ELB-HealthChecker"),
    texts,
    "User-Agent parts of our own health checks and uptime monitors, never counted",
)
SITE_HOST = Option(
    "HUB_STATS_SITE_HOST",
    None,
    text_or_none,
    "our own host for referrers (None: SITEURL's host); a visit from our own pages is not a referrer",
)
REPORTS = Option(
    "HUB_STATS_REPORTS",
    "reports",
    text,
    "where `invoke report` writes the monthly report (HTML, PDF, CSV; git-ignored); relative: from the folder holding `content/`",
)

# Compiling the KPI section's templates costs a development build more than filling them.
TEMPLATE_CACHE = Option(
    "HUB_STATS_TEMPLATE_CACHE",
    Derived("`CACHE_PATH/hub-stats`", lambda s: os.path.join(s.get("CACHE_PATH", "cache"), "hub-stats")),
    path_or_none,
    'the compiled templates of the dashboard\'s KPI section; `""` compiles them in every build',
)

OPTIONS = (LOGS, FIGURES, KEEP_RAW_DAYS, HEALTH_AGENTS, SITE_HOST, REPORTS, TEMPLATE_CACHE)


def figures_folder(settings: Mapping[str, Any]) -> Path:
    """HUB_STATS_DIR; a relative path counts from the folder holding content/, like the ledger."""
    return beside_content(settings, read(FIGURES, settings) or FIGURES.default)


def template_cache_folder(settings: Mapping[str, Any]) -> Path | None:
    """HUB_STATS_TEMPLATE_CACHE; None (or "") keeps no compiled templates."""
    configured = read(TEMPLATE_CACHE, settings)
    return Path(configured) if configured else None
