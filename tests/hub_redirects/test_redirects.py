"""Old addresses keep working, for real: builds in temporary folders, a loopback HTTP server, headless
Chromium, a fresh git checkout, and deploys to a folder and to an S3 server on loopback (moto)."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import boto3
import pytest
from chromium import Chromium, local_server
from conftest import Site, valid_post
from hub_publish.deploy import deploy
from hub_publish.directory import DirectoryTarget
from hub_publish.s3 import S3Target

POST = "posts/2026/pruefstand.md"
RECORD = "data/published-urls.yaml"
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


def publish(site: Site, relative: str = POST, **fields: Any) -> None:
    """Write a published post and approve it (the approval covers title and body, not the slug)."""
    site.write(relative, valid_post(status="published", **fields))
    site.approve(relative)


def follow(url: str, hops: int = 5) -> tuple[str, str]:
    """GET `url` and follow immediate meta refreshes as a browser does; the final URL and page."""
    for _hop in range(hops):
        with urllib.request.urlopen(url, timeout=10) as response:
            page = response.read().decode()
        found = REFRESH.search(page)
        if found is None:
            return url, page
        url = urljoin(url, found[1])
    raise AssertionError(f"more than {hops} redirects from {url}")


def title(page: str) -> str:
    found = re.search(r"<title>([^<]*)</title>", page)
    assert found is not None
    return found[1]


def test_a_changed_slug_keeps_the_old_address_working_in_development(site: Site):
    publish(site, slug="pruefstand-alt", title='"Der neue Prüfstand"')
    site.build()
    assert "2026/pruefstand-alt/" in (site.root / RECORD).read_text()
    site.write(POST, (site.content / POST).read_text().replace("pruefstand-alt", "pruefstand-neu"))
    output = site.build()
    with local_server(output) as base:
        landed, page = follow(f"{base}/2026/pruefstand-alt/")
        assert landed == f"{base}/2026/pruefstand-neu/"
        assert "Der neue Prüfstand" in title(page)
    old = site.html("2026/pruefstand-alt/index.html")
    assert old.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert old.find("link", rel="canonical")["href"] == "../pruefstand-neu/"
    assert old.html["lang"] == "de"
    assert old.find("a").get_text() == "weiter zur neuen Seite"
    assert not old.find("script")


def test_a_changed_title_without_slug_keeps_the_old_address(site: Site):
    publish(site, title='"Prüfstand im Test"')
    site.build()
    assert (site.output / "2026/pruefstand-im-test/index.html").is_file()
    publish(site, title='"Prüfstand im Dauertest"')  # a new title needs a new approval
    output = site.build()
    with local_server(output) as base:
        landed, page = follow(f"{base}/2026/pruefstand-im-test/")
    assert landed.endswith("/2026/pruefstand-im-dauertest/")
    assert "Prüfstand im Dauertest" in title(page)


def test_the_browser_lands_on_the_new_page(site: Site, browser: Chromium):
    publish(site, slug="alt", title='"Werkbesuch"')
    site.build()
    publish(site, slug="neu", title='"Werkbesuch"')
    output = site.build()
    with local_server(output) as base:
        tab = browser.open(f"{base}/2026/alt/")
        tab.wait_for("location.pathname === '/2026/neu/' && document.readyState === 'complete'")
        assert "Werkbesuch" in tab.evaluate("document.title")


def test_a_chain_collapses_and_a_returning_address_is_a_page_again(site: Site):
    for slug in ("a", "b", "c"):
        publish(site, slug=slug)
        site.build()
    for old in ("a", "b"):
        page = (site.output / f"2026/{old}/index.html").read_text()
        assert REFRESH.search(page)[1] == "../c/"  # type: ignore[index]
    publish(site, slug="a")
    site.build()
    assert not REFRESH.search((site.output / "2026/a/index.html").read_text())  # the post itself again
    assert REFRESH.search((site.output / "2026/c/index.html").read_text())[1] == "../a/"  # type: ignore[index]


def test_an_old_address_another_post_took_is_that_post(site: Site):
    publish(site, slug="messe")
    site.build()
    publish(site, slug="messe-2026")
    site.build()
    publish(site, "posts/2026/andere.md", slug="messe", title='"Die andere Messe"')
    site.build()
    assert "Die andere Messe" in site.html("2026/messe/index.html").title.get_text()


def test_a_removed_post_is_not_redirected(site: Site):
    publish(site, slug="a")
    site.build()
    publish(site, slug="b")
    site.build()
    assert (site.output / "2026/a/index.html").is_file()
    (site.content / POST).unlink()
    publish(site, "posts/2026/andere.md", title='"Ein anderer Beitrag"')  # a blog without posts stops the build
    site.build(prod=True, SITEURL="https://blog.example")
    assert not (site.output / "2026/a/index.html").exists()
    assert not (site.output / "2026/b/index.html").exists()
    assert "2026/b/" in (site.root / RECORD).read_text()  # remembered, should the post come back


def test_the_redirect_survives_a_fresh_checkout(site: Site, tmp_path: Path):
    publish(site, slug="alt")
    site.build()
    publish(site, slug="neu")
    site.build()
    shutil.rmtree(site.output)
    git = ["git", "-c", "user.name=Redaktion", "-c", "user.email=redaktion@example.com"]
    subprocess.run([*git, "init", "-q", str(site.root)], check=True)
    # as a project's .gitignore does: the output, caches, and what a build moves aside beside output/
    (site.root / ".gitignore").write_text("output/\ncache/\n.*.deleting-*\n.*.building-*\n")
    subprocess.run([*git, "-C", str(site.root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(site.root), "commit", "-qm", "Neuer Slug"], check=True)
    clone = Site(tmp_path / "clone")
    subprocess.run(["git", "clone", "-q", str(site.root), str(clone.root)], check=True)
    clone.build(prod=True, SITEURL="https://blog.example")
    old = clone.html("2026/alt/index.html")
    assert old.find("link", rel="canonical")["href"] == "https://blog.example/2026/neu/"
    sitemap = (clone.output / "sitemap.xml").read_text()
    assert "https://blog.example/2026/neu/" in sitemap and "/2026/alt/" not in sitemap


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")


def test_deploys_keep_the_old_address_on_s3_and_in_a_folder(site: Site, s3: Any, s3_endpoint: str, tmp_path: Path):
    publish(site, slug="alt")
    prod = {"prod": True, "SITEURL": "https://blog.example"}
    site.build(**prod)
    bucket = f"blog-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    deploy(S3Target(bucket, "blog", endpoint_url=s3_endpoint), site.output)
    assert "WebsiteRedirectLocation" not in s3.head_object(Bucket=bucket, Key="blog/2026/alt/index.html")
    publish(site, slug="neu")
    site.build(**prod)
    deploy(S3Target(bucket, "blog", endpoint_url=s3_endpoint), site.output)
    old = s3.head_object(Bucket=bucket, Key="blog/2026/alt/index.html")
    assert old["WebsiteRedirectLocation"] == "https://blog.example/2026/neu/"
    assert "WebsiteRedirectLocation" not in s3.head_object(Bucket=bucket, Key="blog/2026/neu/index.html")
    body = s3.get_object(Bucket=bucket, Key="blog/2026/alt/index.html")["Body"].read().decode()
    assert REFRESH.search(body)[1] == "https://blog.example/2026/neu/"  # type: ignore[index]

    folder = tmp_path / "live"
    deploy(DirectoryTarget(folder), site.output)
    assert REFRESH.search((folder / "2026/alt/index.html").read_text())[1] == "https://blog.example/2026/neu/"  # type: ignore[index]
    assert "<h1" in (folder / "2026/neu/index.html").read_text()


def test_an_english_post_gets_an_english_redirect_page(site: Site):
    publish(site, "posts/2026/test-bench.en.md", slug="test-bench", lang="en", title='"Test bench"')
    site.build()
    publish(site, "posts/2026/test-bench.en.md", slug="endurance-test-bench", lang="en", title='"Test bench"')
    site.build()
    old = site.html("en/2026/test-bench/index.html")
    assert old.html["lang"] == "en"
    assert old.title.get_text() == "Page moved"
    assert old.find("a").get_text() == "go to the new page"
    assert old.find("a")["href"] == "../endurance-test-bench/"


def test_the_editors_are_told_in_german(site: Site, caplog: pytest.LogCaptureFixture):
    publish(site, slug="alt")
    site.build()
    publish(site, slug="neu")
    caplog.set_level("INFO", logger="hub_redirects")
    site.build()
    said = [record.getMessage() for record in caplog.records if record.name == "hub_redirects"]
    assert (
        "redirects: posts/2026/pruefstand.md: Adresse geändert; die alte Adresse 2026/alt/ leitet weiter auf die neue, "
        "2026/neu/" in said
    )
    assert any("published-urls.yaml aktualisiert: Bitte checken Sie die Datei" in line for line in said)
    assert "redirects: 1 alte Adresse leitet weiter" in said


def test_a_damaged_record_stops_the_build_and_names_the_file(site: Site):
    from hub_core.errors import BuildStopped

    publish(site)
    (site.root / "data").mkdir()
    (site.root / RECORD).write_text("published: [\n", encoding="utf-8")
    with pytest.raises(BuildStopped, match=r"published-urls\.yaml: das Verzeichnis der veröffentlichten Adressen"):
        site.build()


def test_a_post_from_invoke_new_keeps_its_address_when_retitled(site: Site):
    from hub_content.pelican_settings import content_settings
    from hub_content.scaffold import scaffold_post

    settings = content_settings(site.settings())
    path = scaffold_post(
        settings, title="Prüfstand: erste Woche", author="jdoe", category="Technik", lang="de", when="2026-11-18 09:00"
    )
    relative = path.relative_to(site.content).as_posix()
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    site.approve(relative)
    site.build()
    assert (site.output / "2026/pruefstand-erste-woche/index.html").is_file()
    path.write_text(path.read_text().replace("Prüfstand: erste Woche", "Prüfstand: die ersten zwei Wochen"))
    site.approve(relative)
    site.build()
    page = site.html("2026/pruefstand-erste-woche/index.html")
    assert "die ersten zwei Wochen" in page.title.get_text()  # the post itself, not a redirect
    assert (site.root / RECORD).read_text().count("2026/pruefstand-erste-woche/") == 1
