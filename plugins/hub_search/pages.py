"""The search documents and the pages Pagefind gets, as plain data (documents.py makes them from
Pelican's content; the indexer, its cache and the background job use them without Pelican).

The documents are written for Pagefind only, never published: the article body,
its title and lead inside `data-pagefind-body`, date, category, authors and the
sponsored label as metadata outside it (Pagefind reads those anywhere on the page,
without indexing their words). No Pagefind filters: Pagefind writes them in a
different order on every run, and the search page does not use them; without them
the same site gives the same index files, so an unchanged site deploys nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .shards import shard_name


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


@dataclass(frozen=True)
class IndexPage:
    """A search document as Pagefind gets it: where it is written, the URL results link to, its HTML,
    and the shard (bundle) it is indexed in, with the language of that shard."""

    save_as: str
    url: str
    html: str
    lang: str = ""
    shard: str = ""


def index_pages(documents: Sequence[SearchDocument]) -> list[IndexPage]:
    """The pages in a fixed order (by save_as): Pagefind numbers pages in the order they arrive,
    so the same site gives the same files (a deploy of an unchanged site uploads nothing)."""
    return [
        IndexPage(d.save_as, "/" + d.save_as.removesuffix("index.html"), d.html(), d.lang, shard_name(d.lang, d.date))
        for d in sorted(documents, key=lambda d: d.save_as)
    ]
