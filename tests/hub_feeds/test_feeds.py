"""Feeds through real builds: valid Atom and RSS, stable ids and dates, absolute URLs, discovery links."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
from conftest import NOW, Site, valid_post
from hub_core import i18n
from hub_core.errors import ConfigurationError
from hub_feeds.entries import absolutize_html, entry_updated, tag_uri
from hub_feeds.model import Entry, FeedMeta
from hub_feeds.render import render_feed
from hub_feeds.settings import DEFAULTS, parse_settings
from lxml import etree

SITEURL = "https://blog.hellwig-antriebe.example"
DOMAIN = "blog.hellwig-antriebe.example"
NS = {"a": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}
TAGS = {"tag": "feeds/schlagwort/{slug}.{format}.xml"}
HOF_ID = f"tag:{DOMAIN},2026-11-18:de/hof"
YARD_ID = f"tag:{DOMAIN},2026-11-18:en/yard"
AD_ID = f"tag:{DOMAIN},2026-11-19:de/partner"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URL_ATTRIBUTES = ("href", "src", "poster", "cite")


def plugins(site: Site) -> list[str]:
    """The configured plugins with feeds added (after the gate, before the theme's)."""
    names = [name for name in site.settings()["PLUGINS"] if name != "hub_feeds"]
    at = names.index("hub_theme") if "hub_theme" in names else len(names)
    return [*names[:at], "hub_feeds", *names[at:]]


def build(site: Site, prod: bool = True, **overrides: object) -> Path:
    overrides.setdefault("HUB_FEEDS", TAGS)
    return site.build(prod=prod, PLUGINS=plugins(site), **overrides)


def feed_files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted((output / "feeds").rglob("*.xml"))}


def xml(output: Path, relative: str) -> etree._Element:
    return etree.fromstring((output / relative).read_bytes())


def atom_entries(output: Path, relative: str) -> dict[str, etree._Element]:
    return {e.findtext("a:id", namespaces=NS): e for e in xml(output, relative).iterfind("a:entry", NS)}


def rss_items(output: Path, relative: str) -> dict[str, etree._Element]:
    return {i.findtext("guid"): i for i in xml(output, relative).iterfind("channel/item")}


def absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def content_urls(html: str) -> list[str]:
    urls = []
    for element in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        urls += [element.get(name) for name in URL_ATTRIBUTES if element.get(name) is not None]
        for candidate in (element.get("srcset") or "").split(","):
            if candidate.strip():
                urls.append(candidate.split()[0])
    return urls


def check_enclosure(output: Path, base: str, url: str, length: str, mime: str) -> None:
    assert url.startswith(base + "/"), url
    published = output / url.removeprefix(base + "/")
    assert published.is_file(), url
    assert int(length) == published.stat().st_size, url
    assert mime == mimetypes.guess_type(published.name)[0]


def check_atom(output: Path, relative: str, base: str) -> None:
    """What a strict Atom (RFC 4287) validator checks, plus our own rules (absolute URLs, tag ids)."""
    feed = xml(output, relative)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    self_links = feed.findall("a:link[@rel='self']", NS)
    assert [link.get("href") for link in self_links] == [f"{base}/{relative}"]
    assert self_links[0].get("type") == "application/atom+xml"
    assert all(absolute(link.get("href")) for link in feed.iterfind("a:link", NS))
    assert absolute(feed.findtext("a:id", namespaces=NS))
    assert feed.findtext("a:title", namespaces=NS)
    for name in ("logo", "icon"):
        assert absolute(feed.findtext(f"a:{name}", namespaces=NS))
    entries = feed.findall("a:entry", NS)
    assert entries
    assert feed.findtext("a:updated", namespaces=NS) == max(e.findtext("a:updated", namespaces=NS) for e in entries)
    for entry in entries:
        assert entry.findtext("a:id", namespaces=NS).startswith(f"tag:{DOMAIN},")
        assert entry.findtext("a:title", namespaces=NS)
        for name in ("updated", "published"):
            stamp = entry.findtext(f"a:{name}", namespaces=NS)
            assert RFC3339.match(stamp), stamp
        assert datetime.fromisoformat(entry.findtext("a:updated", namespaces=NS)) >= datetime.fromisoformat(
            entry.findtext("a:published", namespaces=NS)
        )
        assert entry.findall("a:author/a:name", NS) or feed.findall("a:author/a:name", NS)
        links = entry.findall("a:link", NS)
        assert [link.get("rel") for link in links].count("alternate") == 1
        assert all(absolute(link.get("href")) for link in links)
        for link in entry.iterfind("a:link[@rel='enclosure']", NS):
            check_enclosure(output, base, link.get("href"), link.get("length"), link.get("type"))
        content = entry.find("a:content", NS)
        assert content.get("type") == "html"
        urls = content_urls(content.text)
        assert urls and all(absolute(url) for url in urls), urls


