"""The sponsored label's default, declared once for every plugin that shows it.

A paid post says so on the site, in feeds, social cards, search results, structured data and
every teaser. HUB_SPONSORED_LABEL (hub_content's setting) changes it; a post's `sponsored.label`
overrides both. In hub_core, not hub_content, because hub_images and hub_search must work on
other Pelican sites, importing nothing of Hub but hub_core.
"""

from __future__ import annotations

from .options import Option, text

DEFAULT_SPONSORED_LABEL = "Anzeige"
# Listed in hub_content's OPTIONS (its owner); declared here so that every plugin reads one default.
SPONSORED_LABEL = Option(
    "HUB_SPONSORED_LABEL", DEFAULT_SPONSORED_LABEL, text, "label of sponsored content (per post: `sponsored.label`)"
)
