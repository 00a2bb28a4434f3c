"""Real builds in temporary folders; the HTML is parsed and checked as a reader sees it."""

from __future__ import annotations

import re

import pytest
from conftest import Site, valid_post
from hub_core.errors import BuildStopped
from hub_fast_clean import wait_for_deletion
from hub_redirects.options import URL_RECORD


def legal_names(hrefs: set[str]) -> set[str]:
    return {
        name
        for name in ("impressum", "datenschutz")
        if any(re.search(rf"(^|/){name}/(index\.html)?$", h) for h in hrefs)
    }


@pytest.fixture
def blog(site: Site, make_image) -> Site:
    make_image("images/pruefstand.jpg", (1600, 900))
    make_image("images/team/jdoe.jpg", (400, 400), "darkorange")
    site.calendar.write_text(
        site.calendar.read_text().replace("    bio: Jana", "    photo: images/team/jdoe.jpg\n    bio: Jana")
    )
    site.write(
        "posts/pruefstand.md",
        valid_post(
            title='"Der Prüfstand läuft"',
            tags="[Prüfstand, Labor]",
            summary='"Zusammenfassung mit <b>Tags</b> & Zeichen"',
            image="\n  path: images/pruefstand.jpg\n  alt: Ein Prüfstand im Labor\n  credit: 'Foto: Jana'\n  license: CC BY 4.0",
            body="## Abschnitt\n\nText " + "Wort " * 450 + "\n",
        ),
    )
    site.write(
        "posts/anzeige.md",
        valid_post(
            title='"Energie sparen mit Partnern"',
            date="2026-11-03 09:00 +01:00",
            tags="[Labor]",
            sponsored='{partner: "Voltara GmbH", label: "Anzeige"}',
        ),
    )
    site.write(
        "posts/boese.md",
        valid_post(
            title='"<script>alert(1)</script> & Co"',
            date="2026-11-04 09:00 +01:00",
            summary='"<img src=x onerror=alert(2)>"',
        ),
    )
    return site


def test_every_page_links_impressum_and_datenschutz_in_footer_and_header(blog: Site) -> None:
    blog.build()
    # The editors' dashboard is an internal tool, never part of the production site.
    pages = [p for p in blog.html_files() if not p.is_relative_to(blog.output / "redaktion")]
    assert len(pages) > 10
    for page in pages:
        soup = blog.html(str(page.relative_to(blog.output)))
        # The page's own footer, not that of an <article> inside <main>.
        [footer] = [f for f in soup.find_all("footer") if not f.find_parent(["main", "article"])]
        assert legal_names({a.get("href", "") for a in footer.find_all("a")}) == {"impressum", "datenschutz"}, page
        # On a phone the legal links must be reachable without scrolling: they come before <main>.
        main = soup.find("main")
        before_main = {a.get("href", "") for a in main.find_all_previous("a")}
        assert legal_names(before_main) == {"impressum", "datenschutz"}, page


def test_sponsored_post_is_labelled_everywhere(blog: Site) -> None:
    blog.build()
    article = blog.html("2026/energie-sparen-mit-partnern/index.html")
    assert article.title.string.startswith("Anzeige")
    heading = article.find("article")
    label_before_text = heading.get_text(" ", strip=True).split("Energie sparen mit Partnern")[0]
    assert "Anzeige" in label_before_text
    assert "Voltara GmbH" in heading.get_text()
    for listing in (
        "index.html",
        "kategorie/technik/index.html",
        "schlagwort/labor/index.html",
        "autor/jana-doering/index.html",
        "archiv/index.html",
    ):
        soup = blog.html(listing)
        link = soup.find("a", string=re.compile("Energie sparen mit Partnern"))
        assert link is not None, listing
        card = link.find_parent(["article", "li"])
        assert "Anzeige" in card.get_text(), listing
        other = soup.find("a", string=re.compile("Der Prüfstand läuft")).find_parent(["article", "li"])
        assert "Anzeige" not in other.get_text(), listing


def test_titles_and_summaries_are_escaped(blog: Site) -> None:
    blog.build()
    for page in blog.html_files():
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, page
        assert "onerror=alert" not in text or "&lt;img src=x onerror=alert(2)&gt;" in text, page
        soup = blog.html(str(page.relative_to(blog.output)))
        scripts = soup.find_all("script")
        assert not [s for s in scripts if s.get("type") != "application/ld+json" and "alert" in (s.string or "")], page
        for data in soup.find_all("script", type="application/ld+json"):
            assert "<" not in data.string  # tojson escapes: no </script> can end the JSON-LD early
        assert not soup.find("img", onerror=True), page
    article = blog.html("2026/alert1-co/index.html")
    assert article.find("h1").get_text(strip=True) == "<script>alert(1)</script> & Co"


