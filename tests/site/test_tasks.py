"""The invoke menu, run as a user runs it."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

from conftest import ROOT, Site, valid_post


def invoke(*args: str, env: dict[str, str] | None = None, **environ: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **(env or {}), **environ},
    )


def invoke_at_a_terminal(*args: str, columns: int = 160) -> str:
    """What a person at a terminal sees: the task's stdout is a pty, and no CI variable is set."""
    main, secondary = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "NO_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
        stdout=secondary,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**environ, "COLUMNS": str(columns), "TERM": "xterm"},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the task ended and closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    process.wait(timeout=120)
    return re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode("utf-8").replace("\r\n", "\n"))


def test_menu_lists_every_task_with_a_docstring() -> None:
    result = invoke("--list")
    assert result.returncode == 0
    for name in ("build", "serve", "clean", "new", "check", "review", "approve", "calendar"):
        line = next(line for line in result.stdout.splitlines() if line.strip().startswith(name + " "))
        assert len(line.split(None, 1)) == 2, f"task {name} has no docstring"


def test_the_menu_is_german_and_english_on_request() -> None:
    german = invoke("--list").stdout
    assert "output/, output-prod/ und die Zwischenspeicher löschen." in german
    english = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), "--help", "build"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "HUB_LANG": "en"},
    ).stdout
    assert "Build the site into output/" in english and "use production settings (publishconf.py)" in english


def test_check_lists_every_problem_and_exits_1(site: Site) -> None:
    site.write("posts/a.md", valid_post(title="no", catgory="x"))
    site.write("posts/b.md", valid_post(title='"B"', date='"2026-02-31 10:00 +01:00"'))
    site.write("posts/c.md", "---\ntitle: [kaputt\n---\n")
    result = invoke("check", "--content", str(site.content), "--calendar", str(site.calendar))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{site.content}/posts/a.md:2:8: title: ") and "yaml-trap" in line for line in lines), (
        lines
    )
    assert any(line.startswith(f"{site.content}/posts/a.md:6: catgory: ") for line in lines)
    assert any(line.startswith(f"{site.content}/posts/b.md:3: date: ") for line in lines)
    assert any(f"{site.content}/posts/c.md:" in line and "yaml-syntax" in line for line in lines)
    assert "3 Fehler," in result.stderr
    # One engine: the gate's verdict is part of the check (a.md has no approval).
    assert any(f"{site.content}/posts/a.md:" in line and "held-back" in line for line in lines)


def test_check_passes_a_clean_site_and_strict_fails_on_warnings(site: Site) -> None:
    site.write("posts/a.md", valid_post())
    args = ("--content", str(site.content), "--calendar", str(site.calendar))
    assert invoke("check", *args).returncode == 0
    site.write("posts/b.md", valid_post(title='"B"', date="2026-11-03 09:00"))
    assert invoke("check", *args).returncode == 0
    assert invoke("check", "--strict", *args).returncode == 1


def test_check_json(site: Site) -> None:
    site.write("posts/a.md", valid_post(authors="[niemand]"))
    result = invoke("check", "--format", "json", "--content", str(site.content), "--calendar", str(site.calendar))
    assert result.returncode == 1
    [finding] = [f for f in json.loads(result.stdout) if f["level"] == "error"]
    assert finding["check"] == "unknown-author" and finding["line"] == 4 and finding["field"] == "authors"


