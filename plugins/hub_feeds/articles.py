"""From Pelican's article objects to plain feed data (the only module that knows their attributes)."""

from __future__ import annotations

import html
import mimetypes
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from .entries import absolutize_html, entry_updated, tag_uri
from .model import Enclosure, Entry, Post, Term, Topic

# The header image in feeds: this width if the image pipeline made it, else the original.
ENCLOSURE_WIDTH = 960
IMAGE_MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


def post_id(article: Any, domain: str) -> str:
    return tag_uri(domain, article.date, article.lang, article.slug)


def topics(article: Any) -> tuple[Topic, ...]:
    found: list[Topic] = []
    category = getattr(article, "category", None)
    if category:
        found.append(Topic("category", category.slug, category.name, category.url))
    for author in getattr(article, "authors", None) or ():
        found.append(Topic("author", author.slug, author.name, author.url))
    for tag in getattr(article, "tags", None) or ():
        found.append(Topic("tag", tag.slug, tag.name, tag.url))
    return tuple(found)


def post_of(article: Any, domain: str) -> Post:
    return Post(post_id(article, domain), article.lang, article.date, topics(article))


def approval_times(article: Any, gate_result: Any) -> list[datetime]:
    """When the approvals that still count (fingerprint = current content) were given."""
    if gate_result is None:
        return []
    review = gate_result.by_source.get(Path(article.source_path))
    if review is None:
        return []
    return [record.at for record in review.verdict.valid]


def entry_of(
    article: Any,
    *,
    siteurl: str,
    domain: str,
    sponsored_label: str,
    gate_result: Any,
    enclosure_of: Callable[[str], Enclosure | None],
) -> Entry:
    url = f"{siteurl}/{article.url}"
    title = article.title
    sponsored = getattr(article, "sponsored", None)
    if sponsored is not None:
        title = f"{sponsored.label or sponsored_label}: {title}"
    # Pelican resolves {static}/{filename} links against the absolute site URL; what
    # is still relative (srcsets, ../ links, #anchors) is resolved against the post.
    content = absolutize_html(article.get_content(siteurl), url)
    summary = article.metadata.get("summary")  # plain text by contract, HTML-escaped by the reader
    image = getattr(article, "image", None)
    category = getattr(article, "category", None)
    terms = ([Term(category.slug, category.name)] if category else []) + [
        Term(tag.slug, tag.name) for tag in getattr(article, "tags", None) or ()
    ]
    return Entry(
        id=post_id(article, domain),
        title=title,
        url=url,
        published=article.date,
        updated=entry_updated(article.date, getattr(article, "modified", None), approval_times(article, gate_result)),
        content=content,
        authors=tuple(author.name for author in getattr(article, "authors", None) or ()),
        categories=tuple(terms),
        summary=(html.unescape(summary).strip() or None) if summary else None,
        enclosure=enclosure_of(image.path) if image is not None else None,
    )


def enclosure_finder(
    siteurl: str, processed: Mapping[str, Any] | None, folders: Iterable[Path]
) -> Callable[[str], Enclosure | None]:
    """The published file for a header image: the pipeline's 960 px variant in the original format
    (sizes known before the files are written), or else the file as Pelican copies it."""
    roots = list(folders)

    def find(relative: str) -> Enclosure | None:
        done = (processed or {}).get(relative)
        if done is not None:
            original = done.original
            same_format = [v for v in done.variants if v.format == original.format]
            chosen = next((v for v in same_format if v.width == ENCLOSURE_WIDTH and v is not original), original)
            mime = IMAGE_MIME.get(chosen.format, f"image/{chosen.format}")
            return Enclosure(f"{siteurl}/{chosen.path}", chosen.bytes_size, mime)
        for root in roots:
            path = root / relative
            if path.is_file():
                mime = mimetypes.guess_type(relative)[0] or "application/octet-stream"
                return Enclosure(f"{siteurl}/{relative}", path.stat().st_size, mime)
        return None

    return find
