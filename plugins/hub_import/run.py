"""`invoke import`: the thin adapter around the rules. Reads the source, the calendar and the
site, plans, prints the report and, with `write`, writes files that do not exist yet (never
overwriting one) and the author mapping."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hub_content.calendar import Calendar, load_calendar
from hub_content.loader import ContentSettings, check_content
from hub_core.files import create_new, write_atomically
from hub_core.findings import Level
from hub_core.i18n import N_, translator
from hub_review.calendar_sections import APPROVAL
from PIL import Image

from .authors import complete, load_mapping
from .convert import ImageFacts, ImportPlan, Site, authors_of, plan_import
from .model import ImportInputError, ToDo
from .pelican_source import PelicanSource, read_folder
from .report import render, todos_of
from .wxr import WordPressSource, read_export

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
MAX_PIXELS = 50_000_000  # as the image pipeline: bigger files are refused there

_, ngettext = translator("hub_import")
# What became of the author mapping file: (change, written) → the words in the report.
MAPPING_STATES = {
    ("same", False): N_("unchanged"),
    ("same", True): N_("unchanged"),
    ("added", False): N_("will be extended"),
    ("added", True): N_("extended"),
    ("new", False): N_("will be created"),
    ("new", True): N_("created"),
}


@dataclass(frozen=True)
class Request:
    source: Path
    into: Path
    settings: ContentSettings
    write: bool = False
    media: Path | None = None
    authors_file: Path | None = None
    lang: str | None = None


@dataclass
class Outcome:
    report: str
    exit_code: int
    plan: ImportPlan | None = None
    todos: list[ToDo] | None = None


class RealDisk:
    def exists(self, path: Path) -> bool:
        return path.exists()

    def same(self, first: Path, second: Path) -> bool:
        return first.read_bytes() == second.read_bytes()

    def image(self, path: Path) -> ImageFacts:
        try:
            with Image.open(path) as image:
                expected = FORMATS[path.suffix.lower()]
                found = "JPEG" if image.format == "MPO" else image.format
                if found != expected:
                    return ImageFacts(
                        False,
                        problem=_("the extension says {expected}, the file is {found}").format(
                            expected=expected, found=found
                        ),
                    )
                if image.width * image.height > MAX_PIXELS:
                    return ImageFacts(False, problem=_("more than 50 megapixels"))
                return ImageFacts(True)
        except (OSError, SyntaxError, Image.DecompressionBombError) as error:
            return ImageFacts(False, problem=_("not a readable image ({error})").format(error=error))


def run_import(request: Request, disk: RealDisk | None = None) -> Outcome:
    try:
        return _run(request, disk or RealDisk())
    except ImportInputError as error:
        return Outcome(_("Error: {error}").format(error=error) + "\n", 1)
    except OSError as error:  # a folder without write permission, a full disk: said, never a traceback
        problem = _("Error: {file}: {problem}").format(file=error.filename or "", problem=error.strerror or error)
        return Outcome(problem + "\n", 1)


def _run(request: Request, disk: RealDisk) -> Outcome:
    settings = request.settings
    calendar = _calendar(settings)
    source_path = request.source
    source: PelicanSource | WordPressSource
    if source_path.is_dir():
        source = read_folder(source_path, calendar.timezone)
    elif source_path.is_file() and source_path.suffix.lower() == ".xml":
        media = request.media
        if media is not None and not media.is_dir():
            raise ImportInputError(str(media), 0, _("--media: not a folder"))
        source = read_export(source_path, media, calendar.timezone)
    elif not source_path.exists():
        raise ImportInputError(str(source_path), 0, _("does not exist"))
    else:
        expected = _("expected a Pelican content folder or a WordPress export file (.xml)")
        raise ImportInputError(str(source_path), 0, expected)
    if not request.into.is_relative_to(settings.content_root):
        expected = _("--into: expected a folder in {folder}").format(folder=settings.content_root)
        raise ImportInputError(str(request.into), 0, expected)
    site = _site(request, calendar)
    mapping = load_mapping(request.authors_file or settings.calendar_file.parent / "import-authors.yaml")
    before = dict(mapping.ids)
    problems = complete(mapping, authors_of(source.posts), calendar)
    mapping_todos = [ToDo(mapping.path.name, 0, "author", problem) for problem in problems]
    plan = plan_import(source, site, mapping, disk)
    change = (
        "same" if before == mapping.ids and mapping.path.exists() else ("added" if mapping.path.exists() else "new")
    )
    if request.write:
        if change != "same":
            write_atomically(mapping.path, mapping.render().encode("utf-8"))
        _write(plan)
    state = _(MAPPING_STATES[change, request.write])

    def show(path: Path) -> str:
        return settings.display(path)

    text = render(
        plan,
        source=settings.display(source_path),
        written=request.write,
        show=show,
        mapping_state=state,
        mapping_todos=mapping_todos,
    )
    return Outcome(text, 1 if plan.errors else 0, plan, todos_of(plan, mapping_todos))


def _calendar(settings: ContentSettings) -> Calendar:
    calendar, findings = load_calendar(
        settings.calendar_file,
        display_path=settings.display(settings.calendar_file),
        content_root=settings.content_root,
    )
    errors = [f for f in findings if f.level is Level.ERROR]
    if errors:
        raise ImportInputError(
            errors[0].path,
            errors[0].line,
            _("editorial calendar has errors: {message}").format(message=errors[0].message),
        )
    return calendar


def _site(request: Request, calendar: Calendar) -> Site:
    settings = request.settings
    existing = check_content(settings).items.values()
    categories = {item.category for item in existing if item.category} | {"Allgemein"}
    categories |= set(calendar.section(APPROVAL).categories)
    for member in calendar.team.values():
        categories |= set(member.approves or ())
    slugs = {
        (item.slug or settings.slugify(item.title or ""), item.lang or settings.default_lang)
        for item in existing
        if item.kind == "article" or item.slug
    }
    return Site(
        content_root=settings.content_root,
        into=request.into,
        calendar=calendar,
        categories=frozenset(categories),
        slugs=frozenset(slugs),
        languages=settings.languages,
        default_lang=settings.default_lang,
        slugify=settings.slugify,
        lang=request.lang,
    )


def _write(plan: ImportPlan) -> None:
    for item in plan.posts:
        if item.clash:
            continue
        for copy in item.copies:
            if not copy.target.exists():
                _create(copy.target, copy.source.read_bytes())
        _create(item.target, item.text.encode("utf-8"))


def _create(target: Path, data: bytes) -> bool:
    """Write a new file whole, never over an existing one (a post someone wrote meanwhile stays)."""
    return create_new(target, data)