def check_rss(output: Path, relative: str, base: str) -> None:
    rss = xml(output, relative)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    for name in ("title", "link", "description", "language"):
        assert channel.findtext(name), name
    assert absolute(channel.findtext("link")) and absolute(channel.findtext("image/url"))
    assert [link.get("href") for link in channel.iterfind("a:link[@rel='self']", NS)] == [f"{base}/{relative}"]
    items = channel.findall("item")
    assert items
    newest = max(parsedate_to_datetime(i.findtext("pubDate")) for i in items)
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) >= newest
    for item in items:
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false" and guid.text.startswith(f"tag:{DOMAIN},")
        assert absolute(item.findtext("link"))
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert item.findtext("{http://purl.org/dc/elements/1.1/}creator")
        enclosure = item.find("enclosure")
        if enclosure is not None:
            check_enclosure(output, base, enclosure.get("url"), enclosure.get("length"), enclosure.get("type"))
        # The full text: content:encoded beside a summary, or else the description itself.
        urls = content_urls(item.findtext("content:encoded", namespaces=NS) or item.findtext("description"))
        assert urls and all(absolute(url) for url in urls), urls


@pytest.fixture(autouse=True)
def feeds_plugin_only_here() -> Iterator[None]:
    """Pelican's signals outlive a build: leave other tests' builds as their PLUGINS say."""
    yield
    import hub_feeds

    for signal, handler in hub_feeds.CONNECTIONS:
        signal.disconnect(handler)


@pytest.fixture
def blog(site: Site, make_image) -> Site:
    """A German post with header image and a translation, a sponsored post, and a held post."""
    make_image("images/posts/hof.jpg", (1600, 900))
    make_image("images/posts/plan.png", (600, 400), "orange")
    site.write(
        "posts/hof.md",
        valid_post(
            title='"Neuer Hof"',
            slug="hof",
            tags="[Labor, Werk]",
            summary='"Der Hof ist fertig: <b>endlich</b> & groß."',
            image="{path: images/posts/hof.jpg, alt: Der neue Hof, credit: 'Foto: Jana', license: Werksfoto}",
            body=(
                "Zum [Archiv](../../archiv/), zum [Abschnitt](#unten) und [nach oben](/).\n\n"
                "![Der Hof von oben]({static}/images/posts/hof.jpg)\n\n"
                '<img src="/images/posts/plan.png" srcset="/images/posts/plan.png 1x" alt="Plan">\n\n'
                "## Unten {#unten}\n\nEnde.\n"
            ),
        ),
    )
    site.write(
        "posts/hof.en.md",
        valid_post(title='"New yard"', slug="yard", lang="en", translation_of="hof", body="See [home](/).\n"),
    )
    site.write(
        "posts/partner.md",
        valid_post(
            title='"Partnerbeitrag"',
            slug="partner",
            date="2026-11-19 11:00 +01:00",
            sponsored='{partner: "Voltara GmbH", label: "Anzeige"}',
            body="Mit [Voltara](https://voltara.example/).\n",
        ),
    )
    site.write(
        "posts/zurueckgehalten.md",
        valid_post(
            title='"Geheimes Projekt"',
            slug="geheim",
            date="2026-11-19 09:00 +01:00",
            category="Vertraulich",
            tags="[Nurhier]",
        ),
    )
    for relative in ("posts/hof.md", "posts/hof.en.md", "posts/partner.md"):
        site.approve(relative)
    return site


