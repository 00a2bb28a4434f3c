"""The production recipes for counting (ops/stats/) agree with each other and with the settings: the
log format is nginx's combined plus the purpose field, the rotation delivers into the folder the
settings name, the safety nets delete after the days the privacy page promises, the timer runs
`invoke stats` after the rotation."""

from __future__ import annotations

import json
import re

from conftest import ROOT
from hub_stats.options import KEEP_RAW_DAYS

OPS = ROOT / "ops" / "stats"
# nginx's built-in "combined" format, as its documentation defines it.
COMBINED = (
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'
)
# One field: a quoted string (with \" inside), the bracketed time, or a run without spaces.
FIELD = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|\S+')
EXAMPLE = {
    "$remote_addr": "203.0.113.7",
    "$remote_user": "-",
    "$time_local": "21/Nov/2026:10:00:00 +0100",
    "$request": "GET /2026/dauerlauf-pruefstand/?utm_source=mastodon HTTP/2.0",
    "$status": "200",
    "$body_bytes_sent": "5120",
    "$http_referer": "https://social.example/@hellwig",
    "$http_user_agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "$http_sec_purpose": "prefetch;prerender",
}


def text(name: str) -> str:
    return (OPS / name).read_text(encoding="utf-8")


def log_format() -> str:
    """The format string of `log_format hub_stats`, its quoted pieces joined as nginx joins them."""
    match = re.search(r"^log_format\s+hub_stats\s+((?:'[^']*'\s*)+);", text("nginx.conf"), flags=re.MULTILINE)
    assert match, "nginx.conf defines log_format hub_stats"
    return "".join(re.findall(r"'([^']*)'", match.group(1)))


def logs_folder() -> str:
    [folder] = re.findall(r'HUB_STATS_LOGS = "(/[^"]+)"', text("README.md"))
    return folder


def test_the_log_format_is_combined_plus_the_purpose_field() -> None:
    assert log_format() == COMBINED + ' "$http_sec_purpose"'


def test_a_line_in_the_format_has_the_ten_documented_fields() -> None:
    line = log_format()
    for variable in sorted(EXAMPLE, key=len, reverse=True):  # $http_referer before a shorter prefix
        line = line.replace(variable, EXAMPLE[variable])
    assert "$" not in line, f"a variable without an example value: {line}"
    fields = FIELD.findall(line)
    assert len(fields) == 10, fields
    assert fields[0] == "203.0.113.7" and fields[1] == fields[2] == "-"
    assert fields[3] == "[21/Nov/2026:10:00:00 +0100]"
    assert fields[4] == '"GET /2026/dauerlauf-pruefstand/?utm_source=mastodon HTTP/2.0"'
    assert (fields[5], fields[6]) == ("200", "5120")
    assert fields[7] == '"https://social.example/@hellwig"' and fields[8].startswith('"Mozilla/5.0 (X11')
    assert fields[9] == '"prefetch;prerender"'
    # The header absent: nginx writes "-", still ten fields.
    absent = line.replace('"prefetch;prerender"', '"-"')
    assert len(FIELD.findall(absent)) == 10
    # The documentation of the fields in nginx.conf names the same ten.
    documented = re.search(r"^#\s+address, .+$", text("nginx.conf"), flags=re.MULTILINE)
    assert documented and len(documented.group(0).lstrip("# ").split(", ")) == 10


def test_the_rotation_delivers_the_blogs_log_into_the_folder_the_settings_name() -> None:
    nginx, rotate = text("nginx.conf"), text("logrotate.conf")
    [(log_path, used_format)] = re.findall(r"^access_log\s+(\S+)\s+(\S+);", nginx, flags=re.MULTILINE)
    assert used_format == "hub_stats"
    assert re.search(rf"^{re.escape(log_path)} \{{", rotate, flags=re.MULTILINE), "logrotate.conf rotates that log"
    assert not log_path.startswith("/var/log/nginx/") or log_path.count("/") > 4, "not under Debian's *.log"
    folder = logs_folder()
    [(staged, delivered)] = re.findall(r'^\s*mv "(\S+)/\$name" "(\S+)/\$name"$', rotate, flags=re.MULTILINE)
    assert delivered == folder and staged != folder
    assert re.search(rf'gzip -9 -c {re.escape(log_path)}\.1 > "{re.escape(staged)}/\$name"', rotate)
    # No second copy outlives the delivery: logrotate keeps one rotated file, removed once delivered.
    assert re.search(r"^\s*rotate 1$", rotate, flags=re.MULTILINE) and f"rm -f {log_path}.1" in rotate


def test_every_safety_net_deletes_after_the_days_of_the_setting() -> None:
    days = KEEP_RAW_DAYS.default
    [minutes] = re.findall(r"find \S+ -name '[^']+' -mmin \+(\d+) -delete", text("logrotate.conf"))
    assert int(minutes) == days * 24 * 60
    [rule] = json.loads(text("cloudfront-logs-lifecycle.json"))["Rules"]
    assert rule["Status"] == "Enabled" and rule["Expiration"] == {"Days": days}
    [location] = re.findall(r'HUB_STATS_LOGS = "(s3://[^"]+)"', text("README.md"))
    assert location == f"s3://blog-logs/{rule['Filter']['Prefix']}"


def test_the_timer_counts_every_night_after_the_rotation() -> None:
    service, timer = text("hub-stats.service"), text("hub-stats.timer")
    assert re.findall(r"^ExecStart=(.+)$", service, flags=re.MULTILINE) == ["/srv/blog/.venv/bin/invoke stats"]
    assert "Type=oneshot" in service and "After=logrotate.service" in service
    # As the inbox's tasks run: the same user, checkout and virtual environment.
    inbox = (ROOT / "ops" / "inbox" / "hub-dialogue-tasks.service").read_text(encoding="utf-8")
    for key in ("User", "Group", "WorkingDirectory"):
        assert re.findall(rf"^{key}=(.+)$", service, flags=re.MULTILINE) == re.findall(
            rf"^{key}=(.+)$", inbox, flags=re.MULTILINE
        ), key
    [hour] = re.findall(r"^OnCalendar=\*-\*-\* (\d\d):\d\d:\d\d$", timer, flags=re.MULTILINE)
    assert 1 <= int(hour) <= 5, "after logrotate.timer's midnight run, before the working day"
    assert "Persistent=true" in timer and "WantedBy=timers.target" in timer
