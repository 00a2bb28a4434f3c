"""One test per class of bad input: each message names file, line and field."""

from __future__ import annotations

import re

import pytest
from conftest import Site, post, valid_post
from hub_content.loader import check_content
from hub_content.pelican_settings import SettingsError, content_settings
from hub_core.findings import Finding, Level

FINDING_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<field>[^:]+): .+ "
    r"\[(?P<level>Fehler|Warnung): (?P<check>[a-z0-9-]+)\]$"
)


def check(site: Site, prod: bool = False, strict: bool | None = None, **overrides) -> list[Finding]:
    settings = content_settings(site.settings(prod, **overrides), strict=strict, display_root=site.root)
    return check_content(settings).report.findings


def only(findings: list[Finding], check_id: str) -> list[Finding]:
    return [f for f in findings if f.check == check_id]


def test_a_valid_site_has_no_findings(site: Site) -> None:
    site.write("posts/ok.md", valid_post())
    assert check(site) == []


def test_yaml_syntax_error_names_the_line(site: Site) -> None:
    site.write("posts/broken.md", "---\ntitle: ok\ntags: [a, b\ndate: 2026-11-02 09:00 +01:00\n---\nText\n")
    [finding] = only(check(site), "yaml-syntax")
    assert finding.path == "content/posts/broken.md"
    assert (finding.line, finding.column, finding.field) == (3, 7, "tags")
    assert finding.message == (
        "Die Klammer `[` wird hier geöffnet, aber nie geschlossen. Schließen Sie sie am Ende der Liste: tags: [a, b]"
    )
    assert finding.excerpt == "    3 | tags: [a, b\n      |       ^"


def test_unterminated_front_matter(site: Site) -> None:
    site.write("posts/open.md", "---\ntitle: Offen\n\nText ohne Ende der Kopfdaten\n")
    [finding] = only(check(site), "yaml-syntax")
    assert (finding.path, finding.line) == ("content/posts/open.md", 1)
    assert finding.message.startswith("erwartet: eine Zeile „---“, die die in Zeile 1 geöffneten Kopfdaten schließt")
    assert "Schließen Sie die Kopfdaten mit einer Zeile „---“" in finding.message


def test_missing_required_fields_are_all_reported(site: Site) -> None:
    site.write("posts/empty.md", post(category="Technik"))
    findings = only(check(site), "required")
    assert sorted(f.field for f in findings) == ["authors", "date", "title"]
    assert all(f.path == "content/posts/empty.md" and f.line == 1 for f in findings)


def test_pages_need_only_a_title(site: Site) -> None:
    site.write("pages/kontakt.md", "---\ntitle: Kontakt\n---\nRufen Sie an.\n")
    assert check(site) == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "[eins, zwei]", "erwartet: Text; gefunden: "),
        ("tags", "{a: 1}", "erwartet: eine Liste wie [a, b]; gefunden: "),
        ("status", "fertig", "erwartet: einer der Werte published, draft, review, hidden, skip; gefunden: „fertig“"),
        ("image", "bild.jpg", "erwartet: eine Zuordnung mit path, alt, credit und license; gefunden: "),
        ("sponsored", "[x]", "erwartet: true oder eine Zuordnung mit partner und label; gefunden: "),
        ("date", "[2026]", "erwartet: ein Datum wie 2026-11-20 09:00 +01:00; gefunden: "),
    ],
)
def test_wrong_types(site: Site, field: str, value: str, expected: str) -> None:
    site.write("posts/typ.md", valid_post(**{field: value}))
    findings = [f for f in check(site) if f.field == field and f.level is Level.ERROR]
    assert findings, check(site)
    assert expected in findings[0].message
    lines = (site.content / "posts/typ.md").read_text().splitlines()
    assert lines[findings[0].line - 1].startswith(f"{field}:")


