"""Every message has its German translation, and the catalogues gettext reads match what was translated.

The catalogues are made by `make messages` (tools/messages.py); these tests fail when someone changed
or added an English message without running it and translating, or when a translation would break
the message at run time (a `{placeholder}` lost, renamed or invented).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from conftest import ROOT
from hub_core import i18n
from hub_core.findings import Finding, Level, Report

from tools.messages import Domain, domains, extract, mo_bytes, read, translated

DOMAINS = list(domains())
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


def _placeholders(text: str) -> set[str]:
    return {name.split("!")[0].split(":")[0] for name in PLACEHOLDER.findall(text)}


def _catalogued(domain: Domain) -> dict[object, Message]:
    return {message.id: message for message in read(domain.po("de"), "de", domain.name) if message.id}


def test_the_catalogues_are_found() -> None:
    names = {domain.name for domain in DOMAINS}
    assert "hub_core" in names, names


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
def test_every_message_in_the_code_has_a_german_translation(domain: Domain) -> None:
    in_code = {message.id: message for message in extract(domain) if message.id}
    catalogued = _catalogued(domain)
    missing = [_ids(in_code[key])[0] for key in in_code if key not in catalogued]
    untranslated = [_ids(m)[0] for key, m in catalogued.items() if key in in_code and not translated(m)]
    stale = [_ids(m)[0] for key, m in catalogued.items() if key not in in_code]
    assert not missing, f"run `make messages` and translate in {domain.po('de')}: {missing}"
    assert not untranslated, f"translate in {domain.po('de')} (empty or fuzzy): {untranslated}"
    assert not stale, f"run `make messages`: {domain.po('de')} has messages the code no longer uses: {stale}"


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
def test_translations_keep_every_placeholder(domain: Domain) -> None:
    wrong = []
    for message in _catalogued(domain).values():
        expected = set().union(*(_placeholders(text) for text in _ids(message)))
        for form in _forms(message):
            if form and _placeholders(form) - expected:
                wrong.append(f"{_ids(message)[0]!r} → {form!r}: {_placeholders(form) - expected} unknown")
            # a singular may leave out {count} ("1 Beitrag"), anything else must keep its values
            if form and (expected - {"count"}) - _placeholders(form):
                wrong.append(f"{_ids(message)[0]!r} → {form!r}: {(expected - {'count'}) - _placeholders(form)} lost")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("domain", [d for d in DOMAINS if d.po("de").exists()], ids=lambda d: d.name)
def test_the_compiled_catalogue_is_the_translated_one(domain: Domain) -> None:
    compiled = mo_bytes(read(domain.po("de"), "de", domain.name))
    assert domain.mo("de").read_bytes() == compiled, f"run `make messages`: {domain.mo('de')} is older than its .po"


def test_messages_are_german_by_default_and_english_on_request() -> None:
    finding = Finding("posts/a.md", 3, "title", "…", "gap-ahead", Level.WARNING)
    assert finding.render() == "posts/a.md:3: title: … [Warnung: gap-ahead]"
    assert Report([finding]).summary(2) == "0 Fehler, 1 Warnung in 2 geprüften Dateien"
    i18n.use_language("en")
    assert finding.render() == "posts/a.md:3: title: … [warning: gap-ahead]"
    assert Report([finding]).summary(1) == "0 errors, 1 warning in 1 file checked"


def test_the_language_comes_from_hub_lang_then_default_lang() -> None:
    assert i18n.language_of({"HUB_LANG": "en", "DEFAULT_LANG": "de"}) == "en"
    assert i18n.language_of({"DEFAULT_LANG": "en_US"}) == "en"
    assert i18n.language_of({"DEFAULT_LANG": "fr"}) == "de"
    assert i18n.language_of({}) == "de"


def test_a_person_s_hub_lang_wins_but_an_earlier_choice_of_this_process_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert i18n.use_language_of({"HUB_LANG": "en"}) == "en"
    # a second build in the same process, with other settings: its own settings decide
    assert i18n.use_language_of({"DEFAULT_LANG": "de"}) == "de"
    monkeypatch.setenv("HUB_LANG", "en")  # `HUB_LANG=en invoke review`, or inherited from the parent
    i18n._passed_on = None
    assert i18n.use_language_of({"HUB_LANG": "de"}) == "en"
    # a task that reads the settings twice (crosspost: the gate, then the channels) stays in English
    assert i18n.use_language_of({"HUB_LANG": "de"}) == "en"


# Where a message to a person is made: a finding, Hub's errors, a task's exit and output, a log line.
MESSAGE_CALLS = {"Finding": 3, "Invalid": 0, "ConfigurationError": 0, "BuildStopped": 0, "ScaffoldError": 0, "Exit": 0}
LOG_CALLS = {"info", "warning", "error", "log"}  # debug: for developers, with `--debug`
WORDS = re.compile(r"[A-Za-zÄÖÜäöüß]{3,} [A-Za-zÄÖÜäöüß]{2,}")


def _literal(node: ast.expr) -> str | None:
    """The text of a string literal or f-string written in place (not passed through `_`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    return None


def _messages_written_in_place(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        candidates: list[ast.expr] = []
        if name in MESSAGE_CALLS:
            position = MESSAGE_CALLS[name]
            candidates += node.args[position : position + 1]
            candidates += [keyword.value for keyword in node.keywords if keyword.arg == "message"]
        elif name == "print" or (name in LOG_CALLS and isinstance(node.func, ast.Attribute)):
            candidates += node.args[:2]
        for candidate in candidates:
            text = _literal(candidate)
            if text and WORDS.search(text):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}({text[:70]!r}…)")
    return found


def test_no_message_to_a_person_bypasses_the_catalogue() -> None:
    """A finding, an error, a task's output or a log line written as a plain English literal would
    reach German authors untranslated: it must be `_("…")` (or N_ + `_` where shown)."""
    sources = [*sorted((ROOT / "plugins").rglob("*.py")), ROOT / "tasks.py"]
    found = [line for path in sources for line in _messages_written_in_place(path)]
    assert not found, "wrap these in _() and run `make messages`:\n" + "\n".join(found)
