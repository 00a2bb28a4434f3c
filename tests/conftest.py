"""Shared helpers: write small sites into temporary folders and build them for real."""

from __future__ import annotations

import logging
import os
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from chromium import Chromium, chromium_binary, local_server
from pelican import Pelican
from pelican.log import LimitFilter
from pelican.settings import read_settings
from postgres import PostgresServer, postgres_binaries, postgres_server

ROOT = Path(__file__).resolve().parent.parent
BERLIN = ZoneInfo("Europe/Berlin")
# Every test runs at this moment, never on the real clock: the sample site and the
# cadence rules depend on "now". Tests that need another moment travel themselves.
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN)
CLOCK = Path(__file__).resolve().parent / "clock"  # sitecustomize.py: subprocesses run at NOW too

CALENDAR = """\
timezone: Europe/Berlin
team:
  - id: jdoe
    name: Jana Döring
    role: Redakteurin
    email: j.doering@example.com
    bio: Jana schreibt über Technik.
    rights: [author, editor]
    approves: all
  - id: mmuster
    name: Max Muster
    role: Auszubildender
    rights: [author]
  - id: eeditor
    name: Eva Editor
    role: Chefredakteurin
    rights: [editor]
    approves: all
"""

LEGAL_PAGES = {
    "pages/impressum.md": "---\ntitle: Impressum\nslug: impressum\n---\nAngaben gemäß § 5 DDG.\n",
    "pages/datenschutz.md": "---\ntitle: Datenschutzerklärung\nslug: datenschutz\n---\nKeine Cookies.\n",
}


def post(**fields: Any) -> str:
    """A post file: YAML front matter from `fields` (values written as given) plus a body."""
    body = fields.pop("body", "Ein kurzer Text.\n")
    lines = ["---"] + [f"{key}: {value}" for key, value in fields.items()] + ["---", "", body]
    return "\n".join(lines)


def valid_post(**overrides: Any) -> str:
    fields: dict[str, Any] = {
        "title": '"Ein gültiger Beitrag"',
        "date": "2026-11-18 09:00 +01:00",
        "authors": "[jdoe]",
        "category": "Technik",
    }
    fields.update(overrides)
    return post(**{k: v for k, v in fields.items() if v is not None})


@dataclass
class Site:
    root: Path
    files: dict[str, str] = field(default_factory=dict)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def calendar(self) -> Path:
        return self.root / "editorial_calendar.yaml"

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def settings(self, prod: bool = False, **overrides: Any) -> dict[str, Any]:
        conf = ROOT / ("publishconf.py" if prod else "pelicanconf.py")
        values = {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "HUB_CALENDAR": str(self.calendar),
            "THEME": str(ROOT / "themes" / "hub"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            # Pelican's default is ./cache, in the repository: every test site keeps its own caches.
            "CACHE_PATH": str(self.root / "cache"),
        }
        values.update(overrides)
        return read_settings(str(conf), override=values)

    def build(self, prod: bool = False, **overrides: Any) -> Path:
        Pelican(settings=self.settings(prod, **overrides)).run()
        return self.output

    def approve(self, relative: str, by: str = "eeditor", at: datetime | None = None) -> str:
        """Record an approval with the real `invoke approve` code; returns its message."""
        from hub_content.pelican_settings import content_settings
        from hub_review.approve import approve_post

        settings = content_settings(self.settings(True), display_root=self.root)
        return approve_post(self.content / relative, by, at or NOW, settings).message

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / relative).read_text(encoding="utf-8"), "html.parser")

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


@pytest.fixture(autouse=True)
def fresh_pelican_log_filter() -> None:
    """Pelican logs a message once per process (LimitFilter): one test's build must not swallow the
    warning another test looks for."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


@pytest.fixture(autouse=True, scope="session")
def subprocesses_at_the_fixed_moment() -> Iterator[None]:
    """Builds and tasks started with subprocess run at NOW too (tests/clock/sitecustomize.py)."""
    saved = {name: os.environ.get(name) for name in ("HUB_TEST_NOW", "PYTHONPATH")}
    os.environ["HUB_TEST_NOW"] = NOW.isoformat()
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(CLOCK), saved["PYTHONPATH"]) if p)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def messages_in_the_default_language() -> Iterator[None]:
    """Each test starts with no language chosen (German, unless its settings say otherwise), and a
    test that chose one (a build, `use_language`) leaves nothing behind for the next."""
    from hub_core import i18n

    before = os.environ.pop(i18n.ENVIRONMENT, None)
    i18n._chosen = i18n._passed_on = i18n._from_outside = None
    yield
    i18n._chosen = i18n._passed_on = i18n._from_outside = None
    os.environ.pop(i18n.ENVIRONMENT, None)
    if before is not None:
        os.environ[i18n.ENVIRONMENT] = before


@pytest.fixture(autouse=True)
def fixed_now() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """A minimal valid site: calendar, legal pages, no posts yet."""
    result = Site(tmp_path / "site")
    result.root.mkdir()
    result.calendar.write_text(CALENDAR, encoding="utf-8")
    for relative, text in LEGAL_PAGES.items():
        result.write(relative, text)
    (result.content / "images").mkdir()
    return result


def build_sample(output: Path, prod: bool = False, **overrides: Any) -> None:
    """Build the project's own sample site (content/, pelicanconf.py or publishconf.py) into `output`."""
    conf = ROOT / ("publishconf.py" if prod else "pelicanconf.py")
    settings = read_settings(str(conf), override={"OUTPUT_PATH": str(output), **overrides})
    with time_machine.travel(NOW, tick=True):  # module-scoped builds run outside the autouse fixture
        Pelican(settings=settings).run()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The sample site's production build, served on a random loopback port (SITEURL names that port)."""
    output = tmp_path_factory.mktemp("served") / "out"
    with local_server(output) as base:
        build_sample(output, prod=True, SITEURL=base)
        yield output, base


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = chromium_binary()
    if binary is None:
        missing = "the browser tests need Chromium at /usr/bin/chromium or on PATH (Debian: apt-get install chromium)"
        if os.environ.get("CI"):  # .ci/run installs it: a browser test never passes in CI by skipping
            pytest.fail(missing)
        pytest.skip(missing)
    chromium = Chromium(binary, tmp_path_factory.mktemp("chromium") / "profile")
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on a loopback port for the whole session, stopped at its end."""
    binaries = postgres_binaries()
    if binaries is None:
        missing = "the PostgreSQL tests need initdb and pg_ctl (Debian: apt-get install postgresql)"
        if os.environ.get("CI"):  # .ci/run installs it: a store test never passes in CI by skipping
            pytest.fail(missing)
        pytest.skip(missing)
    with postgres_server(binaries) as server:
        yield server


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres.database()


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible server (moto) on a loopback port, shared by a test module's tests."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def make_image(site: Site) -> Callable[..., Path]:
    from PIL import Image

    def make(relative: str, size: tuple[int, int] = (800, 450), color: str = "steelblue") -> Path:
        path = site.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, color).save(path)
        return path

    return make


class RecordingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log_warnings():
    """Collect every warning or error logged during the test (Pelican's and ours)."""
    handler = RecordingHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
