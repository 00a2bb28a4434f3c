"""hub_redirects' setting: where the record of published addresses lives."""

from __future__ import annotations

from hub_core.options import Option, path_or_none

URL_RECORD = Option(
    "HUB_URL_RECORD",
    "data/published-urls.yaml",
    path_or_none,
    "the record of every address posts and pages were public under (commit it); relative: from the folder "
    "holding `content/`; None: no redirects",
)

OPTIONS = (URL_RECORD,)
