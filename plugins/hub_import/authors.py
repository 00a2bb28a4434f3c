"""The author mapping file (`import-authors.yaml`): which team id each author of the old blog
is. The importer prefills it where a team member has the same e-mail, name or id, and leaves
the rest empty for an editor to complete; a later run reads what the editor wrote."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hub_content.calendar import Calendar
from hub_core.i18n import N_, translator

from .front_matter import scalar
from .model import NO_AUTHOR, ImportInputError, SourceAuthor

# On top of the mapping file, for the editor who completes it (in the language of the import).
HEADER = N_("""\
# Who wrote in the old blog, and who that is in the team (editorial_calendar.yaml).
# Each name needs a team id (e.g. sroth). Left empty: the posts
# get status: review and a task in the report of `invoke import`.
# Every run of `invoke import` reads this file and adds new names; what you entered stays.
""")

_, ngettext = translator("hub_import")


@dataclass
class AuthorMapping:
    path: Path
    ids: dict[str, str] = field(default_factory=dict)  # source key → team id ('' = open)
    hints: dict[str, str] = field(default_factory=dict)  # source key → comment in the file
    known: set[str] = field(default_factory=set)  # keys the file already had

    def team_id(self, author: SourceAuthor) -> str:
        return self.ids.get(author.key, "")

    @property
    def open(self) -> list[str]:
        return [key for key, value in self.ids.items() if not value]

    def render(self) -> str:
        width = max((len(scalar(key)) for key in self.ids), default=0)
        lines = [_(HEADER), "authors:"]
        for key, value in self.ids.items():
            entry = f"  {scalar(key)}: {scalar(value) if value else chr(34) * 2}"
            hint = self.hints.get(key, "")
            lines.append(f"{entry:<{width + 16}}  # {hint}" if hint else entry)
        return "\n".join(lines) + "\n"


def load_mapping(path: Path) -> AuthorMapping:
    """The file as the editor left it; an unreadable one stops the import with its line."""
    mapping = AuthorMapping(path)
    if not path.is_file():
        return mapping
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ImportInputError(
            str(path), line, _("not valid YAML: {problem}").format(problem=getattr(error, "problem", error))
        ) from None
    except UnicodeDecodeError:
        raise ImportInputError(str(path), 1, _("not a UTF-8 file")) from None
    authors = data.get("authors") if isinstance(data, dict) else None
    if data is not None and not isinstance(authors, dict):
        raise ImportInputError(str(path), 1, _("expected 'authors:' with 'name: team-id' lines"))
    for key, value in (authors or {}).items():
        mapping.ids[str(key)] = "" if value is None else str(value).strip()
        mapping.known.add(str(key))
    return mapping


def complete(mapping: AuthorMapping, authors: Iterable[SourceAuthor], calendar: Calendar) -> list[str]:
    """Add authors the file does not list yet, prefilled where the team has them; return
    problems with ids the editor wrote that the team does not have."""
    for author in authors:
        if author.key in mapping.ids:
            if author.key not in mapping.hints:
                mapping.hints[author.key] = _describe(author)
            continue
        member, reason = _match(author, calendar)
        mapping.ids[author.key] = member
        mapping.hints[author.key] = _describe(author) + ": " + reason
    return [
        _("{file}: “{key}: {value}” is not an id of the team ({ids})").format(
            file=mapping.path.name, key=key, value=value, ids=", ".join(sorted(calendar.team))
        )
        for key, value in mapping.ids.items()
        if value and value not in calendar.team
    ]


def _describe(author: SourceAuthor) -> str:
    if author == NO_AUTHOR:
        return _("posts without an author")
    parts = [author.name if author.name != author.key else ""]
    if author.email:
        parts.append(f"<{author.email}>")
    return " ".join(p for p in parts if p) or author.key


def _match(author: SourceAuthor, calendar: Calendar) -> tuple[str, str]:
    wanted = {author.email.casefold()} - {""}
    for member in calendar.team.values():
        if member.email and member.email.casefold() in wanted:
            return member.id, _("same e-mail as in the team")
    for member in calendar.team.values():
        if member.name.casefold() in (author.name.casefold(), author.login.casefold()):
            return member.id, _("same name as in the team")
    if author.key in calendar.team:
        return author.key, _("same id as in the team")
    return "", _("nobody in the team with this name or e-mail")
