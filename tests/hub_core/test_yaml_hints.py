"""hub_core.yaml_hints: each common YAML mistake explained in German, with its line, a marker and the fix (pure)."""

from __future__ import annotations

import pytest
import yaml
from hub_core import i18n
from hub_core.dates import in_grammar
from hub_core.findings import Finding, github_annotation, render_for_ci
from hub_core.yaml_hints import ParserMarks, explain_syntax_error, marks_of
from hub_core.yamlsource import load_located

PATH = "content/posts/a.md"
LOADERS = [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]


def marks(text: str, loader: type) -> ParserMarks:
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.load(text, Loader=loader)
    return marks_of(raised.value)


def only_finding(text: str, first_line: int = 2) -> Finding:
    [finding] = load_located(text, path=PATH, first_line=first_line).findings
    return finding


# (name, YAML text, line in the text (1-based), column (1-based), field, the German message's end: the fix)
SYNTAX_MISTAKES = [
    (
        "colon in an unquoted value",
        "date: 2026-11-18 09:00 +01:00\ntitle: Prüfstand: so geht es\n",
        2,
        17,
        "title",
        "YAML liest einen Doppelpunkt mit Leerzeichen dahinter als Beginn eines neuen Feldes; ein Wert ohne "
        'Anführungszeichen darf keinen enthalten. Setzen Sie den Wert in Anführungszeichen: title: "Prüfstand: so geht es"',
    ),
    (
        "colon in a value with double quotes in it",
        'title: Er sagte "Hallo": so geht es\n',
        1,
        24,
        "title",
        "Setzen Sie den Wert in Anführungszeichen: title: 'Er sagte \"Hallo\": so geht es'",
    ),
    (
        "tab indentation",
        "title: x\ntags:\n\t- Technik\n",
        3,
        1,
        "",
        "Die Zeile ist mit einem Tabulator eingerückt (angezeigt als `→`); YAML erlaubt zum Einrücken nur "
        "Leerzeichen. Rücken Sie sie stattdessen mit 2 Leerzeichen ein: - Technik",
    ),
    (
        "unclosed double quote",
        'title: "Prüfstand\nauthors: [jdoe]\n',
        1,
        8,
        "title",
        'Das Anführungszeichen `"` wird hier geöffnet, aber nie geschlossen; YAML liest deshalb über das Zeilenende '
        'hinaus weiter. Schließen Sie es am Ende des Wertes: title: "Prüfstand"',
    ),
    (
        "unclosed single quote",
        "authors: [jdoe]\ntitle: 'Prüfstand\n",
        2,
        8,
        "title",
        "Schließen Sie es am Ende des Wertes: title: 'Prüfstand'",
    ),
    (
        "an apostrophe closes the single quotes",
        "title: 'Das ist's gut'\n",
        1,
        17,
        "title",
        "Der Wert endet schon beim zweiten Anführungszeichen `'`, der Text danach bleibt übrig. Setzen Sie den Wert "
        'in die andere Art von Anführungszeichen: title: "Das ist\'s gut"',
    ),
    (
        "list item without a dash",
        "tags:\n  - Technik\n  Labor\nauthors: [jdoe]\n",
        3,
        3,
        "",
        "Diese Zeile steht in einer Liste, hat aber keinen Bindestrich; so kann YAML sie nicht als Listeneintrag "
        "lesen. Beginnen Sie sie wie die Einträge darüber mit Bindestrich und Leerzeichen: - Labor",
    ),
    (
        "a new item of a list of maps without its dash",
        "team:\n  - id: jdoe\n    name: Jana\n  id: mmuster\n  name: Max\n",
        4,
        3,
        "id",
        "Beginnt es einen neuen Eintrag, setzen Sie wie bei den Einträgen darüber einen Bindestrich und ein "
        "Leerzeichen davor: - id: mmuster",
    ),
    (
        "a field among the items of a list of maps, not indented like its item",
        "team:\n  - id: jdoe\n   name: Jana\n",
        3,
        4,
        "name",
        "Diese Zeile ist anders eingerückt als die Felder darüber; so erkennt YAML nicht, wozu sie gehört. "
        "Rücken Sie sie wie das Feld darüber mit 4 Leerzeichen ein: name: Jana",
    ),
    (
        "a field indented under another",
        "title: x\n  authors: [jdoe]\n",
        2,
        3,
        "authors",
        "Beginnen Sie sie am Zeilenanfang: authors: [jdoe]",
    ),
    (
        "a field without its colon",
        "title: x\nauthors jdoe\n",
        2,
        8,
        "authors",
        "Schreiben Sie das Feld mit einem Doppelpunkt nach dem Namen: authors: jdoe",
    ),
    (
        "an unclosed bracket",
        "tags: [Technik, Labor\nauthors: [jdoe]\n",
        1,
        7,
        "tags",
        "Schließen Sie sie am Ende der Liste: tags: [Technik, Labor]",
    ),
]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize(("name", "text", "line", "column", "field", "fix"), SYNTAX_MISTAKES, ids=lambda v: v)
def test_a_common_mistake_is_explained_with_its_line_its_column_and_the_fix(
    loader: type, name: str, text: str, line: int, column: int, field: str, fix: str
) -> None:
    hint = explain_syntax_error(text, marks(text, loader), first_line=5)
    assert (hint.line, hint.column, hint.field) == (4 + line, column, field), name
    assert hint.message.endswith(fix), hint.message
    written = text.split("\n")[line - 1].replace("\t", "→")
    assert hint.excerpt == f"{4 + line:>5} | {written}\n      | {' ' * (column - 1)}^"


