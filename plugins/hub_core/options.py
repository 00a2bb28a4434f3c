"""A HUB_* setting declared once: its name, its default, what a valid value is, and a line for the README.

Each plugin declares the settings it reads in its own `hub_<name>/options.py`, as `OPTIONS`, and
reads them with `read`, so a default exists in one place. `problems` judges a settings dict against
the declarations: every wrong value at once, one line each (the build stops before it starts,
`invoke check` exits 2). `warnings` names what may go on: a HUB_* key nobody declared (a typo must
not pass silently: the closest known setting is named) and what a declaration warns about.
hub_core/settings_check.py finds the plugins' declarations and runs both.

Pure: plain values in, messages out. A check is a plain function from the value to None (fine) or
what is wrong, as "expected ..., found ...", without the setting's name (`problems` puts it in front
unless the message already starts with it, as the messages of HUB_FEEDS' and HUB_CHECKS' own
validators do; such a validator may return several lines, one per problem). Messages are in the
reader's language (hub_core.i18n); `doc`, for the README's table, is developer documentation and
stays English.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .i18n import LazyText, lazy_text, translator
from .suggest import did_you_mean

_, ngettext = translator("hub_core")

PREFIX = "HUB_"

Check = Callable[[Any], "str | None"]


def no_warnings(value: Any) -> Sequence[str]:
    return ()


@dataclass(frozen=True)
class Derived:
    """A default computed from other settings, such as a cache folder inside CACHE_PATH."""

    shown: str  # how the README shows it
    compute: Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Option:
    """One HUB_* setting: set in pelicanconf.py/publishconf.py, read through `read`."""

    name: str
    default: Any  # a plain value, or Derived
    check: Check
    doc: str  # one line for the README's table
    # What is allowed but probably not meant (a key of HUB_FEEDS it ignores): logged, the build goes on.
    warnings: Callable[[Any], Sequence[str]] = no_warnings

    def shown_default(self) -> str:
        return self.default.shown if isinstance(self.default, Derived) else repr(self.default)


def read(option: Option, settings: Mapping[str, Any]) -> Any:
    """The setting as configured, or its declared default."""
    if option.name in settings:
        return settings[option.name]
    return option.default.compute(settings) if isinstance(option.default, Derived) else option.default


def beside_content(settings: Mapping[str, Any], configured: str | os.PathLike[str]) -> Path:
    """A path setting as the project means it: a relative one counts from the folder holding
    content/ (PATH's parent), like HUB_CALENDAR, so it names the same file from any working folder."""
    path = Path(configured)
    return path if path.is_absolute() else Path(settings["PATH"]).parent / path


def problems(declarations: Iterable[Option], settings: Mapping[str, Any]) -> list[str]:
    """Every configured value its declaration refuses, one line per problem (a default is not judged)."""
    found = []
    for option in declarations:
        if option.name in settings:
            found += _named(option.name, (option.check(settings[option.name]) or "").splitlines())
    return found


def warnings(declarations: Iterable[Option], settings: Mapping[str, Any], known: Iterable[str] = ()) -> list[str]:
    """What the declarations warn about (the build goes on), then every HUB_* key that neither they
    nor `known` name, with the closest known name: a typo must not pass silently."""
    options = list(declarations)
    found = []
    for option in options:
        if option.name in settings:
            found += _named(option.name, option.warnings(settings[option.name]))
    names = {option.name for option in options} | set(known)
    found += [
        _("{key}: not a Hub setting, ignored{did_you_mean}").format(key=key, did_you_mean=did_you_mean(key, names))
        for key in sorted(settings)
        if key.startswith(PREFIX) and key not in names
    ]
    return found


def _named(name: str, messages: Iterable[str]) -> list[str]:
    """A message names its setting first; one that already does (HUB_FEEDS['tag']: ...) is left as it is."""
    return [message if message.startswith(name) else f"{name}: {message}" for message in messages if message]


def describe(value: object) -> str:
    return _("nothing (None)") if value is None else f"{type(value).__name__} {value!r}"


# Reusable checks


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else _("expected True or False, found {found}").format(found=describe(value))


def positive_int(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return None
    return _("expected a whole number of at least 1, found {found}").format(found=describe(value))


def positive_number(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return None
    return _("expected a number of seconds above 0, found {found}").format(found=describe(value))


def text(value: Any) -> str | None:
    return None if isinstance(value, str) else _("expected text, found {found}").format(found=describe(value))


def text_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return None
    return _("expected text or None, found {found}").format(found=describe(value))


def texts(value: Any) -> str | None:
    """A tuple or list of text (a single string is refused: it would be read letter by letter)."""
    if isinstance(value, (tuple, list)) and all(isinstance(item, str) for item in value):
        return None
    return _("expected a list of text such as ('a', 'b'), found {found}").format(found=describe(value))


def mapping(value: Any) -> str | None:
    return None if isinstance(value, Mapping) else _("expected a dict, found {found}").format(found=describe(value))


def path_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, (str, os.PathLike)):
        return None
    return _("expected a path or None, found {found}").format(found=describe(value))


def one_of(*choices: object) -> Check:
    def check(value: Any) -> str | None:
        if value in choices:
            return None
        return _("expected one of {choices}{did_you_mean}, found {found}").format(
            choices=", ".join(map(repr, choices)),
            did_you_mean=did_you_mean(str(value), map(str, choices)),
            found=describe(value),
        )

    return check


def each(check: Check, of: LazyText) -> Check:
    """A non-empty list whose every item passes `check` (`of`: the items, in words, for the message)."""

    def check_all(value: Any) -> str | None:
        if isinstance(value, (tuple, list)) and value and all(check(item) is None for item in value):
            return None
        return _("expected a non-empty list of {items}, found {found}").format(
            items=lazy_text(of, _), found=describe(value)
        )

    return check_all
