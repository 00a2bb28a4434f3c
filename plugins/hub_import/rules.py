"""The decisions of an import, as small pure functions: status, slug, language, file names."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from hub_core.i18n import translator

from .model import SourcePost

SLUG = re.compile(r"^[a-z0-9-/]+$")

_, ngettext = translator("hub_import")


def is_archive(post: SourcePost, since: datetime | None) -> bool:
    """Dated before the calendar's approval.since: the archive that needs no approval."""
    return post.date is not None and since is not None and post.date < since


def decide_status(
    post: SourcePost, *, archive: bool, authors_known: bool, label: str, since: datetime | None
) -> tuple[str, str]:
    """Our status for a source post, and why (for the report)."""
    if post.status == "draft":
        return "draft", _("draft in the source")
    if post.date is None and post.kind == "article":
        return "draft", _("no date")
    if post.status == "review":
        return "review", _("“{status}” in {label}: needs an approval").format(status=post.source_status, label=label)
    if not authors_known:
        return "review", _("author not mapped")
    if archive:
        return post.status, _("archive: before approval.since, needs no approval")
    if since is None:
        return "review", _("no approval.since in the editorial calendar: every post needs an approval")
    return "review", _("after approval.since ({since}): needs an approval").format(since=f"{since:%Y-%m-%d}")


def make_slug(post: SourcePost, slugify: Callable[[str], str]) -> tuple[str, str]:
    """A slug our checks accept ([a-z0-9-/]), and a note if it differs from the source's."""
    if post.slug and SLUG.match(post.slug):
        return post.slug, ""
    if post.slug:
        made = slugify(re.sub(r"[._ ]+", "-", post.slug.replace("/", "-")))
        note = _("Slug “{source}” changed to “{slug}” (only a-z, 0-9, -)").format(source=post.slug, slug=made)
        return made or slugify(post.title), note
    return slugify(post.title), ""


def unique_slug(slug: str, lang: str, taken: set[tuple[str, str]]) -> str:
    candidate, number = slug, 2
    while (candidate, lang) in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add((candidate, lang))
    return candidate


def target_path(post: SourcePost, slug: str, lang: str, *, into: Path, content_root: Path, default_lang: str) -> Path:
    suffix = "" if lang == default_lang else f".{lang}"
    name = slug.replace("/", "-") + suffix + ".md"
    if post.kind == "page":
        return content_root / "pages" / name
    return into / (f"{post.date:%Y}" if post.date else "ohne-datum") / name


def free_name(folder: Path, name: str, taken: Callable[[Path], bool]) -> Path:
    """`folder/name`, or `name-2`, `name-3` … if that is taken."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while taken(candidate):
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate
