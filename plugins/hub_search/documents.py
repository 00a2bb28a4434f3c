"""What the search index holds: one document per published post and page, made from Pelican's content.

The documents are written for Pagefind only, never published: the article body,
its title and lead inside `data-pagefind-body`, date, category, authors and the
sponsored label as metadata outside it (Pagefind reads those anywhere on the page,
without indexing their words). No Pagefind filters: Pagefind writes them in a
different order on every run, and the search page does not use them; without them
the same site gives the same index files, so an unchanged site deploys nothing. Building them from the content rather
than from the theme's pages keeps navigation, footers, author boxes and listings out
of the index whatever the templates look like.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from pelican.contents import Article

# Templates that show one post or page as the main content; others (the 404 page) are not searched.
SEARCHABLE_TEMPLATES = ("article", "page")
# Pelican's statuses of content that is online; "hidden" pages (Impressum) have a URL, just no menu entry.
ONLINE_STATUSES = ("published", "hidden")


@dataclass(frozen=True)
class SearchDocument:
    """One searchable page: where it is written (relative to the output) and what it says."""

    save_as: str
    lang: str
    title: str
    body: str  # rendered HTML, as Pelican wrote it into the page
    lead: str = ""  # the front matter summary (escaped plain text), shown above the body
    date: str = ""  # ISO date (YYYY-MM-DD) in the site's time zone
    category: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    label: str = ""  # "Anzeige" for sponsored posts: results must say so, as the post does

    def html(self) -> str:
        """The page Pagefind reads: its <html lang> picks the index and the stemmer."""
        lead = f'<div class="lead">{self.lead}</div>\n' if self.lead else ""
        meta = [
            ("date", self.date),
            ("category", self.category),
            ("author", ", ".join(self.authors)),
            ("label", self.label),
        ]
        tagged = [f'<p data-pagefind-meta="{key}">{escape(value)}</p>' for key, value in meta if value]
        return (
            f'<!DOCTYPE html>\n<html lang="{escape(self.lang)}">\n<head><meta charset="utf-8">'
            f"<title>{escape(self.title)}</title></head>\n<body>\n"
            f'<main data-pagefind-body>\n<h1 data-pagefind-meta="title">{escape(self.title)}</h1>\n'
            f"{lead}{self.body}\n</main>\n" + "\n".join(tagged) + "\n</body>\n</html>\n"
        )


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
    date = getattr(content, "date", None) if post else None
    category = getattr(content, "category", None) if post else None
    sponsored = getattr(content, "sponsored", None)
    return SearchDocument(
        save_as=content.save_as,
        lang=getattr(content, "lang", None) or default_lang,
        title=str(getattr(content, "title", "")),
        body=content.content or "",
        # Only a summary written by the author: Pelican's own is the body's beginning again.
        lead=str(content.metadata.get("summary") or ""),
        date=date.date().isoformat() if date else "",
        category=category.name if category else "",
        authors=tuple(author.name for author in getattr(content, "authors", None) or ()) if post else (),
        tags=tuple(tag.name for tag in getattr(content, "tags", None) or ()) if post else (),
        label=(getattr(sponsored, "label", "") or sponsored_label) if sponsored else "",
    )


def searchable_documents(contents: Iterable[Any], default_lang: str, sponsored_label: str) -> list[SearchDocument]:
    """Every searchable post and page once (a page listed twice by Pelican is indexed once)."""
    documents: dict[str, SearchDocument] = {}
    for content in contents:
        if is_searchable(content) and content.save_as not in documents:
            documents[content.save_as] = document_for(content, default_lang, sponsored_label)
    return list(documents.values())


@dataclass(frozen=True)
class IndexPage:
    """A search document as Pagefind gets it: where it is written, the URL results link to, its HTML."""

    save_as: str
    url: str
    html: str


def index_pages(documents: Sequence[SearchDocument]) -> list[IndexPage]:
    """The pages in a fixed order (by save_as): Pagefind numbers pages in the order they arrive,
    so the same site gives the same files (a deploy of an unchanged site uploads nothing)."""
    return [
        IndexPage(d.save_as, "/" + d.save_as.removesuffix("index.html"), d.html())
        for d in sorted(documents, key=lambda d: d.save_as)
    ]
