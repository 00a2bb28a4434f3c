"""S3 server access logs of a bucket that serves the site: visitors' object reads become Hits, the
bucket's other traffic (our deploys, listings) is no request to count."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest
from aws_logs import BROWSER, DEPLOYER, FEED_READER, GOOGLEBOT, Request, at, s3_line
from hub_stats import logformats
from hub_stats.model import Hit, Malformed
from hub_stats.robots import Robots

LINES = [
    s3_line(Request(at(8), "/"), key="index.html"),
    s3_line(
        Request(at(8, 1), "/blog/erster-beitrag/", query="utm_source=mastodon", referrer="https://mastodon.social/"),
        key="blog/erster-beitrag/index.html",
    ),
    s3_line(
        Request(at(8, 2), "/blog/erster-beitrag/", agent=GOOGLEBOT, ip="66.249.66.1"),
        key="blog/erster-beitrag/index.html",
    ),
    s3_line(Request(at(8, 3), "/feeds/all.atom.xml", agent=FEED_READER), key="feeds/all.atom.xml"),
    s3_line(Request(at(8, 4), "/blog/gibt-es-nicht/", status=404), key="blog/gibt-es-nicht/index.html"),
    s3_line(Request(at(8, 5), "/blog/erster-beitrag/", method="HEAD"), key="blog/erster-beitrag/index.html"),
    # our deploy: an upload, a metadata check, a listing (authenticated, REST): no visitor
    s3_line(
        Request(at(8, 6), "/blog-example/blog/erster-beitrag/index.html", method="PUT", agent="Boto3/1.35"),
        operation="REST.PUT.OBJECT",
        key="blog/erster-beitrag/index.html",
        requester=DEPLOYER,
    ),
    s3_line(
        Request(at(8, 6), "/blog-example/blog/erster-beitrag/index.html", method="HEAD", agent="Boto3/1.35"),
        operation="REST.HEAD.OBJECT",
        key="blog/erster-beitrag/index.html",
        requester=DEPLOYER,
    ),
    s3_line(
        Request(at(8, 6), "/blog-example", query="list-type=2&prefix=", agent="Boto3/1.35"),
        operation="REST.GET.BUCKET",
        requester=DEPLOYER,
    ),
    s3_line(
        Request(at(8, 6), "/blog-example/blog/alt/index.html", method="POST", agent="Boto3/1.35"),
        operation="BATCH.DELETE.OBJECT",
        key="blog/alt/index.html",
        requester=DEPLOYER,
    ),
    # a public bucket read without the website endpoint: the URI names the bucket, the key is the path
    s3_line(
        Request(at(8, 7), "/blog-example/blog/zweiter/index.html"),
        operation="REST.GET.OBJECT",
        key="blog/zweiter/index.html",
    ),
    # a website request logged without a URI: the key stands in for the address
    s3_line(Request(at(8, 8), "/"), key="blog/zweiter/index.html", uri="-"),
    # an agent with a quote of its own
    s3_line(Request(at(8, 9), "/blog/a/", agent='Mozilla/5.0 "Zitat" (X11)'), key="blog/a/index.html"),
]


def parse_all(lines: list[str]) -> list[Hit | None]:
    log_format = logformats.detect(lines[:20])
    assert log_format is not None and log_format.name == "s3"
    parse = log_format.parser(lines[:20])
    return [parse(line) for line in lines]


def test_visitors_reads_become_hits_with_the_address_they_asked_for():
    hits = parse_all(LINES)

    (home, teaser, bot, feed, missing, head, put, check, listing, batch, rest, no_uri, quoted) = hits
    assert home == Hit(
        at=datetime(2026, 11, 3, 8, 0, tzinfo=UTC),
        method="GET",
        path="/",
        query="",
        status=200,
        referrer="",
        agent=BROWSER,
    )
    assert (teaser.path, teaser.query, teaser.referrer) == (
        "/blog/erster-beitrag/",
        "utm_source=mastodon",
        "https://mastodon.social/",
    )
    assert (bot.agent, feed.path, feed.agent) == (GOOGLEBOT, "/feeds/all.atom.xml", FEED_READER)
    assert (missing.status, missing.path) == (404, "/blog/gibt-es-nicht/")
    assert (head.method, head.path) == ("HEAD", "/blog/erster-beitrag/")
    assert [put, check, listing, batch] == [None, None, None, None]
    assert (rest.method, rest.path) == ("GET", "/blog/zweiter/index.html")
    assert (no_uri.method, no_uri.path) == ("GET", "/blog/zweiter/")
    assert quoted.agent == 'Mozilla/5.0 "Zitat" (X11)'


def test_no_hit_holds_the_ip_or_the_requester():
    hits = [hit for hit in parse_all(LINES) if hit is not None]

    assert len(hits) == 9
    for hit in hits:
        assert "203.0.113.77" not in repr(hit) and "66.249.66.1" not in repr(hit)
        assert DEPLOYER not in repr(hit) and "79a59df9" not in repr(hit)


def test_the_agents_come_out_as_the_bot_list_knows_them():
    robots = Robots()
    hits = parse_all(LINES)

    assert [robots.is_bot(hit.agent) for hit in hits[:4] if hit] == [False, False, True, True]


def test_an_authenticated_object_read_is_not_a_visitor():
    # CloudFront fetching from its origin, or our own tools: counted in CloudFront's log if at all
    line = s3_line(
        Request(at(9), "/blog-example/blog/a/index.html"),
        operation="REST.GET.OBJECT",
        key="blog/a/index.html",
        requester="arn:aws:sts::123456789012:assumed-role/cloudfront/x",
    )
    assert parse_all([line]) == [None]


def test_a_time_in_another_zone_keeps_its_offset():
    line = s3_line(Request(at(9), "/"), key="index.html").replace("+0000]", "+0100]")

    hit = parse_all([line])[0]
    assert hit is not None and hit.at == datetime(2026, 11, 3, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    assert hit.at.astimezone(UTC).hour == 8


def test_malformed_lines_raise_with_a_german_reason_that_quotes_no_ip():
    good = s3_line(Request(at(10), "/blog/a/"), key="blog/a/index.html")
    parse = logformats.FORMATS[1].parser([good])
    words = good.split(" ")
    broken = {
        "truncated": " ".join(words[:6]),
        "time": good.replace("[03/Nov/2026:10:00:00", "[03/Nox/2026:10:00:00"),
        "status": good.replace('HTTP/1.1" 200 ', 'HTTP/1.1" OK '),
        "uri": good.replace('"GET /blog/a/ HTTP/1.1"', '"GET"'),
        "headers": good.split(' "-" ')[0],
    }
    reasons = {}
    for name, line in broken.items():
        with pytest.raises(Malformed) as caught:
            parse(line)
        reasons[name] = str(caught.value)
        assert "203.0.113.77" not in reasons[name]

    assert reasons["truncated"].startswith("erwartet: die Felder eines S3-Server-Zugriffsprotokolls; gefunden: ")
    assert reasons["time"] == (
        "erwartet: Zeit wie [06/Feb/2019:00:00:38 +0000]; gefunden: [03/Nox/2026:10:00:00 +0000]"
    )
    assert reasons["status"] == "erwartet: HTTP-Status wie 200; gefunden: OK"
    assert reasons["uri"] == "erwartet: Request-URI wie GET /blog/a/ HTTP/1.1; gefunden: GET"
    assert reasons["headers"].startswith("erwartet: Referer und User-Agent in Anführungszeichen; gefunden: ")
    assert parse("") is None


def test_a_gzip_file_of_s3_logs_is_read_like_a_plain_one():
    data = gzip.compress(("\n".join(LINES) + "\n").encode(), mtime=0)
    lines = gzip.decompress(data).decode().splitlines()

    assert parse_all(lines) == parse_all(LINES)
