"""The benchmark's generated site is valid (no timing here: bench/run.py reports speed).

Our checks and the review gate accept what bench/sitegen.py writes, its
approvals are real ones, and plain Pelican builds the converted copy: one
HTML page per post, with the metadata read as metadata. The images case runs
end to end on two small photos and writes every variant it compares. The image-heavy
site's photos are camera photos and its posts use them as a blog does; its cases run
end to end on a tiny version of it, and the preview case on a small posts site; the stats
case counts a tiny generated month with invoke stats.
"""

from __future__ import annotations

import collections
import gzip
import os
import random
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from conftest import ROOT
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_images.process import ImageSettings, fallback_width
from hub_review.runner import run_gate
from hub_stats.store import FiguresStore
from pelican import Pelican
from pelican.settings import read_settings
from PIL import Image

from bench import images, logsgen, photosite, run, sitegen

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
    # Both sides make what our <picture> links: the JPEG at the fallback width alone.
    assert images.FORMAT_WIDTHS["jpeg"] == (fallback_width(ImageSettings(widths=images.WIDTHS)),)
    for photo in photos:
        for width, fmt in images.comparable():
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
    # The build cases end to end (no timing): cold, warm, edit and add, each a real production build
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

    posts = sorted(site.content.rglob("*.md"))
    added = run.add(site)  # checks that the new post was built

    assert len(warm.runs) == len(edit.runs) == len(added.runs) == 1
    assert edited.read_text(encoding="utf-8") == before  # restored
    assert sorted(site.content.rglob("*.md")) == posts and "neu-aus-dem-labor-1.md" in added.note  # removed again
    assert str(edited.relative_to(site.content)) in edit.note
    case = run.CASES["warm"]
    assert run.verdict(case, warm, 0.25) == "PASS" and run.verdict(case, warm, 0.35) == "FAIL (time)"


def test_photos_of_the_image_heavy_site_are_camera_photos_from_phones(tmp_path: Path) -> None:
    # At a tenth of camera size: the sizes, the phones' EXIF and the sideways upright ones are what matters.
    photos = photosite.generate_photos(tmp_path, 3, scale=0.1)

    assert [p.file.name for p in photos] == ["photo-0000.jpg", "photo-0001.jpg", "photo-0002.jpg"]
    for photo in photos:
        with Image.open(photo.file) as opened:
            exif = opened.getexif()
            assert opened.size == ((403, 302) if photo.iphone else (400, 300))
            assert exif[0x0110] == ("iPhone 13" if photo.iphone else "Pixel 8")
            assert exif.get_ifd(0x8825)[0x0001] == "N"  # the GPS position
    marker = (tmp_path / photosite.MARKER).stat().st_mtime_ns
    assert photosite.generate_photos(tmp_path, 3, scale=0.1) == photos  # reused, not drawn again
    assert (tmp_path / photosite.MARKER).stat().st_mtime_ns == marker
    cameras = [photosite.camera(n) for n in range(photosite.PHOTOS)]
    assert 0.3 < sum(iphone for iphone, _ in cameras) / len(cameras) < 0.5
    assert 0.05 < sum(upright for _, upright in cameras) / len(cameras) < 0.15


def test_the_image_heavy_site_uses_its_photos_as_a_blog_does(tmp_path: Path) -> None:
    # The full size (700 posts, 650 photos), with one tiny file standing in for every photo.
    tiny = tmp_path / "tiny.jpg"
    Image.new("RGB", (8, 6)).save(tiny)
    photos = [photosite.Photo(n, tiny, n % 2 == 0) for n in range(photosite.PHOTOS)]
    posts = sitegen.make_posts(photosite.POSTS, random.Random(1), sitegen.END)

    use = photosite.illustrate_posts(posts, tmp_path / "content", photos, 1)

    assert use.used == photosite.PHOTOS  # every photo shown at least once …
    assert photosite.PHOTOS <= use.references < 1.3 * photosite.PHOTOS  # … a few of them twice
    assert 0.4 * photosite.POSTS < use.headers < 0.6 * photosite.POSTS
    assert 0.12 * photosite.POSTS < use.bodies < 0.28 * photosite.POSTS
    files = sorted((tmp_path / "content" / photosite.PHOTO_DIR).rglob("*.jpg"))
    assert len(files) == photosite.PHOTOS and {f.name[:4] for f in files} == {"IMG_", "PXL_"}
    header = next(p.image for p in posts if p.image is not None)
    assert (tmp_path / "content" / header.path).is_file()
    gallery = next(p.body for p in posts if p.body.count("]({static}/images/fotos/") >= photosite.GALLERY_FROM)
    assert "\n\n![" in gallery and not gallery.startswith("![")  # never before the first paragraph


