"""The review gate in real Pelican builds: production leaves out what must not go live, development says why."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from conftest import BERLIN, CALENDAR, Site, valid_post
from hub_core.errors import BuildStopped

FEEDS = {
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
    "AUTHOR_FEED_ATOM": "feeds/{slug}.atom.xml",
    "TAG_FEED_ATOM": "feeds/tag-{slug}.atom.xml",
    "TRANSLATION_FEED_ATOM": "feeds/all-{lang}.atom.xml",
}


def everything(output: Path) -> str:
    """Every file the site consists of, paths and contents."""
    parts = []
    for path in sorted(output.rglob("*")):
        parts.append(path.relative_to(output).as_posix())
        if path.is_file() and path.suffix in (".html", ".xml", ".txt", ".json", ".ics"):
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


@pytest.fixture
def mixed(site: Site) -> Site:
    """An approved post, an unapproved one with a unique tag, category and translation, one in a freeze."""
    site.calendar.write_text(
        CALENDAR + "freeze:\n  - from: 2026-11-16\n    to: 2026-11-17\n    reason: Betriebsversammlung\n",
        encoding="utf-8",
    )
    site.write("posts/frei.md", valid_post(title='"Freigegeben"', slug="freigegeben", tags="[Labor]"))
    site.write(
        "posts/geheim.md",
        valid_post(
            title='"Geheimes Projekt"',
            slug="geheim",
            date="2026-11-19 09:00 +01:00",
            category="Vertraulich",
            tags="[Nurhier]",
            authors="[mmuster]",
            summary='"Zusammenfassung des Geheimprojekts"',
        ),
    )
    site.write(
        "posts/geheim.en.md",
        valid_post(title='"Secret project"', lang="en", translation_of="geheim", slug="secret", authors="[mmuster]"),
    )
    site.write(
        "posts/eingefroren.md", valid_post(title='"Eingefroren"', slug="eingefroren", date="2026-11-17 10:00 +01:00")
    )
    site.approve("posts/frei.md")
    site.approve("posts/eingefroren.md")
    site.approve("posts/geheim.en.md")  # the translation is approved, the original is not
    return site


def test_production_leaves_held_posts_out_of_every_output(mixed: Site, log_warnings) -> None:
    output = mixed.build(prod=True, **FEEDS)
    site_text = everything(output)
    assert "Freigegeben" in site_text and (output / "2026/freigegeben/index.html").is_file()
    for trace in ("Geheimes Projekt", "Geheimprojekt", "geheim", "Vertraulich", "vertraulich", "Nurhier", "nurhier"):
        assert trace not in site_text, trace
    assert "Eingefroren" not in site_text and "eingefroren" not in site_text
    # The approved translation of a held post is published on its own, without a link to the held original.
    assert (output / "en/2026/secret/index.html").is_file()
    held = [r.getMessage() for r in log_warnings if "held-back" in r.getMessage()]
    assert len(held) == 2
    assert any("posts/geheim.md" in m and "not approved yet" in m for m in held)
    assert any("posts/eingefroren.md" in m and "Betriebsversammlung" in m for m in held)


def test_development_renders_held_posts_with_a_banner(mixed: Site) -> None:
    mixed.build()
    held = mixed.html("2026/geheim/index.html")
    assert "Nicht freigegeben – wird nicht veröffentlicht" in held.get_text()
    assert held.find(class_="status-banner--held")
    approved = mixed.html("2026/freigegeben/index.html")
    assert not approved.find(class_="status-banner")


def test_strict_production_build_fails_on_held_posts(mixed: Site) -> None:
    with pytest.raises(BuildStopped, match="review_gate: 2 error"):
        mixed.build(prod=True, HUB_STRICT=True, HUB_CHECKS={"gap-ahead": "off"})


def test_the_crisis_switch_stops_everything_new(mixed: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    mixed.write("posts/heute.md", valid_post(title='"Heute früh"', slug="heute", date="2026-11-21 08:00 +01:00"))
    mixed.approve("posts/heute.md")
    monkeypatch.setenv("HUB_CRISIS_STOP", "Brand im Werk")
    output = mixed.build(prod=True)
    assert not (output / "2026/heute").exists()
    assert (output / "2026/freigegeben/index.html").is_file()  # what was live before today stays
    monkeypatch.setenv("HUB_CRISIS_SINCE", "2026-11-18 00:00 +01:00")
    output = mixed.build(prod=True)
    assert not (output / "2026/heute").exists() and not (output / "2026/freigegeben").exists()
    monkeypatch.setenv("HUB_CRISIS_SINCE", "gestern")
    with pytest.raises(BuildStopped, match="HUB_CRISIS_SINCE: expected a date"):
        mixed.build(prod=True)


def test_a_stale_blog_fails_the_production_build_only(site: Site, fixed_now) -> None:
    site.write("posts/alt.md", valid_post(title='"Alt"', date="2026-11-01 09:00 +01:00"))
    site.approve("posts/alt.md")
    site.build()  # development: a warning for the editors, not a failure
    with pytest.raises(BuildStopped, match="review_gate: 1 error"):
        site.build(prod=True)


@pytest.mark.parametrize("layer", ["reader", "generator"])
def test_a_scheduled_post_goes_live_on_the_first_build_after_its_date_even_from_the_content_cache(
    site: Site, fixed_now, layer: str
) -> None:
    # With the "generator" layer Pelican caches whole Article objects, with their "future → draft" status.
    site.write("posts/frueh.md", valid_post(title='"Früher Beitrag"', slug="frueh"))
    site.write("posts/geplant.md", valid_post(title='"Geplant"', slug="geplant", date="2026-11-23 09:00 +01:00"))
    site.approve("posts/frueh.md")
    site.approve("posts/geplant.md")
    cache = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": layer,
        "CACHE_PATH": str(site.root / "cache" / "pelican"),
    }
    output = site.build(prod=True, **cache)
    assert not (output / "2026/geplant").exists()
    assert list((site.root / "cache" / "pelican").iterdir()), "Pelican's content cache was not written"
    fixed_now.move_to(datetime(2026, 11, 23, 9, 30, tzinfo=BERLIN))
    output = site.build(prod=True, **cache)  # the file is unchanged: Pelican takes the cached draft
    assert (output / "2026/geplant/index.html").is_file()
    assert "Geplant" in (output / "index.html").read_text(encoding="utf-8")
