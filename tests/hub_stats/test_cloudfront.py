"""CloudFront standard logs: generated as CloudFront delivers them (gzip, W3C header), read through the
format registry like `invoke stats` reads them."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime

import pytest
from aws_logs import (
    BROWSER,
    CLOUDFRONT_FIELDS,
    FEED_READER,
    GOOGLEBOT,
    Request,
    at,
    cloudfront_gzip,
    cloudfront_line,
    cloudfront_log,
    cloudfront_name,
    s3_line,
)
from hub_stats import logformats
from hub_stats.model import Hit, Malformed
from hub_stats.robots import Robots

REQUESTS = [
    Request(at(9, 15, 2), "/blog/erster-beitrag/", query="utm_source=mastodon&utm_medium=social"),
    Request(at(9, 15, 2), "/blog/erster-beitrag/", referrer="https://www.linkedin.com/feed/", ip="198.51.100.4"),
    Request(at(9, 16), "/blog/erster-beitrag/", agent=GOOGLEBOT, ip="66.249.66.1"),
    Request(at(9, 17), "/feeds/all.atom.xml", agent=FEED_READER, content_type="application/atom+xml"),
    Request(at(9, 18), "/blog/gibt-es-nicht/", status=404),
    Request(at(9, 19), "/theme/css/hub.css", content_type="text/css", referrer="https://blog.example.de/"),
    Request(at(9, 20), "/blog/mit%20leerzeichen/", agent='Mozilla/5.0 "Zitat" \\ Ende'),
    Request(at(9, 21), "/blog/erster-beitrag/", method="HEAD", agent="curl/8.5.0"),
]


def read(data: bytes) -> tuple[str, list[Hit | None], list[str]]:
    """As the reader does: gzip undone by magic bytes, the head detected, then every line parsed."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    lines = io.StringIO(data.decode("utf-8")).read().splitlines()
    log_format = logformats.detect(lines[:20])
    assert log_format is not None
    parse = log_format.parser(lines[:20])
    hits: list[Hit | None] = []
    malformed: list[str] = []
    for line in lines:
        try:
            hits.append(parse(line))
        except Malformed as error:
            malformed.append(str(error))
    return log_format.name, hits, malformed


def test_a_delivered_gzip_log_gives_one_hit_per_request_decoded_and_without_the_ip():
    name = cloudfront_name("E2EXAMPLE1234", at(9), "a1b2c3d4")
    data = cloudfront_gzip(cloudfront_log(REQUESTS))

    assert name == "E2EXAMPLE1234.2026-11-03-09.a1b2c3d4.gz"
    format_name, hits, malformed = read(data)

    assert format_name == "cloudfront" and malformed == []
    assert hits[:2] == [None, None]  # #Version and #Fields
    requests = [hit for hit in hits if hit is not None]
    assert len(requests) == len(REQUESTS)
    first, referred, bot, feed, missing, asset, spaced, head = requests
    assert first == Hit(
        at=datetime(2026, 11, 3, 9, 15, 2, tzinfo=UTC),
        method="GET",
        path="/blog/erster-beitrag/",
        query="utm_source=mastodon&utm_medium=social",
        status=200,
        referrer="",
        agent=BROWSER,
        content_type="text/html",
    )
    assert referred.referrer == "https://www.linkedin.com/feed/"
    assert (bot.agent, feed.agent, feed.content_type) == (GOOGLEBOT, FEED_READER, "application/atom+xml")
    assert (missing.status, missing.path) == (404, "/blog/gibt-es-nicht/")
    assert (asset.content_type, asset.referrer) == ("text/css", "https://blog.example.de/")
    # A path as the visitor sent it (like a web server logs it); a header as its text.
    assert spaced.path == "/blog/mit%20leerzeichen/" and spaced.agent == 'Mozilla/5.0 "Zitat" \\ Ende'
    assert head.method == "HEAD"
    for request in REQUESTS:
        assert all(request.ip not in repr(hit) for hit in requests)


def test_the_agents_come_out_as_the_bot_list_knows_them():
    robots = Robots(["Hub-Healthcheck"])
    _, hits, _ = read(cloudfront_gzip(cloudfront_log(REQUESTS)))
    agents = [hit.agent for hit in hits if hit is not None]

    assert [robots.is_bot(agent) for agent in agents[:4]] == [False, False, True, True]


def test_doubly_encoded_headers_of_older_files_decode_to_the_same_text():
    once = read(cloudfront_log(REQUESTS).encode())[1]
    twice_log = cloudfront_log(REQUESTS, twice=True)

    assert "Mozilla/5.0%2520(X11;%2520Linux" in twice_log and "%2522Zitat%2522" in twice_log
    assert read(twice_log.encode())[1] == once