def test_image_heavy_site_cases_run_on_a_tiny_site(tmp_path: Path, monkeypatch) -> None:
    # The image-heavy site end to end on 25 posts and 3 photos of 500 px (no timing): the reference and
    # the cold build with the share of images and cards, then one edit, each a real production build.
    monkeypatch.setattr(run, "WARM_REPEAT", 1)
    site = run.Site(tmp_path, 25, now=sitegen.anchor(), kind="images", photos=3, photo_scale=0.125)
    run.prepare_site(site)
    described = re.fullmatch(
        r"3 photos \(\d+ MB\), (\d+) posts with a header photo, (\d+) with (\d+) photos in their body",
        run.describe_images(site),
    )
    assert described and all(int(count) > 0 for count in described.groups()), run.describe_images(site)

    reference = run.plain_pelican(site)
    cold = run.cold(site)
    edit = run.edit(site)

    assert "HTML files" in reference.note
    assert len(list((tmp_path / "plain-output" / photosite.PHOTO_DIR).rglob("*.jpg"))) == 3  # static files
    assert re.search(
        r"^images\+cards: \d+ % of the cold build \([\d.]+ s; [\d.]+ s with their cache filled\)", cold.note
    )
    assert "% of its CPU time" in cold.note
    published = [page.read_text(encoding="utf-8") for page in site.output.glob("20*/beitrag-*/index.html")]
    assert any('<img alt="' in page and "/images/fotos/" in page for page in published)
    assert list((site.output / photosite.PHOTO_DIR).rglob("*-jpg-480.webp"))  # the pipeline's variants
    assert str(run.edit_target(site).relative_to(site.content)) in edit.note
    assert run.CASES["cold"].ratio_target == 1.5 and run.IMAGE_SITE_CASES == ("cold", "warm", "edit")


def test_preview_case_runs_on_a_small_site(tmp_path: Path, monkeypatch) -> None:
    # `invoke serve`'s preview on a small site: the first build, one saved edit until the page shows
    # it, the preview stopped (its port closed) and the post as it was.
    monkeypatch.setattr(run, "WARM_REPEAT", 1)
    site = run.Site(tmp_path, 25, now=sitegen.anchor())
    run.prepare_site(site)
    post = run.edit_target(site)
    before = post.read_bytes()

    measurement = run.preview(site)

    assert post.read_bytes() == before
    assert len(measurement.runs) == 1 and measurement.seconds == measurement.runs[0] > 0
    # The quick page first (hub_preview/quick.py), then the rebuilt page, split into its parts.
    quick = re.search(r"the quick page after ([\d.]+) s; the rebuilt page after ([\d.]+) s", measurement.note)
    assert quick and abs(float(quick[1]) - measurement.seconds) < 0.01 < float(quick[1]) < float(quick[2])
    match = re.search(r"noticed after ([\d.]+) s, rebuilt in ([\d.]+) s, served ([\d.]+) s later", measurement.note)
    assert match and abs(sum(map(float, match.groups())) - float(quick[2])) < 0.02
    assert measurement.peak_mib and measurement.peak_mib > 20
    page = next((tmp_path / "preview-output").glob(f"20*/{post.stem}/index.html"))
    assert "Vorschau-Nachtrag 1:" in page.read_text(encoding="utf-8")  # the rebuilt page, as the build wrote it
    case = run.CASES["preview"]
    assert run.verdict(case, measurement, None) == ("PASS" if measurement.seconds < 2 else "FAIL (time)")


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
