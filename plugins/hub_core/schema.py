"""Declared YAML maps: each section of a file lists its fields once, one walk reports every problem.

In the spirit of MkDocs' config options, without their metaprogramming: a section is a tuple of
`Field(name, read, default, required)`; `read_map` walks a located map (hub_core.yamlsource) and
returns the values read plus a Finding, with its line, for each unknown key (with a 'did you
mean'), each missing required key and each bad value, all at once. A `read` function takes the
entry and returns the value, or raises `Invalid` with an "expected …, found …" message.
Rules between fields (a 'to' after its 'from') stay with the section that owns them.

Messages are in the reader's language (hub_core.i18n): a `read` function translates its own when it
raises; a text declared at import time (a field's message for a missing key, what `matching`
expects) is an i18n.LazyText.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast
from zoneinfo import ZoneInfo

from . import yaml_hints
from .findings import Finding
from .i18n import N_, LazyText, lazy_text, translator
from .suggest import did_you_mean
from .yamlsource import Entry, describe, pointing_at

_, ngettext = translator("hub_core")

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
CHECK = "calendar"  # the check of a bad value unless `Invalid` names another
MISSING = N_("expected a value, found the key missing")


class Invalid(ValueError):
    """A value its field cannot take: `message` says what was expected and what was found."""

    def __init__(self, message: str, check: str = CHECK, *, at: Entry | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.check = check
        self.at = at  # the value to show marked under the finding (a YAML mistake explained), if any


@dataclass(frozen=True)
class Field(Generic[T]):
    name: str
    read: Callable[[Entry], T]
    default: T
    required: bool = False
    missing: LazyText = MISSING  # the message when a required key is missing


@dataclass
class Values:
    """What `read_map` read: a field's value if it was given and valid, else its default."""

    given: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: Field[T]) -> T:
        return cast(T, self.given[key.name]) if key.name in self.given else key.default

    def __contains__(self, key: Field[Any]) -> bool:
        return key.name in self.given


@dataclass
class MapReading:
    values: Values
    findings: list[Finding]
    is_map: bool

    @property
    def ok(self) -> bool:
        """No value was refused and no required key is missing (unknown keys are only warned about)."""
        return self.is_map and all(f.check == "unknown-key" for f in self.findings)


def read_map(
    entry: Entry,
    where: str,
    fields: Sequence[Field[Any]],
    *,
    path: str,
    what: str,
    unknown: str = "",
    refused: Mapping[str, str] | None = None,
) -> MapReading:
    """Read the map `entry` (named `where` in messages: 'cadence', 'plan[2]') by its `fields`.

    `what` completes "expected a map with …"; `unknown` adds to the unknown-key message (" for a
    mastodon channel"); `refused` names keys that are errors, not typos, with the message saying
    why (a channel's 'token': secrets belong in the environment).
    """
    values = Values()
    findings: list[Finding] = []

    def problem(at: Entry, name: str, message: str, check: str = CHECK) -> None:
        findings.append(Finding(path, at.line, f"{where}.{name}" if name else where, message, check))

    if not isinstance(entry.value, dict):
        problem(entry, "", _("expected a map with {what}, found {found}").format(what=what, found=describe(entry)))
        return MapReading(values, findings, is_map=False)
    known = tuple(f.name for f in fields)
    refused = refused or {}
    for key, child in entry.children.items():
        if key in refused:
            problem(child, key, refused[key])
        elif key not in known:
            problem(
                child,
                key,
                _("unknown key{did_you_mean}{unknown}; known keys: {known}").format(
                    did_you_mean=did_you_mean(key, known), unknown=unknown, known=", ".join(known)
                ),
                "unknown-key",
            )
    for declared in fields:
        value, problems = read_one(entry, where, declared, path=path)
        findings.extend(problems)
        if declared.name in entry.children and not problems:
            values.given[declared.name] = value
    return MapReading(values, findings, is_map=True)


def read_one(entry: Entry, where: str, declared: Field[T], *, path: str) -> tuple[T | None, list[Finding]]:
    """One field of the map `entry`, read alone: the one that decides which fields the map may
    have (a channel's type). None with a finding if it is missing and required or bad; None
    alone if it is missing and optional."""
    name = f"{where}.{declared.name}"
    given = entry.children.get(declared.name)
    if given is None:
        return None, [
            Finding(path, entry.line, name, lazy_text(declared.missing, _), CHECK)
        ] if declared.required else []
    try:
        return declared.read(given), []
    except Invalid as error:
        finding = Finding(path, given.line, name, error.message, error.check)
        return None, [pointing_at(finding, error.at) if error.at is not None else finding]


# Readers most sections need; each raises Invalid with the message the calendar has always given.


AT_LEAST = N_("expected a whole number of at least {minimum}, found {found}")


def count(minimum: int = 0) -> Callable[[Entry], int]:
    def read(entry: Entry) -> int:
        value = entry.value
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(_(AT_LEAST).format(minimum=minimum, found=describe(entry)))
        if value < minimum:
            raise Invalid(_(AT_LEAST).format(minimum=minimum, found=value))
        return value

    return read