def test_every_feed_is_valid_atom_or_rss_with_absolute_urls(blog: Site, log_warnings) -> None:
    output = build(blog)
    assert not [r.getMessage() for r in log_warnings if r.name.startswith("hub_feeds")]
    feeds = feed_files(output)
    assert set(feeds) == {
        f"feeds/{name}.{fmt}.xml"
        for name in ("alle", "en", "kategorie/technik", "autor/jana-doering", "schlagwort/labor", "schlagwort/werk")
        for fmt in ("atom", "rss")
    }
    for relative, data in feeds.items():
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (relative, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if relative.endswith(".atom.xml") else "rss20")
        (check_atom if relative.endswith(".atom.xml") else check_rss)(output, relative, SITEURL)


def test_entries_carry_what_readers_need(blog: Site) -> None:
    output = build(blog)
    hof = atom_entries(output, "feeds/alle.atom.xml")[HOF_ID]
    assert hof.findtext("a:title", namespaces=NS) == "Neuer Hof"
    assert hof.find("a:link[@rel='alternate']", NS).get("href") == f"{SITEURL}/2026/hof/"
    assert hof.findtext("a:published", namespaces=NS) == "2026-11-18T09:00:00+01:00"
    assert [a.text for a in hof.iterfind("a:author/a:name", NS)] == ["Jana Döring"]
    # Plain text, the way it was written (the reader hands it over HTML-escaped).
    assert hof.findtext("a:summary", namespaces=NS) == "Der Hof ist fertig: <b>endlich</b> & groß."
    # Categories and tags in every entry (what Pelican's feeds lack, pelican#2556).
    assert [(c.get("term"), c.get("label")) for c in hof.iterfind("a:category", NS)] == [
        ("technik", "Technik"),
        ("labor", "Labor"),
        ("werk", "Werk"),
    ]
    item = rss_items(output, "feeds/alle.rss.xml")[HOF_ID]
    assert [c.text for c in item.iterfind("category")] == ["Technik", "Labor", "Werk"]
    # The header image: the 960 px JPEG the image pipeline made, cleaned of metadata.
    enclosure = hof.find("a:link[@rel='enclosure']", NS)
    assert enclosure.get("href") == f"{SITEURL}/images/posts/hof-jpg-960.jpg"
    assert item.find("enclosure").get("url") == enclosure.get("href")
    assert item.find("enclosure").get("length") == enclosure.get("length")
    # Every URL in the content absolute: relative links, anchors, root paths, srcsets.
    urls = content_urls(hof.findtext("a:content", namespaces=NS))
    assert f"{SITEURL}/archiv/" in urls
    assert f"{SITEURL}/2026/hof/#unten" in urls
    assert f"{SITEURL}/images/posts/plan.png" in urls
    assert f"{SITEURL}/images/posts/hof-jpg-480.webp" in urls
    # Feed level: the page it stands for, a stable `updated`, and no build time anywhere.
    feed = xml(output, "feeds/kategorie/technik.atom.xml")
    assert feed.find("a:link[@rel='alternate']", NS).get("href") == f"{SITEURL}/kategorie/technik/"
    assert feed.findtext("a:title", namespaces=NS) == "Hellwig Antriebstechnik · Blog · Beiträge in Technik"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"


def test_sponsored_posts_keep_their_label_in_the_title(blog: Site) -> None:
    output = build(blog)
    assert atom_entries(output, "feeds/alle.atom.xml")[AD_ID].findtext("a:title", namespaces=NS) == (
        "Anzeige: Partnerbeitrag"
    )
    assert rss_items(output, "feeds/alle.rss.xml")[AD_ID].findtext("title") == "Anzeige: Partnerbeitrag"