def test_new_scaffolds_a_post_that_passes_the_check(site: Site) -> None:
    args = ("--content", str(site.content), "--calendar", str(site.calendar))
    result = invoke("new", 'Größer, schneller: "no" Probleme', "--author", "jdoe", "--date", "2026-12-01 09:30", *args)
    assert result.returncode == 0, result.stderr
    [created] = list((site.content / "posts").rglob("*.md"))
    assert created.name == "groesser-schneller-no-probleme.md"
    assert result.stdout == f"angelegt: {created}\n"
    text = created.read_text()
    assert "date: 2026-12-01 09:30 +01:00" in text and "status: draft" in text
    # The slug is written out: retitling the post later keeps its URL.
    assert "\nslug: groesser-schneller-no-probleme\n" in text
    checked = invoke("check", "--format", "json", *args)
    assert checked.returncode == 0, checked.stdout
    # Nothing about the new post itself: a draft is neither held back nor wrong.
    assert not [f for f in json.loads(checked.stdout) if f["path"].endswith(created.name)]
    again = invoke("new", 'Größer, schneller: "no" Probleme', "--author", "jdoe", "--date", "2026-12-01 09:30", *args)
    assert again.returncode == 1 and "ein Beitrag mit diesem Namen existiert bereits" in again.stderr


def test_new_refuses_unknown_authors(site: Site) -> None:
    result = invoke(
        "new", "Titel", "--author", "jdeo", "--content", str(site.content), "--calendar", str(site.calendar)
    )
    assert result.returncode == 1
    assert "--author: erwartet: eine Team-ID aus editorial_calendar.yaml; gefunden: „jdeo“ (Meinten Sie „jdoe“?)" in (
        result.stderr
    )
    assert not (site.content / "posts").exists()
    english = invoke(
        "new",
        "Titel",
        "--author",
        "jdeo",
        "--content",
        str(site.content),
        "--calendar",
        str(site.calendar),
        HUB_LANG="en",
    )
    assert english.returncode == 1
    assert "--author: expected a team id from editorial_calendar.yaml, found 'jdeo' (did you mean 'jdoe'?)" in (
        english.stderr
    )