def test_article_shows_author_role_photo_date_reading_time_and_image(blog: Site) -> None:
    blog.build()
    soup = blog.html("2026/der-pruefstand-laeuft/index.html")
    assert soup.html["lang"] == "de"
    article = soup.find("article")
    text = article.get_text(" ", strip=True)
    assert "Jana Döring" in text and "Redakteurin" in text
    assert "18. November 2026" in text
    assert soup.find("time", datetime=re.compile(r"^2026-11-18T09:00:00\+01:00"))
    assert re.search(r"\b2 Min\. Lesezeit", text)
    assert "Foto: Jana" in text and "CC BY 4.0" in text
    header_image = soup.find("img", alt="Ein Prüfstand im Labor")
    assert (header_image["width"], header_image["height"]) == ("1600", "900")
    photo = soup.find("img", src=re.compile("images/team/jdoe.jpg"))
    assert photo and photo.get("width") == "400" and photo.get("alt")
    assert (blog.output / "images/pruefstand.jpg").is_file()
    for tag in ("Prüfstand", "Labor"):
        assert article.find("a", string=re.compile(tag))
    for img in soup.find_all("img"):
        assert img.get("width") and img.get("height") and img.has_attr("alt"), img


def test_semantic_and_accessible_structure(blog: Site) -> None:
    blog.build()
    soup = blog.html("index.html")
    for element in ("header", "main", "nav", "footer"):
        assert soup.find(element), element
    first_link = soup.find("a")
    target = first_link["href"]
    assert target.startswith("#") and soup.find(id=target[1:]) is not None and soup.find(id=target[1:]).name == "main"
    assert soup.find("meta", attrs={"name": "viewport"})
    css = next((blog.output / "theme").rglob("*.css")).read_text()
    assert ":focus" in css


def test_author_page_shows_bio_and_posts(blog: Site) -> None:
    blog.build()
    soup = blog.html("autor/jana-doering/index.html")
    text = soup.get_text(" ", strip=True)
    assert "Jana Döring" in text and "Redakteurin" in text and "Jana schreibt über Technik." in text
    assert soup.find("a", string=re.compile("Der Prüfstand läuft"))


def test_no_third_party_requests(blog: Site) -> None:
    blog.build()
    for page in blog.html_files():
        soup = blog.html(str(page.relative_to(blog.output)))
        for element, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for tag in soup.find_all(element):
                value = tag.get(attribute, "")
                if element == "link" and "stylesheet" not in tag.get("rel", []) and "icon" not in tag.get("rel", []):
                    continue
                assert not re.match(r"^(https?:)?//", value), (page, value)


def test_pagination_cannot_collide_with_slugs(site: Site) -> None:
    for number in range(6):
        site.write(
            f"posts/b1-{number}.md",
            valid_post(title=f'"Beitrag b1 Nummer {number}"', tags="[b1]", date=f"2026-10-0{number + 1} 09:00 +02:00"),
        )
    site.write("posts/b16.md", valid_post(title='"Einziger Beitrag b16"', tags="[b16]"))
    site.build(DEFAULT_PAGINATION=1)
    assert (site.output / "schlagwort/b1/seite/6/index.html").is_file()
    b16 = site.html("schlagwort/b16/index.html")
    assert b16.find("a", string=re.compile("Einziger Beitrag b16"))
    assert (site.output / "seite/7/index.html").is_file()


def test_stock_pelican_posts_still_build(site: Site) -> None:
    site.write(
        "posts/alt.md",
        "Title: Ein alter Beitrag\nDate: 2026-10-01 10:00\nAuthor: Jana Döring\nCategory: Archiv\n\nKey: value in the body\n\nAlter Text.\n",
    )
    site.build()
    soup = site.html("2026/ein-alter-beitrag/index.html")
    assert soup.find("h1").get_text(strip=True) == "Ein alter Beitrag"
    assert "Alter Text." in soup.get_text()


