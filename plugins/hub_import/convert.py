"""Plan an import: every source post as a file in our format, the files it uses, and what
needs a person. Pure rules over plain data; the disk is asked through `Disk` only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from hub_content.body import body_images
from hub_content.calendar import Calendar
from hub_core.i18n import translator
from hub_review.calendar_sections import APPROVAL

from . import links, rules
from .authors import AuthorMapping
from .front_matter import FrontMatter
from .model import NO_AUTHOR, Asset, ImportInputError, LinkTarget, Skipped, SourceAuthor, SourcePost, ToDo
from .rst_markdown import rst_to_markdown

PUBLISHED_IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".gif")

_, ngettext = translator("hub_import")


class Source(Protocol):
    label: str
    posts: list[SourcePost]
    skipped: list[Skipped]
    errors: list[ImportInputError]

    def resolve(self, reference: str, post: SourcePost, is_image: bool) -> LinkTarget | None: ...


@dataclass(frozen=True)
class ImageFacts:
    readable: bool
    problem: str = ""


class Disk(Protocol):
    def exists(self, path: Path) -> bool: ...
    def same(self, first: Path, second: Path) -> bool: ...
    def image(self, path: Path) -> ImageFacts: ...


@dataclass(frozen=True)
class Site:
    """What the target site already has."""

    content_root: Path
    into: Path
    calendar: Calendar
    categories: frozenset[str]
    slugs: frozenset[tuple[str, str]]
    languages: tuple[str, ...]
    default_lang: str
    slugify: Callable[[str], str]
    lang: str | None = None  # --lang: for posts whose source names none


@dataclass(frozen=True)
class Copy:
    source: Path
    target: Path


@dataclass
class PlannedPost:
    post: SourcePost
    target: Path
    slug: str
    lang: str
    status: str = "review"
    reason: str = ""
    text: str = ""
    copies: list[Copy] = field(default_factory=list)
    todos: list[ToDo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    clash: bool = False


@dataclass
class ImportPlan:
    label: str
    posts: list[PlannedPost]
    skipped: list[Skipped]
    errors: list[ImportInputError]
    site_todos: list[ToDo]
    mapping: AuthorMapping
    new_categories: dict[str, int]


def plan_import(source: Source, site: Site, mapping: AuthorMapping, disk: Disk) -> ImportPlan:
    planner = _Planner(source, site, mapping, disk)
    planned = [planner.place(post) for post in source.posts]
    for item in planned:
        planner.fill(item)
    site_todos = [
        ToDo(
            _("Categories"),
            0,
            "category",
            ngettext(
                "Category “{name}” does not exist on the site yet ({count} post): "
                "keep it, or enter an existing one in the post",
                "Category “{name}” does not exist on the site yet ({count} posts): "
                "keep it, or enter an existing one in the post",
                count,
            ).format(name=name, count=count),
        )
        for name, count in sorted(planner.new_categories.items())
    ]
    return ImportPlan(source.label, planned, source.skipped, source.errors, site_todos, mapping, planner.new_categories)


class _Planner:
    def __init__(self, source: Source, site: Site, mapping: AuthorMapping, disk: Disk) -> None:
        self.source, self.site, self.mapping, self.disk = source, site, mapping, disk
        self.taken = set(site.slugs)
        self.by_key: dict[str, PlannedPost] = {}
        self.assets: dict[Path, Path] = {}  # source file → target file (each copied once)
        self.targets: set[Path] = set()
        self.new_categories: dict[str, int] = {}

    def place(self, post: SourcePost) -> PlannedPost:
        todos, notes = list(post.todos), list(post.notes)
        lang = post.lang or self.site.lang or self.site.default_lang
        if lang not in self.site.languages:
            todos.append(
                ToDo(
                    post.origin,
                    post.line,
                    "language",
                    _("The site has no language “{lang}”: {default} entered, please check").format(
                        lang=lang, default=self.site.default_lang
                    ),
                )
            )
            lang = self.site.default_lang
        slug, note = rules.make_slug(post, self.site.slugify)
        if note:
            notes.append(note)
        natural = rules.target_path(
            post,
            slug,
            lang,
            into=self.site.into,
            content_root=self.site.content_root,
            default_lang=self.site.default_lang,
        )
        if self.disk.exists(natural):
            # Imported before (or written by hand under that name): never overwritten, reported.
            item = PlannedPost(post, natural, slug, lang, todos=todos, notes=notes, clash=True)
            self.by_key[post.key] = item
            return item
        unique = rules.unique_slug(slug, lang, self.taken)
        if unique != slug:
            notes.append(_("Slug “{slug}” is already taken: “{unique}” used").format(slug=slug, unique=unique))
        target = rules.target_path(
            post,
            unique,
            lang,
            into=self.site.into,
            content_root=self.site.content_root,
            default_lang=self.site.default_lang,
        )
        item = PlannedPost(post, target, unique, lang, todos=todos, notes=notes)
        item.clash = self.disk.exists(target) or target in self.targets
        self.targets.add(target)
        self.by_key[post.key] = item
        return item

    def fill(self, item: PlannedPost) -> None:
        post = item.post
        body = self.body(item)
        ids: list[str] = []
        unknown: list[SourceAuthor] = []
        # Pages (Impressum, Über uns) have no authors here, as in the README's format.
        for author in (post.authors or (NO_AUTHOR,)) if post.kind == "article" else ():
            member = self.mapping.team_id(author)
            if member and member in self.site.calendar.team:
                ids.append(member)
            else:
                unknown.append(author)
                if author == NO_AUTHOR:
                    message = _(
                        "No author in the source: enter a team id for “{key}” in {file} and set authors: in the post"
                    ).format(key=NO_AUTHOR.key, file=self.mapping.path.name)
                else:
                    message = _(
                        "Author “{name}” is not mapped to a team id: enter one in {file} and set authors: in the post"
                    ).format(name=author.name, file=self.mapping.path.name)
                item.todos.append(ToDo(post.origin, post.line, "author", message))
        for member_id in ids:
            if not self.site.calendar.team[member_id].is_author:
                item.todos.append(
                    ToDo(
                        post.origin,
                        post.line,
                        "author",
                        _("“{id}” has no right 'author' in the team").format(id=member_id),
                    )
                )
        since = self.site.calendar.section(APPROVAL).since
        archive = rules.is_archive(post, since)
        item.status, item.reason = rules.decide_status(
            post, archive=archive, authors_known=not unknown, label=self.source.label, since=since
        )
        if post.kind == "page" and item.status == "review":
            wanted = "hidden" if post.status == "hidden" else "published"
            item.todos.append(
                ToDo(
                    post.origin,
                    post.line,
                    "status",
                    _("Check the page and set status: {status} (pages need no approval)").format(status=wanted),
                )
            )
        if post.date is None and post.kind == "article":
            item.todos.append(ToDo(post.origin, post.line, "date", _("Date missing: enter date:")))
        elif post.date is not None and post.date_naive and post.kind == "article":
            zone = self.site.calendar.timezone.key
            if post.date_has_time:
                text = _("Date without time zone: read as a time in {zone}").format(zone=zone)
            else:
                text = _("Date without time zone or time of day: read as 00:00 in {zone}").format(zone=zone)
            if item.status in ("published", "hidden"):
                item.notes.append(_("{problem} (archive, not critical)").format(problem=text))
            else:
                item.todos.append(
                    ToDo(post.origin, post.line, "date", _("{problem}: please check").format(problem=text))
                )
        if post.category and post.category not in self.site.categories:
            self.new_categories[post.category] = self.new_categories.get(post.category, 0) + 1
            item.notes.append(_("Category “{name}” is new on the site").format(name=post.category))
        front = FrontMatter(
            title=post.title,
            date=post.date.astimezone(self.site.calendar.timezone) if post.date else None,
            modified=post.modified.astimezone(self.site.calendar.timezone)
            if post.modified and post.date and post.modified >= post.date
            else None,
            authors=tuple(ids) + tuple(a.name for a in unknown if a != NO_AUTHOR),
            category=post.category,
            tags=post.tags,
            summary=post.summary,
            image=self.header_image(item),
            status=item.status,
            slug=item.slug,
            lang=item.lang if item.lang != self.site.default_lang else None,
            translation_of=self.translation_of(item),
        )
        for image in body_images(body, 1):
            if image.alt is None or not image.alt.strip():
                item.todos.append(
                    ToDo(
                        post.origin,
                        post.line,
                        "image-alt",
                        _("Image {src} has no alternative text: enter alt").format(src=image.src),
                    )
                )
        # Comments on top of the new file: for its author, in the language of the import.
        front.comments = [_("Imported from {label}: {origin}").format(label=self.source.label, origin=post.origin)]
        front.comments += [_("To do: {task}").format(task=todo.message) for todo in item.todos]
        item.text = front.render() + "\n" + body.strip("\n") + "\n"

    def body(self, item: PlannedPost) -> str:
        post = item.post
        text = post.body
        if post.markup == "rst":
            converted = rst_to_markdown(text)
            text = converted.markdown
            for line, construct in converted.problems:
                item.todos.append(
                    ToDo(
                        post.origin,
                        post.body_line + max(line, 1) - 1,
                        "markup",
                        _("reStructuredText not converted: {construct} (kept as text)").format(construct=construct),
                    )
                )
        # Lines of a converted body (reStructuredText, WordPress) are not lines of the source.
        first = post.body_line if post.markup != "rst" else 0

        def change(url: str, line: int, is_image: bool) -> str | None:
            return self.rewrite(item, url, line if first else post.line, is_image)

        return links.rewrite(text, first or 1, change)

    def rewrite(self, item: PlannedPost, url: str, line: int, is_image: bool) -> str | None:
        target = self.source.resolve(url, item.post, is_image)
        if target is None:
            return None
        fragment = "#" + url.split("#", 1)[1] if "#" in url and not url.startswith("#") else ""
        if target.post_key is not None and target.post_key in self.by_key:
            other = self.by_key[target.post_key]
            return "{filename}/" + other.target.relative_to(self.site.content_root).as_posix() + fragment
        if target.asset is not None:
            new = self.copy(item, target.asset, line)
            return None if new is None else "{static}/" + new
        item.todos.append(
            ToDo(item.post.origin, line, "link", target.missing or _("Link {url}: check the target").format(url=url))
        )
        return None

    def copy(self, item: PlannedPost, source: Path, line: int) -> str | None:
        """Plan copying `source` beside the post's images; its path relative to content/."""
        if source in self.assets:
            return self.assets[source].relative_to(self.site.content_root).as_posix()
        name = source.name
        if source.suffix.lower() in PUBLISHED_IMAGES:
            facts = self.disk.image(source)
            if not facts.readable:
                item.todos.append(
                    ToDo(
                        item.post.origin,
                        line,
                        "image-file",
                        _("Image {name} not imported: {problem}").format(name=source.name, problem=facts.problem),
                    )
                )
                return None
        folder = self.site.content_root / "images" / "posts" / item.slug.replace("/", "-")
        target = folder / name
        if self.disk.exists(target) and self.disk.same(source, target) and target not in self.targets:
            self.assets[source] = target
            return target.relative_to(self.site.content_root).as_posix()
        target = rules.free_name(folder, name, lambda p: self.disk.exists(p) or p in self.targets)
        self.targets.add(target)
        self.assets[source] = target
        item.copies.append(Copy(source, target))
        return target.relative_to(self.site.content_root).as_posix()

    def header_image(self, item: PlannedPost) -> dict[str, str] | None:
        image = item.post.image
        if image is None:
            return None
        target = self.source.resolve(image.reference, item.post, True)
        path = self.copy(item, target.asset, item.post.line) if target is not None and target.asset else None
        if path is None:
            item.todos.append(
                ToDo(
                    item.post.origin,
                    item.post.line,
                    "image-file",
                    _("Header image {reference} not found: name the file (WordPress: --media) and enter image:").format(
                        reference=image.reference
                    ),
                )
            )
            return None
        name = Path(path).name
        if image.credit_hint:
            credit = _(
                "Header image {name}: enter the credit (credit; the image data says: {hint}) and the licence "
                "(license), check whether people can be seen (shows_people, people_consent)"
            ).format(name=name, hint=image.credit_hint)
        else:
            credit = _(
                "Header image {name}: enter the credit (credit) and the licence (license), "
                "check whether people can be seen (shows_people, people_consent)"
            ).format(name=name)
        item.todos.append(ToDo(item.post.origin, item.post.line, "image-credit", credit))
        if not image.alt:
            item.todos.append(
                ToDo(
                    item.post.origin,
                    item.post.line,
                    "image-alt",
                    _("Header image {name} has no alternative text: enter image.alt").format(name=name),
                )
            )
        return {"path": path, "alt": image.alt, "credit": "", "license": ""}

    def translation_of(self, item: PlannedPost) -> str | None:
        if not item.post.translation:
            return None
        original = next(
            (
                other
                for other in self.by_key.values()
                if other is not item and other.post.slug == item.post.slug and other.lang != item.lang
            ),
            None,
        )
        if original is None:
            item.todos.append(
                ToDo(
                    item.post.origin,
                    item.post.line,
                    "translation",
                    _("Translation without its original in this import: enter translation_of:"),
                )
            )
            return None
        return original.slug


def authors_of(posts: Iterable[SourcePost]) -> list[SourceAuthor]:
    seen: dict[str, SourceAuthor] = {}
    for post in posts:
        if post.kind != "article":
            continue
        for author in post.authors or (NO_AUTHOR,):
            seen.setdefault(author.key, author)
    return list(seen.values())


__all__ = ["Asset", "Copy", "Disk", "ImageFacts", "ImportPlan", "PlannedPost", "Site", "Source", "plan_import"]
