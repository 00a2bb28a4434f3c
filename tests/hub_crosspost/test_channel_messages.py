"""The `channels` section's findings speak German, and English on request; ids and field names stay English."""

from __future__ import annotations

from pathlib import Path

from conftest import CALENDAR
from hub_content.calendar import parse_calendar
from hub_core import i18n

CHANNELS = """\
channels:
  mastodon:
    type: mastodon
    since: 2026-11-10
    instance: https://social.example
    token: geheim
    template: "{teaser} {ort} {link}"
  intranet:
    type: webhook
    since: 2026-11-10
    url_env: HUB_HOOK
    language: deutsch
  Falsch_Name:
    type: feed
"""


def channel_findings(tmp_path: Path) -> dict[str, str]:
    _, findings = parse_calendar(CALENDAR + CHANNELS, display_path="editorial_calendar.yaml", content_root=tmp_path)
    return {f.field: f.message for f in findings if f.field.startswith("channels.")}


def test_channel_findings_are_german(tmp_path: Path) -> None:
    found = channel_findings(tmp_path)
    assert found["channels.mastodon.token"] == (
        "erwartet: kein Geheimnis im Repository: Legen Sie es in eine Umgebungsvariable und nennen Sie diese in "
        "'token_env'; gefunden: 'token'"
    )
    assert found["channels.mastodon.template"] == (
        "erwartet: nur die Platzhalter title, teaser, link, hashtags, author, label; gefunden: {ort}"
    )
    assert found["channels.intranet.language"] == (
        "erwartet: ein Sprachkürzel aus zwei Buchstaben wie de; gefunden: 'deutsch'"
    )
    assert found["channels.Falsch_Name"] == (
        "erwartet: ein Kanalname aus Kleinbuchstaben, Ziffern und '-'; gefunden: 'Falsch_Name'"
    )


def test_channel_findings_in_english(tmp_path: Path) -> None:
    i18n.use_language("en")
    found = channel_findings(tmp_path)
    assert found["channels.mastodon.token"].startswith("expected no secret in the repository")
    assert found["channels.intranet.language"] == ("expected a two-letter language code such as de, found 'deutsch'")