@pytest.mark.parametrize(
    ("value", "check_id", "level"),
    [
        ("2026-11-02 09:00", "date-without-timezone", Level.WARNING),
        ("2026-11-02", "date-without-time", Level.WARNING),
        ("2026-02-30 09:00 +01:00", "date-format", Level.ERROR),
        ("'30.11.2026'", "date-format", Level.ERROR),
        ("2026-11-02 25:00 +01:00", "date-format", Level.ERROR),
        ("2026-11-02 09:00 +25:00", "date-format", Level.ERROR),
    ],
)
def test_dates(site: Site, value: str, check_id: str, level: Level) -> None:
    site.write("posts/datum.md", valid_post(date=value))
    [finding] = check(site)
    assert (finding.check, finding.level, finding.field, finding.line) == (check_id, level, "date", 3)


def test_a_date_without_zone_is_read_in_the_calendar_zone(site: Site) -> None:
    site.write("posts/datum.md", valid_post(date="2026-07-01 09:00"))
    settings = content_settings(site.settings(), display_root=site.root)
    item = check_content(settings).items[site.content / "posts/datum.md"]
    assert item.date is not None
    assert item.date.utcoffset().total_seconds() == 2 * 3600  # summer time in Berlin


def test_unknown_author_suggests_the_right_id(site: Site) -> None:
    site.write("posts/autor.md", valid_post(authors="[jdoe, mmustr]"))
    [finding] = check(site)
    assert finding.check == "unknown-author"
    assert (finding.field, finding.line) == ("authors", 4)
    assert finding.message.endswith("gefunden: „mmustr“ (Meinten Sie „mmuster“?)")


def test_an_editor_without_author_right_cannot_be_author(site: Site) -> None:
    site.write("posts/autor.md", valid_post(authors="eeditor"))
    assert [f.check for f in check(site)] == ["author-rights"]


def test_a_misspelt_key_is_a_warning_with_a_suggestion(site: Site) -> None:
    site.write("posts/tippfehler.md", valid_post(catgory="Technik"))
    [finding] = check(site)
    assert (finding.check, finding.level, finding.field) == ("key-typo", Level.WARNING, "catgory")
    assert finding.message == "unbekanntes Feld (Meinten Sie „category“?); es wird ungeprüft weitergegeben"


def test_a_misspelt_key_is_an_error_in_production(site: Site) -> None:
    from publishconf import HUB_CHECKS as PRODUCTION_CHECKS

    site.write("posts/tippfehler.md", valid_post(tag=["Prüfstand"]))
    [finding] = check(site, HUB_CHECKS=PRODUCTION_CHECKS)
    assert (finding.check, finding.level, finding.field) == ("key-typo", Level.ERROR, "tag")
    assert "(Meinten Sie „tags“?)" in finding.message


def test_a_key_of_its_own_stays_a_warning_in_production(site: Site) -> None:
    from publishconf import HUB_CHECKS as PRODUCTION_CHECKS

    site.write("posts/eigenes-feld.md", valid_post(subtitle="Aus dem Prüflabor"))
    [finding] = check(site, HUB_CHECKS=PRODUCTION_CHECKS)
    assert (finding.check, finding.level, finding.field) == ("unknown-key", Level.WARNING, "subtitle")


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        (
            "title",
            "no",
            "YAML liest `no` ohne Anführungszeichen als Wahrheitswert false, nicht als Text. "
            'Setzen Sie den Wert in Anführungszeichen: title: "no"',
        ),
        (
            "title",
            "2026-11-02",
            "YAML liest `2026-11-02` ohne Anführungszeichen als Datum, nicht als Text. "
            'Setzen Sie den Wert in Anführungszeichen: title: "2026-11-02"',
        ),
        ("lang", "no", 'als Wahrheitswert false, nicht als Text. Setzen Sie den Wert in Anführungszeichen: lang: "no"'),
        (
            "category",
            "1.5",
            "YAML liest `1.5` ohne Anführungszeichen als Zahl, nicht als Text. "
            'Setzen Sie den Wert in Anführungszeichen: category: "1.5"',
        ),
        (
            "tags",
            "[on, Technik]",
            "YAML liest `on` ohne Anführungszeichen als Wahrheitswert true, nicht als Text. "
            'Setzen Sie den Wert in Anführungszeichen: tags: ["on", Technik]',
        ),
    ],
)
def test_yaml_1_1_traps(site: Site, field: str, value: str, shown: str) -> None:
    site.write("posts/falle.md", valid_post(**{field: value}))
    findings = only(check(site), "yaml-trap")
    assert len(findings) == 1, check(site)
    assert shown in findings[0].message
    assert findings[0].field.startswith(field)