def test_each_language_has_its_own_feed_and_held_posts_are_in_none(blog: Site) -> None:
    output = build(blog)
    assert set(atom_entries(output, "feeds/alle.atom.xml")) == {HOF_ID, AD_ID}
    assert set(atom_entries(output, "feeds/en.atom.xml")) == {YARD_ID}
    assert set(rss_items(output, "feeds/en.rss.xml")) == {YARD_ID}
    assert set(atom_entries(output, "feeds/kategorie/technik.atom.xml")) == {HOF_ID, AD_ID}
    assert set(atom_entries(output, "feeds/schlagwort/labor.atom.xml")) == {HOF_ID}
    english = xml(output, "feeds/en.atom.xml")
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert xml(output, "feeds/en.rss.xml").findtext("channel/language") == "en"
    for relative, data in feed_files(output).items():
        assert b"Geheim" not in data and b"geheim" not in data, relative
        assert b"ertraulich" not in data and b"urhier" not in data, relative


def test_a_rebuild_without_changes_writes_the_same_bytes(blog: Site, fixed_now) -> None:
    first = feed_files(build(blog))
    fixed_now.shift(timedelta(days=1))  # a later build: nothing in the feeds may say when it ran
    assert feed_files(build(blog)) == first


def test_ids_never_change_and_updated_moves_only_with_visible_changes(blog: Site, fixed_now) -> None:
    output = build(blog)
    before = atom_entries(output, "feeds/alle.atom.xml")[HOF_ID]
    published = before.findtext("a:published", namespaces=NS)
    updated = before.findtext("a:updated", namespaces=NS)
    assert updated == NOW.isoformat()  # approved after its date: it went live with the approval

    post = blog.content / "posts/hof.md"
    post.write_text(post.read_text(encoding="utf-8").replace('"Neuer Hof"', '"Neuer Hof, erweitert"'), "utf-8")
    later = NOW + timedelta(hours=3)
    fixed_now.move_to(later)
    blog.approve("posts/hof.md", at=later)
    output = build(blog)
    after = atom_entries(output, "feeds/alle.atom.xml")[HOF_ID]  # same id after a new title
    assert after.findtext("a:title", namespaces=NS) == "Neuer Hof, erweitert"
    assert after.findtext("a:published", namespaces=NS) == published
    assert after.findtext("a:updated", namespaces=NS) == later.isoformat()
    assert HOF_ID in rss_items(output, "feeds/alle.rss.xml")
    # Untouched posts keep their `updated`; so does the edited one on the next rebuild.
    partner = atom_entries(output, "feeds/alle.atom.xml")[AD_ID].findtext("a:updated", namespaces=NS)
    assert partner == NOW.isoformat()
    fixed_now.shift(timedelta(days=2))
    again = atom_entries(build(blog), "feeds/alle.atom.xml")[HOF_ID]
    assert again.findtext("a:updated", namespaces=NS) == later.isoformat()


def feed_links(site: Site, relative: str) -> list[tuple[str, str]]:
    page = site.html(relative)
    return [
        (link["type"], link["href"])
        for link in page.find_all("link", rel="alternate")
        if link.get("type") in ("application/atom+xml", "application/rss+xml")
    ]


def both(path: str) -> list[tuple[str, str]]:
    return [
        ("application/atom+xml", f"{SITEURL}/feeds/{path}.atom.xml"),
        ("application/rss+xml", f"{SITEURL}/feeds/{path}.rss.xml"),
    ]


