"""Categories and tags written almost alike (hub_content.taxonomy): pure rules, then in a real check."""

from __future__ import annotations

from pathlib import Path

from conftest import Site, valid_post
from hub_content.loader import check_content
from hub_content.model import ContentItem
from hub_content.pelican_settings import content_settings
from hub_content.taxonomy import near_duplicates, same_topic_key
from hub_core import i18n
from hub_core.findings import Level


def item(name: str, category: str | None = None, tags: tuple[str, ...] = ()) -> ContentItem:
    return ContentItem(path=f"content/posts/{name}.md", source=Path(name), kind="article", category=category, tags=tags)


def reported(items: list[ContentItem]) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    near_duplicates(items, lambda it, field, message: found.append((it.path, field, message)))
    return found


def test_spellings_of_one_topic_share_a_key() -> None:
    assert same_topic_key("Technik & Labor") == same_topic_key("technik und Labor") == "technik und labor"
    assert same_topic_key("Prüfstand") == same_topic_key("Pruefstand") == same_topic_key("PRÜFSTAND")
    assert same_topic_key("Aus- und Weiterbildung") == "aus und weiterbildung"
    assert same_topic_key("Technik") != same_topic_key("Technik & Labor")


def test_the_rarer_spelling_is_reported_naming_the_usual_one() -> None:
    items = [item("a", "Technik & Labor"), item("b", "Technik & Labor"), item("c", "Technik und Labor")]
    [(path, field, message)] = reported(items)
    assert (path, field) == ("content/posts/c.md", "category")
    assert message == (
        "erwartet: die Kategorie so, wie die Website sie schreibt: „Technik & Labor“ (2 Beiträge);"
        " gefunden: „Technik und Labor“. Eine zweite Schreibweise erzeugt eine zweite Kategorieseite."
    )


def test_tags_are_compared_across_posts_and_a_tie_picks_one_spelling_for_good() -> None:
    items = [item("a", tags=("Prüfstand", "Energie")), item("b", tags=("Pruefstand",))]
    [(path, field, message)] = reported(items)
    # One post each: the first spelling in sort order counts as the existing one, in every build.
    assert (path, field) == ("content/posts/a.md", "tags")
    assert message == (
        "erwartet: das Schlagwort so, wie die Website es schreibt: „Pruefstand“ (1 Beitrag);"
        " gefunden: „Prüfstand“. Eine zweite Schreibweise erzeugt eine zweite Schlagwortseite."
    )
    assert reported(list(reversed(items))) == [(path, field, message)]


def test_distinct_topics_and_one_spelling_are_quiet() -> None:
    items = [item("a", "Technik", ("Energie",)), item("b", "Technik & Labor", ("Energie",)), item("c", "Ausbildung")]
    assert reported(items) == []


def test_the_check_warns_with_file_line_and_field(site: Site) -> None:
    site.write("posts/eins.md", valid_post(category="Technik & Labor", slug="eins"))
    site.write("posts/zwei.md", valid_post(category="Technik & Labor", slug="zwei"))
    site.write("posts/drei.md", valid_post(category="technik und labor", slug="drei"))
    result = check_content(content_settings(site.settings()))
    [finding] = [f for f in result.report.findings if f.check == "near-duplicate"]
    assert finding.path.endswith("posts/drei.md") and finding.field == "category" and finding.level is Level.WARNING
    assert finding.line > 1
    assert "„Technik & Labor“ (2 Beiträge)" in finding.message
    settings = site.settings(HUB_LANG="en")
    i18n.use_language_of(settings)  # as the build and every task do with the settings they read
    english = check_content(content_settings(settings))
    [finding] = [f for f in english.report.findings if f.check == "near-duplicate"]
    assert "'Technik & Labor' (2 posts), found 'technik und labor'" in finding.message
