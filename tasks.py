"""The user's menu: `invoke --list`. Each task has a one-line docstring."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

DEV_CONF = ROOT / "pelicanconf.py"
PROD_CONF = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"


def _settings(prod: bool, **overrides):
    from pelican.settings import read_settings

    return read_settings(str(PROD_CONF if prod else DEV_CONF), override=overrides or None)


def _pelican(c, prod: bool, extra: str = "") -> None:
    conf = PROD_CONF if prod else DEV_CONF
    # Production: any logged error fails the build.
    fatal = "--fatal errors" if prod else ""
    c.run(f'"{sys.executable}" -m pelican "{ROOT / "content"}" -o "{OUTPUT}" -s "{conf}" {fatal} {extra}', pty=False)


def _paths(content: str | None, calendar: str | None) -> dict[str, str]:
    overrides = {}
    if content:
        overrides["PATH"] = str(Path(content).resolve())
    if calendar:
        overrides["HUB_CALENDAR"] = str(Path(calendar).resolve())
    return overrides


@task(help={"prod": "use production settings (publishconf.py)"})
def build(c, prod=False):
    """Build the site into output/ (development settings, or --prod)."""
    _pelican(c, prod)


@task(help={"port": "port to serve on (default 8000)", "prod": "use production settings"})
def serve(c, port=8000, prod=False):
    """Preview on http://localhost:8000, rebuilding on every change."""
    _pelican(c, prod, f"--autoreload --listen --bind 127.0.0.1 --port {int(port)}")


@task
def clean(c):
    """Remove output/ and the caches."""
    for folder in (OUTPUT, ROOT / "cache"):
        if folder.exists():
            shutil.rmtree(folder)
            print(f"removed {folder.relative_to(ROOT)}/")


@task(
    help={
        "strict": "treat warnings as errors",
        "prod": "check with production settings (publishconf.py)",
        "format": "text (default) or json",
        "content": "content folder to check instead of the configured one",
        "calendar": "editorial calendar to use instead of the configured one",
    }
)
def check(c, strict=False, prod=False, format="text", content=None, calendar=None):
    """Validate all posts, pages and the calendar without rendering; exit 1 on errors."""
    from content_model.loader import check_content
    from content_model.pelican_settings import SettingsError, content_settings

    try:
        settings = content_settings(
            _settings(prod, **_paths(content, calendar)), strict=strict or None, display_root=Path.cwd()
        )
    except SettingsError as error:
        raise Exit(f"configuration: {error}", code=2) from None
    result = check_content(settings)
    report = result.report
    if format == "json":
        print(report.to_json())
    else:
        for finding in report.findings:
            print(finding.render())
        print(report.summary(result.files_checked), file=sys.stderr)
    if report.errors:
        raise Exit(code=1)


@task(
    help={
        "title": "title of the post",
        "author": "team id of the author (see editorial_calendar.yaml)",
        "category": "category (default: Allgemein)",
        "lang": "language (default: de)",
        "date": "publication date and time, e.g. '2026-12-01 09:00' (default: next working day 09:00)",
        "content": "content folder to write into instead of the configured one",
        "calendar": "editorial calendar to use instead of the configured one",
    }
)
def new(c, title, author, category="Allgemein", lang="de", date=None, content=None, calendar=None):
    """Scaffold a post with valid front matter: invoke new "Titel" --author jdoe."""
    from content_model.scaffold import ScaffoldError, scaffold_post

    settings = _settings(False, **_paths(content, calendar))
    try:
        path = scaffold_post(settings, title=title, author=author, category=category, lang=lang, when=date)
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    print(f"created {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