def test_the_finding_of_a_syntax_error_has_the_hint_and_ci_sees_one_line() -> None:
    finding = only_finding("title: Prüfstand: so geht es\n")
    assert (finding.check, finding.line, finding.column, finding.field) == ("yaml-syntax", 2, 17, "title")
    assert render_for_ci(finding) == finding.render()
    assert "\n" not in finding.render() and finding.render().startswith(f"{PATH}:2:17: title: YAML liest")
    assert finding.render_for_terminal() == (
        f"{finding.render()}\n    2 | title: Prüfstand: so geht es\n      |                 ^"
    )
    assert github_annotation(finding, {}).startswith(f"::error file={PATH},line=2,col=17,title=yaml-syntax::")


def test_an_unknown_mistake_shows_the_parsers_words_with_the_line_and_marker() -> None:
    finding = only_finding("title: x\n- Technik\n")  # a list item among fields: the author forgot `tags:`
    assert (finding.check, finding.line, finding.column) == ("yaml-syntax", 3, 1)
    assert finding.message.startswith("Hier ist das YAML nicht gültig (Meldung des Parsers: ")
    assert finding.message.endswith("Prüfen Sie diese Zeile und die Zeile darüber.")
    assert finding.excerpt.splitlines()[1].strip().endswith("^")


def test_a_control_character_is_shown_and_named() -> None:
    finding = only_finding("title: a\x07b\n")
    assert (finding.line, finding.column) == (2, 9)
    assert "Steuerzeichen (#x0007)" in finding.message
    assert finding.excerpt == "    2 | title: a\ufffdb\n      |         ^"


@pytest.mark.parametrize(
    ("text", "line", "column", "field", "message"),
    [
        (
            "title: a\nlang: de\ntitle: b\n",
            4,
            1,
            "title",
            "Das Feld `title` steht hier ein zweites Mal (zuerst in Zeile 2); verwendet wird nur das erste. "
            "Löschen Sie eine der beiden Zeilen oder führen Sie sie zusammen.",
        ),
        (
            "title: Wir sind #1 im Test\n",
            2,
            8,
            "title",
            "YAML liest ` #` als Beginn eines Kommentars: Der Wert endet davor, `#1 im Test` fällt weg. "
            'Setzen Sie den ganzen Wert in Anführungszeichen: title: "Wir sind #1 im Test"',
        ),
    ],
)
def test_a_duplicate_key_and_a_hash_inside_a_value(text: str, line: int, column: int, field: str, message: str) -> None:
    finding = only_finding(text)
    assert (finding.line, finding.column, finding.field, finding.message) == (line, column, field, message)
    assert finding.excerpt.splitlines()[1] == "      | " + " " * (column - 1) + "^"


def test_a_comment_after_a_value_is_no_mistake() -> None:
    assert load_located("title: Gut # Kommentar\ndraft: true  #todo\n", path=PATH).findings == []


def test_english_with_hub_lang_en() -> None:
    i18n.use_language("en")
    finding = only_finding("title: Prüfstand: so geht es\n")
    assert finding.message == (
        "YAML reads a colon followed by a space as the start of a new field, so an unquoted value cannot contain "
        'one. Put the value in quotes: title: "Prüfstand: so geht es"'
    )
    hint = explain_syntax_error("title: x\n\tlang: de\n", marks("title: x\n\tlang: de\n", yaml.SafeLoader))
    assert hint.message.endswith("Indent it with 2 spaces instead: lang: de")


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ("18.11.2026", "2026-11-18"),
        ("18.11.2026 9:00", "2026-11-18 09:00"),
        ("18.11.2026, 9 Uhr", "2026-11-18 09:00"),
        ("18. November 2026", "2026-11-18"),
        ("1. Dez. 2026 10:00 Uhr", "2026-12-01 10:00"),
        ("2026-11-18 9 Uhr", "2026-11-18 09:00"),
        ("2026/11/18", "2026-11-18"),
        ("2026-11-18 09:00 MEZ", "2026-11-18 09:00 +01:00"),
        ("18.11.26 14.30", "2026-11-18 14:30"),
        ("2026-11-18", None),  # already in the grammar
        ("31.02.2026", None),  # no such day
        ("11/18/2026", None),  # month or day first? not certain
        ("2026-11-18 9", None),  # a bare number: not certainly an hour
        ("morgen", None),
    ],
)
def test_a_date_in_another_form_is_rewritten_in_the_grammar(written: str, rewritten: str | None) -> None:
    assert in_grammar(written) == rewritten
