"""`invoke check` run as an author runs it: each common YAML mistake, in a post's front matter and in
editorial_calendar.yaml, is explained in German with its line, the line marked, and the fix; at a
terminal with the marker under the line, in CI as one line per finding."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from conftest import CALENDAR, ROOT, Site, valid_post

GOOD_POST = valid_post()


def run_check(site: Site, *, terminal: bool, language: str | None = None) -> str:
    """`invoke check` on `site`: its standard output, from a real terminal (a pty) or a pipe."""
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "HUB_LANG")}
    if language:
        environment["HUB_LANG"] = language
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "check"]
    command += ["--content", str(site.content), "--calendar", str(site.calendar)]
    if not terminal:
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment, timeout=120)
        assert result.returncode == 1, result.stderr
        return result.stdout
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, env=environment)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end is closed: the check has ended
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 1
    return output.decode("utf-8").replace("\r\n", "\n")


def shown(output: str, path: str, line: int, column: int, message_end: str, written: str) -> None:
    """`output` has the finding at `path:line:column`, ending in `message_end`, and under it the marked line."""
    lines = output.split("\n")
    start = f"{path}:{line}:{column}: "
    found = [i for i, text in enumerate(lines) if text.startswith(start)]
    assert found, f"no finding at {start} in:\n{output}"
    index = found[0]
    assert lines[index].split(" [")[0].endswith(message_end), lines[index]
    assert lines[index + 1] == f"{line:>5} | {written}"
    assert lines[index + 2] == f"{'':>5} | {' ' * (column - 1)}^"


FRONT_MATTER = {
    # file: (front matter lines after title/date/authors..., line, column, message end, the line as written)
    "doppelpunkt.md": (
        "---\ntitle: Prüfstand: so geht es\ndate: 2026-11-18 09:00 +01:00\nauthors: [jdoe]\ntags:\n  - Technik\n---\n",
        2,
        17,
        'Setzen Sie den Wert in Anführungszeichen: title: "Prüfstand: so geht es"',
        "title: Prüfstand: so geht es",
    ),
    "tabulator.md": (
        '---\ntitle: "T"\ndate: 2026-11-18 09:00 +01:00\nauthors: [jdoe]\ntags:\n\t- Technik\n---\n',
        6,
        1,
        "YAML erlaubt zum Einrücken nur Leerzeichen. Rücken Sie sie stattdessen mit 2 Leerzeichen ein: - Technik",
        "→- Technik",
    ),
    "anfuehrung.md": (
        '---\ndate: 2026-11-18 09:00 +01:00\ntitle: "Prüfstand\nauthors: [jdoe]\n---\n',
        3,
        8,
        'Schließen Sie es am Ende des Wertes: title: "Prüfstand"',
        'title: "Prüfstand',
    ),
    "strich.md": (
        '---\ntitle: "S"\ndate: 2026-11-18 09:00 +01:00\nauthors: [jdoe]\ntags:\n  - Technik\n  Labor\n---\n',
        7,
        3,
        "Beginnen Sie sie wie die Einträge darüber mit Bindestrich und Leerzeichen: - Labor",
        "  Labor",
    ),
    "datum.md": (
        '---\ntitle: "D"\ndate: 18.11.2026 9:00\nauthors: [jdoe]\n---\n',
        3,
        7,
        "z. B. 2026-11-20 09:00 +01:00. Schreiben Sie es so: date: 2026-11-18 09:00",
        "date: 18.11.2026 9:00",
    ),
    "ja.md": (
        '---\ntitle: "J"\ndate: 2026-11-18 09:00 +01:00\nauthors: [jdoe]\nsponsored: ja\n---\n',
        5,
        12,
        "YAML versteht Ja und Nein nur als true und false. Schreiben Sie stattdessen true: sponsored: true",
        "sponsored: ja",
    ),
    "norwegen.md": (
        '---\ntitle: "N"\ndate: 2026-11-18 09:00 +01:00\nauthors: [jdoe]\nlang: NO\n---\n',
        5,
        7,
        'als Wahrheitswert false, nicht als Text. Setzen Sie den Wert in Anführungszeichen: lang: "NO"',
        "lang: NO",
    ),
    "doppelt.md": (
        '---\ntitle: "A"\ndate: 2026-11-18 09:00 +01:00\nauthors: [jdoe]\ntitle: "B"\n---\n',
        5,
        1,
        "(zuerst in Zeile 2); verwendet wird nur das erste. Löschen Sie eine der beiden Zeilen oder führen Sie sie "
        "zusammen.",
        'title: "B"',
    ),
    "raute.md": (
        "---\ntitle: Wir sind #1 im Test\ndate: 2026-11-18 09:00 +01:00\nauthors: [jdoe]\n---\n",
        2,
        8,
        'Setzen Sie den ganzen Wert in Anführungszeichen: title: "Wir sind #1 im Test"',
        "title: Wir sind #1 im Test",
    ),
}

CALENDAR_VALUES = (
    CALENDAR.replace("    role: Auszubildender\n", "    role: no\n")
    + "approval:\n  git_proof: nein\nfreeze:\n  - from: 24.12.2026\n    to: 2027-01-04\n    reason: Feiertage\n"
)


def test_front_matter_and_calendar_values_at_a_terminal_and_in_ci(site: Site) -> None:
    for name, (front_matter, *_) in FRONT_MATTER.items():
        site.write(f"posts/{name}", front_matter + "\nText.\n")
    site.calendar.write_text(CALENDAR_VALUES, encoding="utf-8")
    terminal = run_check(site, terminal=True)
    for name, (_, line, column, message_end, written) in FRONT_MATTER.items():
        shown(terminal, f"{site.content}/posts/{name}", line, column, message_end, written)
    calendar = str(site.calendar)
    lines = CALENDAR_VALUES.split("\n")
    role, git_proof, start = (
        lines.index("    role: no") + 1,
        lines.index("  git_proof: nein") + 1,
        lines.index("  - from: 24.12.2026") + 1,
    )
    shown(terminal, calendar, role, 11, 'Setzen Sie den Wert in Anführungszeichen: role: "no"', "    role: no")
    shown(terminal, calendar, git_proof, 14, "Schreiben Sie stattdessen false: git_proof: false", "  git_proof: nein")
    shown(
        terminal,
        calendar,
        start,
        11,
        "Datumsangaben stehen als Jahr-Monat-Tag mit Bindestrichen (eine Uhrzeit dahinter mit Doppelpunkt), "
        "z. B. 2026-12-23 or 2026-12-23 14:00 +01:00. Schreiben Sie es so: - from: 2026-12-24",
        "  - from: 24.12.2026",
    )
    # In CI (no terminal): the same findings, one line each, no marker.
    ci = run_check(site, terminal=False)
    assert f"{site.content}/posts/doppelpunkt.md:2:17: title: YAML liest einen Doppelpunkt" in ci
    assert not [line for line in ci.splitlines() if not line.startswith((str(site.root), "content/"))], ci


CALENDAR_SYNTAX = [
    (
        CALENDAR.replace("    name: Max Muster\n", "    name: Max Muster: Ausbildung\n"),
        "    name: Max Muster: Ausbildung",
        21,
        'Setzen Sie den Wert in Anführungszeichen: name: "Max Muster: Ausbildung"',
    ),
    (
        CALENDAR.replace("    role: Auszubildender\n", "\trole: Auszubildender\n"),
        "→role: Auszubildender",
        1,
        "Rücken Sie sie stattdessen mit 2 Leerzeichen ein: role: Auszubildender",
    ),
    (
        CALENDAR.replace("    role: Auszubildender\n", "    role: 'Auszubildender\n"),
        "    role: 'Auszubildender",
        11,
        "Schließen Sie es am Ende des Wertes: role: 'Auszubildender'",
    ),
    (
        CALENDAR.replace("    rights: [author]\n", "    rights:\n      - author\n      editor\n"),
        "      editor",
        7,
        "Beginnen Sie sie wie die Einträge darüber mit Bindestrich und Leerzeichen: - editor",
    ),
    (
        CALENDAR.replace("  - id: eeditor\n", "  id: eeditor\n"),
        "  id: eeditor",
        3,
        "Beginnt es einen neuen Eintrag, setzen Sie wie bei den Einträgen darüber einen Bindestrich und ein "
        "Leerzeichen davor: - id: eeditor",
    ),
]


@pytest.mark.parametrize(
    ("text", "written", "column", "message_end"),
    CALENDAR_SYNTAX,
    ids=["colon", "tab", "quote", "dash", "dash-list-with-keys"],
)
def test_a_syntax_mistake_in_the_calendar(site: Site, text: str, written: str, column: int, message_end: str) -> None:
    site.write("posts/gut.md", GOOD_POST)
    site.calendar.write_text(text, encoding="utf-8")
    line = text.split("\n").index(written.replace("→", "\t")) + 1
    shown(run_check(site, terminal=True), str(site.calendar), line, column, message_end, written)


def test_english_with_hub_lang_en(site: Site) -> None:
    site.write("posts/doppelpunkt.md", FRONT_MATTER["doppelpunkt.md"][0] + "\nText.\n")
    site.write("posts/ja.md", FRONT_MATTER["ja.md"][0] + "\nText.\n")
    output = run_check(site, terminal=True, language="en")
    shown(
        output,
        f"{site.content}/posts/doppelpunkt.md",
        2,
        17,
        'so an unquoted value cannot contain one. Put the value in quotes: title: "Prüfstand: so geht es"',
        "title: Prüfstand: so geht es",
    )
    shown(
        output,
        f"{site.content}/posts/ja.md",
        5,
        12,
        "expected true or false, found `ja`: YAML understands yes and no only as true and false. "
        "Write true instead: sponsored: true",
        "sponsored: ja",
    )
