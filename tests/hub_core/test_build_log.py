"""Errors a person can act on: one line per problem, no traceback unless asked, lines CI can read.

The rendering functions are tested directly; the build log as a user and CI meet it, by running the
real `invoke build` in a project folder of its own (tasks.py and the settings copied, plugins and
theme linked) whose paths are longer than any terminal.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CALENDAR, LEGAL_PAGES, ROOT, Site, valid_post
from hub_core import i18n
from hub_core.build_log import ExplainStops, write_code_quality_report
from hub_core.findings import (
    Finding,
    Level,
    ci_lines,
    code_quality_issue,
    code_quality_report,
    github_annotation,
    is_ci,
    render_for_ci,
    repository_path,
)

LONG_NAME = "ein-sehr-langer-dateiname-fuer-einen-beitrag-ueber-die-neue-montagehalle-in-luedenscheid.md"
CI_ENV = {"CI": "true", "COLUMNS": "80"}
WITHOUT_CI = ("CI", "GITHUB_ACTIONS", "GITHUB_WORKSPACE", "GITLAB_CI", "CI_PROJECT_DIR", "COLUMNS", "PYTHONPATH")


# The rendering functions


def finding(**changes: object) -> Finding:
    values: dict[str, object] = {
        "path": "content/posts/2026/a.md",
        "line": 4,
        "field": "authors",
        "message": "expected a team id, found 'jdo' (did you mean 'jdoe'?)",
        "check": "unknown-author",
    }
    values.update(changes)
    return Finding(**values)  # type: ignore[arg-type]


def test_a_finding_is_one_line_in_ci_even_with_a_message_of_several() -> None:
    multi = finding(message="expected valid YAML, found a syntax error:\n  while parsing\n    a flow sequence")
    assert render_for_ci(multi) == (
        "content/posts/2026/a.md:4: authors: expected valid YAML, found a syntax error: while parsing a flow sequence"
        " [Fehler: unknown-author]"
    )
    assert render_for_ci(finding()) == finding().render()
    assert is_ci({}, isatty=False) and is_ci({"CI": "true"}, isatty=True) and not is_ci({}, isatty=True)


def test_github_annotation_escapes_what_github_reads_as_syntax() -> None:
    odd = finding(path="content/posts/a,b:c.md", message="100% sicher\nzweite Zeile", level=Level.WARNING)
    assert github_annotation(odd, {}) == (
        "::warning file=content/posts/a%2Cb%3Ac.md,line=4,title=unknown-author::authors: 100%25 sicher%0Azweite Zeile"
    )
    no_line = finding(line=0, field="")
    assert github_annotation(no_line, {}) == (
        "::error file=content/posts/2026/a.md,title=unknown-author::expected a team id, found 'jdo' (did you mean 'jdoe'?)"
    )
    assert ci_lines(finding(), {}) == [finding().render()]
    assert ci_lines(finding(), {"GITHUB_ACTIONS": "true"})[1].startswith("::error file=content/posts/2026/a.md,line=4")


def test_paths_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    environ = {"GITHUB_WORKSPACE": str(root)}
    assert repository_path("content/a.md", environ, base=root / "site") == "site/content/a.md"
    assert repository_path(str(root / "content/a.md"), environ) == "content/a.md"
    assert repository_path("content/a.md", environ) == "content/a.md"  # no base: taken as relative to the root
    assert repository_path("/elsewhere/a.md", environ) == "/elsewhere/a.md"
    assert repository_path("content/a.md", {}, base=root / "site") == "content/a.md"  # outside CI: as displayed


def test_gitlab_code_quality_report_keeps_earlier_issues_once(tmp_path: Path) -> None:
    environ = {"GITLAB_CI": "true", "CI_PROJECT_DIR": str(tmp_path)}
    issue = code_quality_issue(finding(), environ, base=tmp_path)
    assert issue == {
        "description": "authors: expected a team id, found 'jdo' (did you mean 'jdoe'?)",
        "check_name": "unknown-author",
        "fingerprint": issue["fingerprint"],
        "severity": "major",
        "location": {"path": "content/posts/2026/a.md", "lines": {"begin": 4}},
    }
    first = code_quality_report([finding()], environ, tmp_path)
    both = code_quality_report([finding(), finding(line=0, level=Level.WARNING)], environ, tmp_path, earlier=first)
    issues = json.loads(both)
    assert [i["location"]["lines"]["begin"] for i in issues] == [4, 1] and issues[1]["severity"] == "minor"

    written = write_code_quality_report([finding()], environ, base=tmp_path)
    assert written == tmp_path / "gl-code-quality-report.json"
    write_code_quality_report([finding(check="yaml-syntax")], environ, base=tmp_path)
    assert [i["check_name"] for i in json.loads(written.read_text())] == ["unknown-author", "yaml-syntax"]
    assert write_code_quality_report([finding()], {}) is None  # not under GitLab


def test_a_stop_the_user_can_act_on_loses_its_traceback_and_a_bug_keeps_it() -> None:
    import logging

    from hub_core.errors import BuildStopped

    def record(error: Exception) -> logging.LogRecord:
        try:
            raise error
        except Exception:
            made = logging.LogRecord("pelican", logging.CRITICAL, __file__, 1, "%s: %s", ("X", error), sys.exc_info())
        ExplainStops().filter(made)
        return made

    stop = record(BuildStopped("content_model: 2 error(s); nothing was written"))
    assert (stop.getMessage(), stop.exc_info, stop.levelname) == (
        "content_model: 2 error(s); nothing was written",
        None,
        "ERROR",
    )
    bug = record(ValueError("boom"))
    assert bug.getMessage().startswith("interner Fehler: ValueError: boom.") and bug.exc_info is not None
    assert bug.getMessage().endswith("bitte mit dem Traceback unten und dem Befehl als Issue melden")
    i18n.use_language("en")
    assert record(ValueError("boom")).getMessage() == (
        "internal error: ValueError: boom. This is a bug in the program (Hub, a plugin or Pelican), not in the"
        " content: please report it as an issue, with the traceback below and the command"
    )


# The real `invoke build`, as CI runs it


class Project:
    """A project folder like the repository: tasks.py, settings, calendar, content; plugins and theme linked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True)
        for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
            shutil.copy(ROOT / name, root / name)
        for name in ("plugins", "themes"):
            (root / name).symlink_to(ROOT / name, target_is_directory=True)
        (root / "editorial_calendar.yaml").write_text(CALENDAR, encoding="utf-8")
        for relative, text in LEGAL_PAGES.items():
            self.write(relative, text)
        (self.content / "images").mkdir()

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def invoke(self, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
        # No terminal: stdout and stderr are pipes, as in CI.
        clean = {k: v for k, v in os.environ.items() if k not in WITHOUT_CI}
        return subprocess.run(
            [sys.executable, "-m", "invoke", "-r", str(self.root), *args],
            capture_output=True,
            text=True,
            cwd=self.root,
            env={**clean, **environ},
            timeout=300,
        )


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "ein-projektordner-mit-einem-langen-namen")


