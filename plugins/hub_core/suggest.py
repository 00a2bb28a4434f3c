"""'Did you mean' hints for typos in keys and ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .i18n import translator

_, ngettext = translator("hub_core")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' in the reader's language, to append to a message; '' if nothing is close."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return " (" + _("did you mean '{choice}'?").format(choice=matches[0]) + ")" if matches else ""


def likely_typo(word: str, choices: Iterable[str]) -> str | None:
    """The known word `word` is almost certainly a misspelling of (catgory, tag), or None.

    Stricter than `did_you_mean`: a key of its own that merely resembles a known one (subtitle,
    title) is no typo.
    """
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=TYPO_CUTOFF)
    return matches[0] if matches else None


# difflib's ratio: catgory/category 0.93, tag/tags 0.86, subtitle/title 0.77.
TYPO_CUTOFF = 0.85