def test_production_publishes_neither_drafts_nor_reviews_nor_future_posts(site: Site) -> None:
    site.write("posts/fertig.md", valid_post(title='"Fertig"', status="published"))
    site.write("posts/entwurf.md", valid_post(title='"Ein Entwurf"', status="draft"))
    site.write("posts/pruefung.md", valid_post(title='"In Prüfung"', status="review"))
    site.write("posts/zukunft.md", valid_post(title='"Aus der Zukunft"', date="2099-01-01 09:00 +01:00"))
    for name in ("fertig", "zukunft"):
        site.approve(f"posts/{name}.md")
    site.build(prod=True)
    everything = " ".join(
        p.read_text(encoding="utf-8") for p in site.output.rglob("*") if p.is_file() and p.suffix in (".html", ".xml")
    )
    assert "Fertig" in everything
    for hidden in ("Ein Entwurf", "In Prüfung", "Aus der Zukunft"):
        assert hidden not in everything
    assert not (site.output / "entwuerfe").exists()
    assert site.html("2026/fertig/index.html").find("link", rel="stylesheet")["href"].startswith("https://")


def test_development_shows_drafts_with_a_banner(site: Site) -> None:
    site.write("posts/entwurf.md", valid_post(title='"Ein Entwurf"', status="review"))
    site.build()
    soup = site.html("entwuerfe/ein-entwurf/index.html")
    assert "In Prüfung – noch nicht freigegeben" in soup.get_text()


def test_translations_link_each_other(site: Site) -> None:
    site.write("posts/messe.md", valid_post(title='"Messe"', slug="messe"))
    site.write("posts/messe.en.md", valid_post(title='"Trade fair"', lang="en", translation_of="messe"))
    site.build()
    german = site.html("2026/messe/index.html")
    english_link = german.find("a", hreflang="en")
    assert english_link and english_link["href"].rstrip("/").endswith("en/2026/trade-fair")
    english = site.html("en/2026/trade-fair/index.html")
    assert english.html["lang"] == "en"
    assert english.find("a", hreflang="de")


def test_invalid_content_stops_the_build_and_keeps_the_old_output(site: Site) -> None:
    site.output.mkdir()
    (site.output / "index.html").write_text("alte, funktionierende Seite")
    site.write("posts/kaputt.md", valid_post(authors="[niemand]", save_as='"../../ausserhalb.html"'))
    with pytest.raises(BuildStopped, match="2 Fehler"):
        site.build(prod=True)
    assert (site.output / "index.html").read_text() == "alte, funktionierende Seite"
    assert sorted(p.name for p in site.output.iterdir()) == ["index.html"]
    assert not (site.root.parent / "ausserhalb.html").exists()


def test_nothing_is_written_outside_the_output_folder(site: Site) -> None:
    site.write("posts/a.md", valid_post())
    site.approve("posts/a.md")
    before = {p for p in site.root.parent.rglob("*")}
    site.build()
    site.build(prod=True)
    wait_for_deletion()  # the last output, moved aside beside output/, goes in the background
    created = {p for p in site.root.parent.rglob("*")} - before
    assert created
    # By design, two other places: the image cache (cache/ beside content/, like Pelican's own) and the
    # record of published addresses (data/published-urls.yaml, committed: old URLs keep redirecting).
    record = site.root / URL_RECORD.default
    outside = [
        p
        for p in created
        if not p.is_relative_to(site.output)
        and not p.is_relative_to(site.root / "cache")
        and p not in (record, record.parent)
    ]
    assert outside == []
    assert record.exists()


def test_body_images_get_width_height_and_lazy_loading(site: Site, make_image) -> None:
    make_image("images/schema.png", (640, 360))
    site.write("posts/a.md", valid_post(body="Text\n\n![Ein Schema]({static}/images/schema.png)\n"))
    site.build()
    img = site.html("2026/ein-gueltiger-beitrag/index.html").find("img", alt="Ein Schema")
    assert (img["width"], img["height"], img["loading"], img["decoding"]) == ("640", "360", "lazy", "async")
    assert img["src"].endswith("images/schema.png") and "{static}" not in img["src"]


def test_404_page(site: Site) -> None:
    site.write("posts/a.md", valid_post())
    site.approve("posts/a.md")
    site.write(
        "pages/404.md",
        '---\ntitle: Seite nicht gefunden\nslug: "404"\nstatus: hidden\nsave_as: 404.html\ntemplate: "404"\n---\nNicht da.\n',
    )
    site.build(prod=True)
    soup = site.html("404.html")
    assert "Seite nicht gefunden" in soup.find("h1").get_text()
    assert soup.find("link", rel="stylesheet")["href"].startswith("https://")
