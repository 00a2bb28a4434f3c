"""hub_review's settings: holding back what is not published now, the editors' dashboard, the UID domain.

HUB_CRISIS_STOP, HUB_CRISIS_SINCE and HUB_CRISIS_ALLOW are environment variables (freeze.py), not
settings: a crisis stop is declared by whoever runs the build, without a commit.
"""

from __future__ import annotations

from hub_core.options import Option, boolean, text, text_or_none

REVIEW_HOLD = Option(
    "HUB_REVIEW_HOLD",
    False,
    boolean,
    "leave every post that is not published now out of every output (`True` in `publishconf.py`)",
)
DASHBOARD_SAVE_AS = Option(
    "HUB_DASHBOARD_SAVE_AS",
    "",
    text,
    'where builds write the editors\' dashboard and `.ics`; `""` for none (`pelicanconf.py`: `"redaktion/"`)',
)
UID_DOMAIN = Option(
    "HUB_UID_DOMAIN",
    None,
    text_or_none,
    "stable domain for calendar UIDs and feed entry ids (None: `localhost`, feeds: SITEURL's host); never change it once people subscribed",
)

OPTIONS = (REVIEW_HOLD, DASHBOARD_SAVE_AS, UID_DOMAIN)
