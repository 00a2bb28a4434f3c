"""Pelican readers for every format: metadata always from the checked content model.

Markdown (YAML front matter or Pelican header lines), reStructuredText and HTML are read
here; the metadata Pelican gets is the item the checks and the review gate judged, never
what Pelican's own readers would make of the file, so no way of writing a header skips them.

One Markdown instance per reader converts every body; the HTML is cached between builds
(render_cache.py) under a key over the body and everything else that shapes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import markdown
from hub_core import render_cache, state
from hub_core.findings import Finding
from hub_core.imagesize import image_size
from hub_core.render_cache import Probe, Recorder, RenderCache, code_digest, document_key, stable_repr
from hub_images.slots import IMAGES
from markdown import Markdown
from markupsafe import escape
from pelican.readers import HTMLReader, MarkdownReader, RstReader
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import SafeDatetime

from . import fields, markdown_images
from .calendar import load_calendar
from .frontmatter_split import SourceDocument
from .loader import ContentSettings, SiteCheck, check_context, check_item, read_document, with_path_metadata
from .markdown_images import DocumentImages, ImageSizeExtension, PictureOf, picture_facts
from .model import ContentItem, Kind
from .pelican_settings import content_settings
from .site import effective_slug, output_file
from .slots import MARKDOWN_CACHE, SITE_CHECK

WORDS = re.compile(r"\w+")
WORDS_PER_MINUTE = 200
# Our editorial statuses in Pelican's terms: anything not yet published is a draft.
PELICAN_STATUS = {"published": "published", "draft": "draft", "review": "draft", "hidden": "hidden", "skip": "skip"}
# The code that decides what HTML a body becomes (fields: how image references resolve).
RENDERING_SOURCES = (
    Path(__file__),
    *(Path(module.__file__ or "") for module in (fields, markdown_images, render_cache)),
)


@dataclass(frozen=True)
class PreparedMarkdown:
    """One Markdown instance for every document read with `config`."""

    config: dict[str, Any]
    md: Markdown
    images: ImageSizeExtension
    settings_repr: str | None  # None: the settings hold an object without a stable repr; nothing is cached


def _site_check(settings: dict[str, Any]) -> SiteCheck | None:
    """The running build's check (None for a reader used on its own, outside a build)."""
    build = state.running(settings)
    return build.get(SITE_CHECK) if build else None


class CheckedItems:
    """What every reader of ours shares: the checked item of a file, judged before the build started."""

    settings: dict[str, Any]

    def checked(self, source_path: str) -> tuple[ContentItem, SourceDocument]:
        path = Path(source_path)
        site_check = _site_check(self.settings)
        if site_check is not None and path in site_check.items:
            # Read, split and checked (findings reported) before the build started.
            return site_check.items[path], site_check.documents[path]
        item, document, _findings = self.check_file(path)
        return item, document

    def check_file(self, path: Path) -> tuple[ContentItem, SourceDocument, list[Finding]]:
        """A file checked now, for a file the pre-build check did not see (e.g. the reader used on
        its own, the quick preview), with the findings (their levels not yet applied)."""
        site_check = _site_check(self.settings)
        settings = content_settings(self.settings)
        document = with_path_metadata(read_document(path, settings.display(path)), path, settings)
        calendar = (
            site_check.calendar
            if site_check
            else load_calendar(
                settings.calendar_file, display_path=str(settings.calendar_file), content_root=settings.content_root
            )[0]
        )
        context = check_context(settings, calendar)
        kind: Kind = (
            "page" if any(path.is_relative_to(settings.content_root / p) for p in settings.page_paths) else "article"
        )
        item, findings = check_item(document, path, kind, context)
        return item, document, findings


class HubRstReader(CheckedItems, RstReader):
    """reStructuredText rendered by Pelican's docutils reader; metadata from the checked item."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        content, written = super().read(source_path)
        item, document = self.checked(source_path)
        metadata = pelican_metadata(item, document.body, self.settings)
        if item.summary is not None and "summary" in written:
            metadata["summary"] = written["summary"]  # rendered by docutils, like the body
        return content, metadata


class HubHtmlReader(CheckedItems, HTMLReader):
    """HTML files: the body as written; metadata from the checked item."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        content, _ = super().read(source_path)
        item, document = self.checked(source_path)
        return content, pelican_metadata(item, document.body, self.settings)