def test_quoted_no_is_text(site: Site) -> None:
    site.write("posts/falle.md", valid_post(title='"no"'))
    assert check(site) == []


def test_missing_image_and_missing_alt(site: Site, make_image) -> None:
    make_image("images/da.jpg")
    site.write(
        "posts/bild.md",
        valid_post(
            image="\n  path: images/fehlt.jpg\n  credit: ich\n  license: CC0",
            body='Text\n\n![](images/da.jpg)\n\n![Ein Bild]({static}/images/auch-fehlt.png)\n\n<img src="images/da.jpg">\n',
        ),
    )
    findings = check(site)
    missing = only(findings, "image-missing")
    assert [(f.field, f.line) for f in missing] == [("image.path", 7), ("body", 16)]
    assert "content/images/fehlt.jpg" in missing[0].message
    alt = only(findings, "image-alt")
    assert [(f.field, f.line) for f in alt] == [("image.alt", 6), ("body", 14), ("body", 18)]
    text = (site.content / "posts/bild.md").read_text().splitlines()
    assert "auch-fehlt.png" in text[15] and text[13] == "![](images/da.jpg)" and text[17].startswith("<img")


def test_images_in_code_blocks_are_not_checked(site: Site) -> None:
    site.write("posts/code.md", valid_post(body="```\n![](gibt-es-nicht.png)\n```\n"))
    assert check(site) == []


def test_people_need_consent(site: Site, make_image) -> None:
    make_image("images/team.jpg")
    site.write(
        "posts/leute.md",
        valid_post(
            image="\n  path: images/team.jpg\n  alt: Das Team\n  credit: ich\n  license: CC0\n  shows_people: true"
        ),
    )
    assert [f.check for f in check(site)] == ["people-consent"]


def test_credit_and_license_are_errors_in_production_only(site: Site, make_image) -> None:
    make_image("images/a.jpg")
    site.write("posts/foto.md", valid_post(image="\n  path: images/a.jpg\n  alt: Ein Prüfstand"))
    assert [(f.check, f.level) for f in check(site)] == [("image-credit", Level.WARNING)]
    assert [(f.check, f.level) for f in check(site, prod=True)] == [("image-credit", Level.ERROR)]


def test_duplicate_slugs_name_both_files(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"Gleicher Titel"'))
    site.write("posts/b.md", valid_post(title='"Gleicher Titel"', date="2027-01-05 09:00 +01:00"))
    findings = only(check(site), "duplicate-slug")
    assert [f.path for f in findings] == ["content/posts/b.md"]
    assert "content/posts/a.md" in findings[0].message
    assert "gefunden: „gleicher-titel“ (de), auch verwendet von content/posts/a.md" in findings[0].message


def test_two_posts_writing_the_same_file_name_each_other(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"Eins"', save_as="ziel/index.html"))
    site.write("posts/b.md", valid_post(title='"Zwei"', save_as="ziel/index.html"))
    findings = only(check(site), "output-collision")
    assert sorted(f.path for f in findings) == ["content/posts/a.md", "content/posts/b.md"]
    assert all("ziel/index.html" in f.message for f in findings)
    assert "content/posts/b.md" in findings[0].message


def test_same_slug_in_another_language_is_fine(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="messe"))
    site.write("posts/a.en.md", valid_post(slug="messe", lang="en", translation_of="messe"))
    assert check(site) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slug", "../../etc/passwd"),
        ("slug", "/absolut"),
        ("slug", "Großbuchstaben"),
        ("slug", "mit leerzeichen"),
        ("save_as", "../../ausserhalb.html"),
        ("save_as", "/tmp/x.html"),
        ("url", "C:/windows"),
    ],
)
def test_unsafe_paths(site: Site, field: str, value: str) -> None:
    site.write("posts/pfad.md", valid_post(**{field: f'"{value}"'}))
    findings = only(check(site), "unsafe-path")
    assert [f.field for f in findings] == [field]
    assert value in findings[0].message


