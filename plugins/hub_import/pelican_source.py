"""A stock Pelican content folder as SourcePost values.

Every way Pelican writes metadata is read by hub_content's reader (`read_source`): header
lines, `---` fences, reStructuredText field lists, HTML `<meta>` tags. Here the fields are
mapped onto ours: case-insensitive keys, `author`/`authors` as a list, dates with or without
zone, Jekyll leftovers (`categories`, `description`) where Pelican blogs still carry them.
Files under `pages/` are pages, as in Pelican's default PAGE_PATHS. Only reads files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from hub_content.sources import HTML_SUFFIXES, MARKDOWN_SUFFIXES, RST_SUFFIXES, markup_of, read_source
from hub_core.i18n import translator

from .dates import parse_date
from .model import HeaderImage, ImportInputError, LinkTarget, Skipped, SourceAuthor, SourcePost, ToDo
from .plain import plain_text

CONTENT_SUFFIXES = (*MARKDOWN_SUFFIXES, *RST_SUFFIXES, *HTML_SUFFIXES)
IMAGE_KEYS = ("image", "cover", "featured_image", "og_image", "header_cover", "thumbnail", "banner")
USED_KEYS = {
    "title", "date", "modified", "author", "authors", "category", "categories", "tags", "tag", "summary",
    "description", "slug", "lang", "status", "translation", *IMAGE_KEYS,
}  # fmt: skip
STATUSES = {"published": "published", "draft": "draft", "hidden": "hidden", "skip": "skip"}
# Pelican's default FILENAME_METADATA: a date at the start of the file name.
FILENAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
PREFIXES = ("{filename}", "|filename|", "{static}", "|static|", "{attach}", "|attach|")
PELICAN_ONLY = ("{index}", "{tag}", "{category}", "{author}", "|index|", "|tag|", "|category|", "|author|")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)

_, ngettext = translator("hub_import")


@dataclass
class PelicanSource:
    root: Path
    posts: list[SourcePost] = field(default_factory=list)
    errors: list[ImportInputError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # every file under root, '/'-separated

    label = "Pelican"

    def resolve(self, reference: str, post: SourcePost, is_image: bool) -> LinkTarget | None:
        """What `reference` in `post` points at; None for addresses that stay as they are."""
        if reference.startswith(PELICAN_ONLY) or reference.startswith("#"):
            return None
        prefix = next((p for p in PREFIXES if reference.startswith(p)), "")
        if not prefix and (SCHEME.match(reference) or not (is_image or reference.startswith("/"))):
            return None
        path = unquote(re.split(r"[?#]", reference[len(prefix) :], maxsplit=1)[0])
        if not path:
            return None
        candidates = [self._relative(path, post)]
        if not prefix and path.startswith("/"):
            # A root-relative address on the old site (SITEURL may have had a path, e.g. /blog):
            # the first folders that name a file under the content folder win.
            parts = PurePosixPath(path).parts[1:]
            candidates = ["/".join(parts[i:]) for i in range(len(parts))]
        for candidate in candidates:
            if candidate in self.posts_by_path:
                return LinkTarget(post_key=candidate)
            if candidate in self.files:
                return LinkTarget(asset=self.root / candidate)
        return LinkTarget(
            missing=_("Link to {address}: no such file in the source, check the target").format(address=reference)
        )

    def _relative(self, path: str, post: SourcePost) -> str:
        joined = PurePosixPath(path.lstrip("/")) if path.startswith("/") else PurePosixPath(post.folder) / path
        parts: list[str] = []
        for part in joined.parts:
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in (".", ""):
                parts.append(part)
        return "/".join(parts)

    @property
    def posts_by_path(self) -> dict[str, SourcePost]:
        return {post.key: post for post in self.posts}


def read_folder(root: Path, zone: ZoneInfo) -> PelicanSource:
    source = PelicanSource(root)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            relative = (Path(folder) / name).relative_to(root).as_posix()
            source.files.add(relative)
            if Path(name).suffix.lower() in CONTENT_SUFFIXES:
                _read_file(source, relative, zone)
    return source


def _read_file(source: PelicanSource, relative: str, zone: ZoneInfo) -> None:
    path = source.root / relative
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        source.errors.append(
            ImportInputError(relative, 1, _("not a UTF-8 file (byte {position})").format(position=error.start))
        )
        return
    if path.suffix.lower() in HTML_SUFFIXES and ("{{" in text or "{%" in text):
        source.skipped.append(Skipped(relative, _("Jinja template of a theme, not a post")))
        return
    document = read_source(text, relative, markup_of(path) or "markdown")
    broken = [f for f in document.findings if f.check in ("yaml-syntax", "unknown-format")]
    if broken:
        source.errors.append(
            ImportInputError(
                relative, broken[0].line, _("front matter unreadable: {problem}").format(problem=broken[0].message)
            )
        )
        return
    if not document.fields:
        source.skipped.append(Skipped(relative, _("no front matter (Title, Date …): not a post for Pelican")))
        return
    post = _post(relative, document, zone)
    if post.status == "skip":
        source.skipped.append(Skipped(relative, _("Status: skip (Pelican does not read the file)")))
        return
    source.posts.append(post)


def _post(relative: str, document: Any, zone: ZoneInfo) -> SourcePost:
    fields = {key.lower(): entry for key, entry in document.fields.items()}
    value = {key: entry.value for key, entry in fields.items()}
    line = {key: entry.line for key, entry in fields.items()}
    folder = PurePosixPath(relative).parent.as_posix()
    folder = "" if folder == "." else folder
    todos: list[ToDo] = []
    notes: list[str] = []
    title = _text(value.get("title")) or PurePosixPath(relative).stem
    if "title" not in value:
        todos.append(
            ToDo(
                relative,
                1,
                "title",
                _("No title in the source: “{title}” taken from the file name").format(title=title),
            )
        )
    raw_date = value.get("date")
    if raw_date is None:
        named = FILENAME_DATE.match(PurePosixPath(relative).name)
        raw_date = named.group(1) if named else None
        if named:
            notes.append(_("Date from the file name (as Pelican's FILENAME_METADATA)"))
    parsed = parse_date(raw_date, zone) if raw_date is not None else None
    if raw_date is not None and parsed is None:
        todos.append(
            ToDo(relative, line.get("date", 1), "date", _("Date “{date}” unreadable: enter it").format(date=raw_date))
        )
    status_text = (_text(value.get("status")) or "published").lower()
    status = STATUSES.get(status_text)
    if status is None:
        todos.append(
            ToDo(
                relative,
                line.get("status", 1),
                "status",
                _("Unknown status “{status}”: imported as a draft").format(status=status_text),
            )
        )
        status = "draft"
    category = _text(value.get("category"))
    if category is None and "categories" in value:
        listed = _list(value["categories"])
        category = listed[0] if listed else None
        if len(listed) > 1:
            notes.append(
                _("Several categories ({names}): only “{first}” imported").format(
                    names=", ".join(listed), first=listed[0]
                )
            )
    if category is None and folder and not relative.startswith("pages/"):
        category = PurePosixPath(folder).name  # Pelican's USE_FOLDER_AS_CATEGORY (its default)
        notes.append(_("Category “{name}” from the folder name (as Pelican without Category:)").format(name=category))
    summary_raw = _text(value.get("summary")) or _text(value.get("description")) or ""
    summary_markup = {"rst": "rst", "html": "html"}.get(document.header, "markdown")
    ignored = sorted(key for key in fields if key not in USED_KEYS)
    if ignored:
        notes.append(_("Fields not imported: {names}").format(names=", ".join(ignored)))
    image = next((HeaderImage(str(value[key])) for key in IMAGE_KEYS if isinstance(value.get(key), str)), None)
    translation = str(value.get("translation", "")).strip().lower() in ("true", "yes", "1")
    return SourcePost(
        key=relative,
        origin=relative,
        line=1,
        kind="page" if relative.startswith("pages/") else "article",
        title=title,
        date=parsed.moment if parsed else None,
        date_naive=bool(parsed and parsed.naive),
        date_has_time=bool(parsed and parsed.has_time),
        modified=(m.moment if (m := parse_date(value["modified"], zone)) else None) if "modified" in value else None,
        authors=tuple(SourceAuthor(name) for name in _list(value.get("authors", value.get("author")))),
        status=status,  # type: ignore[arg-type]
        body=document.body,
        body_line=document.body_line,
        markup="rst" if document.markup == "rst" else ("html" if document.markup == "html" else "markdown"),
        category=category,
        tags=tuple(_list(value.get("tags", value.get("tag")))),
        summary=plain_text(_unquote(summary_raw), summary_markup),
        slug=_text(value.get("slug")),
        lang=_text(value.get("lang")),
        translation=translation,
        image=image,
        folder=folder,
        source_status=status_text,
        notes=notes,
        todos=todos,
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = _unquote(str(value).strip())
    return text or None


def _unquote(text: str) -> str:
    """A header line keeps YAML's quotes (`description: "…"`): the words are meant."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    separator = ";" if ";" in text else ","
    return [_unquote(part.strip()) for part in text.split(separator) if part.strip()]
