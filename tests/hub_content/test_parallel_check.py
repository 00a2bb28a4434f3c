"""Big sites are checked in several processes: the result must be exactly the serial one."""

from __future__ import annotations

import pytest
from conftest import Site, valid_post
from hub_content import loader
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_content.slots import SITE_CHECK
from hub_core import state
from hub_core.errors import BuildStopped
from pelican import Pelican


@pytest.fixture
def many(site: Site) -> Site:
    for number in range(12):
        site.write(f"posts/p{number:02d}.md", valid_post(title=f'"Beitrag {number}"', slug=f"p{number:02d}"))
    site.write("posts/kaputt.md", valid_post(title="no", authors="[niemand]"))
    # Written the stock Pelican way: checked like the others (it needs an author from the team too).
    site.write("posts/alt.md", "Title: Stock Pelican\nDate: 2026-11-01 10:00\nAuthor: jdoe\n\nText.\n")
    return site


def test_parallel_and_serial_checks_agree(many: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = content_settings(many.settings(), display_root=many.root)
    serial = check_content(settings)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    assert loader._workers(14) > 1 or pytest.skip("one core or no fork on this machine")
    parallel = check_content(settings)
    assert parallel.report.findings == serial.report.findings
    assert [f.check for f in parallel.report.errors] == ["yaml-trap", "unknown-author"]
    assert list(parallel.items) == list(serial.items)
    assert {p: i.title for p, i in parallel.items.items()} == {p: i.title for p, i in serial.items.items()}
    assert {p: d.body for p, d in parallel.documents.items()} == {p: d.body for p, d in serial.documents.items()}


def test_a_build_checked_in_parallel_renders_every_post(many: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    (many.content / "posts/kaputt.md").unlink()
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    many.build()
    for number in range(12):
        assert f"Beitrag {number}" in many.html(f"2026/p{number:02d}/index.html").find("h1").get_text()
    assert many.html("2026/stock-pelican/index.html").find("h1").get_text(strip=True) == "Stock Pelican"


@pytest.mark.parametrize(
    ("language", "trap", "author", "summary"),
    [
        (
            "de",
            "YAML liest `no` ohne Anführungszeichen als Wahrheitswert",
            "; gefunden: „niemand“",
            "nichts wurde geschrieben",
        ),
        (
            "en",
            "YAML reads `no` without quotation marks as the truth value",
            ", found 'niemand'",
            "nothing was written",
        ),
    ],
)
def test_the_workers_speak_the_language_of_the_settings(
    many: Site, monkeypatch: pytest.MonkeyPatch, language: str, trap: str, author: str, summary: str
) -> None:
    """The findings are made in the worker processes: they follow the build's HUB_LANG as the build does."""
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    monkeypatch.setenv("HUB_WORKERS", "2")
    assert loader._workers(14) == 2
    pelican = Pelican(settings=many.settings(HUB_LANG=language))
    with pytest.raises(BuildStopped) as stopped:
        pelican.run()
    assert str(stopped.value).endswith(
        summary + ("; die bisherige Ausgabe bleibt unverändert" if language == "de" else "")
    )
    build = state.finished(pelican)
    checked = build.get(SITE_CHECK) if build else None
    assert checked is not None
    messages = {finding.check: finding.message for finding in checked.report.errors}
    assert messages["yaml-trap"].startswith(trap)
    assert messages["unknown-author"].endswith(author)
