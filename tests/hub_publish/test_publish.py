"""`invoke publish` as CI runs it: build into the production folder, deploy only what passed, to real storage."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest
from conftest import ROOT, Site, valid_post
from moto.server import ThreadedMotoServer

ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "secret-key-never-printed",
    "AWS_DEFAULT_REGION": "eu-central-1",
}


def publish(site: Site, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # The site's own production folder (the default, output-prod/, is the project's).
    command = [
        sys.executable, "-m", "invoke", "-r", str(ROOT), "publish", "--no-crosspost",
        "--content", str(site.content), "--calendar", str(site.calendar),
        "--output", str(site.root / "output-prod"), *args,
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, env={**os.environ, **ENV, **(env or {})}, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def blog(site: Site) -> Site:
    site.write("posts/a.md", valid_post(title='"Erster"', slug="erster"))
    site.write("posts/b.md", valid_post(title='"Zweiter"', slug="zweiter", date="2026-11-19 09:00 +01:00"))
    site.approve("posts/a.md")
    site.approve("posts/b.md")
    return site


@pytest.fixture
def s3():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="x", region_name="eu-central-1"
    )
    client.create_bucket(Bucket="blog", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    yield client, endpoint
    # moto keeps its buckets per process: start the next test from an empty store.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    server.stop()


def objects(client) -> dict[str, dict]:
    listing = client.list_objects_v2(Bucket="blog").get("Contents", [])
    return {o["Key"]: client.head_object(Bucket="blog", Key=o["Key"]) for o in listing}


def test_publish_deploys_to_s3_only_what_changed(blog: Site, s3) -> None:
    client, endpoint = s3
    env = {"HUB_S3_ENDPOINT": endpoint}
    first = publish(blog, "--to", "s3://blog", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    stored = objects(client)
    assert stored["index.html"]["ContentType"].startswith("text/html")
    assert stored["2026/erster/index.html"]["CacheControl"] == "public, max-age=300, must-revalidate"
    assert stored["feeds/alle.atom.xml"]["ContentType"].startswith("application/atom+xml")
    assert stored["theme/css/hub.css"]["ContentType"].startswith("text/css")
    assert any(key.startswith("pagefind/") and ".pf_" in key for key in stored)
    second = publish(blog, "--to", "s3://blog", env=env)
    assert second.returncode == 0 and "ist aktuell" in second.stdout, second.stdout
    (blog.content / "posts/b.md").unlink()
    third = publish(blog, "--to", "s3://blog", env=env)
    assert third.returncode == 0, third.stdout + third.stderr
    after = objects(client)
    assert "2026/zweiter/index.html" not in after and "2026/erster/index.html" in after
    for output in (first, second, third):
        assert "secret-key-never-printed" not in output.stdout + output.stderr


def test_a_failing_build_deploys_nothing(blog: Site, s3) -> None:
    client, endpoint = s3
    assert publish(blog, "--to", "s3://blog", env={"HUB_S3_ENDPOINT": endpoint}).returncode == 0
    before = {key: head["ETag"] for key, head in objects(client).items()}
    blog.write("posts/kaputt.md", valid_post(title='"Kaputt"', authors="[niemand]"))
    failed = publish(blog, "--to", "s3://blog", env={"HUB_S3_ENDPOINT": endpoint})
    assert failed.returncode == 1 and "nichts wurde veröffentlicht" in failed.stderr
    assert {key: head["ETag"] for key, head in objects(client).items()} == before


def test_dry_run_lists_and_changes_nothing(blog: Site, tmp_path: Path) -> None:
    target = tmp_path / "live"
    result = publish(blog, "--to", str(target), "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "publish: Probelauf" in result.stdout and "würde hochladen  index.html" in result.stdout
    assert not target.exists()
    real = publish(blog, "--to", str(target))
    assert real.returncode == 0 and (target / "2026/erster/index.html").is_file()


def test_publish_speaks_english_on_request(blog: Site, tmp_path: Path) -> None:
    result = publish(blog, "--to", str(tmp_path / "live"), "--dry-run", env={"HUB_LANG": "en"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "publish: dry run, nothing sent to" in result.stdout and "  would upload  index.html" in result.stdout
    blog.write("posts/kaputt.md", valid_post(title='"Kaputt"', authors="[niemand]"))
    failed = publish(blog, "--to", str(tmp_path / "live"), env={"HUB_LANG": "en"})
    assert failed.returncode == 1 and "nothing was deployed" in failed.stderr


def test_publish_deploys_the_production_folder_and_leaves_the_preview_alone(blog: Site, tmp_path: Path) -> None:
    blog.output.mkdir()
    (blog.output / "index.html").write_text("die Vorschau", encoding="utf-8")
    target = tmp_path / "live"
    result = publish(blog, "--to", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    production = blog.root / "output-prod"
    built = {p.relative_to(production) for p in production.rglob("*") if p.is_file()}
    deployed = {p.relative_to(target) for p in target.rglob("*") if p.is_file()}
    assert Path("2026/erster/index.html") in built and deployed == built
    assert (blog.output / "index.html").read_text(encoding="utf-8") == "die Vorschau"
    # What an earlier build wrote is not deployed again: the folder holds exactly this build.
    (production / "alt.html").write_text("von gestern", encoding="utf-8")
    again = publish(blog, "--to", str(target))
    assert again.returncode == 0, again.stdout + again.stderr
    assert not (production / "alt.html").exists() and not (target / "alt.html").exists()
