"""Checks across all documents: slugs, output files, translations, legal pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from hub_core.findings import Finding
from hub_core.i18n import translator

from .fields import CHECKS
from .model import ContentItem
from .taxonomy import near_duplicates

_, ngettext = translator("hub_content")


@dataclass(frozen=True)
class OutputPatterns:
    """Pelican's *_SAVE_AS and *_URL settings, to know where each document is written and found."""

    article: str = "{slug}.html"
    article_lang: str = "{slug}-{lang}.html"
    draft: str = "drafts/{slug}.html"
    draft_lang: str = "drafts/{slug}-{lang}.html"
    page: str = "pages/{slug}.html"
    page_lang: str = "pages/{slug}-{lang}.html"
    default_lang: str = "de"
    article_url: str = "{slug}.html"
    article_lang_url: str = "{slug}-{lang}.html"
    draft_url: str = "drafts/{slug}.html"
    draft_lang_url: str = "drafts/{slug}-{lang}.html"
    page_url: str = "pages/{slug}.html"
    page_lang_url: str = "pages/{slug}-{lang}.html"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> OutputPatterns:
        """From Pelican's settings (read_settings fills in every one; missing here: nothing written)."""
        names = {
            "article": "ARTICLE",
            "article_lang": "ARTICLE_LANG",
            "draft": "DRAFT",
            "draft_lang": "DRAFT_LANG",
            "page": "PAGE",
            "page_lang": "PAGE_LANG",
        }
        saved = {field: settings.get(f"{name}_SAVE_AS", "") for field, name in names.items()}
        found = {f"{field}_url": settings.get(f"{name}_URL", "") for field, name in names.items()}
        return cls(**saved, **found, default_lang=settings.get("DEFAULT_LANG", "de"))

    def pattern_for(self, item: ContentItem, *, url: bool = False) -> str:
        """The *_SAVE_AS pattern Pelican writes `item` by, or with `url` its *_URL pattern."""
        translated = (item.lang or self.default_lang) != self.default_lang
        if item.kind == "page":
            field = "page_lang" if translated else "page"
        elif item.status in ("draft", "review"):
            field = "draft_lang" if translated else "draft"
        else:
            field = "article_lang" if translated else "article"
        return str(getattr(self, f"{field}_url" if url else field))


def effective_slug(item: ContentItem, slugify: Callable[[str], str]) -> str | None:
    if item.slug:
        return item.slug
    return slugify(item.title) if item.title else None


def output_file(item: ContentItem, slug: str, patterns: OutputPatterns, slugify: Callable[[str], str]) -> str | None:
    """The file Pelican will write for `item`, or None if unknown or not written."""
    if item.save_as is not None:
        return item.save_as or None
    return _expand(patterns.pattern_for(item), item, slug, patterns, slugify)


def output_url(item: ContentItem, slug: str, patterns: OutputPatterns, slugify: Callable[[str], str]) -> str | None:
    """The URL Pelican gives `item`, relative to SITEURL (a front-matter `url:` first), or None if unknown."""
    if item.url is not None:
        return item.url or None
    return _expand(patterns.pattern_for(item, url=True), item, slug, patterns, slugify)


def _expand(
    pattern: str, item: ContentItem, slug: str, patterns: OutputPatterns, slugify: Callable[[str], str]
) -> str | None:
    """A *_SAVE_AS or *_URL pattern filled in as Pelican fills it."""
    if not pattern:
        return None
    category = item.category or "Allgemein"
    first_author = item.authors[0] if item.authors else ""
    namespace: dict[str, object] = {"slug": slug, "lang": item.lang or patterns.default_lang, "date": item.date}
    # Only pay for slugifying (slow in Pelican) what the pattern uses.
    if "{category" in pattern:
        namespace["category"] = SimpleNamespace(slug=slugify(category), name=category)
    if "{author" in pattern:
        namespace["author"] = SimpleNamespace(slug=slugify(first_author), name=first_author)
    try:
        return pattern.format(**namespace)
    except (KeyError, AttributeError, ValueError, TypeError):
        return None  # a pattern using fields we do not model: Pelican itself will catch overwrites


def check_site(
    items: Sequence[ContentItem],
    *,
    slugify: Callable[[str], str],
    patterns: OutputPatterns,
    legal_pages: Sequence[str] = (),
) -> list[Finding]:
    findings: list[Finding] = []

    def report(item: ContentItem, field: str, message: str, check: str) -> None:
        findings.append(
            Finding(
                item.path, item.line_of(field) if field in item.lines else 1, field, message, check, CHECKS[check][0]
            )
        )

    near_duplicates(items, lambda item, field, message: report(item, field, message, "near-duplicate"))
    by_slug: dict[tuple[str, str, str], list[ContentItem]] = defaultdict(list)
    by_output: dict[str, list[ContentItem]] = defaultdict(list)
    slugs: set[str] = set()
    for item in items:
        slug = effective_slug(item, slugify)
        if not slug:
            continue
        slugs.add(slug)
        by_slug[(item.kind, item.lang or patterns.default_lang, slug)].append(item)
        target = output_file(item, slug, patterns, slugify)
        if target:
            by_output[target.lstrip("/")].append(item)

    for (_kind, lang, slug), group in by_slug.items():
        for item in group[1:]:
            others = ", ".join(other.path for other in group if other is not item)
            report(
                item,
                "slug" if item.slug else "title",
                _("expected a unique slug, found '{slug}' ({lang}) also used by {others}").format(
                    slug=slug, lang=lang, others=others
                ),
                "duplicate-slug",
            )
    for target, group in by_output.items():
        if len(group) > 1:
            for item in group:
                others = ", ".join(other.path for other in group if other is not item)
                report(
                    item,
                    "save_as" if item.save_as else ("slug" if item.slug else "title"),
                    _("expected its own output file, found {target} also written by {others}").format(
                        target=target, others=others
                    ),
                    "output-collision",
                )

    for item in items:
        if item.translation_of and item.translation_of not in slugs:
            report(
                item,
                "translation_of",
                _("expected the slug of an existing post, found '{slug}'").format(slug=item.translation_of),
                "translation-target",
            )

    page_slugs = {effective_slug(item, slugify) for item in items if item.kind == "page" and item.status != "draft"}
    for required in legal_pages:
        if required not in page_slugs:
            findings.append(
                Finding(
                    "content/pages",
                    0,
                    "slug",
                    _(
                        "expected a page with slug '{slug}' (linked in every footer, required by German law), found none"
                    ).format(slug=required),
                    "legal-pages",
                    CHECKS["legal-pages"][0],
                )
            )
    return findings
