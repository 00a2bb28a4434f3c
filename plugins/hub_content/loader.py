"""Check a whole content folder: every file, the calendar, and across files.

This is what `invoke check` and every build run. Pure apart from reading files.
"""

from __future__ import annotations

import fnmatch
import functools
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from hub_core.batch import paused_gc
from hub_core.findings import Finding, Level, Report
from hub_core.i18n import translator
from hub_core.imagefile import file_problem, judged, static_files
from hub_core.sponsored import DEFAULT_SPONSORED_LABEL

from .body import body_images
from .calendar import Calendar, load_calendar
from .fields import CHECKS, CheckContext, check_document, resolve_content_path
from .frontmatter_split import SourceDocument
from .model import ContentItem, Kind
from .site import OutputPatterns, check_site
from .sources import HTML_SUFFIXES, MARKDOWN_SUFFIXES, RST_SUFFIXES, markup_of, read_source, text_entry

_, ngettext = translator("hub_content")

# The suffixes Pelican's own readers read (its READERS setting and plugins may add or remove some).
PELICAN_SUFFIXES = (*MARKDOWN_SUFFIXES, *RST_SUFFIXES, *HTML_SUFFIXES)


@dataclass(frozen=True)
class ContentSettings:
    content_root: Path
    calendar_file: Path
    article_paths: tuple[str, ...] = ("posts",)
    page_paths: tuple[str, ...] = ("pages",)
    article_excludes: tuple[str, ...] = ()
    page_excludes: tuple[str, ...] = ()
    # Every suffix Pelican will read as an article or page: each such file is checked and judged.
    reader_suffixes: tuple[str, ...] = PELICAN_SUFFIXES
    static_paths: tuple[str, ...] = ()
    # Pelican's FILENAME_METADATA / PATH_METADATA: fields a file's name gives where its header does not.
    filename_metadata: str = r"(?P<date>\d{4}-\d{2}-\d{2}).*"
    path_metadata: str = ""
    # The image pipeline publishes every image under the static paths: the check judges each by its
    # rules (hub_core.imagefile), so a bad file stops `invoke check` as it stops the build.
    static_images: bool = False
    # Where the theme's templates are (overrides first), for `template:`; empty: not checked.
    template_folders: tuple[Path, ...] = ()
    template_extensions: tuple[str, ...] = (".html",)
    ignore_files: tuple[str, ...] = (".#*",)
    languages: tuple[str, ...] = ("de", "en")
    default_lang: str = "de"
    sponsored_label: str = DEFAULT_SPONSORED_LABEL
    legal_pages: tuple[str, ...] = ("impressum", "datenschutz")
    levels: Mapping[str, Level] = field(default_factory=dict)
    strict: bool = False
    patterns: OutputPatterns = field(default_factory=OutputPatterns)
    slugify: Callable[[str], str] = str.lower
    display_root: Path = field(default_factory=Path.cwd)

    def display(self, path: Path) -> str:
        """`path` relative to the display root when inside it; resolving only folders, once each
        (thousands of files)."""
        root = _resolved(self.display_root)
        absolute = path if path.is_absolute() else Path.cwd() / path
        if absolute.is_relative_to(root):
            return absolute.relative_to(root).as_posix()
        folder = _resolved(absolute.parent)
        if folder.is_relative_to(root):
            return (folder / absolute.name).relative_to(root).as_posix()
        return path.as_posix()


@functools.cache
def _resolved(path: Path) -> Path:
    return path.resolve()


@dataclass
class SiteCheck:
    calendar: Calendar
    items: dict[Path, ContentItem]
    documents: dict[Path, SourceDocument]
    report: Report
    files_checked: int
    # What the check ran with: the review gate judges with the same settings and levels.
    settings: ContentSettings

    @property
    def ok(self) -> bool:
        return not self.report.errors


def validate_levels(levels: Mapping[str, str]) -> tuple[dict[str, Level], list[str]]:
    """Turn the HUB_CHECKS setting into levels; unknown checks or levels are problems."""
    result: dict[str, Level] = {}
    problems: list[str] = []
    for check, level in levels.items():
        if check not in CHECKS:
            message = _("expected a check from {checks}, found '{check}'").format(
                checks=", ".join(sorted(CHECKS)), check=check
            )
            problems.append(f"HUB_CHECKS: {message}")
            continue
        try:
            result[check] = Level(level)
        except ValueError:
            message = _("expected 'error', 'warning' or 'off', found '{level}'").format(level=level)
            problems.append(f"HUB_CHECKS['{check}']: {message}")
    return result, problems


