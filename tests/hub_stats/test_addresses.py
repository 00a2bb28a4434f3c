"""Which post a logged path belongs to: the forms a log writes a path in, old addresses, hand-written
redirects, and the addresses that belong to nobody."""

from __future__ import annotations

import pytest
from hub_stats.addresses import AddressBook, address_of, site_prefix


@pytest.mark.parametrize(
    ("logged", "address"),
    [
        ("/2026/slug/", "2026/slug/"),
        ("/2026/slug/index.html", "2026/slug/"),
        ("/2026/slug", "2026/slug/"),
        ("2026/slug/", "2026/slug/"),
        ("/2026/gr%C3%BC%C3%9Fe/", "2026/grüße/"),
        ("/2026/gr%c3%bc%c3%9fe/index.html", "2026/grüße/"),
        ("/2026/slug/?utm_source=x", "2026/slug/"),
        ("/", ""),
        ("/index.html", ""),
        ("/feeds/all.atom.xml", "feeds/all.atom.xml"),
        ("/seite.html", "seite.html"),
    ],
)
def test_a_path_in_every_form_a_log_writes_it(logged: str, address: str) -> None:
    assert address_of(logged) == address


def test_the_site_prefix_comes_from_siteurl() -> None:
    assert site_prefix("https://www.example.com/blog/") == "blog/"
    assert site_prefix("https://www.example.com/a/b") == "a/b/"
    assert site_prefix("https://www.example.com") == site_prefix("") == ""


def test_old_addresses_redirects_and_prefix_lead_to_the_post() -> None:
    book = AddressBook.build(
        current={"posts/a.md": ("de/a", "2026/a/"), "posts/b.md": ("de/b", "2026/grüße/")},
        published={
            "posts/a.md": ["2026/a-alt/", "2026/a/"],
            "posts/b.md": ["2026/b-alt/", "2026/gr%C3%BC%C3%9Fe/"],
            "pages/impressum.md": ["impressum/"],
        },
        redirects={"kampagne/": "aktion/", "aktion/": "2026/a-alt/", "kreis-1/": "kreis-2/", "kreis-2/": "kreis-1/"},
        prefix="blog/",
    )
    assert book.post_of("/blog/2026/a/index.html") == book.post_of("/2026/a-alt") == "de/a"
    assert book.post_of("/kampagne/") == book.post_of("/blog/aktion/") == "de/a"  # redirects followed
    assert book.post_of("/2026/gr%C3%BC%C3%9Fe/") == book.post_of("/blog/2026/b-alt/") == "de/b"
    assert book.post_of("/impressum/") is None  # a page, not a post
    assert book.post_of("/kreis-1/") is None  # a loop of redirects leads nowhere
    assert book.post_of("/blog/") is None


def test_an_address_is_its_owners_today_and_a_shared_old_one_nobodys() -> None:
    book = AddressBook.build(
        current={
            "posts/a.md": ("de/a", "2026/a/"),
            "posts/b.md": ("de/b", "2026/b/"),
            "posts/c.md": ("de/c", "2026/c/"),
        },
        published={
            "posts/a.md": ["2026/frei/", "2026/a/"],
            "posts/b.md": ["2026/frei/", "2026/a-frueher/", "2026/b/"],
            "posts/c.md": ["2026/a/", "2026/c/"],  # c once had the address a has today
        },
    )
    assert book.post_of("/2026/a/") == "de/a"
    assert book.post_of("/2026/frei/") is None  # a and b both had it: whose readers were they?
    assert book.post_of("/2026/a-frueher/") == "de/b"
