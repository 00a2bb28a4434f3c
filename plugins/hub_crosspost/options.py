"""hub_crosspost's setting: the ledger file. Platform credentials are environment variables named in
each channel's section of editorial_calendar.yaml, never settings."""

from __future__ import annotations

import os
from typing import Any

from hub_core.i18n import translator
from hub_core.options import Option

_, ngettext = translator("hub_crosspost")


def _ledger_path(value: Any) -> str | None:
    if value is None or isinstance(value, str | os.PathLike):
        return None
    return _("expected the path of the ledger file, found {value}").format(value=repr(value))


CROSSPOST_LEDGER = Option(
    "HUB_CROSSPOST_LEDGER",
    "data/crosspost-ledger.jsonl",
    _ledger_path,
    "the ledger `invoke crosspost` and `invoke publish` keep; relative: from the folder holding `content/`",
)

OPTIONS = (CROSSPOST_LEDGER,)
