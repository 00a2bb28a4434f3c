"""The S3 log source against a real S3-compatible server on loopback (moto): listing page by page,
reading gzip logs as delivered, deleting; and the errors people see, in German, without a secret."""

from __future__ import annotations

import gzip
import http.server
import io
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_logs import Request, at, cloudfront_gzip, cloudfront_log, cloudfront_name
from hub_core.errors import HubError
from hub_stats import logformats
from hub_stats.sources import LogFile, LogSource, open_source
from hub_stats.sources.s3 import LogSourceError, S3Source
from hub_stats.store import digest_of

SECRET = "secret-key-never-printed"
SESSION = "session-token-never-printed"


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, s3_endpoint: str) -> dict[str, str]:
    """What `invoke stats` gets as its environment; no profile of the machine's user may leak in."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_SESSION_TOKEN": SESSION,
        "AWS_DEFAULT_REGION": "us-east-1",
        "HUB_S3_ENDPOINT": s3_endpoint,
    }


@pytest.fixture
def s3(environ: dict[str, str]) -> Any:
    """A client of our own, to deliver logs and look behind the source's back."""
    return boto3.client(
        "s3",
        endpoint_url=environ["HUB_S3_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key=SECRET,
    )


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"logs-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def keys(s3: Any, bucket: str) -> list[str]:
    found: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        found += [item["Key"] for item in page.get("Contents", ())]
    return found


def test_every_log_under_the_prefix_is_listed_past_a_thousand_in_name_order(s3: Any, bucket: str, environ):
    names = [f"cf/{cloudfront_name('E2EXAMPLE1234', at(0) + timedelta(hours=n), f'{n:08x}')}" for n in range(1010)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket=bucket, Key=key, Body=b"x" * 7), names))
    s3.put_object(Bucket=bucket, Key="cf/", Body=b"")  # a console's folder marker
    s3.put_object(Bucket=bucket, Key="other/E2EXAMPLE1234.2026-11-03-00.ffffffff.gz", Body=b"x")

    source = open_source(f"s3://{bucket}/cf", environ)
    assert isinstance(source, S3Source) and source.location == f"s3://{bucket}/cf/"
    pages: list[str] = []
    source.client.meta.events.register("before-call.s3.ListObjectsV2", lambda **_: pages.append("page"))
    files = list(source.files())

    assert len(pages) == 2  # S3 answers at most 1,000 keys at a time
    assert [file.name for file in files] == sorted(names)
    assert all(file.size == 7 for file in files)
    now = datetime.now(UTC)
    assert all(file.modified.tzinfo is not None and abs(now - file.modified) < timedelta(minutes=10) for file in files)


def test_a_gzip_log_is_read_as_delivered_twice_if_need_be(s3: Any, bucket: str, environ):
    text = cloudfront_log([Request(at(9), "/blog/a/", query="utm_source=mastodon"), Request(at(9, 5), "/blog/b/")])
    data = cloudfront_gzip(text)
    name = f"cf/{cloudfront_name('E2EXAMPLE1234', at(9), 'a1b2c3d4')}"
    s3.put_object(Bucket=bucket, Key=name, Body=data)
    source: LogSource = open_source(f"s3://{bucket}/cf/", environ)

    [file] = list(source.files())
    with source.open(file) as stream:
        digest = digest_of(stream)  # the reader's first pass: the file's identity
        stream.seek(0)
        delivered = stream.read()

    assert delivered == data and file.size == len(data)
    assert digest == digest_of(io.BytesIO(data))
    lines = gzip.decompress(delivered).decode().splitlines()
    log_format = logformats.detect(lines[:20])
    assert log_format is not None
    parse = log_format.parser(lines[:20])
    hits = [hit for hit in map(parse, lines) if hit is not None]
    assert [(hit.path, hit.query) for hit in hits] == [("/blog/a/", "utm_source=mastodon"), ("/blog/b/", "")]


