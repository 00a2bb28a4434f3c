"""What the importer reads and plans, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

Kind = Literal["article", "page"]
Markup = Literal["markdown", "rst", "html"]
# A source post's status in our words: WordPress's and Pelican's are mapped onto these.
SourceStatus = Literal["published", "draft", "hidden", "review", "skip"]


class ImportInputError(Exception):
    """Input the importer cannot read: named with file and line, printed without a traceback."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        return f"{location}: {self.message}"


@dataclass(frozen=True)
class SourceAuthor:
    """An author as the old blog knows them; `key` is what the mapping file lists."""

    name: str
    login: str = ""
    email: str = ""

    @property
    def key(self) -> str:
        return self.login or self.name


# The key of posts without an author in the mapping file: not translated, because it is what
# the editor's file says; a later run in another language must find the id entered there.
NO_AUTHOR = SourceAuthor("(ohne Autor)")


@dataclass(frozen=True)
class ToDo:
    """Something a person has to decide or fill in after the import."""

    origin: str  # the source file (or export item) it is about
    line: int
    kind: str  # author, image-credit, image-alt, image-file, date, category, markup, link, language, input
    message: str  # what to do, in the language of the import (hub_core.i18n)


@dataclass(frozen=True)
class HeaderImage:
    reference: str  # as the source names it: a path, a {static} link or a URL
    alt: str = ""
    credit_hint: str = ""  # what the source's image data says about the photographer, if anything


@dataclass
class SourcePost:
    """One post or page of the old blog, in neutral terms."""

    key: str  # identity within the source: relative path (Pelican) or post id (WordPress)
    origin: str  # shown in the report: relative path, or 'export.xml, Beitrag 10' (translated)
    line: int
    kind: Kind
    title: str
    date: datetime | None
    date_naive: bool  # no UTC offset in the source: read in the calendar's time zone
    date_has_time: bool
    authors: tuple[SourceAuthor, ...]
    status: SourceStatus
    body: str
    markup: Markup
    body_line: int = 1
    modified: datetime | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    slug: str | None = None
    lang: str | None = None
    translation: bool = False  # Pelican's `Translation: true`: translates the post with the same slug
    image: HeaderImage | None = None
    folder: str = ""  # the source file's folder, relative to the source root ('/'-separated)
    source_status: str = ""  # as the source wrote it, for the report
    links: tuple[str, ...] = ()  # addresses of this post on the old site (WordPress)
    notes: list[str] = field(default_factory=list)
    todos: list[ToDo] = field(default_factory=list)


@dataclass(frozen=True)
class Asset:
    """A file a post uses (image, PDF), found in the source or in the media folder."""

    source: Path
    name: str  # file name in the new folder


@dataclass(frozen=True)
class Skipped:
    origin: str
    reason: str


@dataclass(frozen=True)
class LinkTarget:
    """Where an internal reference of the old blog points: a post of this import, a file to
    copy, or nothing that exists (`missing`: the to-do, in the language of the import)."""

    post_key: str | None = None
    asset: Path | None = None
    missing: str = ""