def broken(project: Project) -> list[str]:
    """Three posts with errors, one of them under a name longer than a terminal; returns their paths."""
    long = project.write(f"posts/2026/{LONG_NAME}", valid_post(authors="[jdo]"))
    yaml = project.write("posts/2026/kaputt.md", "---\ntitle: [Kaputt\nauthors: [jdoe]\n---\nText.\n")
    date = project.write("posts/2026/datum.md", valid_post(title='"Datum"', date='"2026-02-30 10:00 +01:00"'))
    return [str(path.relative_to(project.root)) for path in (long, yaml, date)]


def assert_one_line_per_finding(output: str, paths: list[str]) -> None:
    assert "Traceback" not in output
    lines = output.splitlines()
    for path in paths:
        [line] = [line for line in lines if line.startswith(f"{path}:")]
        assert "[Fehler: " in line, line
    assert len(paths[0]) > 80
    assert any(line.startswith(f"{paths[0]}:4: authors: erwartet: eine Team-ID") for line in lines), output


@pytest.mark.parametrize("prod", [False, True], ids=["development", "production"])
def test_invoke_build_in_ci_prints_every_finding_on_one_unwrapped_line(project: Project, prod: bool) -> None:
    paths = broken(project)

    result = project.invoke("build", *(["--prod"] if prod else []), **CI_ENV)

    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert_one_line_per_finding(output, paths)
    # every error, also under --fatal errors
    assert (
        "ERROR: content_model: 3 Fehler, 0 Warnungen in 6 geprüften Dateien;"
        " nichts wurde geschrieben; die bisherige Ausgabe bleibt unverändert"
    ) in output
    assert "::" not in output  # not under GitHub Actions
    assert not (project.root / "gl-code-quality-report.json").exists()


def test_invoke_build_under_github_actions_annotates_each_finding(project: Project) -> None:
    paths = broken(project)
    workspace = str(project.root)

    result = project.invoke("build", "--prod", GITHUB_ACTIONS="true", GITHUB_WORKSPACE=workspace, **CI_ENV)

    assert result.returncode == 1
    assert_one_line_per_finding(result.stdout, paths)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error file=")]
    assert len(annotations) == 3
    assert f"::error file={paths[0]},line=4,title=unknown-author::authors: erwartet: eine Team-ID" in result.stdout
    assert any(
        line.startswith(f"::error file={paths[1]},line=") and "title=yaml-syntax" in line for line in annotations
    )


