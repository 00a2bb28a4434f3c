"""The benchmark's generated site is valid (no timing here: bench/run.py reports speed).

Our checks and the review gate accept what bench/sitegen.py writes, its
approvals are real ones, and plain Pelican builds the converted copy: one
HTML page per post, with the metadata read as metadata. The images case runs
end to end on two small photos and writes every variant it compares; the stats
case counts a tiny generated month with invoke stats.
"""

from __future__ import annotations

import collections
import gzip
import os
from datetime import date, datetime, timedelta
from pathlib import Path

from conftest import ROOT
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_review.runner import run_gate
from hub_stats.store import FiguresStore
from pelican import Pelican
from pelican.settings import read_settings
from PIL import Image

from bench import images, logsgen, run, sitegen

POSTS = 30


def test_generated_site_passes_the_checks_and_most_posts_are_approved(tmp_path: Path) -> None:
    content = sitegen.generate(tmp_path, POSTS)
    settings = content_settings(
        read_settings(str(ROOT / "publishconf.py"), override={"PATH": str(content)}), display_root=tmp_path
    )
    assert settings.calendar_file == tmp_path / sitegen.CALENDAR

    site_check = check_content(settings)

    assert [f.render() for f in site_check.report.errors] == []
    assert len(site_check.items) == POSTS + len(sitegen.LEGAL)
    result, report = run_gate(site_check, settings, sitegen.NOW, {})
    checks = collections.Counter(f.check for f in report.findings)
    assert checks["self-approval"] == checks["approver-rights"] == 0
    approved = [p for p in result.posts if p.verdict.approved]
    assert len(approved) >= 0.8 * POSTS
    states = {p.state.value for p in result.posts}
    assert {"published", "scheduled", "in review"} <= states
    assert any(s.post is not None for s in result.slots)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = sitegen.generate(tmp_path / "a", 10)
    second = sitegen.generate(tmp_path / "b", 10)
    files = sorted(p.relative_to(first) for p in first.rglob("*.md"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.md"))
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_plain_pelican_builds_the_converted_copy(tmp_path: Path) -> None:
    sitegen.generate(tmp_path, POSTS)
    source = sitegen.pelican_copy(tmp_path)
    output = tmp_path / "output"
    settings = read_settings(None, override={**sitegen.PLAIN_PELICAN, "PATH": str(source), "OUTPUT_PATH": str(output)})

    Pelican(settings).run()

    for number in range(POSTS):
        slug = f"beitrag-{number:05d}"
        pages = [output / f"{slug}.html", output / "drafts" / f"{slug}.html"]
        built = [p for p in pages if p.is_file()]
        assert len(built) == 1, f"{slug}: expected one HTML page, found {built}"
        html = built[0].read_text(encoding="utf-8")
        assert f"({number})</a>" in html or f"({number})</h1>" in html  # the title, as the title
        assert "Slug:" not in html and "Authors:" not in html
    assert (output / "pages" / "impressum.html").is_file()
    assert os.listdir(output / "author")  # authors by name from the calendar


def test_image_case_runs_on_small_photos(tmp_path: Path) -> None:
    # Wider than the largest width (1600), so every compared variant exists; small enough to be quick.
    size = (1640, 1230)

    measurement = run.measure_images(tmp_path, 2, size=size, warm_repeat=1, sample=1)

    photos = images.sources(tmp_path / "photos")
    assert [p.name for p in photos] == ["IMG_0000.jpg", "IMG_0001.jpg"]
    with Image.open(photos[0]) as photo:
        assert photo.size == size
        assert photo.getexif().get_ifd(0x8825)[0x0001] == "N"  # a phone's GPS position
    sides = [tmp_path / "ours-cold", tmp_path / "ours-warm-0"]
    for photo in photos:
        for width in images.WIDTHS:
            for fmt in images.FORMATS:
                for side in sides:
                    path = images.ours_path(side, photo, width, fmt)
                    with Image.open(path) as variant:
                        assert variant.width == width
                        assert variant.format == fmt.upper()
                        assert not variant.getexif()
                if images.pip_available():
                    with Image.open(images.pip_path(tmp_path / "pip", photo, width, fmt)) as variant:
                        assert width - 1 <= variant.width <= width  # its int() makes 479 of 479.999…
                        assert variant.format == fmt.upper()
    assert measurement.seconds > 0
    assert "images: 2 photos of 1640×1230" in measurement.detail
    assert "MISSING" not in measurement.detail
    if images.pip_available():
        assert "same on both sides (same quality): yes" in measurement.detail
    assert "images" in run.CASES and not run.CASES["images"].needs_site


def test_photos_are_deterministic() -> None:
    first, second = images.photo(7, (320, 240)), images.photo(7, (320, 240))
    assert first.tobytes() == second.tobytes()
    assert images.photo(8, (320, 240)).tobytes() != first.tobytes()


def test_production_build_cases_run_on_a_small_site(tmp_path: Path, monkeypatch) -> None:
    # The build cases end to end (no timing): cold, warm and edit, each a real production build
    # (publishconf.py, --fatal errors) of a site made for the real clock, which the gate judges by.
    monkeypatch.setattr(run, "WARM_REPEAT", 1)
    now = sitegen.anchor()
    run.prepare(tmp_path, 25, now)
    site = run.Site(tmp_path, 25, now=now)
    assert abs(now - datetime.now(sitegen.BERLIN)) <= timedelta(days=4)
    assert sorted(p.name for p in (site.content / sitegen.HEADER_IMAGE_DIR).iterdir()) == [
        "kopfbild-03.jpg",
        "kopfbild-24.jpg",
    ]

    cold = run.cold(site)

    assert cold.peak_mib and cold.peak_mib > 20 and cold.tree_mib
    assert "social cards" in cold.note and "cards rendered" in cold.note
    assert list((site.output / "images" / "cards").rglob("*.jpg"))
    assert list((site.output / sitegen.HEADER_IMAGE_DIR).glob("kopfbild-*.webp"))  # the image pipeline's variants
    assert not list((ROOT / "cache").glob("pelican*"))  # Pelican's own cache stays in the site folder

    warm = run.warm(site)
    edited = run.edit_target(site)
    before = edited.read_text(encoding="utf-8")
    edit = run.edit(site)  # checks that the edit is in the built page

    assert len(warm.runs) == len(edit.runs) == 1
    assert edited.read_text(encoding="utf-8") == before  # restored
    assert str(edited.relative_to(site.content)) in edit.note
    case = run.CASES["warm"]
    assert run.verdict(case, warm, 0.4) == "PASS" and run.verdict(case, warm, 0.6) == "FAIL (time)"


def test_stats_case_counts_generated_logs_with_invoke_stats(tmp_path: Path) -> None:
    # A tiny run of the stats case (no timing): a month of generated logs, invoke stats over the
    # first half and over all of it, each in a fresh process, and the figures they wrote.
    measurement = run.stats_case(run.Site(tmp_path, 0, lines=6000))

    assert "stats" in run.CASES and not run.CASES["stats"].needs_site
    assert measurement.verdict.startswith(("PASS", "FAIL"))
    assert "6,000 lines of combined log" in measurement.detail and "| full | 30 | 6,000 |" in measurement.detail
    assert "| half | 16 |" in measurement.detail and "10 million lines" in measurement.detail
    assert measurement.peak_mib and measurement.peak_mib > 20 and len(measurement.runs) == 2
    store = FiguresStore(tmp_path / "stats" / "site-full" / "data" / "stats")
    days = store.days(date(2026, 10, 31), date(2026, 11, 30))
    assert [day.day for day in days] == store.counted_days()  # rotated at local midnight: 31 UTC days
    views = sum(day.total_views for day in days)
    filtered = collections.Counter[str]()
    for day in days:
        filtered.update(day.filtered)
    assert 0.2 < views / 6000 < 0.35 and 0.25 < filtered["bot"] / 6000 < 0.45
    assert filtered["feed"] and filtered["health"] and filtered["prefetch"] and filtered["asset"]
    channels = {channel for day in days for channel in day.channels}
    assert {"linkedin", "xing", "intranet"} <= channels <= set(logsgen.site_from().channels)
    assert any("feedly" in services for day in days for services in day.subscribers.values())
    assert any(path.startswith("/wp-") for day in days for path in day.not_found)


def test_log_generator_is_deterministic_and_uses_the_sites_addresses(tmp_path: Path) -> None:
    site = logsgen.site_from()
    first = logsgen.generate(tmp_path / "a", 900, days=3, site=site)
    second = logsgen.generate(tmp_path / "b", 900, days=3, site=site)
    other = logsgen.generate(tmp_path / "c", 900, days=3, site=site, seed=7)
    assert [p.name for p in first] == ["access.log-20261101.gz", "access.log-20261102.gz", "access.log-20261103.gz"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    text = "".join(gzip.decompress(p.read_bytes()).decode() for p in first)
    assert text.count("\n") == 900
    assert "/2026/dauerlauf-pruefstand/" in site.pages and "/2026/dauerlauf-pruefstand/ HTTP" in text
    cloudfront = logsgen.generate(tmp_path / "cf", 300, days=1, site=site, log_format="cloudfront")
    lines = gzip.decompress(cloudfront[0].read_bytes()).decode().splitlines()
    assert lines[1].startswith("#Fields: date time") and len(lines) == 302