def test_sponsored_post_needs_label_text(site: Site) -> None:
    site.write("posts/anzeige.md", valid_post(sponsored='{partner: "Partner GmbH", label: ""}'))
    [finding] = check(site)
    assert (finding.check, finding.field, finding.line) == ("sponsored-label", "sponsored", 6)


def test_sponsored_label_from_settings_can_be_empty_too(site: Site) -> None:
    site.write("posts/anzeige.md", valid_post(sponsored="true"))
    checks = sorted(f.check for f in check(site, HUB_SPONSORED_LABEL=""))
    assert checks == ["sponsored-label", "sponsored-partner"]


def test_canonical_url_must_be_absolute(site: Site) -> None:
    site.write("posts/kanon.md", valid_post(canonical_url="/relativ/"))
    assert [f.check for f in check(site)] == ["canonical-url"]


def test_translation_must_point_to_a_post(site: Site) -> None:
    site.write("posts/en.md", valid_post(lang="en", translation_of="gibt-es-nicht"))
    assert [f.check for f in check(site)] == ["translation-target"]


def test_unknown_language(site: Site) -> None:
    site.write("posts/fr.md", valid_post(lang="fr"))
    [finding] = check(site)
    assert finding.check == "unknown-language" and finding.message == "erwartet: einer der Werte de, en; gefunden: „fr“"


def test_duplicate_keys(site: Site) -> None:
    site.write("posts/doppelt.md", valid_post(title='"A"') + "")
    text = (site.content / "posts/doppelt.md").read_text().replace("category: Technik", "category: Technik\ntitle: B")
    (site.content / "posts/doppelt.md").write_text(text)
    [finding] = check(site)
    assert (finding.check, finding.field, finding.line) == ("duplicate-key", "title", 6)


def test_legal_pages_are_required(site: Site) -> None:
    (site.content / "pages/impressum.md").unlink()
    [finding] = check(site)
    assert finding.check == "legal-pages" and "Seite mit dem Slug „impressum“" in finding.message


def test_every_problem_in_every_file_at_once(site: Site) -> None:
    site.write("posts/a.md", valid_post(title="no", authors="[niemand]"))
    site.write("posts/b.md", valid_post(date="2026-13-01 09:00 +01:00", slug='"../x"'))
    site.write("posts/c.md", "---\ntitle: [\n---\n")
    findings = check(site)
    assert {(f.path, f.check) for f in findings} >= {
        ("content/posts/a.md", "yaml-trap"),
        ("content/posts/a.md", "unknown-author"),
        ("content/posts/b.md", "date-format"),
        ("content/posts/b.md", "unsafe-path"),
        ("content/posts/c.md", "yaml-syntax"),
    }
    for finding in findings:
        match = FINDING_LINE.match(finding.render())
        assert match, finding.render()
        assert match["path"] == finding.path and int(match["line"]) == finding.line
        assert int(match["column"] or 0) == finding.column


def test_levels_are_configurable_and_strict_mode_turns_warnings_into_errors(site: Site) -> None:
    site.write("posts/a.md", valid_post(date="2026-11-02 09:00"))
    assert [f.level for f in check(site)] == [Level.WARNING]
    assert [f.level for f in check(site, strict=True)] == [Level.ERROR]
    assert check(site, HUB_CHECKS={"date-without-timezone": "off"}) == []
    assert [f.level for f in check(site, HUB_CHECKS={"date-without-timezone": "error"})] == [Level.ERROR]


def test_unknown_check_names_in_settings_are_refused(site: Site) -> None:
    with pytest.raises(SettingsError, match="date-without-tz"):
        check(site, HUB_CHECKS={"date-without-tz": "off"})
    with pytest.raises(SettingsError, match="'loud'"):
        check(site, HUB_CHECKS={"image-alt": "loud"})


def test_an_impossible_bare_date_is_a_finding_not_a_crash(site: Site) -> None:
    site.write("posts/a.md", valid_post(date="2026-02-30"))
    site.calendar.write_text(
        site.calendar.read_text() + "plan:\n  - id: x\n    due: 2026-11-31\n    topic: Thema\n", encoding="utf-8"
    )
    found = {(f.path.rsplit("/", 1)[-1], f.field, f.check) for f in check(site)}
    assert ("a.md", "date", "date-format") in found
    assert ("editorial_calendar.yaml", "plan[0].due", "calendar") in found
    [due] = [f for f in check(site) if f.field == "plan[0].due"]
    assert due.message.startswith("erwartet: ein Datum wie 2026-11-24; gefunden: '2026-11-31'")


