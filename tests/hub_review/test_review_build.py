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
    assert any("posts/geheim.md" in m and "noch nicht freigegeben" in m for m in held)
    assert any("posts/eingefroren.md" in m and "Betriebsversammlung" in m for m in held)


def banner(site: Site, relative: str) -> str:
    found = site.html(relative).find(class_="status-banner")
    return found.get_text(strip=True) if found else ""


def test_development_renders_held_posts_with_a_banner_that_says_why(mixed: Site) -> None:
    mixed.build()
    held = mixed.html("2026/geheim/index.html")
    assert held.find(class_="status-banner--held")
    assert banner(mixed, "2026/geheim/index.html") == (
        "Nicht freigegeben: noch keine Freigabe – nötig ist eine Freigabe (invoke approve)"
    )
    # Approved, but dated inside the freeze of 16 and 17 November.
    assert banner(mixed, "2026/eingefroren/index.html") == (
        "Zurückgehalten: Das Datum liegt im Veröffentlichungsstopp von 16.11.2026 00:00 bis 18.11.2026 00:00 "
        "(Betriebsversammlung)"
    )
    assert banner(mixed, "2026/freigegeben/index.html") == ""


def test_a_post_changed_after_its_approval_says_so_in_the_preview_and_stays_out_of_production(site: Site) -> None:
    path = site.write("posts/a.md", valid_post(title='"Motorenprüfstand"', slug="motor"))
    site.approve("posts/a.md", at=datetime(2026, 11, 20, 14, 3, tzinfo=BERLIN))
    site.build()
    assert banner(site, "2026/motor/index.html") == ""  # approved and live: no banner
    path.write_text(path.read_text(encoding="utf-8").replace("Ein kurzer Text.", "Ein geänderter Text."))
    site.build()
    page = site.html("2026/motor/index.html")
    assert page.find(class_="status-banner--held")
    assert banner(site, "2026/motor/index.html") == (
        "Freigabe veraltet: nach der Freigabe durch Eva Editor am 20.11.2026 geändert – bitte neu freigeben"
    )
    output = site.build(prod=True, HUB_CHECKS={"approval-stale": "warning", "stale-blog": "off"})
    assert not (output / "2026/motor").exists()
    assert "status-banner" not in everything(output)


def test_a_post_its_author_approved_says_four_eyes_in_the_preview(site: Site) -> None:
    path = site.write("posts/a.md", valid_post(title='"Selbst"', slug="selbst"))
    site.approve("posts/a.md")
    path.write_text(path.read_text(encoding="utf-8").replace("by: eeditor", "by: jdoe"))  # jdoe wrote it
    site.build(HUB_CHECKS={"self-approval": "warning"})
    assert banner(site, "2026/selbst/index.html") == (
        "Nicht freigegeben: Jana Döring hat diesen Beitrag mitgeschrieben und kann ihn nicht freigeben "
        "(Vier-Augen-Prinzip) – eine andere Person der Redaktion muss ihn freigeben"
    )


def test_the_banner_and_the_gate_speak_english_when_the_site_asks_for_it(site: Site, log_warnings) -> None:
    path = site.write("posts/a.md", valid_post(title='"Motor"', slug="motor"))
    site.approve("posts/a.md", at=datetime(2026, 11, 20, 14, 3, tzinfo=BERLIN))
    path.write_text(path.read_text(encoding="utf-8").replace("Ein kurzer Text.", "Ein geänderter Text."))
    site.build(HUB_LANG="en")
    assert banner(site, "2026/motor/index.html") == (
        "Approval out of date: changed after the approval by Eva Editor on 2026-11-20 – please approve again"
    )
    with pytest.raises(BuildStopped, match=r"^review_gate: 1 error; nothing was written$"):
        site.build(prod=True, HUB_LANG="en")
    held = [r.getMessage() for r in log_warnings if "held-back" in r.getMessage()]
    assert held == [
        "review_gate: content/posts/a.md:3: status: held back, not published or cross-posted: "
        "content changed after approval by eeditor on 2026-11-20: re-approve [warning: held-back]"
    ]


def test_strict_production_build_fails_on_held_posts(mixed: Site) -> None:
    with pytest.raises(BuildStopped, match="review_gate: 2 Fehler; nichts wurde geschrieben"):
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
    with pytest.raises(BuildStopped, match="HUB_CRISIS_SINCE: erwartet: ein Datum"):
        mixed.build(prod=True)


def test_a_stale_blog_fails_the_production_build_only(site: Site, fixed_now) -> None:
    site.write("posts/alt.md", valid_post(title='"Alt"', date="2026-11-01 09:00 +01:00"))
    site.approve("posts/alt.md")
    site.build()  # development: a warning for the editors, not a failure
    with pytest.raises(BuildStopped, match="review_gate: 1 Fehler; nichts wurde geschrieben"):
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