class YamlFrontMatterReader(CheckedItems, MarkdownReader):
    """Markdown with YAML front matter or Pelican header lines, checked by the same rules as `invoke check`."""

    # Outside a build (the quick preview): where the images' <picture> sources come from. In a
    # build, the image pipeline's own (hub_images' IMAGES slot) is used.
    picture_of: PictureOf | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepared: PreparedMarkdown | None = None
        self._sizes: dict[Path, tuple[int, int] | None] = {}
        self._checked: ContentSettings | None = None
        self._summary_md: Markdown | None = None

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        return self.read_checked(*self.checked(source_path))

    def read_checked(self, item: ContentItem, document: SourceDocument) -> tuple[str, dict[str, Any]]:
        """`read` of a file already checked (the quick preview checks it first, for its findings)."""
        metadata = pelican_metadata(item, document.body, self.settings)
        if item.summary is not None and item.summary_markup == "markdown":
            metadata["summary"] = self._summary_html(item.summary)
        return self._render(document.body, item), metadata

    def _summary_html(self, summary: str) -> str:
        """A Pelican header's summary is Markdown, rendered as Pelican renders it (FORMATTED_FIELDS)."""
        if self._summary_md is None:
            self._summary_md = Markdown(**self._markdown().config)
        self._summary_md.reset()
        return self._summary_md.convert(summary)

    def _render(self, body: str, item: ContentItem) -> str:
        prepared = self._markdown()
        build = state.running(self.settings)
        images = build.get(IMAGES) if build else None  # made by the image pipeline, if it runs
        picture_of = images.picture_of if images else self.picture_of
        base = self._base_for(item) if picture_of else ""
        content_root = Path(self.settings["PATH"])
        cache = (build.get(MARKDOWN_CACHE) if build else None) or RenderCache(None)
        recorder = Recorder(_probes(content_root, self._image_size, picture_of, base))
        key = None
        if cache.enabled and prepared.settings_repr is not None:
            source = item.source.relative_to(content_root) if item.source.is_relative_to(content_root) else item.source
            key = document_key(
                code=code_digest(RENDERING_SOURCES),
                markdown_version=markdown.__version__,
                settings=prepared.settings_repr,
                source=source.as_posix(),
                base=base,
                pipeline=picture_of is not None,
                body=body,
            )

        def convert() -> str:
            # Every lookup goes through the recorder, so a cache hit can check them again later.
            picture = partial(recorder.lookup, "picture") if picture_of else None
            size = partial(recorder.lookup, "size")
            prepared.images.point_at(DocumentImages(item, content_root, size, picture, base))
            # Footnotes, abbreviations, the toc: reset() clears what the previous document left.
            prepared.md.reset()
            return prepared.md.convert(body)

        return cache.render(key, recorder, convert)

    def _markdown(self) -> PreparedMarkdown:
        """The reader's Markdown instance; a new one only if the settings changed (a new instance per
        document costs more than the conversion of a short post)."""
        config = dict(self.settings["MARKDOWN"])
        # The meta extension would eat 'Key: value' lines at the top of the body.
        config["extensions"] = [e for e in config.get("extensions", []) if e != "markdown.extensions.meta"]
        if self._prepared is None or self._prepared.config != config:
            images = ImageSizeExtension()
            md = Markdown(**{**config, "extensions": [*config["extensions"], images]})
            self._prepared = PreparedMarkdown(config, md, images, stable_repr(config))
        return self._prepared

    def _image_size(self, path: Path) -> tuple[int, int] | None:
        # Remembered for this build only (a reader lives one build), not for the process like
        # image_size's own cache: under `pelican --autoreload` a replaced image must show its new size.
        if path not in self._sizes:
            self._sizes[path] = image_size.__wrapped__(path)
        return self._sizes[path]

    def _base_for(self, item: ContentItem) -> str:
        """What image URLs in this document start with: SITEURL, or with RELATIVE_URLS the way back
        from the page's folder to the site root (srcset is not rewritten by Pelican's {static})."""
        if not self.settings.get("RELATIVE_URLS"):
            return str(self.settings.get("SITEURL", "")).rstrip("/")
        if self._checked is None:  # once per reader: building it costs more than a cached render
            self._checked = content_settings(self.settings)
        checked = self._checked
        slug = effective_slug(item, checked.slugify)
        written = output_file(item, slug, checked.patterns, checked.slugify) if slug else None
        depth = written.count("/") if written else 0
        return "/".join([".."] * depth) or "."


def pelican_metadata(item: ContentItem, body: str, settings: dict[str, Any]) -> dict[str, Any]:
    """What Pelican gets to know of a post: the checked item, in Pelican's terms."""
    site_check = _site_check(settings)
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
        # Our front matter's summary is plain text by contract: escaped here, so templates can treat
        # every summary as HTML. A Pelican header's summary is markup, rendered by the reader.
        metadata["summary"] = item.summary if item.summary_markup == "html" else str(escape(item.summary))
        metadata["has_lead"] = True
    for name in (
        "teaser",
        "lang",
        "slug",
        "canonical_url",
        "save_as",
        "url",
        "template",
        "image",
        "sponsored",
        "comments",
    ):
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


def _probes(
    content_root: Path, size_of: Callable[[Path], tuple[int, int] | None], picture_of: PictureOf | None, base: str
) -> dict[str, Probe]:
    """How each lookup is answered, and the part of the answer that ends up in the HTML."""

    def size(relative: str) -> tuple[Any, str]:
        found = size_of(content_root / relative)
        return found, repr(found)

    def picture(relative: str) -> tuple[Any, str]:
        views = picture_of(relative) if picture_of else None
        return views, "None" if views is None else repr(picture_facts(views, base))

    return {"size": size, "picture": picture}


def _safe(value: datetime) -> SafeDatetime:
    return SafeDatetime.combine(value.date(), value.timetz())
