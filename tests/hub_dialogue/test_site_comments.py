"""Comments on the static site, from real builds with an export file (hub_dialogue): thread order,
escaping, only approved items, the count on listings, the form and when it is closed, the crisis
stop, English labels, the list of posts for the inbox, and the sample Datenschutz page."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, Site, valid_post
from hub_core.errors import BuildStopped
from hub_core.options import read
from hub_inbox.model import Counts, Item, PostDialogue, Source, Status, export
from hub_inbox.options import PREFIX, UNCONFIRMED_DAYS
from pelican.settings import read_settings

ARTICLE = "2026/erster/index.html"
ENGLISH = "en/2026/first/index.html"


def items() -> tuple[Item, ...]:
    return (
        Item(
            "web:b",
            "de/erster",
            Source.WEB,
            "Spät, aber <b>fett</b>?",
            datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
            Status.APPROVED,
            author="",
        ),
        Item(
            "web:a",
            "de/erster",
            Source.WEB,
            "Gut erklärt! <script>alert(1)</script>",
            datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
            Status.APPROVED,
            author="Karla K.",
        ),
        Item(
            "staff:c",
            "de/erster",
            Source.STAFF,
            "Danke, Karla!",
            datetime(2026, 11, 19, 12, 0, tzinfo=UTC),
            Status.APPROVED,
            author="Jana Döring",
            parent="web:a",
        ),
        Item(
            "mastodon:d",
            "de/erster",
            Source.MASTODON,
            "Gesehen auf Mastodon",
            datetime(2026, 11, 19, 23, 30, tzinfo=UTC),
            Status.APPROVED,
            author="Ole",
            url="https://social.example/@ole/1",
        ),
        Item("web:e", "de/erster", Source.WEB, "NOCH NICHT GEPRUEFT", datetime(2026, 11, 20, 9, 0, tzinfo=UTC)),
    )


def write_export(site: Site) -> Path:
    path = site.root / "cache" / "dialogue" / "export.json"  # the default: CACHE_PATH/dialogue/export.json
    path.parent.mkdir(parents=True, exist_ok=True)
    dialogues = [
        PostDialogue("de/erster", items(), {"mastodon": Counts(replies=4, likes=9)}),
        PostDialogue(
            "en/first",
            (Item("web:f", "en/first", Source.WEB, "Nice", datetime(2026, 11, 19, tzinfo=UTC), Status.APPROVED),),
        ),
    ]
    path.write_text(export(dialogues, datetime(2026, 11, 21, tzinfo=UTC)), encoding="utf-8")
    return path


@pytest.fixture
def blog(site: Site) -> Site:
    site.write("posts/erster.md", valid_post(slug="erster"))
    site.write("posts/first.md", valid_post(slug="first", lang="en", title='"First post"'))
    site.write("posts/zu.md", valid_post(slug="zu", comments="closed", title='"Geschlossen"'))
    site.write("posts/aus.md", valid_post(slug="aus", comments="off", title='"Ohne Kommentare"'))
    site.write("posts/alt.md", valid_post(slug="alt", date='"2026-03-02 09:00 +01:00"', title='"Alt"'))
    return site


def texts(soup: object, selector: str) -> list[str]:
    return [" ".join(node.get_text(" ").split()) for node in soup.select(selector)]  # type: ignore[attr-defined]


def test_approved_comments_render_in_thread_order_escaped_and_marked(blog: Site) -> None:
    write_export(blog)
    blog.build()
    page = blog.html(ARTICLE)
    comments = page.select(".dialogue .comment")
    assert [c["data-comment"] for c in comments] == ["web:a", "staff:c", "mastodon:d", "web:b"]
    assert [c["class"][1] for c in comments] == [
        "comment--depth-0",
        "comment--depth-1",
        "comment--depth-0",
        "comment--depth-0",
    ]
    authors = texts(page, ".comment__author")
    assert authors == ["Karla K.", "Jana Döring", "Ole", "Anonym"]
    assert texts(page, ".comment__staff") == ["Antwort von Hellwig Antriebstechnik GmbH"]
    assert "19. November 2026" in comments[0].get_text() and "20. November 2026" in comments[2].get_text()
    platform = page.select_one(".comment__platform")
    assert platform["href"] == "https://social.example/@ole/1" and platform.get_text() == "auf Mastodon"
    # Escaped: the reader's markup is text, never an element.
    raw = (blog.output / ARTICLE).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "<script>alert(1)" not in raw
    assert page.select(".comment__text b") == []
    # Only approved items reach the page.
    assert "NOCH NICHT GEPRUEFT" not in raw and "web:e" not in raw
    reports = [a["href"] for a in page.select(".comment__report")]
    # The sample's HUB_DIALOGUE_REPORT_EMAIL is None: the inbox's report form (hub_inbox/privacy.py).
    assert reports == [f"/dialog/melden?item={quote(c['data-comment'], safe='')}" for c in comments]
    assert texts(page, ".comment__report") == ["Melden"] * 4


def test_listing_cards_count_approved_items_and_platform_replies(blog: Site) -> None:
    write_export(blog)
    blog.build()
    index = blog.html("index.html")
    counts = {
        card.select_one(".card__title").get_text(strip=True): card.select_one(".card__comments")
        for card in index.select(".card")
    }
    # Three approved here besides Mastodon's reply, and Mastodon counts four replies (Ole's among them).
    assert counts["Ein gültiger Beitrag"].get_text(strip=True) == "7 Kommentare"
    assert counts["Geschlossen"] is None
    english = blog.html("en/index.html").select_one(".card__comments")
    assert english.get_text(strip=True) == "1 comment"


def test_the_form_posts_to_the_inbox_with_token_timestamp_and_honeypot(blog: Site) -> None:
    blog.build()
    page = blog.html(ARTICLE)
    form = page.select_one("form.dialogue__form")
    assert form["method"] == "post" and form["action"] == "/dialog/"
    fields = {field["name"]: field for field in form.select("input, textarea")}
    assert set(fields) == {"post", "token", "rendered_at", "text", "name", "email", "website"}
    assert fields["post"]["value"] == "de/erster"
    assert len(fields["token"]["value"]) == 32
    assert datetime.fromisoformat(fields["rendered_at"]["value"]).tzinfo is not None
    trap = fields["website"]
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert trap.find_parent("div")["aria-hidden"] == "true" and "visually-hidden" in trap.find_parent("div")["class"]
    assert "required" in fields["text"].attrs and "required" not in fields["name"].attrs
    assert [label.get_text(strip=True) for label in form.select("label")][:3] == [
        "Ihr Kommentar",
        "Name (freiwillig)",
        "E-Mail (freiwillig, nur für eine Nachricht, wenn jemand antwortet)",
    ]
    assert form.select_one(".dialogue__note a")["href"].endswith("datenschutz/")
    # No export yet: no comments, not an error.
    assert texts(page, ".dialogue__empty") == ["Noch keine Kommentare."]
    # Another page has another token.
    assert blog.html("2026/zu/index.html").select_one("form") is None


def test_closed_off_and_old_threads(blog: Site) -> None:
    write_export(blog)
    blog.build()
    closed = blog.html("2026/zu/index.html")
    assert closed.select_one("form") is None
    assert texts(closed, ".dialogue__closed") == ["Kommentare zu diesem Beitrag sind geschlossen."]
    assert blog.html("2026/aus/index.html").select_one(".dialogue") is None
    old = blog.html("2026/alt/index.html")  # March: older than the 90 days of HUB_DIALOGUE_CLOSE_AFTER_DAYS
    assert old.select_one("form") is None and texts(old, ".dialogue__closed")
    assert blog.html(ARTICLE).select_one("form.dialogue__form") is not None
    listed = json.loads((blog.output / "dialog" / "posts.json").read_text(encoding="utf-8"))
    assert listed["version"] == 1
    assert listed["posts"] == [
        {"category": "Technik", "key": "de/alt", "open": False, "title": "Alt", "url": "/2026/alt/"},
        {"category": "Technik", "key": "de/aus", "open": False, "title": "Ohne Kommentare", "url": "/2026/aus/"},
        {
            "category": "Technik",
            "key": "de/erster",
            "open": True,
            "title": "Ein gültiger Beitrag",
            "url": "/2026/erster/",
        },
        {"category": "Technik", "key": "de/zu", "open": False, "title": "Geschlossen", "url": "/2026/zu/"},
        {"category": "Technik", "key": "en/first", "open": True, "title": "First post", "url": "/en/2026/first/"},
    ]
    # A longer age setting opens the March post again.
    blog.build(HUB_DIALOGUE_CLOSE_AFTER_DAYS=365)
    assert blog.html("2026/alt/index.html").select_one("form.dialogue__form") is not None


def test_a_crisis_stop_closes_every_form_on_the_site(blog: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    write_export(blog)
    monkeypatch.setenv("HUB_CRISIS_STOP", "1")
    blog.build()
    for relative in (ARTICLE, ENGLISH, "2026/alt/index.html"):
        assert blog.html(relative).select_one("form") is None, relative
    assert texts(blog.html(ARTICLE), ".dialogue__closed") == ["Die Kommentarfunktion ist vorübergehend geschlossen."]
    assert texts(blog.html(ENGLISH), ".dialogue__closed") == ["Commenting is paused for the moment."]
    # What was approved stays visible.
    assert len(blog.html(ARTICLE).select(".comment")) == 4
    listed = json.loads((blog.output / "dialog" / "posts.json").read_text(encoding="utf-8"))
    assert not any(post["open"] for post in listed["posts"])


def test_english_posts_get_english_labels(blog: Site) -> None:
    write_export(blog)
    blog.build()
    page = blog.html(ENGLISH)
    assert texts(page, ".dialogue__heading")[0].startswith("Comments")
    assert texts(page, ".comment__author") == ["Anonymous"]
    assert texts(page, ".comment__report") == ["Report"]
    assert "November 19, 2026" in page.select_one(".comment").get_text()
    labels = [label.get_text(strip=True) for label in page.select("form label")]
    assert labels[:2] == ["Your comment", "Name (optional)"]
    assert page.select_one(".dialogue__submit").get_text(strip=True) == "Send comment"
    assert page.select_one('input[name="post"]')["value"] == "en/first"


def test_a_broken_export_stops_the_build_naming_the_file(blog: Site) -> None:
    path = write_export(blog)
    path.write_text('{"version": 1, "posts": {"de/erster": {"items": [{"id": 1}]}}}', encoding="utf-8")
    with pytest.raises(BuildStopped, match=r"export\.json: der Export der freigegebenen Kommentare"):
        blog.build()


def test_production_shows_only_approved_items_of_published_posts(blog: Site) -> None:
    write_export(blog)
    for relative in ("posts/erster.md", "posts/first.md"):
        text = (blog.content / relative).read_text(encoding="utf-8")
        (blog.content / relative).write_text(text.replace("---\n\n", "status: published\n---\n\n", 1), "utf-8")
        blog.approve(relative)
    blog.build(prod=True)
    page = blog.html(ARTICLE)
    assert len(page.select(".comment")) == 4 and "NOCH NICHT GEPRUEFT" not in str(page)
    listed = json.loads((blog.output / "dialog" / "posts.json").read_text(encoding="utf-8"))
    assert [post["key"] for post in listed["posts"]] == ["de/erster", "en/first"]
    assert listed["posts"][0]["url"].endswith("/2026/erster/") and listed["posts"][0]["url"].startswith("https://")


def test_the_sample_privacy_page_describes_what_the_dialogue_stores() -> None:
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    text = " ".join((ROOT / "content" / "pages" / "datenschutz.md").read_text(encoding="utf-8").split())
    assert f"{settings['HUB_DIALOGUE_CLOSE_AFTER_DAYS']} Tage nach dem Erscheinen" in text
    if settings["HUB_DIALOGUE_REPORT_EMAIL"]:
        assert f"E-Mail an {settings['HUB_DIALOGUE_REPORT_EMAIL']}" in text
    else:
        assert f"`{settings['HUB_DIALOGUE_URL']}melden`" in text and "Grund" in text
    assert "privaten Lösch-Link" in text
    assert f"`{settings['HUB_DIALOGUE_URL']}`" in text
    for stored in (
        "**Text**",
        "**Namen**, nur wenn Sie einen angeben",
        "nur, um Sie über eine Antwort zu benachrichtigen",
    ):
        assert stored in text
    assert "**IP-Adresse** wird nicht gespeichert" in text and "Arbeitsspeicher des Anfragelimits" in text
    assert "**Löschung:**" in text and "Art. 17 DSGVO" in text
    assert "keine Kommentarfunktion" not in text
    # the reply notice's double opt-in (hub_inbox.optin): one mail, the days until an unconfirmed address goes
    days = read(UNCONFIRMED_DAYS, settings)
    assert "Double-Opt-in" in text and "einzige E-Mail mit einem Bestätigungslink" in text
    assert f"nach {days} Tagen ohne Bestätigung löschen wir die Adresse" in text
    assert "genau eine Benachrichtigung" in text
    assert f"`{read(PREFIX, settings)}abmelden`" in text
