"""The common and combined formats of nginx and Apache: detected from the file, parsed into Hits
without the IP address, broken lines refused with a short reason."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from combined_logs import BERLIN_WINTER, FIREFOX, IPV4, IPV6, combined, common
from conftest import ROOT
from hub_stats.logformats import detect
from hub_stats.logformats.combined import COMBINED, COMMON
from hub_stats.model import Malformed

AT = datetime(2026, 11, 20, 23, 30, 5, tzinfo=BERLIN_WINTER)


def test_combined_lines_are_detected_and_parsed_into_hits_in_utc():
    lines = [
        combined(AT, "/2026/slug/?utm_source=mastodon&x=1", referrer="https://social.example/@redaktion/1"),
        combined(AT, "/theme/css/style.css", size=None),
    ]
    found = detect(lines)
    assert found is COMBINED
    parse = found.parser(lines)

    hit = parse(lines[0])
    assert hit is not None
    assert hit.at == datetime(2026, 11, 20, 22, 30, 5, tzinfo=UTC) and hit.at.tzinfo is UTC
    assert (hit.method, hit.path, hit.query, hit.status) == ("GET", "/2026/slug/", "utm_source=mastodon&x=1", 200)
    assert hit.referrer == "https://social.example/@redaktion/1" and hit.agent == FIREFOX
    assert hit.purpose == "" and hit.content_type == ""
    # "-" for no size is a line like any other; "-" for no referrer is no referrer.
    assets = parse(lines[1])
    assert assets is not None and assets.path == "/theme/css/style.css" and assets.referrer == ""


def test_the_recommended_format_with_the_purpose_field_ipv6_and_escaped_quotes():
    line = combined(AT, "/2026/slug/", ip=IPV6, agent='Mozilla/5.0 \\"quoted\\" (X11)', purpose="prefetch;prerender")
    found = detect([line])
    assert found is COMBINED
    hit = found.parser([line])(line)
    assert hit is not None
    assert hit.purpose == "prefetch;prerender" and hit.agent == 'Mozilla/5.0 \\"quoted\\" (X11)'
    assert not any(IPV6 in str(value) for value in hit)
    empty = combined(AT, "/2026/slug/", purpose="-")
    parsed = found.parser([empty])(empty)
    assert parsed is not None and parsed.purpose == ""


def test_the_common_format_has_no_agent_at_all():
    lines = [common(AT, "/2026/slug/"), common(AT, "/impressum/", status=304)]
    found = detect(lines)
    assert found is COMMON
    hit = found.parser(lines)(lines[0])
    assert hit is not None and hit.agent is None and hit.referrer == ""
    assert not any(IPV4 in str(value) for value in hit)


def test_a_few_broken_lines_do_not_hide_a_log_but_other_text_is_no_log():
    good = [combined(AT, f"/{n}/") for n in range(3)]
    assert detect([*good, "kaputt", "auch kaputt"]) is COMBINED
    assert detect(["#Version: 1.0", "#Fields: date time", "2026-11-20\t10:00:00"]) is None
    assert detect(["Lorem ipsum dolor sit amet"]) is None
    assert detect([]) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("just some text", "keine Zeit in [eckigen Klammern]"),
        ("203.0.113.7 - - [20/Nov/2026:23:30:05 +0100] GET / HTTP/1.1 200 5", "keine Anfrage in Anführungszeichen"),
        ('203.0.113.7 - - [20/Nov/2026:23:30:05 +0100] "GET / HTTP/1.1" OK 5 "-" "x"', "kein dreistelliger Status"),
        ('203.0.113.7 - - [20/Nov/2026:23:30:05 +0100] "GET / HTTP/1.1" 200 5', "Verweis und User-Agent"),
        ('203.0.113.7 - - [32/Nov/2026:23:30:05 +0100] "GET / HTTP/1.1" 200 5 "-" "x"', "32/Nov/2026:23:30:05"),
        ('203.0.113.7 - - [20/Now/2026:23:30:05 +0100] "GET / HTTP/1.1" 200 5 "-" "x"', "erwartet"),
    ],
)
def test_broken_lines_are_refused_with_a_short_german_reason_without_the_line(line, reason):
    parse = COMBINED.parser([])
    with pytest.raises(Malformed) as refused:
        parse(line)
    assert reason in str(refused.value)
    assert "203.0.113.7" not in str(refused.value)


def test_an_empty_line_is_no_request():
    assert COMBINED.parser([])("\n") is None


def test_the_format_of_the_ops_recipe_is_read_with_its_purpose():
    """ops/stats/nginx.conf's `log_format hub_stats`, filled in as nginx fills it, is what we parse."""
    conf = (ROOT / "ops" / "stats" / "nginx.conf").read_text(encoding="utf-8")
    found = re.search(r"^log_format\s+hub_stats\s+((?:'[^']*'\s*)+);", conf, flags=re.MULTILINE)
    assert found
    line = "".join(re.findall(r"'([^']*)'", found.group(1)))
    values = {
        "$remote_addr": IPV6,
        "$remote_user": "-",
        "$time_local": "20/Nov/2026:23:30:05 +0100",
        "$request": "GET /2026/getriebe/?utm_source=mastodon HTTP/2.0",
        "$status": "200",
        "$body_bytes_sent": "5120",
        "$http_referer": "https://social.example/@hellwig",
        "$http_user_agent": FIREFOX,
        "$http_sec_purpose": "prefetch;prerender",
    }
    for variable in sorted(values, key=len, reverse=True):
        line = line.replace(variable, values[variable])
    assert detect([line]) is COMBINED
    hit = COMBINED.parser([line])(line)
    assert hit is not None and hit.purpose == "prefetch;prerender" and hit.path == "/2026/getriebe/"
    assert hit.at == datetime(2026, 11, 20, 22, 30, 5, tzinfo=UTC)
