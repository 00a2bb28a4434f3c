"""Benchmarks: speed ratios of our tools against plain Pelican on the same generated content.

See bench/README.md. Importing the package puts plugins/ on sys.path (as
Pelican's PLUGIN_PATHS does for the build), so the generator can use the
content model and the review gate to write real approvals.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"

if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))
