"""The declaration of a HUB_* setting (hub_core.options): defaults, checks, every problem at once, typos."""

from __future__ import annotations

from pathlib import Path

import pytest
from hub_core import i18n
from hub_core.options import (
    Derived,
    Option,
    boolean,
    each,
    mapping,
    one_of,
    path_or_none,
    positive_int,
    positive_number,
    problems,
    read,
    text,
    text_or_none,
    texts,
    warnings,
)

WIDTHS = Option("HUB_IMAGE_WIDTHS", (480, 960), each(positive_int, lambda: i18n.language() + ": widths"), "widths")
STRICT = Option("HUB_STRICT", False, boolean, "warnings count as errors")
CACHE = Option(
    "HUB_X_CACHE", Derived("`CACHE_PATH/x`", lambda s: f"{s.get('CACHE_PATH', 'cache')}/x"), path_or_none, ""
)
MODE = Option("HUB_MODE", "fast", one_of("fast", "slow"), "")
NAMED = Option("HUB_NAMED", None, lambda v: "HUB_NAMED['a']: expected 1\nHUB_NAMED['b']: expected 2", "")
NOISY = Option("HUB_NOISY", {}, mapping, "", warnings=lambda value: [f"unknown key '{k}' ignored" for k in value])


def test_read_gives_the_setting_or_the_declared_default() -> None:
    assert read(WIDTHS, {}) == (480, 960)
    assert read(WIDTHS, {"HUB_IMAGE_WIDTHS": [320]}) == [320]
    assert read(STRICT, {"HUB_STRICT": None}) is None  # set is set: a check judges it, read does not
    assert read(CACHE, {"CACHE_PATH": "/srv/cache"}) == "/srv/cache/x"
    assert read(CACHE, {"HUB_X_CACHE": ""}) == ""
    assert CACHE.shown_default() == "`CACHE_PATH/x`" and WIDTHS.shown_default() == "(480, 960)"


def test_every_wrong_value_is_reported_at_once_and_a_default_is_not_judged() -> None:
    settings = {"HUB_IMAGE_WIDTHS": (480, "960"), "HUB_STRICT": "ja", "HUB_MODE": "fats"}
    assert problems([WIDTHS, STRICT, MODE, CACHE], settings) == [
        "HUB_IMAGE_WIDTHS: erwartet: eine nicht leere Liste von de: widths; gefunden: tuple (480, '960')",
        "HUB_STRICT: erwartet: True oder False; gefunden: str 'ja'",
        "HUB_MODE: erwartet: einer der Werte 'fast', 'slow'; gefunden: str 'fats' (Meinten Sie „fast“?)",
    ]
    assert problems([WIDTHS, STRICT, MODE, CACHE], {}) == []
    i18n.use_language("en")
    assert problems([WIDTHS, STRICT, MODE, CACHE], settings) == [
        "HUB_IMAGE_WIDTHS: expected a non-empty list of en: widths, found tuple (480, '960')",
        "HUB_STRICT: expected True or False, found str 'ja'",
        "HUB_MODE: expected one of 'fast', 'slow' (did you mean 'fast'?), found str 'fats'",
    ]


def test_a_message_that_names_its_setting_keeps_its_words_one_line_each() -> None:
    assert problems([NAMED], {"HUB_NAMED": 1}) == ["HUB_NAMED['a']: expected 1", "HUB_NAMED['b']: expected 2"]


def test_unknown_keys_are_warnings_with_the_closest_known_name() -> None:
    settings = {"HUB_IMAGE_WIDTH": (480,), "HUB_STRICT": True, "SITENAME": "x", "HUB_DEPLOY": {}}
    assert warnings([WIDTHS, STRICT], settings, known=["HUB_DEPLOY"]) == [
        "HUB_IMAGE_WIDTH: keine Einstellung von Hub, wird ignoriert (Meinten Sie „HUB_IMAGE_WIDTHS“?)"
    ]
    assert warnings([NOISY], {"HUB_NOISY": {"colour": 1}, "HUB_QQQ": 1}) == [
        "HUB_NOISY: unknown key 'colour' ignored",
        "HUB_QQQ: keine Einstellung von Hub, wird ignoriert",
    ]
    i18n.use_language("en")
    assert warnings([WIDTHS, STRICT], settings, known=["HUB_DEPLOY"]) == [
        "HUB_IMAGE_WIDTH: not a Hub setting, ignored (did you mean 'HUB_IMAGE_WIDTHS'?)"
    ]


@pytest.mark.parametrize(
    ("check", "good", "bad", "expected"),
    [
        (boolean, [True, False], [1, "false", None], "erwartet: True oder False"),
        (positive_int, [1, 80], [0, -1, True, 1.5, "80"], "erwartet: eine ganze Zahl ab 1"),
        (positive_number, [0.5, 120], [0, True, "120"], "erwartet: eine Anzahl Sekunden über 0"),
        (text, ["", "x"], [None, 1, ("a",)], "erwartet: Text"),
        (text_or_none, [None, "x"], [1, ["x"]], "erwartet: Text oder None"),
        (texts, [(), ["a"], ("a", "b")], ["ab", ("a", 1), None], "erwartet: eine Liste von Texten"),
        (mapping, [{}, {"a": 1}], [[], None, "a"], "erwartet: ein dict"),
        (path_or_none, [None, "", "a/b", Path("a")], [1, ["a"]], "erwartet: ein Pfad oder None"),
        (one_of("a", "b"), ["a", "b"], ["c", None], "erwartet: einer der Werte 'a', 'b'"),
    ],
)
def test_the_reusable_checks(check, good, bad, expected) -> None:
    assert [check(value) for value in good] == [None] * len(good)
    for value in bad:
        message = check(value)
        assert message is not None and message.startswith(expected) and "; gefunden: " in message, (value, message)
