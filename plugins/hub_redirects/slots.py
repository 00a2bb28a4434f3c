"""What hub_redirects hands on during a build (see hub_core/state.py)."""

from __future__ import annotations

from hub_core.state import Slot

from .plan import RedirectPlan

# Filled at all_generators_finalized (the addresses are final), written at finalized (after Pelican
# emptied and filled the output).
REDIRECTS: Slot[RedirectPlan] = Slot("redirects", "hub_redirects", "the redirects from old addresses")
