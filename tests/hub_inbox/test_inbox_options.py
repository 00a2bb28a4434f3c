"""The inbox's settings: defaults derived from the site's, wrong values named in German."""

from __future__ import annotations

from pathlib import Path

from hub_core.options import problems, read
from hub_inbox.options import OPTIONS, ORIGINS, POSTS, PREFIX, database_file


def test_defaults_follow_the_site_settings() -> None:
    settings = {"SITEURL": "https://Blog.Example.de/news", "OUTPUT_PATH": "/srv/out", "PATH": "/srv/site/content"}
    assert read(ORIGINS, settings) == ("https://blog.example.de",)
    assert read(ORIGINS, {"SITEURL": ""}) == ()
    assert read(POSTS, settings) == str(Path("/srv/out/dialog/posts.json"))
    assert database_file(settings) == Path("/srv/site/var/inbox.sqlite")
    assert read(PREFIX, settings) == "/dialog/"
    # where the build's form posts to, and where it writes the posts file (hub_dialogue's settings)
    dialogue = {"HUB_DIALOGUE_URL": "https://blog.example.de/kommentare", "HUB_DIALOGUE_POSTS_SAVE_AS": "k/p.json"}
    assert read(PREFIX, {**settings, **dialogue}) == "/kommentare/"
    assert read(POSTS, {**settings, **dialogue}) == str(Path("/srv/out/k/p.json"))
    assert database_file({**settings, "HUB_INBOX_DATABASE": "/data/inbox.sqlite"}) == Path("/data/inbox.sqlite")


def test_wrong_values_are_named_in_german() -> None:
    wrong = {"HUB_INBOX_PREFIX": "dialog", "HUB_INBOX_MAX_LENGTH": 0, "HUB_INBOX_ORIGINS": "https://a.example"}
    assert problems(OPTIONS, wrong) == [
        "HUB_INBOX_PREFIX: erwartet: ein Pfad, der mit „/“ beginnt und endet, etwa '/dialog/'; gefunden: 'dialog'",
        "HUB_INBOX_ORIGINS: erwartet: eine Liste von Texten wie ('a', 'b'); gefunden: str 'https://a.example'",
        "HUB_INBOX_MAX_LENGTH: erwartet: eine ganze Zahl ab 1; gefunden: int 0",
    ]
