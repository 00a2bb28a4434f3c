"""The whole run from the loopback S3 server (moto): CloudFront's gzip logs beside a combined log in
one prefix, each read once, counted into its day, and the old ones deleted from the bucket."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_logs import FEED_READER, GOOGLEBOT, Request, at, cloudfront_gzip, cloudfront_log, cloudfront_name
from combined_logs import SAFARI, combined
from hub_stats.collect import run
from hub_stats.judge import Rules
from hub_stats.sources import open_source
from hub_stats.store import FiguresStore

RULES = Rules(own_hosts=("blog.hellwig-antriebe.example",), feeds=("feeds/alle.{format}.xml",))


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, s3_endpoint: str) -> dict[str, str]:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "HUB_S3_ENDPOINT": s3_endpoint,
    }


@pytest.fixture
def bucket(environ: dict[str, str]) -> tuple[Any, str]:
    client = boto3.client(
        "s3",
        endpoint_url=environ["HUB_S3_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing-secret",
    )
    name = f"logs-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return client, name


@pytest.mark.parametrize("workers", [None, 2])  # 2: each object fetched into a temporary file for a worker process
def test_cloudfront_and_combined_logs_from_s3_are_counted_once_and_deleted_when_old(bucket, environ, tmp_path, workers):
    client, name = bucket
    requests = [
        Request(at(9), "/2026/getriebe/", query="utm_source=mastodon"),
        Request(at(9, 5), "/2026/getriebe/", referrer="https://www.google.de/"),
        Request(at(9, 6), "/2026/getriebe/", agent=GOOGLEBOT),
        Request(at(9, 7), "/feeds/alle.atom.xml", agent=FEED_READER, content_type="application/atom+xml"),
        Request(at(9, 8), "/theme/css/style.css", content_type="text/css"),
    ]
    cloudfront = f"cf/{cloudfront_name('E2EXAMPLE1234', at(9), 'a1b2c3d4')}"
    client.put_object(Bucket=name, Key=cloudfront, Body=cloudfront_gzip(cloudfront_log(requests)))
    nginx = [combined(at(10, n), "/2026/lager/", agent=SAFARI) for n in range(3)]
    client.put_object(Bucket=name, Key="cf/nginx/access.log", Body="".join(line + "\n" for line in nginx).encode())
    store = FiguresStore(tmp_path / "stats")
    delivered = datetime.now(UTC)

    report = run(
        open_source(f"s3://{name}/cf/", environ),
        store,
        RULES,
        keep_days=7,
        now=delivered + timedelta(hours=1),
        workers=workers,
    )
    assert report.ok and sorted(report.read) == sorted([cloudfront, "cf/nginx/access.log"])
    day = store.day(date(2026, 11, 3))
    assert dict(day.views) == {"/2026/getriebe/": 2, "/2026/lager/": 3}
    assert dict(day.channels["mastodon"]) == {"/2026/getriebe/": 1} and dict(day.referrers) == {"www.google.de": 1}
    assert dict(day.feeds) == {"/feeds/alle.atom.xml": 1} and day.subscribers["/feeds/alle.atom.xml"] == {"feedly": 42}
    assert day.filtered["bot"] == 1 and day.filtered["asset"] == 1

    # A week later: nothing new is counted, and both raw logs leave the bucket.
    later = run(open_source(f"s3://{name}/cf/", environ), store, RULES, keep_days=7, now=delivered + timedelta(days=8))
    assert later.read == [] and len(later.skipped) == 2 and sorted(later.deleted) == sorted(report.read)
    assert "Contents" not in client.list_objects_v2(Bucket=name, Prefix="cf/")
    assert store.day(date(2026, 11, 3)).total_views == 5
