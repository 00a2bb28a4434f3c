"""What the search index holds: one document per published post and page, made from Pelican's content.

The adapter between Pelican and pages.py, where the documents and the pages Pagefind gets are
plain data. Building them from the content rather than from the theme's pages keeps navigation,
footers, author boxes and listings out of the index whatever the templates look like.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pelican.contents import Article

from .pages import SearchDocument
from .shards import shard_name

# Templates that show one post or page as the main content; others (the 404 page) are not searched.
SEARCHABLE_TEMPLATES = ("article", "page")
# Pelican's statuses of content that is online; "hidden" pages (Impressum) have a URL, just no menu entry.
ONLINE_STATUSES = ("published", "hidden")


def is_searchable(content: Any) -> bool:
    """Online, written, and published by the review gate: drafts and posts shown with a banner are not."""
    if not getattr(content, "save_as", "") or getattr(content, "template", "") not in SEARCHABLE_TEMPLATES:
        return False
    if getattr(content, "status", "published") not in ONLINE_STATUSES:
        return False
    # Set by hub_review on posts; in development, posts that would not go live still render.
    return getattr(content, "review_state", "published") == "published"


def document_for(content: Any, default_lang: str, sponsored_label: str) -> SearchDocument:
    """The search document of a post or page (call `is_searchable` first)."""
    # Pelican gives pages the default category and author too; the page does not show them, nor do results.
    post = isinstance(content, Article)
    category = getattr(content, "category", None) if post else None
    sponsored = getattr(content, "sponsored", None)
    return SearchDocument(
        save_as=content.save_as,
        lang=_lang_of(content, default_lang),
        title=str(getattr(content, "title", "")),
        body=content.content or "",
        # Only a summary written by the author: Pelican's own is the body's beginning again.
        lead=str(content.metadata.get("summary") or ""),
        date=_date_of(content),
        category=category.name if category else "",
        authors=tuple(author.name for author in getattr(content, "authors", None) or ()) if post else (),
        tags=tuple(tag.name for tag in getattr(content, "tags", None) or ()) if post else (),
        label=(getattr(sponsored, "label", "") or sponsored_label) if sponsored else "",
    )


def shard_of(content: Any, default_lang: str) -> tuple[str, str]:
    """(language, shard) of a searchable post or page, as its document will be indexed, without making the document."""
    lang = _lang_of(content, default_lang)
    return lang, shard_name(lang, _date_of(content))


def _lang_of(content: Any, default_lang: str) -> str:
    return getattr(content, "lang", None) or default_lang


def _date_of(content: Any) -> str:
    """ISO date of a post; "" for a page (Pelican may give pages a date; the page does not show it)."""
    date = getattr(content, "date", None) if isinstance(content, Article) else None
    return date.date().isoformat() if date else ""


def searchable_documents(contents: Iterable[Any], default_lang: str, sponsored_label: str) -> list[SearchDocument]:
    """Every searchable post and page once (a page listed twice by Pelican is indexed once)."""
    documents: dict[str, SearchDocument] = {}
    for content in contents:
        if is_searchable(content) and content.save_as not in documents:
            documents[content.save_as] = document_for(content, default_lang, sponsored_label)
    return list(documents.values())
