"""hub_fast_clean's setting: build beside the output and swap it in, or write in place."""

from __future__ import annotations

from hub_core.options import Option, boolean

STAGED_OUTPUT = Option(
    "HUB_STAGED_OUTPUT",
    True,
    boolean,
    "build beside `output/` and replace it only on success; `False` writes in place",
)

OPTIONS = (STAGED_OUTPUT,)
