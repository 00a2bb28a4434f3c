"""hub_core.schema.read_map: the one walk over a YAML map that every calendar section uses (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hub_core import i18n
from hub_core.findings import Finding
from hub_core.schema import (
    Field,
    Invalid,
    any_of,
    count,
    flag,
    identifier,
    matching,
    maybe_text,
    one_of,
    read_map,
    read_one,
    text,
)
from hub_core.yamlsource import Entry, load_located

PATH = "editorial_calendar.yaml"
NAME = Field("name", text, "", required=True)
SIZE = Field("size", count(1), 3)
SHOWN = Field("shown", flag, True)
COLOUR = Field("colour", one_of(("red", "green")), "red")
FIELDS = (NAME, SIZE, SHOWN, COLOUR)


def located(text: str) -> Entry:
    root = load_located(text, path=PATH).root
    assert root is not None
    return root


def test_a_valid_map_gives_its_values_and_the_defaults_of_the_rest() -> None:
    reading = read_map(located("name: ' Kiste '\nsize: 5\n"), "box", FIELDS, path=PATH, what="name and size")
    assert reading.findings == [] and reading.ok
    assert (reading.values[NAME], reading.values[SIZE], reading.values[SHOWN]) == ("Kiste", 5, True)
    assert NAME in reading.values and SHOWN not in reading.values


def test_an_unknown_key_is_named_with_a_did_you_mean_and_the_known_keys() -> None:
    reading = read_map(located("name: a\nsiez: 5\n"), "box", FIELDS, path=PATH, what="…", unknown=" für eine Kiste")
    assert reading.findings == [
        Finding(
            PATH,
            2,
            "box.siez",
            "unbekanntes Feld für eine Kiste (Meinten Sie „size“?); bekannte Felder: name, size, shown, colour",
            "unknown-key",
        )
    ]
    assert reading.ok  # a typo is only warned about (the calendar makes it a warning)


def test_a_refused_key_is_an_error_with_its_own_message() -> None:
    reading = read_map(
        located("name: a\ntoken: x\n"), "box", FIELDS, path=PATH, what="…", refused={"token": "expected no secret"}
    )
    assert [(f.line, f.field, f.message, f.check) for f in reading.findings] == [
        (2, "box.token", "expected no secret", "calendar")
    ]
    assert not reading.ok


def test_a_missing_required_key_is_reported_on_the_line_of_its_map() -> None:
    entry = located("other: 1\nbox:\n  size: 2\n").children["box"]
    reading = read_map(entry, "box", FIELDS, path=PATH, what="…")
    assert [(f.line, f.field, f.message) for f in reading.findings] == [
        (2, "box.name", "erwartet: ein Wert; gefunden: das Feld fehlt")
    ]
    custom = Field("name", text, "", required=True, missing="expected a name, found none")
    findings = read_map(entry, "box", (custom, SIZE), path=PATH, what="…").findings
    assert [f.message for f in findings] == ["expected a name, found none"]  # not in hub_core's catalogue: as given
    # A message declared at import time is made when the key is found missing, in the language of then.
    lazy = Field("name", text, "", required=True, missing=lambda: f"missing in {i18n.language()}")
    assert [f.message for f in read_map(entry, "box", (lazy, SIZE), path=PATH, what="…").findings] == ["missing in de"]
    i18n.use_language("en")
    assert [f.message for f in read_map(entry, "box", (lazy, SIZE), path=PATH, what="…").findings] == ["missing in en"]
    assert [f.message for f in read_map(entry, "box", FIELDS, path=PATH, what="…").findings] == [
        "expected a value, found the key missing"
    ]


def test_every_bad_value_is_reported_at_once_with_its_line() -> None:
    text = "name: a\nsize: 0\nshown: 'ja'\ncolour: gren\nsiez: 1\n"
    reading = read_map(located(text), "box", FIELDS, path=PATH, what="name and size")
    assert [(f.line, f.field, f.check) for f in reading.findings] == [
        (5, "box.siez", "unknown-key"),
        (2, "box.size", "calendar"),
        (3, "box.shown", "calendar"),
        (4, "box.colour", "calendar"),
    ]
    messages = [f.message for f in reading.findings]
    assert messages[1:] == [
        "erwartet: eine ganze Zahl ab 1; gefunden: 0",
        "erwartet: true oder false; gefunden: `ja`. YAML versteht Ja und Nein nur als true und false. "
        "Schreiben Sie stattdessen true: shown: true",
        "erwartet: einer der Werte red, green; gefunden: „gren“ (Meinten Sie „green“?)",
    ]
    values = reading.values
    assert (values[NAME], values[SIZE], values[SHOWN], values[COLOUR]) == ("a", 3, True, "red")  # bad: the default
    assert not reading.ok


def test_a_value_that_is_not_a_map_is_one_finding() -> None:
    reading = read_map(located("- a\n- b\n"), "box", FIELDS, path=PATH, what="name and size")
    assert [(f.line, f.field, f.message) for f in reading.findings] == [
        (1, "box", "erwartet: eine Zuordnung mit name and size; gefunden: a list")
    ]
    assert not reading.is_map and not reading.ok and reading.values[SIZE] == 3


def test_a_reader_may_name_another_check() -> None:
    def photo(entry: Entry) -> str:
        raise Invalid("expected an image file, found none", "image-missing")

    reading = read_map(located("photo: a.jpg\n"), "box", (Field("photo", photo, ""),), path=PATH, what="…")
    assert [(f.field, f.check) for f in reading.findings] == [("box.photo", "image-missing")]


def test_read_one_reads_a_single_field_before_the_others() -> None:
    entry = located("type: bagg\nwhatever: 1\n")
    kind = Field("type", one_of(("box", "bag")), "", required=True)
    value, findings = read_one(entry, "thing", kind, path=PATH)
    assert value is None and [(f.line, f.field) for f in findings] == [(1, "thing.type")]
    assert "(Meinten Sie „bag“?)" in findings[0].message
    assert read_one(located("type: bag\n"), "thing", kind, path=PATH) == ("bag", [])
    assert read_one(located("other: 1\n"), "thing", Field("type", text, ""), path=PATH) == (None, [])


@pytest.mark.parametrize(
    ("reader", "written", "expected"),
    [
        (identifier, "anna-1", "anna-1"),
        (identifier, "Anna A", "erwartet: Kleinbuchstaben, Ziffern und „-“; gefunden: „Anna A“"),
        (matching(re.compile(r"^\S+@\S+$"), "an e-mail address", maybe_text), "", ""),
        (
            matching(re.compile(r"^\S+@\S+$"), "an e-mail address", maybe_text),
            "a.de",
            "erwartet: an e-mail address; gefunden: „a.de“",  # plain text of another catalogue: as given
        ),
        (maybe_text, "''", "erwartet: Text; gefunden: ''"),
        (
            one_of(("public", "private"), hint=False),
            "publc",
            "erwartet: einer der Werte public, private; gefunden: „publc“",
        ),
        (maybe_text, "''", "erwartet: Text; gefunden: ''"),
        (
            maybe_text,
            "5",
            "YAML liest `5` ohne Anführungszeichen als Zahl, nicht als Text. "
            'Setzen Sie den Wert in Anführungszeichen: key: "5"',
        ),
        (
            one_of(("public", "private"), hint=False),
            "publc",
            "erwartet: einer der Werte public, private; gefunden: „publc“",
        ),
        (any_of(("author", "editor")), "[author, editor]", frozenset({"author", "editor"})),
        (any_of(("author", "editor")), "editor", frozenset({"editor"})),
        (any_of(("author", "editor")), "[author, boss, 3]", "erwartet: Werte aus author, editor; gefunden: 'boss', 3"),
    ],
)
def test_readers(reader: Callable[[Entry], object], written: str, expected: object) -> None:
    entry = located(f"key: {written}\n").children["key"]
    try:
        got = reader(entry)
    except Invalid as error:
        got = error.message
    assert got == expected


def test_the_english_messages_are_there_on_request() -> None:
    i18n.use_language("en")
    text = "name: a\nsize: 0\ncolour: gren\nsiez: 1\n"
    reading = read_map(located(text), "box", FIELDS, path=PATH, what="name and size", unknown=" for a box")
    assert [f.message for f in reading.findings] == [
        "unknown key (did you mean 'size'?) for a box; known keys: name, size, shown, colour",
        "expected a whole number of at least 1, found 0",
        "expected one of red, green (did you mean 'green'?), found 'gren'",
    ]
    with pytest.raises(Invalid) as refused:
        identifier(located("key: Anna A\n").children["key"])
    assert refused.value.message == "expected lower-case letters, digits and '-', found 'Anna A'"