def test_pages_link_their_feeds(blog: Site) -> None:
    build(blog)
    assert feed_links(blog, "index.html") == both("alle")
    assert feed_links(blog, "archiv/index.html") == both("alle")
    assert feed_links(blog, "kategorie/technik/index.html") == both("alle") + both("kategorie/technik")
    assert feed_links(blog, "autor/jana-doering/index.html") == both("alle") + both("autor/jana-doering")
    assert feed_links(blog, "schlagwort/labor/index.html") == both("alle") + both("schlagwort/labor")
    assert feed_links(blog, "2026/hof/index.html") == both("alle") + both("kategorie/technik")
    # Pages in English link the English feed only: the category's feed carries the German posts.
    assert feed_links(blog, "en/2026/yard/index.html") == both("en")
    assert feed_links(blog, "en/index.html") == both("en")
    assert feed_links(blog, "en/category/technik/index.html") == both("en")
    german = blog.html("2026/hof/index.html").find("a", class_="feed-link")
    assert german.get_text() == "Feed abonnieren" and german["href"] == f"{SITEURL}/feeds/alle.atom.xml"
    assert german.find_parent("li").find_parent("footer")
    english = blog.html("en/2026/yard/index.html").find("a", class_="feed-link")
    assert english.get_text() == "Subscribe (feed)" and english["href"] == f"{SITEURL}/feeds/en.atom.xml"
    titles = [link["title"] for link in blog.html("index.html").find_all("link", type="application/atom+xml")]
    assert titles == ["Hellwig Antriebstechnik · Blog (Atom)"]


def test_development_builds_write_feeds_for_the_local_server(blog: Site) -> None:
    output = build(blog, prod=False)
    base = "http://localhost:8000"
    for relative, data in feed_files(output).items():
        assert not feedparser.parse(data).bozo, relative
        (check_atom if relative.endswith(".atom.xml") else check_rss)(output, relative, base)
        assert b"geheim" not in data, relative  # shown with a banner in development, never in a feed
    # The entry ids do not depend on the address the site is served from.
    assert HOF_ID in atom_entries(output, "feeds/alle.atom.xml")
    links = feed_links(blog, "2026/hof/index.html")
    assert links[0] == ("application/atom+xml", "../../feeds/alle.atom.xml")
    assert (output / "2026/hof" / links[0][1]).resolve().is_file()
    # Rebuilding in place (`invoke serve`; other builds write a new folder): unchanged feeds are not touched.
    written = {p: p.stat().st_mtime_ns for p in (output / "feeds").rglob("*.xml")}
    build(blog, prod=False, HUB_STAGED_OUTPUT=False)
    assert {p: p.stat().st_mtime_ns for p in (output / "feeds").rglob("*.xml")} == written


def test_feed_paths_are_configurable_and_tag_feeds_optional(blog: Site) -> None:
    output = build(blog, HUB_FEEDS={"all": "feeds/all.{format}.xml", "author": None, "formats": ["atom"]})
    assert set(feed_files(output)) == {"feeds/all.atom.xml", "feeds/en.atom.xml", "feeds/kategorie/technik.atom.xml"}
    assert feed_links(blog, "autor/jana-doering/index.html") == [
        ("application/atom+xml", f"{SITEURL}/feeds/all.atom.xml")
    ]


def test_mistakes_in_the_setting_stop_the_build_all_named_at_once(blog: Site, log_warnings) -> None:
    # Judged with every other setting as the build starts (hub_core.settings_check): a configuration error.
    with pytest.raises(ConfigurationError) as stopped:
        build(blog, HUB_FEEDS={"category": "feeds/{slug}.xml", "formats": ["json"], "colour": "blue"})
    errors = str(stopped.value).splitlines()
    assert len(errors) == 2
    assert any("HUB_FEEDS['category']: braucht {format}" in m for m in errors)
    assert any("HUB_FEEDS['formats']" in m and "json" in m for m in errors)
    messages = [r.getMessage() for r in log_warnings]
    assert any("unbekanntes Feld 'colour'" in m for m in messages)
    assert not (blog.output / "feeds").exists()


