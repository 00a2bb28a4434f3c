"""Posts as cross-posting sees them: the review gate's published posts with their public URLs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hub_content.loader import ContentSettings
from hub_content.model import ContentItem
from hub_content.site import output_url
from hub_review.gate import GateResult

from .model import PostInfo


def post_url(site_url: str, item: ContentItem, slug: str, checked: ContentSettings) -> str:
    """The absolute URL Pelican gives the post: hub_content's one builder (a front-matter `url:`, else
    ARTICLE_URL / ARTICLE_LANG_URL), under SITEURL."""
    relative = output_url(item, slug, checked.patterns, checked.slugify) or ""
    return f"{site_url.rstrip('/')}/{relative.lstrip('/')}"


def published_posts(result: GateResult, settings: Mapping[str, Any], checked: ContentSettings) -> list[PostInfo]:
    """Only what the gate publishes now: held, scheduled, frozen and unapproved posts never appear.
    `checked`: the settings the gate judged with (URL patterns, slugify)."""
    content = Path(settings["PATH"])
    team = result.calendar.team
    posts = []
    for review in result.posts:
        item = review.item
        if not review.goes_out or item.date is None or item.title is None:
            continue
        lang = item.lang or settings.get("DEFAULT_LANG", "de")
        posts.append(
            PostInfo(
                key=f"{lang}/{review.slug}",
                title=item.title,
                # Our page, even if canonical is elsewhere.
                url=post_url(settings.get("SITEURL", ""), item, review.slug, checked),
                date=item.date,
                lang=lang,
                teaser=item.teaser,
                summary=item.summary,
                tags=item.tags,
                authors=item.authors,
                author_names=tuple(team[a].name if a in team else a for a in item.authors),
                author_handles=tuple(team[a].handles if a in team else {} for a in item.authors),
                sponsored_label=item.sponsored.label if item.sponsored else None,
                image=content / item.image.path if item.image else None,
                image_alt=item.image.alt if item.image else "",
            )
        )
    return posts