def flag(entry: Entry) -> bool:
    if isinstance(entry.value, bool):
        return entry.value
    if entry.spot is not None and isinstance(entry.value, str):
        explained = yaml_hints.yes_no_words(entry.spot, entry.value)  # `ja`, `nein`
        if explained is not None:
            raise Invalid(explained, at=entry)
    raise Invalid(_("expected true or false, found {found}").format(found=describe(entry)))


def text(entry: Entry) -> str:
    if isinstance(entry.value, str) and entry.value.strip():
        return entry.value.strip()
    if entry.spot is not None and entry.is_plain_scalar and entry.value is not None:
        explained = yaml_hints.text_trap(entry.spot, entry.raw or "", entry.value)  # `no` read as false
        if explained is not None:
            raise Invalid(explained, at=entry)
    raise Invalid(_("expected text, found {found}").format(found=describe(entry)))


def maybe_text(entry: Entry) -> str:
    """Text, or '' for a key left empty ('email:')."""
    return "" if entry.value is None else text(entry)


def raw(entry: Entry) -> Entry:
    """The entry itself, for a field its section reads later: it needs other fields or the time zone."""
    return entry


def matching(
    pattern: re.Pattern[str], expected: LazyText, read: Callable[[Entry], str] = text
) -> Callable[[Entry], str]:
    """Text (as `read` gives it) that matches `pattern`; '' passes, for keys left empty.
    `expected` completes "expected …, found '<value>'"."""

    def check(entry: Entry) -> str:
        value = read(entry)
        if value and not pattern.match(value):
            raise Invalid(
                _("expected {expected}, found '{value}'").format(expected=lazy_text(expected, _), value=value)
            )
        return value

    return check


def one_of(choices: Sequence[str], *, hint: bool = True) -> Callable[[Entry], str]:
    """One of `choices`, as text; with a 'did you mean' unless `hint` is off."""

    def check(entry: Entry) -> str:
        value = text(entry)
        if value not in choices:
            suggestion = did_you_mean(value, choices) if hint else ""
            raise Invalid(
                _("expected one of {choices}{did_you_mean}, found '{value}'").format(
                    choices=", ".join(choices), did_you_mean=suggestion, value=value
                )
            )
        return value

    return check


def any_of(choices: Sequence[str]) -> Callable[[Entry], frozenset[str]]:
    """Some of `choices`: a list, or one of them alone; every value not among them is named."""

    def check(entry: Entry) -> frozenset[str]:
        values = listed(entry)
        wrong = [value for value in values if value not in choices]
        if wrong:
            raise Invalid(
                _("expected any of {choices}, found {found}").format(
                    choices=", ".join(choices), found=", ".join(repr(v) for v in wrong)
                )
            )
        return frozenset(values)

    return check


def listed(entry: Entry) -> list[Any]:
    """The values of a list, or the one value written without one."""
    return list(entry.value) if isinstance(entry.value, list) else [entry.value]


def names(entry: Entry) -> tuple[str, ...]:
    """A list of names, or one name alone."""
    values = listed(entry)
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise Invalid(_("expected a list of names such as [a, b], found {found}").format(found=describe(entry)))
    return tuple(v.strip() for v in values)


IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9-]*$")


identifier = matching(IDENTIFIER, N_("lower-case letters, digits and '-'"))
"""An id of lower-case letters, digits and '-' (team members, plan slots)."""


# Sections of a file that several plugins share (editorial_calendar.yaml): the file's owner reads
# its own keys and hands each other top-level key to the section that declared it.


@dataclass(frozen=True)
class NameReference:
    """Names a section uses that another section defines (a plan slot's channels): the file's owner
    checks them once every section is read, whichever plugin owns the other one."""

    section: str  # the key of the section that defines the names
    what: str  # "a channel from the calendar's channels"
    names: tuple[str, ...]
    line: int
    field: str
    check: str


@dataclass(frozen=True)
class SectionContext:
    """What a section's parser may know besides its own entry."""

    path: str  # the file, as shown in findings
    zone: ZoneInfo
    earlier: Mapping[str, object]  # the sections parsed before this one, by key
    references: list[NameReference] = field(default_factory=list)  # collected for the owner to check

    def refer(self, reference: NameReference) -> None:
        self.references.append(reference)

    def get(self, section: Section[T]) -> T:
        value = self.earlier.get(section.key)
        return cast(T, value) if value is not None else section.default()


@dataclass(frozen=True)
class Section(Generic[T_co]):
    """A top-level key of a shared file, declared by the plugin that owns what it configures.

    `parse` turns the key's entry into the owner's typed value and findings; `default` is the value
    when the key is absent; `references` runs after the whole file is read, with the file's object
    (the editorial Calendar), to check what the section names elsewhere (team ids, channels).
    """

    key: str
    parse: Callable[[Entry, SectionContext], tuple[T_co, list[Finding]]]
    default: Callable[[], T_co]
    # (the section's value, the file's object) -> findings; Any keeps Section covariant in its value
    references: Callable[[Any, Any], list[Finding]] | None = None