def test_delete_removes_exactly_that_log(s3: Any, bucket: str, environ):
    for key in ("cf/old.gz", "cf/new.gz", "elsewhere.gz"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    source = open_source(f"s3://{bucket}/cf/", environ)
    old = next(file for file in source.files() if file.name == "cf/old.gz")

    source.delete(old)

    assert sorted(keys(s3, bucket)) == ["cf/new.gz", "elsewhere.gz"]
    assert [file.name for file in source.files()] == ["cf/new.gz"]


def test_the_whole_bucket_is_a_prefix_too(s3: Any, bucket: str, environ):
    s3.put_object(Bucket=bucket, Key="a.gz", Body=b"x")

    assert [file.name for file in open_source(f"s3://{bucket}", environ).files()] == ["a.gz"]


def test_missing_credentials_are_named_and_nothing_is_asked_before_they_are_needed(environ):
    del environ["AWS_SECRET_ACCESS_KEY"]
    source = open_source("s3://logs-example/cf/", environ)  # no error yet: nothing listed

    with pytest.raises(LogSourceError) as caught:
        list(source.files())

    assert str(caught.value) == (
        "s3://logs-example/cf/: erwartet: Zugangsdaten in den Umgebungsvariablen AWS_ACCESS_KEY_ID und "
        "AWS_SECRET_ACCESS_KEY; gefunden: AWS_SECRET_ACCESS_KEY nicht gesetzt oder leer"
    )
    assert isinstance(caught.value, HubError) and caught.value.topic == "stats"


def test_a_missing_bucket_is_named_without_a_secret(environ):
    source = open_source("s3://gibt-es-nicht/cf/", environ)

    with pytest.raises(LogSourceError) as caught:
        list(source.files())

    message = str(caught.value)
    assert message == (
        "s3://gibt-es-nicht/cf/: die Protokolldateien können nicht aufgelistet werden: den Bucket gibt-es-nicht "
        "gibt es nicht; prüfen Sie HUB_STATS_LOGS und, bei S3-kompatiblem Speicher, HUB_S3_ENDPOINT"
    )
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


class Denying(http.server.BaseHTTPRequestHandler):
    """Storage that refuses these credentials, as S3 answers then (403, an S3 error document)."""

    def _deny(self) -> None:
        body = (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
            b"<Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>"
        )
        self.send_response(403)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_DELETE = do_PUT = do_POST = _deny

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def denying_endpoint() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Denying)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_access_denied_names_the_permissions_needed_and_no_secret(environ, denying_endpoint: str):
    environ["HUB_S3_ENDPOINT"] = denying_endpoint
    source = open_source("s3://logs-example/cf/", environ)

    with pytest.raises(LogSourceError) as caught:
        list(source.files())
    message = str(caught.value)
    assert message == (
        "s3://logs-example/cf/: die Protokolldateien können nicht aufgelistet werden: Zugriff verweigert "
        "(AccessDenied); die Zugangsdaten in AWS_ACCESS_KEY_ID brauchen s3:ListBucket, s3:GetObject und "
        "s3:DeleteObject für s3://logs-example/cf/"
    )
    assert SECRET not in message and SESSION not in message

    with pytest.raises(LogSourceError, match="die Protokolldatei kann nicht gelöscht werden: Zugriff verweigert"):
        source.delete(LogFile("cf/a.gz", datetime.now(UTC), 1))
    with pytest.raises(LogSourceError, match="die Protokolldatei kann nicht gelesen werden: Zugriff verweigert"):
        source.open(LogFile("cf/a.gz", datetime.now(UTC), 1))


def test_an_address_without_a_bucket_is_refused(environ):
    with pytest.raises(LogSourceError) as caught:
        open_source("s3:///logs/", environ)

    assert str(caught.value) == (
        "HUB_STATS_LOGS: erwartet: eine S3-Adresse wie s3://bucket/logs/; gefunden: s3:///logs/"
    )