def test_columns_are_taken_from_the_header_a_v2_selection_in_another_order_with_spaces():
    header = "#Fields: timestamp cs-uri-stem sc-status cs-method cs-user-agent cs-referer sc-content-type"
    line = "1793956502.123 /blog/a/ 200 GET Mozilla/5.0%20(X11) https://social.example/@hub text/html;%20charset=utf-8"
    lines = ["#Version: 1.0", header, line]

    log_format = logformats.detect(lines)
    assert log_format is not None and log_format.name == "cloudfront"
    hit = log_format.parser(lines)(line)

    assert hit == Hit(
        at=datetime.fromtimestamp(1793956502.123, UTC),
        method="GET",
        path="/blog/a/",
        query="",
        status=200,
        referrer="https://social.example/@hub",
        agent="Mozilla/5.0 (X11)",
        content_type="text/html; charset=utf-8",
    )


def test_a_new_fields_line_in_the_file_changes_the_columns_below_it():
    old = cloudfront_line(Request(at(10), "/a/"))
    new_header = "#Fields: date time cs-method cs-uri-stem cs-uri-query sc-status cs(Referer) cs(User-Agent)"
    new = "\t".join(["2026-11-03", "11:00:00", "GET", "/b/", "utm_source=bluesky", "200", "-", "Mozilla/5.0"])
    lines = ["#Version: 1.0", f"#Fields: {CLOUDFRONT_FIELDS}", old, new_header, new]
    parse = logformats.FORMATS[0].parser(lines[:3])

    hits = [parse(line) for line in lines]

    assert [(hit.path, hit.query) for hit in hits if hit] == [("/a/", ""), ("/b/", "utm_source=bluesky")]


def test_a_file_without_header_in_the_legacy_columns_is_read():
    lines = [cloudfront_line(Request(at(12), "/blog/a/", query="utm_source=mastodon"))]

    log_format = logformats.detect(lines)
    assert log_format is not None and log_format.name == "cloudfront"
    hit = log_format.parser(lines)(lines[0])
    assert hit is not None and (hit.path, hit.query) == ("/blog/a/", "utm_source=mastodon")


def test_malformed_lines_are_reported_in_german_and_the_rest_is_read():
    good = cloudfront_line(Request(at(13), "/blog/a/"))
    fields = good.split("\t")
    short = "\t".join(fields[:20])
    bad_date = "\t".join(["03.11.2026", *fields[1:]])
    bad_status = "\t".join([*fields[:8], "OK", *fields[9:]])
    log = cloudfront_log([Request(at(13), "/blog/a/")], extra_lines=(short, bad_date, bad_status, "", good))

    _, hits, malformed = read(cloudfront_gzip(log))

    assert len([hit for hit in hits if hit]) == 2
    assert malformed == [
        "erwartet: 33 Felder; gefunden: 20",
        "erwartet: Datum und Uhrzeit wie 2026-11-03 09:15:02; gefunden: 03.11.2026 13:00:00",
        "erwartet: HTTP-Status wie 200; gefunden: OK",
    ]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (cloudfront_log(REQUESTS[:3]).splitlines(), "cloudfront"),
        ([cloudfront_line(request) for request in REQUESTS[:3]], "cloudfront"),
        ([s3_line(request, key="blog/index.html") for request in REQUESTS[:3]], "s3"),
    ],
)
def test_each_aws_format_is_recognised_from_its_head(head: list[str], expected: str):
    found = logformats.detect(head)
    assert found is not None and found.name == expected


@pytest.mark.parametrize(
    "head",
    [
        # the combined format of nginx and Apache (another format's file, never one of these)
        ['203.0.113.77 - - [03/Nov/2026:09:15:02 +0000] "GET /blog/a/ HTTP/1.1" 200 5120 "-" "Mozilla/5.0"'],
        # the common format
        ['203.0.113.77 - - [03/Nov/2026:09:15:02 +0000] "GET /blog/a/ HTTP/1.1" 200 5120'],
        # a W3C header without what counting needs (no User-Agent)
        ["#Version: 1.0", "#Fields: date time cs-method cs-uri-stem sc-status", "2026-11-03\t09:00:00\tGET\t/\t200"],
        # nothing at all
        [],
        ["", "   "],
    ],
)
def test_other_files_are_not_taken_for_an_aws_log(head: list[str]):
    found = logformats.detect(head)
    assert found is None or found.name not in ("cloudfront", "s3")