def test_settings_rules() -> None:
    settings, errors, warnings = parse_settings(None)
    assert not errors and not warnings
    assert settings.path("category", "atom", slug="technik") == "feeds/kategorie/technik.atom.xml"
    assert settings.path("tag", "rss", slug="x") is None  # tag feeds are off unless asked for
    _, errors, _ = parse_settings(
        {"language": "feeds/{format}.xml", "author": "/abs/{slug}.{format}.xml", "max_items": 0, "dev_siteurl": "x"}
    )
    assert len(errors) == 4
    assert "braucht {lang}" in errors[0] and "ein Pfad im Ausgabeordner" in errors[1]


def test_settings_rules_in_english() -> None:
    i18n.use_language("en")
    _, errors, warnings = parse_settings({"language": "feeds/{format}.xml", "colour": "blue", "formats": ["json"]})
    assert errors == [
        "HUB_FEEDS['language']: needs {lang}, so each feed gets its own file, found 'feeds/{format}.xml'",
        "HUB_FEEDS['formats']: expected a non-empty list of atom, rss, found ['json']",
    ]
    assert warnings == [f"HUB_FEEDS: unknown key 'colour' ignored (known: {', '.join(DEFAULTS)})"]


def test_urls_made_absolute_without_breaking_html5_markup() -> None:
    html = (
        '<p>Ein <a href="../x/">Link</a> &amp; <a href="mailto:a@b.example">Mail</a></p>\n'
        '<picture><source srcset="a-480.webp 480w, /a-960.webp 960w" type="image/webp">'
        '<img src="a.jpg" alt="ä" srcset="a.jpg 1x,a-2x.jpg 2x"></picture><p>Zeile<br>zwei</p>tail'
    )
    result = absolutize_html(html, "https://example.org/2026/post/")
    assert result == (
        '<p>Ein <a href="https://example.org/2026/x/">Link</a> &amp; <a href="mailto:a@b.example">Mail</a></p>\n'
        '<picture><source srcset="https://example.org/2026/post/a-480.webp 480w, https://example.org/a-960.webp 960w"'
        ' type="image/webp"><img src="https://example.org/2026/post/a.jpg" alt="ä"'
        ' srcset="https://example.org/2026/post/a.jpg 1x, https://example.org/2026/post/a-2x.jpg 2x"></picture>'
        "<p>Zeile<br>zwei</p>tail"
    )
    assert absolutize_html("", "https://example.org/") == ""


def test_ids_and_updated_are_pure_functions_of_the_post() -> None:
    published = datetime.fromisoformat("2026-11-18T09:00:00+01:00")
    assert tag_uri(DOMAIN, published, "de", "hof") == HOF_ID
    approved = published + timedelta(days=2)
    assert entry_updated(published, None, []) == published
    assert entry_updated(published, published + timedelta(days=1), [approved]) == approved
    assert entry_updated(published, published + timedelta(days=3), [approved]) == published + timedelta(days=3)


def test_rendering_is_plain_data_in_bytes_out() -> None:
    published = datetime.fromisoformat("2026-11-18T09:00:00+01:00")
    entry = Entry(HOF_ID, "Ohne Autor", f"{SITEURL}/2026/hof/", published, published, "<p>Text</p>")
    meta = FeedMeta(
        f"{SITEURL}/f.atom.xml", "Blog", "", "de", f"{SITEURL}/f.atom.xml", f"{SITEURL}/", author="Redaktion"
    )
    atom = render_feed("atom", meta, [entry])
    assert atom == render_feed("atom", meta, [entry])
    parsed = feedparser.parse(atom)
    assert not parsed.bozo and parsed.feed.author == "Redaktion"  # Atom: an author for every entry
    assert parsed.feed.subtitle == "Blog" and parsed.feed.updated == "2026-11-18T09:00:00+01:00"
    rss = feedparser.parse(render_feed("rss", meta, [entry]))
    assert not rss.bozo and rss.entries[0].author == "Redaktion"
    with pytest.raises(ValueError, match="at least one entry"):
        render_feed("atom", meta, [])
