"""Pelican reader for Markdown with YAML front matter.

Files that start with a '---' line are read here; any other Markdown file goes
to Pelican's own MarkdownReader unchanged, so stock Pelican posts still build.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from markdown import Markdown
from markupsafe import escape
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import SafeDatetime

from .calendar import load_calendar
from .fields import CheckContext
from .frontmatter_split import has_yaml_front_matter, split_document
from .imagesize import image_size
from .loader import check_item
from .markdown_images import ImageSizeExtension
from .model import ContentItem, Kind
from .pelican_settings import content_settings
from .site import effective_slug, output_file

WORDS = re.compile(r"\w+")
WORDS_PER_MINUTE = 200
# Our editorial statuses in Pelican's terms: anything not yet published is a draft.
PELICAN_STATUS = {"published": "published", "draft": "draft", "review": "draft", "hidden": "hidden"}
SITE_CHECK_KEY = "HUB_SITE_CHECK"


class YamlFrontMatterReader(MarkdownReader):
    """Markdown + YAML front matter, checked by the same rules as `invoke check`."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        path = Path(source_path)
        site_check = self.settings.get(SITE_CHECK_KEY)
        if site_check is not None and path in site_check.items:
            # Read, split and checked (findings reported) before the build started.
            item, body = site_check.items[path], site_check.documents[path].body
        else:
            text = path.read_text(encoding="utf-8")
            if not has_yaml_front_matter(text):
                return super().read(source_path)
            item, body = self._check_now(path, text)
        return self._render(body, item), self.pelican_metadata(item, body)

    def _check_now(self, path: Path, text: str) -> tuple[ContentItem, str]:
        """For a file the pre-build check did not see (e.g. the reader used on its own)."""
        site_check = self.settings.get(SITE_CHECK_KEY)
        settings = content_settings(self.settings)
        document = split_document(text, settings.display(path))
        calendar = (
            site_check.calendar
            if site_check
            else load_calendar(
                settings.calendar_file, display_path=str(settings.calendar_file), content_root=settings.content_root
            )[0]
        )
        context = CheckContext(
            settings.content_root, calendar, settings.languages, settings.default_lang, settings.sponsored_label
        )
        kind: Kind = (
            "page" if any(path.is_relative_to(settings.content_root / p) for p in settings.page_paths) else "article"
        )
        item, _ = check_item(document, path, kind, context)
        return item, document.body

    def _render(self, body: str, item: ContentItem) -> str:
        config = dict(self.settings["MARKDOWN"])
        # The meta extension would eat 'Key: value' lines at the top of the body.
        extensions = [e for e in config.get("extensions", []) if e != "markdown.extensions.meta"]
        picture_of = self.settings.get("HUB_RESPONSIVE")  # set by the image pipeline, if it runs
        base = self._base_for(item) if picture_of else ""
        config["extensions"] = [
            *extensions,
            ImageSizeExtension(item, Path(self.settings["PATH"]), image_size, picture_of, base),
        ]
        return Markdown(**config).convert(body)

    def _base_for(self, item: ContentItem) -> str:
        """What image URLs in this document start with: SITEURL, or with RELATIVE_URLS the way back
        from the page's folder to the site root (srcset is not rewritten by Pelican's {static})."""
        if not self.settings.get("RELATIVE_URLS"):
            return str(self.settings.get("SITEURL", "")).rstrip("/")
        checked = content_settings(self.settings)
        slug = effective_slug(item, checked.slugify)
        written = output_file(item, slug, checked.patterns, checked.slugify) if slug else None
        depth = written.count("/") if written else 0
        return "/".join([".."] * depth) or "."

    def pelican_metadata(self, item: ContentItem, body: str) -> dict[str, Any]:
        settings = self.settings
        site_check = settings.get(SITE_CHECK_KEY)
        team = site_check.calendar.team if site_check else {}
        metadata: dict[str, Any] = dict(item.extra)
        if item.title is not None:
            metadata["title"] = item.title
        if item.date is not None:
            metadata["date"] = _safe(item.date)
        if item.modified is not None:
            metadata["modified"] = _safe(item.modified)
        if item.authors:
            metadata["author_ids"] = list(item.authors)
            metadata["authors"] = [Author(team[a].name if a in team else a, settings) for a in item.authors]
        if item.category:
            metadata["category"] = Category(item.category, settings)
        if item.tags:
            metadata["tags"] = [Tag(tag, settings) for tag in item.tags]
        if item.summary is not None:
            # Plain text by contract: escaped here, so templates can treat every summary as HTML.
            metadata["summary"] = str(escape(item.summary))
        for name in ("teaser", "lang", "slug", "canonical_url", "save_as", "url", "template", "image", "sponsored"):
            value = getattr(item, name)
            if value is not None:
                metadata[name] = value
        if item.translation_of:
            metadata["translation_of"] = item.translation_of
            metadata["translation_key"] = item.translation_of
            metadata["translation"] = "true"  # Pelican reads this flag as text
        metadata["status"] = PELICAN_STATUS[item.status]
        metadata["editorial_status"] = item.status
        metadata["reading_time"] = max(1, round(len(WORDS.findall(body)) / WORDS_PER_MINUTE))
        return metadata


def _safe(value: datetime) -> SafeDatetime:
    return SafeDatetime.combine(value.date(), value.timetz())
