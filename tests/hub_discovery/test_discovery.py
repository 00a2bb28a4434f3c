"""Discovery: sitemap.xml, robots.txt, canonical URLs, OpenGraph, JSON-LD and share links, in real builds."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import BERLIN, Site, valid_post
from hub_discovery.content import Site as SiteInfo
from hub_discovery.content import shorten
from hub_discovery.jsonld import blog_posting
from hub_discovery.robots import render_robots
from hub_discovery.sitemap import Entry, render_sitemap, w3c_datetime
from hub_discovery.urls import join, url_of_file
from lxml import etree

from pelicanconf import PLUGINS

SITEURL = "https://blog.hellwig-antriebe.example"
WITH_DISCOVERY = [*(p for p in PLUGINS if p != "hub_discovery"), "hub_discovery"]
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
# W3C Datetime as sitemaps use it: a day, or a time with seconds and an offset.
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$")
TRICKY_TITLE = "Prüfstand </script> & <b>Co</b> / 50 %"
NOT_FOUND = '---\ntitle: Seite nicht gefunden\nslug: "404"\nstatus: hidden\nsave_as: 404.html\nurl: 404.html\ntemplate: "404"\n---\nWeg.\n'


def build(site: Site, prod: bool = True, **overrides: object) -> Path:
    return site.build(prod=prod, PLUGINS=WITH_DISCOVERY, **overrides)


@pytest.fixture(autouse=True)
def discovery_only_here() -> Iterator[None]:
    """Pelican's signals outlive a build: leave other tests' builds as their PLUGINS say."""
    yield
    import hub_discovery

    for signal, handler in hub_discovery.CONNECTIONS:
        signal.disconnect(handler)


@pytest.fixture
def blog(site: Site, make_image) -> Site:
    """Published posts (one translated, one sponsored, one a copy), a draft, a held post, a 404 page."""
    make_image("images/pruefstand.jpg", (1600, 900))
    site.write("pages/404.md", NOT_FOUND)
    site.write(
        "posts/pruefstand.md",
        valid_post(
            title=json.dumps(TRICKY_TITLE),
            slug="pruefstand",
            authors="[jdoe, mmuster]",
            tags="[Labor, Prüfstand]",
            summary='"Zusammenfassung mit Umlauten & <Zeichen>"',
            modified="2026-11-19 16:30 +01:00",
            image="\n  path: images/pruefstand.jpg\n  alt: Ein Prüfstand\n  credit: 'Foto: Jana'\n  license: CC BY 4.0",
        ),
    )
    site.write(
        "posts/pruefstand.en.md",
        valid_post(title='"Test bench"', lang="en", translation_of="pruefstand", slug="test-bench"),
    )
    site.write(
        "posts/anzeige.md",
        valid_post(
            title='"Energie sparen"',
            slug="energie-sparen",
            date="2026-11-03 09:00 +01:00",
            sponsored='{partner: "Voltara GmbH", label: "Anzeige"}',
        ),
    )
    site.write(
        "posts/kopie.md",
        valid_post(
            title='"Zuerst auf der Firmenseite"',
            slug="kopie",
            date="2026-11-10 09:00 +01:00",
            canonical_url="https://www.hellwig-antriebe.example/presse/kopie",
        ),
    )
    # Names no other test uses: Pelican logs a warning only once per process, whichever build it came from.
    site.write("posts/sitemap-entwurf.md", valid_post(title='"Ein Entwurf"', slug="sitemap-entwurf", status="draft"))
    site.write(
        "posts/sitemap-zurueckgehalten.md",
        valid_post(title='"Zurückgehalten"', slug="zurueckgehalten", date="2026-11-19 09:00 +01:00"),
    )
    for name in ("pruefstand", "pruefstand.en", "anzeige", "kopie"):
        site.approve(f"posts/{name}.md")
    return site


def sitemap(output: Path) -> dict[str, etree._Element]:
    root = etree.fromstring((output / "sitemap.xml").read_bytes())
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}


def file_of(output: Path, url: str) -> Path:
    assert url.startswith(SITEURL + "/"), url
    path = url.removeprefix(SITEURL + "/")
    return output / (path + "index.html" if path == "" or path.endswith("/") else path)


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def indexable(path: Path, url: str) -> bool:
    """Neither noindex nor a copy whose canonical URL is elsewhere."""
    soup = soup_of(path)
    robots = " ".join(tag["content"] for tag in soup.find_all("meta", attrs={"name": "robots"}))
    canonical = [link["href"] for link in soup.find_all("link", rel="canonical")]
    return "noindex" not in robots and canonical == [url]


def meta(soup: BeautifulSoup, key: str) -> list[str]:
    attribute = "property" if key.startswith(("og:", "article:")) else "name"
    return [tag["content"] for tag in soup.find_all("meta", attrs={attribute: key})]


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


# --- sitemap.xml and robots.txt ------------------------------------------------------------------


def test_sitemap_lists_every_published_page_with_absolute_urls_and_lastmod(blog: Site) -> None:
    output = build(blog)
    urls = sitemap(output)
    for loc, url in urls.items():
        assert file_of(output, loc).is_file(), loc
        lastmod = url.findtext("s:lastmod", namespaces=NS)
        if lastmod is not None:
            assert W3C.match(lastmod), (loc, lastmod)
            assert datetime.fromisoformat(lastmod) <= datetime(2026, 11, 21, 10, tzinfo=BERLIN)
    expected = {
        "",
        "2026/pruefstand/",
        "en/2026/test-bench/",
        "2026/energie-sparen/",
        "impressum/",
        "datenschutz/",
        "kategorien/",
        "schlagwoerter/",
        "autoren/",
        "archiv/",
        "kategorie/technik/",
        "schlagwort/labor/",
        "schlagwort/pruefstand/",
        "autor/jana-doering/",
        "autor/max-muster/",
        # The listings of the English post's language (hub_theme).
        "en/",
        "en/archive/",
        "en/categories/",
        "en/tags/",
        "en/authors/",
        "en/category/technik/",
        "en/author/jana-doering/",
    }
    assert set(urls) == {f"{SITEURL}/{path}" for path in expected}
    # Every page meant for search engines is listed: all but noindex ones (404, search) and copies.
    written = {
        f"{SITEURL}/{url_of_file(p.relative_to(output).as_posix())}"
        for p in html_pages(output)
        if indexable(p, f"{SITEURL}/{url_of_file(p.relative_to(output).as_posix())}")
    }
    assert written == set(urls)
    text = (output / "sitemap.xml").read_text(encoding="utf-8")
    for absent in ("zurueckgehalten", "entwurf", "entwuerfe", "redaktion", "404", "kopie"):
        assert absent not in text, absent


def test_lastmod_is_the_contents_date_never_the_build_time(blog: Site) -> None:
    urls = sitemap(build(blog))

    def lastmod(path: str) -> str | None:
        return urls[f"{SITEURL}/{path}"].findtext("s:lastmod", namespaces=NS)

    assert lastmod("2026/pruefstand/") == "2026-11-19T16:30:00+01:00"  # modified wins over date
    assert lastmod("en/2026/test-bench/") == "2026-11-18T09:00:00+01:00"
    assert lastmod("2026/energie-sparen/") == "2026-11-03T09:00:00+01:00"
    assert lastmod("") == lastmod("archiv/") == "2026-11-19T16:30:00+01:00"  # the newest post listed
    assert lastmod("en/") == lastmod("en/category/technik/") == "2026-11-18T09:00:00+01:00"  # the English post
    assert lastmod("schlagwort/labor/") == "2026-11-19T16:30:00+01:00"
    assert lastmod("impressum/") is None  # no date, not in git: no lastmod rather than a made-up one


def test_translations_are_alternates_in_the_sitemap(blog: Site) -> None:
    urls = sitemap(build(blog))
    for path in ("2026/pruefstand/", "en/2026/test-bench/"):
        links = urls[f"{SITEURL}/{path}"].findall("xhtml:link", NS)
        assert {(link.get("rel"), link.get("hreflang"), link.get("href")) for link in links} == {
            ("alternate", "de", f"{SITEURL}/2026/pruefstand/"),
            ("alternate", "en", f"{SITEURL}/en/2026/test-bench/"),
        }
    assert not urls[f"{SITEURL}/2026/energie-sparen/"].findall("xhtml:link", NS)


def test_a_rebuild_writes_the_same_bytes(blog: Site, fixed_now) -> None:
    output = build(blog)
    first = {name: (output / name).read_bytes() for name in ("sitemap.xml", "robots.txt")}
    fixed_now.shift(timedelta(hours=5))
    build(blog)
    assert {name: (output / name).read_bytes() for name in first} == first
    assert not list(output.glob(".*.tmp"))  # the temporary files of the atomic writes are gone


def test_pages_without_dates_take_their_last_git_commit(blog: Site) -> None:
    blog.write("pages/kontakt.md", "---\ntitle: Kontakt\nslug: kontakt\nmodified: 2026-10-01 12:00 +02:00\n---\nSo.\n")

    def git(*args: str, date: str = "2026-09-14T08:15:00+02:00") -> None:
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin"}
        command = ["git", "-c", "user.name=Test", "-c", "user.email=t@example.com", "-C", str(blog.root), *args]
        subprocess.run(command, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "Inhalte")
    urls = sitemap(build(blog))
    assert urls[f"{SITEURL}/impressum/"].findtext("s:lastmod", namespaces=NS) == "2026-09-14T08:15:00+02:00"
    assert urls[f"{SITEURL}/kontakt/"].findtext("s:lastmod", namespaces=NS) == "2026-10-01T12:00:00+02:00"


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_editors_folders(blog: Site) -> None:
    output = build(blog, HUB_DASHBOARD_SAVE_AS="redaktion/")  # production with the dashboard asked for
    assert (output / "redaktion/index.html").is_file()
    assert "redaktion" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert (output / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nDisallow: /redaktion/\nDisallow: /entwuerfe/\n\nSitemap: {SITEURL}/sitemap.xml\n"
    )


def test_development_writes_neither_sitemap_nor_robots(blog: Site) -> None:
    output = build(blog, prod=False)
    assert (output / "index.html").is_file()
    assert not (output / "sitemap.xml").exists() and not (output / "robots.txt").exists()


# --- canonical URL, OpenGraph, Twitter Card ---------------------------------------------------------


def test_every_page_has_one_absolute_canonical_and_opengraph(blog: Site) -> None:
    output = build(blog)
    pages = html_pages(output)
    assert len(pages) > 10
    for path in pages:
        soup = soup_of(path)
        canonical = [link["href"] for link in soup.find_all("link", rel="canonical")]
        if path.name == "404.html":
            assert canonical == [] and meta(soup, "og:url") == []
        else:
            assert len(canonical) == 1 and canonical[0].startswith("https://"), path
            assert meta(soup, "og:url") == canonical, path
        for key in ("og:title", "og:description", "og:type", "og:site_name", "og:locale", "og:image"):
            assert len(meta(soup, key)) == 1 and meta(soup, key)[0].strip(), (path, key)
        assert meta(soup, "og:image")[0].startswith(f"{SITEURL}/images/cards/")
        assert meta(soup, "twitter:title") == meta(soup, "og:title")
        assert meta(soup, "twitter:description") == meta(soup, "og:description")
        assert len(meta(soup, "twitter:card")) == 1
        assert meta(soup, "og:site_name") == ["Hellwig Antriebstechnik · Blog"]
        is_post = bool(json_ld(soup))
        assert meta(soup, "og:type") == ["article" if is_post else "website"], path


def test_article_opengraph_tags(blog: Site) -> None:
    build(blog)
    soup = blog.html("2026/pruefstand/index.html")
    assert meta(soup, "og:title") == [TRICKY_TITLE]
    assert meta(soup, "og:description") == ["Zusammenfassung mit Umlauten & <Zeichen>"]
    assert meta(soup, "og:locale") == ["de_DE"] and meta(soup, "og:locale:alternate") == ["en_US"]
    assert meta(soup, "article:published_time") == ["2026-11-18T09:00:00+01:00"]
    assert meta(soup, "article:modified_time") == ["2026-11-19T16:30:00+01:00"]
    assert meta(soup, "article:author") == [f"{SITEURL}/autor/jana-doering/", f"{SITEURL}/autor/max-muster/"]
    assert meta(soup, "article:section") == ["Technik"]
    assert meta(soup, "article:tag") == ["Labor", "Prüfstand"]
    english = blog.html("en/2026/test-bench/index.html")
    assert meta(english, "og:locale") == ["en_US"] and meta(english, "og:locale:alternate") == ["de_DE"]
    sponsored = blog.html("2026/energie-sparen/index.html")
    assert meta(sponsored, "og:title") == ["Anzeige: Energie sparen"]  # the label travels with the post
    listing = blog.html("kategorie/technik/index.html")
    assert meta(listing, "og:title") == ["Beiträge in Technik"] and meta(listing, "article:author") == []


def test_front_matter_canonical_url_wins(blog: Site) -> None:
    build(blog)
    soup = blog.html("2026/kopie/index.html")
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [
        "https://www.hellwig-antriebe.example/presse/kopie"
    ]
    assert meta(soup, "og:url") == ["https://www.hellwig-antriebe.example/presse/kopie"]
    assert json_ld(soup)[0]["mainEntityOfPage"]["@id"] == "https://www.hellwig-antriebe.example/presse/kopie"


# --- JSON-LD --------------------------------------------------------------------------------------


def test_blog_posting_json_ld(blog: Site) -> None:
    output = build(blog)
    soup = blog.html("2026/pruefstand/index.html")
    (data,) = json_ld(soup)
    url = f"{SITEURL}/2026/pruefstand/"
    assert data["@context"] == "https://schema.org" and data["@type"] == "BlogPosting"
    assert data["headline"] == TRICKY_TITLE  # '</script>' inside did not end the script element
    assert data["description"] == "Zusammenfassung mit Umlauten & <Zeichen>"
    assert data["url"] == url and data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["inLanguage"] == "de"
    assert data["datePublished"] == "2026-11-18T09:00:00+01:00"
    assert data["dateModified"] == "2026-11-19T16:30:00+01:00"
    assert data["author"] == [
        {"@type": "Person", "name": "Jana Döring", "jobTitle": "Redakteurin", "url": f"{SITEURL}/autor/jana-doering/"},
        {"@type": "Person", "name": "Max Muster", "jobTitle": "Auszubildender", "url": f"{SITEURL}/autor/max-muster/"},
    ]
    assert data["image"] == [f"{SITEURL}/images/pruefstand.jpg", f"{SITEURL}/images/cards/de/pruefstand.jpg"]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Hellwig Antriebstechnik GmbH"
    assert publisher["url"] == "https://www.hellwig-antriebe.example/"
    logo = publisher["logo"]
    assert logo["@type"] == "ImageObject" and (logo["width"], logo["height"]) == (1200, 630)
    for absolute in [*data["image"], logo["url"]]:
        assert absolute.startswith(SITEURL + "/") and file_of(output, absolute).is_file(), absolute
    assert not logo["url"].endswith(".svg")
    assert data["keywords"] == ["Labor", "Prüfstand"] and data["articleSection"] == "Technik"
    assert "sponsor" not in data
    raw = soup.find("script", type="application/ld+json").string
    assert "</" not in raw and "<" not in raw


def test_single_author_and_sponsor(blog: Site) -> None:
    build(blog)
    (data,) = json_ld(blog.html("2026/energie-sparen/index.html"))
    assert data["author"] == {
        "@type": "Person",
        "name": "Jana Döring",
        "jobTitle": "Redakteurin",
        "url": f"{SITEURL}/autor/jana-doering/",
    }
    assert data["sponsor"] == {"@type": "Organization", "name": "Voltara GmbH"}
    assert data["image"] == [f"{SITEURL}/images/cards/de/energie-sparen.jpg"]
    assert not json_ld(blog.html("impressum/index.html")) and not json_ld(blog.html("index.html"))


def test_a_configured_raster_logo_is_the_publishers_logo(blog: Site, log_warnings) -> None:
    build(blog, HUB_PUBLISHER_LOGO="theme/img/logo.png", HUB_PUBLISHER_LOGO_SIZE=(600, 60))
    missing = [r.getMessage() for r in log_warnings if "HUB_PUBLISHER_LOGO" in r.getMessage()]
    assert missing == [
        "discovery: HUB_PUBLISHER_LOGO theme/img/logo.png fehlt im Ausgabeordner: die strukturierten Daten nennen "
        "eine Datei, die es nicht gibt"
    ]
    (data,) = json_ld(blog.html("2026/energie-sparen/index.html"))
    assert data["publisher"]["logo"] == {
        "@type": "ImageObject",
        "url": f"{SITEURL}/theme/img/logo.png",
        "width": 600,
        "height": 60,
    }


# --- share links ------------------------------------------------------------------------------------


def test_share_links_are_plain_encoded_links(blog: Site) -> None:
    build(blog)
    soup = blog.html("2026/pruefstand/index.html")
    share = soup.find("aside", class_="share")
    assert share.find("h2").get_text(strip=True) == "Beitrag teilen"
    links = {a.get_text(" ", strip=True).split(" (")[0]: a for a in share.find_all("a")}
    assert set(links) == {"LinkedIn", "Xing", "Mastodon", "E-Mail"}
    url = f"{SITEURL}/2026/pruefstand/"
    for name, base, key, value in (
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/", "url", url),
        ("Xing", "https://www.xing.com/spi/shares/new", "url", url),
        ("Mastodon", "https://s2f.kytta.dev/", "text", f"{TRICKY_TITLE} {url}"),
    ):
        href = links[name]["href"]
        parts = urlsplit(href)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == base
        assert parse_qs(parts.query) == {key: [value]}, href
        assert "noopener" in links[name]["rel"] and "noreferrer" in links[name]["rel"]
        assert re.fullmatch(r"[A-Za-z0-9%+=._\-~]*", parts.query), href  # nothing left unencoded
    mail = urlsplit(links["E-Mail"]["href"])
    assert mail.scheme == "mailto" and mail.path == ""
    fields = dict(pair.split("=", 1) for pair in mail.query.split("&"))
    assert set(fields) == {"subject", "body"}
    assert unquote(fields["subject"]) == TRICKY_TITLE
    assert unquote(fields["body"]) == f"{TRICKY_TITLE}\r\n\r\n{url}"
    assert " " not in mail.query and "+" not in mail.query and "/" not in mail.query
    english = blog.html("en/2026/test-bench/index.html").find("aside", class_="share")
    assert english.find("h2").get_text(strip=True) == "Share this post"
    assert english.find("a", string="Email")


def test_no_third_party_scripts_or_embeds_anywhere(blog: Site) -> None:
    output = build(blog)
    for path in html_pages(output):
        soup = soup_of(path)
        for script in soup.find_all("script"):
            src = script.get("src")
            assert src is None or src.startswith(SITEURL + "/"), (path, src)
            assert src is not None or script.get("type") == "application/ld+json", path
        assert not soup.find_all(["iframe", "embed", "object"]), path
        for image in soup.find_all("img"):
            assert image["src"].startswith(SITEURL + "/"), (path, image["src"])


# --- the pure parts -------------------------------------------------------------------------------


def test_sitemap_rendering_and_dates() -> None:
    naive = datetime(2026, 3, 1, 12, 0)
    aware = datetime(2026, 3, 1, 12, 0, 30, 123456, tzinfo=BERLIN)
    assert w3c_datetime(naive) == "2026-03-01"  # a time without an offset is not W3C: the day alone
    assert w3c_datetime(aware) == "2026-03-01T12:00:30+01:00"
    entries = [Entry("https://x.example/b/", "b/index.html", aware), Entry("https://x.example/a/", "a/index.html")]
    document = render_sitemap(entries)
    assert document == render_sitemap(reversed(entries))
    root = etree.fromstring(document)
    assert [u.findtext("s:loc", namespaces=NS) for u in root] == ["https://x.example/a/", "https://x.example/b/"]
    assert b"xmlns:xhtml" not in document  # only declared when there are translations


def test_urls_and_robots() -> None:
    assert join("https://x.example/", "2026/über/") == "https://x.example/2026/%C3%BCber/"
    assert join("https://x.example", "") == "https://x.example/"
    assert join("https://x.example", "https://other.example/a?b=c&d") == "https://other.example/a?b=c&d"
    assert url_of_file("index.html") == "" and url_of_file("404.html") == "404.html"
    assert url_of_file("kategorie/technik/seite/2/index.html") == "kategorie/technik/seite/2/"
    staging = render_robots("https://x.example/blog/sitemap.xml", ["/redaktion/"], prefix="/blog")
    assert "Disallow: /blog/redaktion/\n" in staging
    assert render_robots(None, []) == "User-agent: *\nDisallow:\n"


def test_shorten_and_blog_posting_from_plain_objects() -> None:
    assert shorten("kurz") == "kurz"
    long = shorten("Wort " * 100)
    assert len(long) <= 300 and long.endswith("Wort…")
    site = SiteInfo(url="https://x.example", name="Blog", description="", company_name="Firma")
    article = SimpleNamespace(
        title="Ohne Team",
        url="2026/a/",
        lang="en",
        date=datetime(2026, 1, 2, 3, 4, tzinfo=BERLIN),
        authors=[SimpleNamespace(name="Gast", url="autor/gast/")],
        team_authors=[],
        summary=None,
        sponsored=SimpleNamespace(label="Anzeige", partner=""),
    )
    data = blog_posting(article, site, "https://x.example/2026/a/")
    assert data["author"] == {"@type": "Person", "name": "Gast", "url": "https://x.example/autor/gast/"}
    assert data["publisher"] == {"@type": "Organization", "name": "Firma"}  # no logo configured: none invented
    assert data["dateModified"] == data["datePublished"] == "2026-01-02T03:04:00+01:00"
    assert "sponsor" not in data and "description" not in data and "image" not in data


def test_the_warnings_are_english_for_an_english_team(blog: Site, log_warnings) -> None:
    build(blog, HUB_LANG="en", HUB_PUBLISHER_LOGO="theme/img/logo.png", HUB_PUBLISHER_LOGO_SIZE=(600, 60))
    missing = [r.getMessage() for r in log_warnings if "HUB_PUBLISHER_LOGO" in r.getMessage()]
    assert missing == [
        "discovery: HUB_PUBLISHER_LOGO theme/img/logo.png is not in the output: structured data names a missing file"
    ]