# --- image files: what the image pipeline would refuse, found by the check (hub_core.imagefile) ---


def jpeg_bytes(size: tuple[int, int] = (200, 150)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_image_files_the_pipeline_would_refuse_are_errors_with_file_line_and_field(site: Site) -> None:
    images = site.content / "images"
    (images / "umbenannt.png").write_bytes(jpeg_bytes())  # a JPEG named .png
    (images / "leer.jpg").write_bytes(b"")
    whole = jpeg_bytes()
    (images / "halb.jpg").write_bytes(whole[: len(whole) // 2])  # cut off while copying
    (images / "iphone.heic").write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))
    (images / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    site.write(
        "posts/bilder.md",
        valid_post(
            image="\n  path: images/umbenannt.png\n  alt: Ein Motor\n  credit: ich\n  license: CC0",
            body='Text\n\n![Leer]({static}/images/leer.jpg)\n\n<img src="/images/halb.jpg" alt="Halb">\n\n'
            "![Handyfoto](images/iphone.heic)\n\n![Logo](images/logo.svg)\n",
        ),
    )
    findings = only(check(site), "image-file")
    assert [(f.path, f.line, f.field, f.level) for f in findings] == [
        ("content/posts/bilder.md", 7, "image.path", Level.ERROR),
        ("content/posts/bilder.md", 15, "body", Level.ERROR),
        ("content/posts/bilder.md", 17, "body", Level.ERROR),
        ("content/posts/bilder.md", 19, "body", Level.ERROR),
    ]
    assert [f.message for f in findings] == [
        "erwartet unter content/images/umbenannt.png: ein PNG-Bild; gefunden: JPEG-Daten. "
        "Benennen Sie die Datei in umbenannt.jpg um.",
        "erwartet unter content/images/leer.jpg: ein JPEG-Bild; gefunden: eine leere Datei (0 Byte). "
        "Exportieren oder kopieren Sie das Bild erneut.",
        "erwartet unter content/images/halb.jpg: ein vollständiges JPEG-Bild; gefunden: eine Datei, die nach "
        + f"{len(whole) // 2:,}".replace(",", ".")
        + " Byte mitten in den Bilddaten abbricht. Kopieren oder exportieren Sie das Bild erneut.",
        "erwartet unter content/images/iphone.heic: ein JPEG-, PNG-, WebP- oder GIF-Bild; gefunden: eine HEIC-Datei. "
        "Exportieren Sie das Bild als JPEG oder PNG.",
    ]
    text = (site.content / "posts/bilder.md").read_text().splitlines()
    assert "path: images/umbenannt.png" in text[6] and "leer.jpg" in text[14] and "halb.jpg" in text[16]
    for finding in findings:
        assert FINDING_LINE.match(finding.render()), finding.render()


def test_animations_and_same_named_pairs_pass_the_check(site: Site) -> None:
    from PIL import Image

    frames = [Image.new("RGB", (40, 30), colour) for colour in ("red", "blue")]
    frames[0].save(site.content / "images/dreht.gif", save_all=True, append_images=frames[1:], duration=80)
    (site.content / "images/motor.jpg").write_bytes(jpeg_bytes())
    Image.new("RGB", (60, 40), "green").save(site.content / "images/motor.png")
    site.write(
        "posts/ok.md",
        valid_post(
            image="\n  path: images/motor.png\n  alt: Ein Motor\n  credit: ich\n  license: CC0",
            body="![Dreht sich](images/dreht.gif)\n\n![Motor](images/motor.jpg)\n",
        ),
    )
    assert check(site) == []


def test_a_replaced_image_is_inspected_again(site: Site) -> None:
    (site.content / "images/a.png").write_bytes(jpeg_bytes())
    site.write("posts/a.md", valid_post(body="![A](images/a.png)\n"))
    assert [f.check for f in check(site)] == ["image-file"]
    from PIL import Image

    Image.new("RGB", (60, 40), "green").save(site.content / "images/a.png")
    assert check(site) == []
