"""The quick preview: a saved post's new text in its page within a fraction of a second.

A full rebuild of a large site takes seconds to minutes (every post is read and checked, every
page's inputs compared). An author who saved one post wants to see that post. So before the
rebuild starts, the preview renders the saved file's body with the build's own reader (the same
Markdown settings, the same checks of the front matter, Pelican's own `{filename}`/`{static}` link
rules) and puts it, with its title, into the page the last build wrote for that file, in the
regions the theme marks (regions.py). Everything else on that page (lists, banners, the approval
state) is the last build's until the rebuild replaces the page a moment later, and the page says so.

No quick page is made, and only the rebuild shows the change, when the file is not Markdown, its
checks find an error (the build will fail and the preview show why), its page does not exist yet
or moves to another address (a new slug or date), the theme has no marked regions, or the file
cannot be read; the rebuild then reports whatever is wrong, as always.
An image new to the site shows once the rebuild has made its variants.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hub_content.pelican_settings import content_settings
from hub_content.reader import YamlFrontMatterReader
from hub_content.site import effective_slug, output_file, output_url
from hub_core.findings import Report
from hub_images.views import picture_view
from markupsafe import escape
from pelican.contents import Article
from pelican.readers import MarkdownReader
from pelican.settings import read_settings
from pelican.utils import get_relative_path, path_to_url

from .page import QuickPage
from .regions import replace_regions

MARKDOWN_SUFFIXES = frozenset(f".{suffix}" for suffix in MarkdownReader.file_extensions)


class _Quiet(logging.Filter):
    """Pelican's warnings about a link it cannot resolve: the rebuild reports them, in German."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    quiet = _Quiet()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


class QuickRenderer:
    """Renders quick pages with the settings the preview's builds use (read again when they change)."""

    def __init__(
        self,
        settings_file: Path,
        content: Path,
        output: Path,
        overrides: Mapping[str, object] | None = None,
        watched: tuple[Path, ...] = (),
    ) -> None:
        self.settings_file = settings_file
        self.content = content
        self.output = output
        self.overrides = dict(overrides or {})
        self.watched = watched or (settings_file,)
        self._settings: dict[str, Any] | None = None
        self._stamp: tuple[float, ...] = ()

    def render(self, source: Path) -> QuickPage | None:
        """The quick page for a saved file, or None when it gets none (see the module's docstring)."""
        if source.suffix.lower() not in MARKDOWN_SUFFIXES or not source.is_relative_to(self.content):
            return None
        if not source.is_file():
            return None
        settings = self._current_settings()
        reader = YamlFrontMatterReader(settings)
        reader.picture_of = partial(picture_view, settings)
        checked = content_settings(settings)
        item, document, findings = reader.check_file(source)
        if Report(findings).apply_levels(checked.levels, strict=checked.strict).errors:
            return None  # the build will fail: the preview shows its findings, not this text
        body, _metadata = reader.read_checked(item, document)
        slug = effective_slug(item, checked.slugify)
        written = output_file(item, slug, checked.patterns, checked.slugify) if slug else None
        if not written:
            return None
        page = self.output / written
        if not page.is_file():
            return None
        base = _site_base(settings, written)
        with _quiet(logging.getLogger("pelican.contents")):
            body = _resolve_links(body, source, settings, base, _Generated(reader, checked))
        replaced = replace_regions(
            page.read_text(encoding="utf-8"), {"content": body, "title": str(escape(item.title or ""))}
        )
        if replaced is None:
            return None
        return QuickPage(source, written, replaced.encode("utf-8"))

    def _current_settings(self) -> dict[str, Any]:
        stamp = tuple(_mtime(path) for path in self.watched)
        if self._settings is None or stamp != self._stamp:
            override = {**self.overrides, "PATH": str(self.content), "OUTPUT_PATH": str(self.output)}
            self._settings = read_settings(str(self.settings_file), override=override)
            self._stamp = stamp
        return self._settings


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def _site_base(settings: Mapping[str, Any], written: str) -> str:
    """What the page's links start with: SITEURL, or with RELATIVE_URLS the way back to the root,
    by the rule Pelican's writer sets `localsiteurl` for the page with."""
    if not settings.get("RELATIVE_URLS"):
        return str(settings.get("SITEURL", ""))
    return path_to_url(get_relative_path(written))


class _Generated:
    """Pelican's `generated_content` for link resolution, one file at a time: a linked post's
    address as the checks compute it (hub_content.site), read when a link names it."""

    def __init__(self, reader: YamlFrontMatterReader, checked: Any) -> None:
        self.reader = reader
        self.checked = checked

    def get(self, path: str, default: object = None) -> object:
        source = Path(self.reader.settings["PATH"]) / path
        if source.suffix.lower() not in MARKDOWN_SUFFIXES or not source.is_file():
            return default
        item, _document = self.reader.checked(str(source))
        slug = effective_slug(item, self.checked.slugify)
        url = output_url(item, slug, self.checked.patterns, self.checked.slugify) if slug else None
        return default if url is None else SimpleNamespace(url=url)


class _Static:
    """Pelican's `static_content`: a file under the content folder at its STATIC_URL."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings

    def get(self, path: str, default: object = None) -> object:
        if not (Path(self.settings["PATH"]) / path).is_file():
            return default
        pattern = str(self.settings.get("STATIC_URL", "{path}"))
        try:
            url = pattern.format(path=path, slug=Path(path).stem, name=Path(path).name)
        except (KeyError, IndexError, ValueError):
            return default
        return SimpleNamespace(url=url, attach_to=lambda _content: None)


def _resolve_links(html: str, source: Path, settings: dict[str, Any], base: str, generated: _Generated) -> str:
    """`{filename}`, `{static}`, `{category}` … links replaced by Pelican's own rules
    (Content._update_content), on a bare Article: creating a real one would run every plugin's
    content_object_init, which belongs to a build."""
    content = Article.__new__(Article)
    content.settings = settings
    content.source_path = str(source)
    content._context = {"generated_content": generated, "static_content": _Static(settings), "localsiteurl": base}
    return content._update_content(html, base)