def content_files(settings: ContentSettings) -> list[tuple[Path, Kind]]:
    """Every file Pelican will read as an article or page, found the way Pelican finds them
    (paths, excludes, ignored names, the suffixes its readers take)."""
    found: dict[Path, Kind] = {}
    suffixes = {suffix.lower() for suffix in settings.reader_suffixes}
    for kind, roots, excludes in (
        ("page", settings.page_paths, settings.page_excludes),
        ("article", settings.article_paths, settings.article_excludes),
    ):
        for root in roots:
            base = settings.content_root / root
            if base.is_file():
                candidates = [base]
            else:
                candidates = []
                for folder, dirs, files in os.walk(base):
                    dirs[:] = sorted(
                        d
                        for d in dirs
                        if not _ignored(d, settings) and not _under(Path(folder) / d, settings.content_root, excludes)
                    )
                    candidates.extend(Path(folder) / name for name in sorted(files) if not _ignored(name, settings))
            for path in candidates:
                if path.suffix.lower() in suffixes and path not in found:
                    if kind == "article" and _under(path, settings.content_root, settings.page_paths):
                        continue
                    found[path] = kind  # type: ignore[assignment]
    return sorted(found.items())


def _ignored(name: str, settings: ContentSettings) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in settings.ignore_files)


def _under(path: Path, root: Path, subpaths: Sequence[str]) -> bool:
    return any(path.is_relative_to(root / sub) for sub in subpaths)


