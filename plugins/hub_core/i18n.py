"""Messages in the user's language: German by default, English on request.

Every text a person reads (a finding, a task's output, the review table, the dashboard, the .ics
descriptions) is written in the code in English and looked up in a gettext catalogue at the moment
it is shown. Each part owns its catalogue, beside its code:
`plugins/<package>/locale/de/LC_MESSAGES/<package>.po` (what a translator edits) and the compiled
`.mo` next to it (what gettext reads). English needs no catalogue: the message ids are English.
`make messages` extracts the ids with Babel, merges them into every `.po` and compiles the `.mo`;
tests/site/test_messages.py fails when a message has no German translation, when a translation
lost or invented a `{placeholder}`, or when a `.mo` is older than its `.po`.

How a module uses it:

    from hub_core.i18n import N_, translator

    _, ngettext = translator("hub_review")
    ...
    message = _("due {date} has passed: no post was written").format(date=due)

`_` looks the language up on every call, so a module may be imported before the language is known.
A text that must be defined at import (a table of messages) is marked with `N_` and passed through
`_` where it is shown. Check ids (`gap-ahead`, `self-approval`), JSON keys and log prefixes stay
English and stable: they are what HUB_CHECKS, scripts and CI read.

The language is chosen once per process: `use_language_of(settings)` (HUB_LANG, else the site's
DEFAULT_LANG, else German), called when a build starts and when a task has read the settings.
Processes started from there (check workers, `pelican` under `invoke`) inherit it through the
environment variable HUB_LANG, which also lets a person override the settings for one command.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("de", "en")
DEFAULT = "de"
# What a process was told (the settings, or its parent); the environment wins so that
# `HUB_LANG=en invoke review` is English whatever the settings say.
ENVIRONMENT = "HUB_LANG"
SOURCE_LANGUAGE = "en"  # the language of the message ids

_chosen: str | None = None
# What this process itself put into the environment: that value is passed on to the processes it
# starts, but it is not a person's override for the next build this process runs with other settings.
_passed_on: str | None = None
# HUB_LANG as this process found it set from outside (a person, or the parent process): kept once seen,
# because from then on the environment holds what this process passed on.
_from_outside: str | None = None


def supported(code: object) -> str | None:
    """The language we have messages for that `code` names (`de`, `de_DE`, `de-AT` → `de`), or None."""
    if not isinstance(code, str):
        return None
    base = code.strip().replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else None


def language_of(settings: Mapping[str, Any]) -> str:
    """HUB_LANG, else DEFAULT_LANG, else German; a language we have no messages for counts as unset."""
    for key in ("HUB_LANG", "DEFAULT_LANG"):
        found = supported(settings.get(key))
        if found:
            return found
    return DEFAULT


def use_language(code: str) -> None:
    """From now on, in this process and the ones it starts, messages are in `code`."""
    global _chosen, _passed_on
    found = supported(code) or DEFAULT
    _chosen = _passed_on = found
    os.environ[ENVIRONMENT] = found


def use_language_of(settings: Mapping[str, Any]) -> str:
    """Choose the language from the settings unless a person set HUB_LANG in the environment; return it.

    HUB_LANG inherited from a parent process counts as set (the parent chose from the same settings,
    or a person chose); the value this process put there itself for an earlier choice does not.
    """
    global _from_outside
    environment = os.environ.get(ENVIRONMENT)
    if environment is not None and environment != _passed_on:
        _from_outside = supported(environment)
    use_language(_from_outside or language_of(settings))
    return language()


def language() -> str:
    """The language messages are shown in now."""
    if _chosen is not None:
        return _chosen
    return supported(os.environ.get(ENVIRONMENT)) or DEFAULT


def N_(message: str) -> str:
    """Marks a text for the catalogue without translating it (it is translated where it is shown)."""
    return message


def locale_folder(package: str) -> Path:
    """Where a package keeps its catalogues: `locale/` beside its `__init__.py`."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"{package} is not a package")
    return Path(next(iter(spec.submodule_search_locations))) / "locale"


@cache
def _translations(folder: str, domain: str, code: str) -> gettext.NullTranslations:
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    # fallback: a missing catalogue shows the English id (the tests make sure none is missing)
    return gettext.translation(domain, localedir=folder, languages=[code], fallback=True)


Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def translator_at(folder: Path, domain: str) -> tuple[Gettext, Ngettext]:
    """`_` and `ngettext` for the catalogues of `domain` in `folder`, in the language of the moment."""
    where = str(folder)

    def _(message: str) -> str:
        return _translations(where, domain, language()).gettext(message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return _translations(where, domain, language()).ngettext(singular, plural, count)

    return _, ngettext


# A text another package declares at import time and hands to hub_core (a schema field's message,
# what a setting's items are): a function such as `lambda: _("...")` with that package's `_`, called
# when the message is made, so it speaks the language chosen later; or plain text, looked up in the
# catalogue of the code that shows it (its own N_-marked texts) and else shown as it is.
LazyText = str | Callable[[], str]


def lazy_text(text: LazyText, gettext: Gettext) -> str:
    """`text` (see LazyText) in the language of the moment; `gettext` is the showing package's `_`."""
    if callable(text):
        return text()
    return gettext(text) if text else text  # gettext("") would be the catalogue's header


def translator(package: str) -> tuple[Gettext, Ngettext]:
    """`_` and `ngettext` for a package's own catalogue (`plugins/<package>/locale`)."""
    return translator_at(locale_folder(package), package)