def test_invoke_build_under_gitlab_writes_a_code_quality_report(project: Project) -> None:
    paths = broken(project)

    result = project.invoke("build", GITLAB_CI="true", CI_PROJECT_DIR=str(project.root), **CI_ENV)

    assert result.returncode == 1
    assert_one_line_per_finding(result.stdout, paths)
    issues = json.loads((project.root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert sorted(issue["location"]["path"] for issue in issues) == sorted(paths)
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] == "major" and issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == 3


def test_production_shows_every_gate_error_and_keeps_the_output(project: Project) -> None:
    """Pelican's --fatal stopped at the first error logged; the gate's errors come all at once."""
    assert project.invoke("build", **CI_ENV).returncode == 0
    before = sorted(p.relative_to(project.output).as_posix() for p in project.output.rglob("*"))
    for slug in ("eins", "zwei"):  # approved by hand by their own author (`invoke approve` refuses that)
        post = project.write(f"posts/2026/{slug}.md", valid_post(title=f'"{slug}"', slug=slug))
        Site(project.root).approve(f"posts/2026/{slug}.md")
        post.write_text(post.read_text(encoding="utf-8").replace("by: eeditor", "by: jdoe"), encoding="utf-8")

    result = project.invoke("build", "--prod", **CI_ENV)

    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for slug in ("eins", "zwei"):
        assert any(line.startswith(f"content/posts/2026/{slug}.md:") and "self-approval" in line for line in lines)
    [summary] = [line for line in lines if line.startswith("ERROR: review_gate: ")]
    assert summary.endswith("3 Fehler; nichts wurde geschrieben, die bisherige Ausgabe bleibt unverändert")
    assert sorted(p.relative_to(project.output).as_posix() for p in project.output.rglob("*")) == before


def test_the_build_log_is_english_when_the_settings_say_so(project: Project) -> None:
    settings = project.root / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8") + '\nHUB_LANG = "en"\n')
    paths = broken(project)

    result = project.invoke("build", **CI_ENV)

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    [line] = [line for line in lines if line.startswith(f"{paths[0]}:4:")]
    assert line.startswith(f"{paths[0]}:4: authors: expected a team id or name from editorial_calendar.yaml (")
    assert line.endswith(", found 'jdo' (did you mean 'jdoe'?) [error: unknown-author]")
    [date] = [line for line in lines if line.startswith(f"{paths[2]}:")]
    assert "found '2026-02-30 10:00 +01:00' (the month 2026-02 has no day 30) [error: date-format]" in date
    assert "ERROR: content_model: 3 errors, 0 warnings in 6 files checked; nothing was written" in lines


@pytest.mark.parametrize(
    ("language", "summary"),
    [
        (
            "de",
            r"Fertig: 2 Beiträge, 0 Entwürfe, 0 verborgene Beiträge, 2 Seiten, 0 verborgene Seiten und 0 "
            r"Seitenentwürfe in \d+,\d\d Sekunden erzeugt\.",
        ),
        (
            "en",
            r"Done: Processed 2 articles, 0 drafts, 0 hidden articles, 2 pages, 0 hidden pages and 0 draft "
            r"pages in \d+\.\d\d seconds\.",
        ),
    ],
)
def test_pelican_s_last_line_speaks_the_team_s_language(project: Project, language: str, summary: str) -> None:
    """Pelican prints its summary outside the log; it is what an author reads after every build."""
    settings = project.root / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8") + f'\nHUB_LANG = "{language}"\n')
    for slug in ("eins", "zwei"):
        project.write(f"posts/2026/{slug}.md", valid_post(title=f'"{slug}"', slug=slug))

    result = project.invoke("build", **CI_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(summary, result.stdout.strip().splitlines()[-1]), result.stdout


def test_a_configuration_error_is_one_line(project: Project) -> None:
    settings = project.root / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nHUB_CHECKS = {'no-such-check': 'error'}\n")

    result = project.invoke("build", **CI_ENV)

    assert result.returncode == 2 and "Traceback" not in result.stdout
    [error] = [line for line in result.stdout.splitlines() if line.startswith("ERROR")]
    assert error.startswith("ERROR: HUB_CHECKS: erwartet: eine Prüfung aus ")
    settings.write_text(settings.read_text(encoding="utf-8") + "\nBROKEN = (\n")
    result = project.invoke("build", **CI_ENV)
    assert result.returncode == 1 and "Traceback" not in result.stdout
    assert f"ERROR: configuration: {settings}:" in result.stdout and "SyntaxError" in result.stdout


def test_a_bug_says_interner_fehler_with_the_traceback_and_debug_shows_every_traceback(project: Project) -> None:
    plugin = project.root / "extra_plugins" / "kaputt"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(
        "from pelican import signals\n\n\n"
        "def fail(generator):\n    raise ValueError('ein Fehler im Code')\n\n\n"
        "def register():\n    signals.article_generator_finalized.connect(fail)\n",
        encoding="utf-8",
    )
    settings = project.root / "pelicanconf.py"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + '\nPLUGIN_PATHS = ["plugins", "extra_plugins"]\nPLUGINS = [*PLUGINS, "kaputt"]\n'
    )
    project.write("posts/2026/a.md", valid_post())

    result = project.invoke("build", **CI_ENV)

    assert result.returncode == 1
    assert "CRITICAL: interner Fehler: ValueError: ein Fehler im Code. " in result.stdout
    assert "als Issue melden" in result.stdout and "Traceback (most recent call last)" in result.stdout

    (plugin / "__init__.py").write_text("def register():\n    pass\n", encoding="utf-8")
    project.write("posts/2026/b.md", valid_post(authors="[jdo]"))
    debug = project.invoke("build", "--debug", **CI_ENV)
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stdout