def test_review_strict_and_json(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"A"'))
    site.approve("posts/a.md")
    site.write("posts/b.md", valid_post(title='"B"', date="2026-11-24 10:00 +01:00", status="review"))
    paths = ("--content", str(site.content), "--calendar", str(site.calendar), "--now", "2026-11-21 10:00")
    plain = invoke("review", *paths)  # not a terminal: plain lines for logs and grep
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.splitlines()
    assert lines[0] == "Prüfung, Stand 2026-11-21 10:00 (Europe/Berlin)"
    assert lines[2].split() == ["Datum", "Status", "Titel", "Autor:innen", "freigegeben", "von", "Termin", "Hinweis"]
    row = next(line for line in lines if line.startswith("2026-11-18 09:00"))
    assert row.split()[2:4] == ["veröffentlicht", "A"] and "eeditor" in row
    assert next(line for line in lines if line.startswith("2026-11-24 10:00")).split()[2:5] == ["in", "Prüfung", "B"]
    assert "[Warnung: gap-ahead]" in plain.stdout
    assert not set("─│┃━┏┡└") & set(plain.stdout)  # no box drawing in a log
    assert plain.stderr.splitlines()[-1] == "0 Fehler, 5 Warnungen"
    strict = invoke("review", "--strict", *paths)
    assert strict.returncode == 1
    data = json.loads(invoke("review", "--format", "json", *paths).stdout)
    assert {p["slug"]: p["state"] for p in data["posts"]} == {"a": "published", "b": "in review"}
    assert data["posts"][0]["approved_by"] == ["eeditor"]
    assert any(f["check"] == "gap-ahead" and f["level"] == "warning" for f in data["findings"])


def test_review_in_english_on_request(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"A"', date="2026-11-24 10:00 +01:00", status="review"))
    paths = ("--content", str(site.content), "--calendar", str(site.calendar), "--now", "2026-11-21 10:00")
    english = invoke("review", *paths, env={"HUB_LANG": "en"})
    lines = english.stdout.splitlines()
    assert lines[0] == "Review as of 2026-11-21 10:00 (Europe/Berlin)"
    assert lines[2].split() == ["date", "state", "title", "authors", "approved", "by", "slot", "note"]
    assert next(line for line in lines if line.startswith("2026-11-24 10:00")).split()[2:5] == ["in", "review", "A"]
    assert english.stderr.splitlines()[-1] == "1 error, 5 warnings"  # no post is published yet: stale-blog


def test_review_at_a_terminal_draws_aligned_columns(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"Ein Titel mit [eckigen] Klammern"'))
    site.approve("posts/a.md")
    site.write("posts/b.md", valid_post(title='"B"', date="2026-11-24 10:00 +01:00", status="review"))
    paths = ("--content", str(site.content), "--calendar", str(site.calendar), "--now", "2026-11-21 10:00")
    shown = invoke_at_a_terminal("review", *paths).splitlines()
    assert shown[0] == "Prüfung, Stand 2026-11-21 10:00 (Europe/Berlin)"
    header = next(line for line in shown if line.lstrip().startswith("Datum"))
    rule = shown[shown.index(header) + 1]
    assert set(rule.strip()) <= set("━─ ")  # rich's rule under the header
    rows = [line for line in shown if line.lstrip().startswith("2026-11-")]
    assert len(rows) == 2
    # Aligned: every column starts where its header starts.
    for name, cell in (("Status", "veröffentlicht"), ("Titel", "Ein Titel mit [eckigen] Klammern")):
        assert rows[0].index(cell) == header.index(name), (name, header, rows[0])
    assert rows[1].index("in Prüfung") == header.index("Status")


def test_approve_refuses_self_approval_and_records_a_valid_one(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"A"', status="review"))
    paths = ("--content", str(site.content), "--calendar", str(site.calendar))
    refused = invoke("approve", str(site.content / "posts/a.md"), "--as", "jdoe", *paths)
    assert refused.returncode == 1
    assert "Freigabe abgelehnt: Jana Döring (jdoe) hat diesen Beitrag mitgeschrieben" in refused.stderr
    approved = invoke("approve", str(site.content / "posts/a.md"), "--as", "eeditor", *paths)
    assert approved.returncode == 0, approved.stderr
    assert "freigegeben von Eva Editor; status auf published gesetzt" in approved.stdout
    assert "fingerprint: sha256:" in (site.content / "posts/a.md").read_text()


def test_calendar_writes_ics_and_dashboard(site: Site, tmp_path) -> None:
    site.write("posts/a.md", valid_post(title='"A"', date="2026-11-24 10:00 +01:00", status="review"))
    out = tmp_path / "redaktion"
    args = ("--content", str(site.content), "--calendar", str(site.calendar), "--now", "2026-11-21 10:00")
    result = invoke("calendar", "--output", str(out), *args)
    assert result.returncode == 0, result.stderr
    ics = (out / "redaktionsplan.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"SUMMARY:[Beitrag: in Pr" in ics
    assert "Redaktionsplan" in (out / "index.html").read_text(encoding="utf-8")
    assert result.stdout.strip() == f"{out / 'redaktionsplan.ics'} (0 Termine) und {out / 'index.html'} geschrieben"


def _menu_texts(language: str) -> dict[str, dict[str, str]]:
    """Every task's menu line and option help, as tasks.py makes them in `language`."""
    dump = (
        "import json, tasks\n"
        "from invoke import Task\n"
        "found = {name: {'': (task.__doc__ or '').strip(), **task.help}\n"
        "         for name, task in vars(tasks).items() if isinstance(task, Task)}\n"
        "print(json.dumps(found))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", dump],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "HUB_LANG": language},
        check=True,
    )
    return json.loads(result.stdout)


def test_every_task_s_menu_line_and_option_help_is_translated() -> None:
    german, english = _menu_texts("de"), _menu_texts("en")
    assert german.keys() == english.keys() and len(german) >= 12
    untranslated = [
        f"{name} {option or '(menu line)'}: {text!r}"
        for name, texts in german.items()
        for option, text in texts.items()
        if not text or text == english[name][option]
    ]
    assert not untranslated, "the same in German and English (not through _()):\n" + "\n".join(untranslated)
