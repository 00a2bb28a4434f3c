"""hub_content's HUB_* settings, declared once: name, default and what a valid value is.

Pure (no Pelican): the cross-posting channels and the theme read the sponsored label's default
from here, and pelican_settings.py reads the settings dict with these defaults.
"""

from __future__ import annotations

# What a sponsored post is labelled with, on the site and in every teaser, unless configured.
DEFAULT_SPONSORED_LABEL = "Anzeige"
