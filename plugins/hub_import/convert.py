"""Plan an import: every source post as a file in our format, the files it uses, and what
needs a person. Pure rules over plain data; the disk is asked through `Disk` only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from hub_content.body import body_images
from hub_content.calendar import Calendar
from hub_review.calendar_sections import APPROVAL

from . import links, rules
from .authors import AuthorMapping
from .front_matter import FrontMatter
from .model import NO_AUTHOR, Asset, ImportInputError, LinkTarget, Skipped, SourceAuthor, SourcePost, ToDo
from .rst_markdown import rst_to_markdown

PUBLISHED_IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


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
            "Kategorien",
            0,
            "category",
            f"Kategorie „{name}“ gibt es auf der Website noch nicht ({count} Beitrag/Beiträge): "
            "übernehmen oder im Beitrag eine bestehende eintragen",
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
                    f"Sprache „{lang}“ hat die Website nicht: {self.site.default_lang} eingetragen, prüfen",
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
            notes.append(f"Slug „{slug}“ ist schon vergeben: „{unique}“ verwendet")
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
                    message = f"Kein Autor in der Quelle: bei „{NO_AUTHOR.key}“ in {self.mapping.path.name} eine Team-id eintragen und authors: im Beitrag setzen"
                else:
                    message = f"Autor „{author.name}“ ist keiner Team-id zugeordnet: in {self.mapping.path.name} eintragen und authors: im Beitrag setzen"
                item.todos.append(ToDo(post.origin, post.line, "author", message))
        for member_id in ids:
            if not self.site.calendar.team[member_id].is_author:
                item.todos.append(
                    ToDo(post.origin, post.line, "author", f"„{member_id}“ hat im Team kein Recht 'author'")
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
                    f"Seite prüfen und status: {wanted} setzen (Seiten brauchen keine Freigabe)",
                )
            )
        if post.date is None and post.kind == "article":
            item.todos.append(ToDo(post.origin, post.line, "date", "Datum fehlt: date: eintragen"))
        elif post.date is not None and post.date_naive and post.kind == "article":
            when = "00:00 " if not post.date_has_time else ""
            text = f"Datum ohne Zeitzone{' und Uhrzeit' if when else ''}: als {when}{self.site.calendar.timezone.key} gelesen"
            if item.status in ("published", "hidden"):
                item.notes.append(text + " (Archiv, unkritisch)")
            else:
                item.todos.append(ToDo(post.origin, post.line, "date", text + ": prüfen"))
        if post.category and post.category not in self.site.categories:
            self.new_categories[post.category] = self.new_categories.get(post.category, 0) + 1
            item.notes.append(f"Kategorie „{post.category}“ ist neu auf der Website")
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
                    ToDo(post.origin, post.line, "image-alt", f"Bild {image.src} ohne Alternativtext: alt eintragen")
                )
        front.comments = [f"Übernommen aus {self.source.label}: {post.origin}"] + [
            f"Zu erledigen: {todo.message}" for todo in item.todos
        ]
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
                        f"reStructuredText nicht umgewandelt: {construct} (als Text übernommen)",
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
        item.todos.append(ToDo(item.post.origin, line, "link", target.missing or f"Verweis {url}: Ziel prüfen"))
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
                    ToDo(item.post.origin, line, "image-file", f"Bild {source.name} nicht übernommen: {facts.problem}")
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
                    f"Titelbild {image.reference} nicht gefunden: Datei angeben (WordPress: --media) und image: eintragen",
                )
            )
            return None
        hint = f" (laut Bilddaten: {image.credit_hint})" if image.credit_hint else ""
        item.todos.append(
            ToDo(
                item.post.origin,
                item.post.line,
                "image-credit",
                f"Titelbild {Path(path).name}: Bildnachweis (credit){hint} und Lizenz (license) eintragen, prüfen ob Personen zu sehen sind (shows_people, people_consent)",
            )
        )
        if not image.alt:
            item.todos.append(
                ToDo(
                    item.post.origin,
                    item.post.line,
                    "image-alt",
                    f"Titelbild {Path(path).name} ohne Alternativtext: image.alt eintragen",
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
                    "Übersetzung ohne Original in diesem Import: translation_of: eintragen",
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