def read_document(path: Path, display: str) -> SourceDocument:
    markup = markup_of(path)
    if markup is None:
        return _unreadable(
            display,
            _(
                "expected Markdown, reStructuredText or HTML, found a '{suffix}' file that Pelican reads "
                "with another reader: the checks and the review gate cannot judge it, so it would go live "
                "unreviewed; convert it, or remove it from the content folder"
            ).format(suffix=path.suffix),
            "unknown-format",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return _unreadable(
            display,
            _("expected UTF-8 text, found undecodable bytes at position {position}").format(position=error.start),
            "yaml-syntax",
        )
    return read_source(text, display, markup)


def _unreadable(display: str, message: str, check: str) -> SourceDocument:
    """A file whose fields cannot be read at all: one finding, and no field to check."""
    return SourceDocument(display, True, findings=[Finding(display, 1, "", message, check)])


def with_path_metadata(document: SourceDocument, path: Path, settings: ContentSettings) -> SourceDocument:
    """Add what Pelican reads from the file's name and path (FILENAME_METADATA, PATH_METADATA) where
    the header does not say it: '2016-05-05 Tutorials.md' has its date in the name, for Pelican and us."""
    written = {key.lower() for key in document.fields}
    try:
        relative = path.relative_to(settings.content_root).as_posix()
    except ValueError:
        return document
    found: dict[str, str] = {}
    for pattern, subject in ((settings.filename_metadata, path.stem), (settings.path_metadata, relative)):
        match = re.match(pattern, subject) if pattern and subject else None
        for key, value in (match.groupdict() if match else {}).items():
            if value is not None and key.lower() not in written and key.lower() not in found:
                found[key.lower()] = value
    if not found:
        return document
    fields = dict(document.fields)
    for key, value in found.items():
        fields[key] = text_entry(value, 1)
    return replace(document, fields=fields)


def check_item(
    document: SourceDocument, source: Path, kind: Kind, context: CheckContext
) -> tuple[ContentItem, list[Finding]]:
    """Front matter and body checks of one document."""
    item, findings = check_document(document, kind, context, source)
    referenced = []
    for image in body_images(document.body, document.body_line):
        if image.alt is not None and not image.alt.strip():
            findings.append(
                Finding(
                    document.path,
                    image.line,
                    "body",
                    _("expected alt text for the image {src}, found none").format(src=image.src),
                    "image-alt",
                    CHECKS["image-alt"][0],
                )
            )
        elif image.alt is None:
            findings.append(
                Finding(
                    document.path,
                    image.line,
                    "body",
                    _('expected an alt attribute on <img src="{src}">, found none').format(src=image.src),
                    "image-alt",
                    CHECKS["image-alt"][0],
                )
            )
        if image.is_local and not image.src.startswith(
            ("#", "{filename}", "{index}", "{tag}", "{category}", "{author}")
        ):
            target = resolve_content_path(image.src.split("#")[0].split("?")[0], item, context.content_root)
            referenced.append(target)
            if not (context.content_root / target).is_file():
                findings.append(
                    Finding(
                        document.path,
                        image.line,
                        "body",
                        _("expected an image file at content/{path}, found no such file").format(path=target),
                        "image-missing",
                        CHECKS["image-missing"][0],
                    )
                )
            elif problem := file_problem(context.content_root, target):
                findings.append(
                    Finding(document.path, image.line, "body", problem, "image-file", CHECKS["image-file"][0])
                )
    item.body_images = tuple(referenced)
    return item, findings


def check_context(settings: ContentSettings, calendar: Calendar) -> CheckContext:
    """What the per-file checks need of the site: the same for the check, a reader and `invoke approve`."""
    return CheckContext(
        settings.content_root,
        calendar,
        settings.languages,
        settings.default_lang,
        settings.sponsored_label,
        templates=template_names(settings.template_folders, settings.template_extensions),
    )


def template_names(folders: Sequence[Path], extensions: Sequence[str]) -> frozenset[str] | None:
    """The names `template:` may give (Pelican adds the extension): None when no folder is known."""
    if not folders:
        return None
    names = set()
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.suffix in extensions:
                names.add(path.relative_to(folder).with_suffix("").as_posix())
    return frozenset(names)


def static_image_findings(settings: ContentSettings, items: Iterable[ContentItem]) -> list[Finding]:
    """Image files under the static paths that no post references and the pipeline would refuse
    (a referenced one has its finding at the post's line already)."""
    referenced = {ref for item in items for ref in item.body_images}
    referenced |= {item.image.path for item in items if item.image is not None}
    findings = []
    by_name: dict[str, str] = {}
    for path, relative in static_files(settings.content_root, settings.static_paths, settings.ignore_files):
        if not judged(path.name):
            continue
        display = settings.display(path)
        other = by_name.setdefault(relative.casefold(), relative)
        if other != relative:
            message = _(
                "its name differs from content/{other} only in upper and lower case: rename one of the two files"
            ).format(other=other)
            findings.append(Finding(display, 0, "", message, "image-file", CHECKS["image-file"][0]))
        if relative in referenced:
            continue
        problem = file_problem(settings.content_root, relative)
        if problem:
            findings.append(Finding(display, 0, "", problem, "image-file", CHECKS["image-file"][0]))
    return findings


def check_content(settings: ContentSettings) -> SiteCheck:
    """Check the calendar and every Markdown document; return all findings at once."""
    with paused_gc():
        return _check_content(settings)


# Below this many files a second process costs more than it saves.
PARALLEL_FROM = 400
Checked = tuple[Path, SourceDocument, ContentItem | None, list[Finding]]


def _check_files(files: Sequence[tuple[Path, Kind]], settings: ContentSettings, context: CheckContext) -> list[Checked]:
    results: list[Checked] = []
    for path, kind in files:
        document = with_path_metadata(read_document(path, settings.display(path)), path, settings)
        # Every file is judged, whatever its format: a file without any header lacks required fields.
        item, item_findings = check_item(document, path, kind, context)
        # The YAML node tree has served its purpose; later steps need the body only.
        results.append((path, replace(document, fields={}), item, item_findings))
    return results


def _workers(files: int) -> int:
    """Processes for checking `files` files; HUB_WORKERS=1 turns it off (e.g. to profile)."""
    if files < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    configured = os.environ.get("HUB_WORKERS", "")
    wanted = int(configured) if configured.isdigit() and int(configured) > 0 else min(os.cpu_count() or 1, 4)
    return max(1, wanted)


def _check_all(files: Sequence[tuple[Path, Kind]], settings: ContentSettings, context: CheckContext) -> list[Checked]:
    """Every file, split over the cores for big sites (the gate runs on every pull request)."""
    workers = _workers(len(files))
    if workers == 1:
        return _check_files(files, settings, context)
    size = -(-len(files) // workers)
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    # fork: the workers start at once and need nothing re-imported; results come back in order.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = pool.map(_check_files, chunks, [settings] * len(chunks), [context] * len(chunks))
        return [checked for part in parts for checked in part]


def _check_content(settings: ContentSettings) -> SiteCheck:
    calendar, findings = load_calendar(
        settings.calendar_file,
        display_path=settings.display(settings.calendar_file),
        content_root=settings.content_root,
    )
    context = check_context(settings, calendar)
    items: dict[Path, ContentItem] = {}
    documents: dict[Path, SourceDocument] = {}
    files = content_files(settings)
    for path, document, item, item_findings in _check_all(files, settings, context):
        documents[path] = document
        if item is not None:
            items[path] = item
            findings.extend(item_findings)
    findings.extend(
        check_site(
            list(items.values()), slugify=settings.slugify, patterns=settings.patterns, legal_pages=settings.legal_pages
        )
    )
    if settings.static_images:
        findings.extend(static_image_findings(settings, items.values()))
    report = Report(findings).apply_levels(settings.levels, strict=settings.strict)
    return SiteCheck(calendar, items, documents, report, len(files) + 1, settings)
