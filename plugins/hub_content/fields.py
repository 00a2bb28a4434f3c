"""Rules for each front-matter field: type, format, references.

Pure: takes a SourceDocument and a CheckContext, returns a ContentItem and findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from hub_core import yaml_hints
from hub_core.dates import DATE_EXAMPLE, DateProblem, Problem, in_grammar, in_zone, read_value
from hub_core.findings import Finding, Level
from hub_core.i18n import translator
from hub_core.imagefile import file_problem
from hub_core.sponsored import DEFAULT_SPONSORED_LABEL
from hub_core.suggest import did_you_mean, likely_typo
from hub_core.yamlsource import PLAIN_NULL, Entry, pointing_at

from .calendar import Calendar
from .frontmatter_split import SourceDocument, describe
from .model import COMMENT_MODES, STATUSES, ApprovalRecord, ContentItem, ImageRef, Kind, Sponsorship

_, ngettext = translator("hub_content")

# Pelican's slugs keep dots and underscores ('pelican-3.3-released'); '..' is refused separately.
SLUG_PATTERN = re.compile(r"^[a-z0-9-/._]+$")
OUTPUT_PATH_PATTERN = re.compile(r"^[a-z0-9-/._]+$")
IMAGE_KEYS = ("path", "alt", "credit", "license", "shows_people", "people_consent", "focal")
SPONSORED_KEYS = ("partner", "label")
# Pelican's own metadata we pass through untouched.
PELICAN_KEYS = ("save_as", "url", "template", "translation")
# Pelican's names for our fields. Its keys are case-insensitive (`Title:`), and so are ours.
KEY_ALIASES = {"author": "authors"}
# What a header's summary is written in: ours is plain text, Pelican renders its own like the body.
SUMMARY_MARKUP = {"yaml": "text", "pelican": "markdown", "rst": "rst", "html": "html"}
KNOWN_KEYS = (
    "title",
    "date",
    "modified",
    "authors",
    "category",
    "tags",
    "summary",
    "teaser",
    "lang",
    "translation_of",
    "slug",
    "status",
    "image",
    "sponsored",
    "canonical_url",
    "approvals",
    "plan",
    "comments",
    *PELICAN_KEYS,
)
APPROVAL_KEYS = ("by", "at", "fingerprint")
FINGERPRINT_PATTERN = re.compile(r"^sha256:[0-9a-f]{16,64}$")

# Every check, its default level and what it is about (the README lists them).
CHECKS: dict[str, tuple[Level, str]] = {
    "yaml-syntax": (Level.ERROR, "the front matter or calendar is not valid YAML"),
    "duplicate-key": (Level.ERROR, "a key is written twice"),
    "required": (Level.ERROR, "a required field is missing"),
    "type": (Level.ERROR, "a field has the wrong type"),
    "yaml-trap": (Level.ERROR, "YAML 1.1 turned text into something else (no → false)"),
    "unknown-key": (Level.WARNING, "a key nobody reads (a typo?)"),
    "key-typo": (Level.WARNING, "an unknown key that is a misspelt known one (catgory); an error in production"),
    "near-duplicate": (
        Level.WARNING,
        "a category or tag written almost like an existing one (& and 'und', case, umlauts)",
    ),
    "pelican-header": (Level.WARNING, "'---' lines that are not YAML, read as Pelican 'Key: value' lines"),
    "unknown-format": (Level.ERROR, "a content file in a format the checks and the review gate cannot read"),
    "unknown-template": (Level.ERROR, "template: names a template the theme does not have"),
    "date-format": (Level.ERROR, "a date that cannot be read or does not exist"),
    "date-without-timezone": (Level.WARNING, "a date without a UTC offset (the calendar's zone is used)"),
    "date-without-time": (Level.WARNING, "a bare date without a time (00:00 is used)"),
    "modified-before-date": (Level.WARNING, "modified lies before date"),
    "unknown-author": (Level.ERROR, "an author id that is not in the team"),
    "author-rights": (Level.ERROR, "an author without the 'author' right"),
    "unknown-language": (Level.ERROR, "a language the site does not have"),
    "unsafe-path": (Level.ERROR, "slug, save_as or url with '..', absolute paths or odd characters"),
    "image-missing": (Level.ERROR, "an image file that does not exist"),
    "image-file": (Level.ERROR, "an image file the pipeline refuses: empty, cut off, or not the format its name says"),
    "image-alt": (Level.ERROR, "an image without alternative text"),
    "image-credit": (Level.WARNING, "a header image without credit or license (error in production)"),
    "people-consent": (Level.ERROR, "a photo showing people without their consent"),
    "sponsored-label": (Level.ERROR, "a sponsored post without label text"),
    "sponsored-partner": (Level.WARNING, "a sponsored post that does not name the partner"),
    "canonical-url": (Level.ERROR, "canonical_url that is not an absolute http(s) URL"),
    "duplicate-slug": (Level.ERROR, "two posts with the same slug and language"),
    "output-collision": (Level.ERROR, "two files that would be written to the same output file"),
    "translation-target": (Level.ERROR, "translation_of names no post"),
    "legal-pages": (Level.ERROR, "Impressum or Datenschutz page missing"),
    "calendar": (Level.ERROR, "the editorial calendar is invalid"),
    "unknown-channel": (Level.ERROR, "a plan slot names a channel the calendar does not define"),
    # The review gate (plugins/hub_review): approval, cadence, plan, freeze.
    "self-approval": (Level.ERROR, "an approval by one of the post's own authors"),
    "approver-rights": (Level.ERROR, "an approval by someone without editor rights for the category"),
    "approval-stale": (Level.WARNING, "what readers see changed after the approval"),
    "approval-unproven": (Level.ERROR, "git_proof: the approval was not committed by the approver"),
    "held-back": (Level.WARNING, "a due post that is not published: not approved, or frozen"),
    "stale-blog": (Level.WARNING, "the newest published post is too old (error in production)"),
    "gap-ahead": (Level.WARNING, "a coming week with fewer approved posts than the minimum"),
    "crowded-day": (Level.WARNING, "more posts on one day than allowed"),
    "off-hours": (Level.WARNING, "a post dated outside the publishing weekdays or hours"),
    "slot-missed": (Level.WARNING, "a plan slot that is due without a published post"),
    "slot-at-risk": (Level.WARNING, "a plan slot whose post is not approved two working days before it is due"),
    "slot-unknown-post": (Level.ERROR, "a plan slot names a post that does not exist"),
    "unknown-slot": (Level.ERROR, "a post names a plan slot that does not exist"),
    # Measurement (plugins/hub_stats): with HUB_STATS_LOGS set, readers learn of the counting from the privacy page.
    "stats-privacy-notice": (
        Level.WARNING,
        "HUB_STATS_LOGS is set and the privacy page does not describe the counting or the days raw logs are kept"
        " (error in production)",
    ),
}


@dataclass(frozen=True)
class CheckContext:
    content_root: Path
    calendar: Calendar
    languages: tuple[str, ...] = ("de", "en")
    default_lang: str = "de"
    sponsored_label: str = DEFAULT_SPONSORED_LABEL
    templates: frozenset[str] | None = None  # what `template:` may name; None: not known here

    @property
    def timezone(self) -> ZoneInfo:
        return self.calendar.timezone


@dataclass
class _Checker:
    document: SourceDocument
    context: CheckContext
    kind: Kind
    findings: list[Finding] = field(default_factory=list)

    def report(self, entry: Entry | None, name: str, message: str, check: str, *, point: bool = False) -> None:
        """A finding on `entry`'s line; with `point`, also its column and the line marked (yaml_hints)."""
        line = entry.line if entry is not None else 1
        finding = Finding(self.document.path, line, name, message, check, CHECKS[check][0])
        self.findings.append(pointing_at(finding, entry) if point and entry is not None else finding)

    def unknown_keys(self, entry: Entry, where: str, known: tuple[str, ...]) -> None:
        """Warn about each key of the map `entry` that is not in `known` (a typo must not pass silently)."""
        for key, child in entry.children.items():
            if key not in known:
                message = _("unknown key{did_you_mean}; known keys: {known}").format(
                    did_you_mean=did_you_mean(key, known), known=", ".join(known)
                )
                self.report(child, f"{where}.{key}", message, "unknown-key")

    # -- scalar helpers -------------------------------------------------------

    def text(self, entry: Entry, name: str, *, allow_empty: bool = False) -> str | None:
        value = entry.value
        if isinstance(value, str):
            if not value.strip() and not allow_empty:
                self.report(entry, name, _("expected text, found an empty value"), "type")
                return None
            return value.strip()
        if entry.is_plain_scalar and entry.node.tag != PLAIN_NULL:
            # An unquoted scalar that YAML 1.1 turned into a bool, number or date.
            explained = yaml_hints.text_trap(entry.spot, entry.raw or "", value) if entry.spot else None
            self.report(
                entry,
                name,
                explained or _("expected text, found {found}").format(found=describe(entry)),
                "yaml-trap",
                point=True,
            )
            return None
        self.report(entry, name, _("expected text, found {found}").format(found=describe(entry)), "type")
        return None

    def text_list(self, entry: Entry, name: str) -> tuple[str, ...]:
        if isinstance(entry.value, str):
            # "a, b" as in stock Pelican, which splits on ';' instead where there is one
            text = entry.value.strip()
            if text.startswith("[") and text.endswith("]"):
                text = text[1:-1]  # a YAML-style list in a Pelican header line, where it is text
            separator = ";" if ";" in text else ","
            return tuple(dict.fromkeys(part.strip() for part in text.split(separator) if part.strip()))
        if not isinstance(entry.value, list):
            kind = "yaml-trap" if entry.is_plain_scalar and entry.node.tag != PLAIN_NULL else "type"
            self.report(
                entry, name, _("expected a list such as [a, b], found {found}").format(found=describe(entry)), kind
            )
            return ()
        result = []
        for index, item in enumerate(entry.items):
            value = self.text(item, f"{name}[{index}]")
            if value:
                result.append(value)
        return tuple(dict.fromkeys(result))

    def boolean(self, entry: Entry, name: str) -> bool:
        if isinstance(entry.value, bool):
            return entry.value
        if self.yes_no_words(entry, name):
            return False
        self.report(entry, name, _("expected true or false, found {found}").format(found=describe(entry)), "type")
        return False

    def yes_no_words(self, entry: Entry, name: str) -> bool:
        """`ja` or `nein` where true or false belongs: reported with the word to write; False if it is neither."""
        explained = (
            yaml_hints.yes_no_words(entry.spot, entry.value) if entry.spot and isinstance(entry.value, str) else None
        )
        if explained is None:
            return False
        self.report(entry, name, explained, "type", point=True)
        return True

    def datetime_value(self, entry: Entry, name: str) -> datetime | None:
        zone = self.context.timezone
        written = read_value(entry.value.strip() if isinstance(entry.value, str) else entry.value)
        if written is None:
            message = _("expected a date such as {example}, found {found}")
            self.report(entry, name, message.format(example=DATE_EXAMPLE, found=describe(entry)), "type")
            return None
        if isinstance(written, DateProblem):
            if written.kind is Problem.FORMAT and isinstance(entry.value, str) and entry.spot is not None:
                raw = entry.value.strip()
                message = yaml_hints.date_format(entry.spot, raw, DATE_EXAMPLE, in_grammar(raw))
                self.report(entry, name, message, "date-format", point=True)
                return None
            self.report(entry, name, written.message, "date-format")
            return None
        if not written.has_time:
            shown = f"'{entry.value.strip()}'" if isinstance(entry.value, str) else written.moment.date().isoformat()
            self.report(
                entry,
                name,
                _(
                    "expected a date with time and zone such as {example}, found the bare date {date}; "
                    "it is read as 00:00 {zone}"
                ).format(example=DATE_EXAMPLE, date=shown, zone=zone.key),
                "date-without-time",
            )
        elif not written.has_offset:
            self.report(
                entry,
                name,
                _(
                    "expected a date with UTC offset such as {example}, found '{date}' without one; "
                    "it is read in {zone}"
                ).format(example=DATE_EXAMPLE, date=entry.raw, zone=zone.key),
                "date-without-timezone",
            )
        return in_zone(written, zone)

    def path_like(self, entry: Entry, name: str, pattern: re.Pattern[str], allowed: str) -> str | None:
        value = self.text(entry, name)
        if value is None:
            return None
        if ".." in value or value.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:", value):
            message = _("expected a relative path inside the site, found '{value}'").format(value=value)
            self.report(entry, name, message, "unsafe-path")
            return None
        if not pattern.match(value):
            bad = sorted({ch for ch in value if not re.match(allowed, ch)})
            self.report(
                entry,
                name,
                _("expected only {allowed} characters, found '{value}' (with {bad})").format(
                    allowed=allowed, value=value, bad=" ".join(repr(c) for c in bad)
                ),
                "unsafe-path",
            )
            return None
        return value


def check_document(
    document: SourceDocument, kind: Kind, context: CheckContext, source: Path | None = None
) -> tuple[ContentItem, list[Finding]]:
    """Check one document's front matter; every problem becomes a finding."""
    checker = _Checker(document, context, kind, list(document.findings))
    fields = _normalised_keys(checker, document.fields)
    item = ContentItem(path=document.path, source=source or Path(document.path), kind=kind)
    item.summary_markup = SUMMARY_MARKUP.get(document.header, "text")
    item.lines = {name: entry.line for name, entry in fields.items()}

    for name, entry in fields.items():
        if name not in KNOWN_KEYS:
            # A misspelt known key silently loses its field (catgory: the post lands in the default category).
            check = "key-typo" if likely_typo(name, KNOWN_KEYS) else "unknown-key"
            message = _("unknown key{did_you_mean}; it is passed on unchecked")
            checker.report(entry, name, message.format(did_you_mean=did_you_mean(name, KNOWN_KEYS)), check)
            item.extra[name] = entry.value

    required = ("title", "date", "authors") if kind == "article" else ("title",)
    # A file without any header is judged too: it lacks every required field.
    if not any(f.check in ("yaml-syntax", "unknown-format") for f in document.findings):
        for name in required:
            if name not in fields:
                checker.report(None, name, _("expected this required field, found it missing"), "required")

    handlers: dict[str, Callable[[_Checker, ContentItem, Entry], None]] = {
        "title": _title,
        "date": _date,
        "modified": _modified,
        "authors": _authors,
        "category": _category,
        "tags": _tags,
        "summary": _summary,
        "teaser": _teaser,
        "lang": _lang,
        "translation_of": _translation_of,
        "slug": _slug,
        "status": _status,
        "image": _image,
        "sponsored": _sponsored,
        "canonical_url": _canonical_url,
        "save_as": _save_as,
        "url": _url,
        "template": _template,
        "approvals": _approvals,
        "plan": _plan,
        "comments": _comments,
        "translation": _translation,
    }
    for name, handler in handlers.items():
        if name in fields:
            handler(checker, item, fields[name])

    if item.date and item.modified and item.modified < item.date:
        checker.report(
            fields["modified"],
            "modified",
            _("expected a time after date ({date}), found {modified}").format(
                date=item.date.isoformat(), modified=item.modified.isoformat()
            ),
            "modified-before-date",
        )
    return item, checker.findings


def _normalised_keys(c: _Checker, written: dict[str, Entry]) -> dict[str, Entry]:
    """Keys as Pelican reads them: case-insensitive, `author` for `authors`; the first of two wins."""
    fields: dict[str, Entry] = {}
    spelled: dict[str, str] = {}
    for key, entry in written.items():
        name = KEY_ALIASES.get(key.lower(), key.lower())
        if name in fields:
            c.report(
                entry,
                name,
                _("expected each field once, found '{key}' beside '{first}' (line {line}); the first is used").format(
                    key=key, first=spelled[name], line=fields[name].line
                ),
                "duplicate-key",
            )
            continue
        fields[name], spelled[name] = entry, key
    return fields


def _title(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.title = c.text(entry, "title")


def _date(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.date = c.datetime_value(entry, "date")


def _modified(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.modified = c.datetime_value(entry, "modified")


def _authors(c: _Checker, item: ContentItem, entry: Entry) -> None:
    ids = c.text_list(entry, "authors")
    if not ids and isinstance(entry.value, list):
        c.report(entry, "authors", _("expected at least one team id, found an empty list"), "required")
    team = c.context.calendar.team
    known = []
    for written in ids:
        author_id = _team_id(written, c.context.calendar)
        member = team.get(author_id) if author_id else None
        if member is None:
            listed = ", ".join(f"{m.id} ({m.name})" for m in team.values()) or _("nobody yet")
            c.report(
                entry,
                "authors",
                _("expected a team id or name from {calendar} ({team}), found '{written}'{did_you_mean}").format(
                    calendar=c.context.calendar.path,
                    team=listed,
                    written=written,
                    did_you_mean=did_you_mean(written, team),
                ),
                "unknown-author",
            )
            continue
        if not member.is_author:
            c.report(
                entry,
                "authors",
                _("expected a team member with the 'author' right, found '{id}' without it").format(id=member.id),
                "author-rights",
            )
        known.append(member.id)
    item.authors = tuple(dict.fromkeys(known))


def _team_id(written: str, calendar: Calendar) -> str | None:
    """A team id as written, or the id of the member with that name or e-mail (Pelican's `Author: Name`)."""
    if written in calendar.team:
        return written
    wanted = written.casefold()
    for member in calendar.team.values():
        if wanted in (member.name.casefold(), member.email.casefold()):
            return member.id
    return None


def _category(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.category = c.text(entry, "category")


def _tags(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.tags = c.text_list(entry, "tags")


def _summary(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.summary = c.text(entry, "summary")


def _teaser(c: _Checker, item: ContentItem, entry: Entry) -> None:
    if isinstance(entry.value, dict):
        teasers = {}
        for channel, child in entry.children.items():
            text = c.text(child, f"teaser.{channel}")
            if text:
                teasers[channel] = text
        item.teaser = teasers
    else:
        item.teaser = c.text(entry, "teaser")


def _lang(c: _Checker, item: ContentItem, entry: Entry) -> None:
    lang = c.text(entry, "lang")
    if lang is None:
        return
    if lang not in c.context.languages:
        c.report(
            entry,
            "lang",
            _("expected one of {choices}, found '{value}'{did_you_mean}").format(
                choices=", ".join(c.context.languages),
                value=lang,
                did_you_mean=did_you_mean(lang, c.context.languages),
            ),
            "unknown-language",
        )
        return
    item.lang = lang


def _translation_of(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.translation_of = c.path_like(entry, "translation_of", SLUG_PATTERN, "[a-z0-9-/._]")


def _translation(c: _Checker, item: ContentItem, entry: Entry) -> None:
    """Pelican's flag `Translation: true`: this file translates the post with the same slug."""
    value = entry.value
    flag = value if isinstance(value, bool) else str(value).strip().lower() in ("true", "yes", "1")
    if not flag or item.translation_of:
        return
    if item.slug:
        item.translation_of = item.slug
    else:
        c.report(
            entry,
            "translation",
            _(
                "expected a slug beside translation: true (Pelican pairs a translation with the post of the same "
                "slug), found none; or write translation_of: <slug of the original>"
            ),
            "required",
        )


def _slug(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.slug = c.path_like(entry, "slug", SLUG_PATTERN, "[a-z0-9-/._]")


def _save_as(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.save_as = c.path_like(entry, "save_as", OUTPUT_PATH_PATTERN, "[a-z0-9-/._]")


def _url(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.url = c.path_like(entry, "url", OUTPUT_PATH_PATTERN, "[a-z0-9-/._]")


def _template(c: _Checker, item: ContentItem, entry: Entry) -> None:
    name = c.text(entry, "template")
    known = c.context.templates
    if name is not None and known is not None and name not in known:
        # Pelican would stop with a traceback when it writes the post, after minutes of work.
        listed = ", ".join(sorted(t for t in known if not t.startswith("_") and "/" not in t))
        c.report(
            entry,
            "template",
            _("expected a template of the theme ({templates}), found '{name}'{did_you_mean}").format(
                templates=listed, name=name, did_you_mean=did_you_mean(name, known)
            ),
            "unknown-template",
        )
        return
    item.template = name


def _status(c: _Checker, item: ContentItem, entry: Entry) -> None:
    status = c.text(entry, "status")
    if status is None:
        return
    status = status.lower()
    if status not in STATUSES:
        c.report(
            entry,
            "status",
            _("expected one of {choices}, found '{value}'{did_you_mean}").format(
                choices=", ".join(STATUSES), value=status, did_you_mean=did_you_mean(status, STATUSES)
            ),
            "type",
        )
        return
    item.status = status


def _comments(c: _Checker, item: ContentItem, entry: Entry) -> None:
    written = (entry.raw or "").strip().lower()
    if isinstance(entry.value, bool) and written in COMMENT_MODES:
        item.comments = written  # `comments: off` as written: YAML 1.1 reads it as false, the author means "off"
        return
    mode = c.text(entry, "comments")
    if mode is None:
        return
    mode = mode.lower()
    if mode not in COMMENT_MODES:
        c.report(
            entry,
            "comments",
            _("expected one of {choices}, found '{value}'{did_you_mean}").format(
                choices=", ".join(COMMENT_MODES), value=mode, did_you_mean=did_you_mean(mode, COMMENT_MODES)
            ),
            "type",
        )
        return
    item.comments = mode


def _image(c: _Checker, item: ContentItem, entry: Entry) -> None:
    if not isinstance(entry.value, dict):
        message = _("expected a map with path, alt, credit and license, found {found}")
        c.report(entry, "image", message.format(found=describe(entry)), "type")
        return
    children = entry.children
    c.unknown_keys(entry, "image", IMAGE_KEYS)

    def text(key: str) -> str:
        child = children.get(key)
        if child is None or (child.node.tag == PLAIN_NULL and key != "path"):
            return ""
        return c.text(child, f"image.{key}", allow_empty=True) or ""

    path = ""
    path_entry = children.get("path")
    if path_entry is None:
        message = _("expected the image file's path relative to content/, found none")
        c.report(entry, "image.path", message, "required")
    else:
        path = text("path")
        if path:
            path = resolve_content_path(path, item, c.context.content_root)
            if ".." in PurePosixPath(path).parts:
                message = _("expected a file inside content/, found '{path}'").format(path=path)
                c.report(path_entry, "image.path", message, "unsafe-path")
                path = ""
            elif not (c.context.content_root / path).is_file():
                c.report(
                    path_entry,
                    "image.path",
                    _("expected an image file at content/{path}, found no such file").format(path=path),
                    "image-missing",
                )
            elif problem := file_problem(c.context.content_root, path):
                c.report(path_entry, "image.path", problem, "image-file")
    alt = text("alt")
    if not alt.strip():
        c.report(
            children.get("alt", entry),
            "image.alt",
            _("expected a description of the image for readers who cannot see it, found none"),
            "image-alt",
        )
    credit, license_ = text("credit"), text("license")
    if not credit or not license_:
        if not credit and not license_:
            message = _("expected credit and license of the photo, found neither")
        else:
            message = _("expected credit and license of the photo, found no {field}").format(
                field="credit" if not credit else "license"
            )
        c.report(entry, "image", message, "image-credit")
    shows_people = c.boolean(children["shows_people"], "image.shows_people") if "shows_people" in children else False
    consent = c.boolean(children["people_consent"], "image.people_consent") if "people_consent" in children else False
    if shows_people and not consent:
        c.report(
            children.get("people_consent", children["shows_people"]),
            "image.people_consent",
            _("expected people_consent: true for a photo showing people (their consent is on file), found false")
            if "people_consent" in children
            else _(
                "expected people_consent: true for a photo showing people (their consent is on file), found it missing"
            ),
            "people-consent",
        )
    focal = _focal(c, children["focal"]) if "focal" in children else None
    item.image = ImageRef(path, alt.strip(), credit, license_, shows_people, consent, focal)


def _focal(c: _Checker, entry: Entry) -> tuple[float, float] | None:
    """Where the picture's subject is, as [x, y] from 0 to 1 (left/top to right/bottom): crops keep it."""
    value = entry.value
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1 for v in value)
    ):
        return float(value[0]), float(value[1])
    c.report(
        entry,
        "image.focal",
        _("expected [x, y] with numbers from 0 to 1 such as [0.5, 0.3], found {found}").format(found=describe(entry)),
        "type",
    )
    return None


def _sponsored(c: _Checker, item: ContentItem, entry: Entry) -> None:
    label = c.context.sponsored_label
    partner = ""
    if isinstance(entry.value, bool):
        if not entry.value:
            return
    elif isinstance(entry.value, dict):
        c.unknown_keys(entry, "sponsored", SPONSORED_KEYS)
        if "label" in entry.children:
            label = c.text(entry.children["label"], "sponsored.label", allow_empty=True) or ""
        if "partner" in entry.children:
            partner = c.text(entry.children["partner"], "sponsored.partner", allow_empty=True) or ""
    else:
        if not c.yes_no_words(entry, "sponsored"):
            message = _("expected true or a map with partner and label, found {found}")
            c.report(entry, "sponsored", message.format(found=describe(entry)), "type")
        return
    if not label.strip():
        c.report(
            entry,
            "sponsored",
            _(
                "expected label text such as '{label}' for paid content, found none"
                " (set sponsored.label or HUB_SPONSORED_LABEL)"
            ).format(label=DEFAULT_SPONSORED_LABEL),
            "sponsored-label",
        )
    if not partner:
        c.report(
            entry,
            "sponsored.partner",
            _("expected the name of the partner who paid for the post, found none"),
            "sponsored-partner",
        )
    item.sponsored = Sponsorship(label.strip(), partner)


def _approvals(c: _Checker, item: ContentItem, entry: Entry) -> None:
    """The record of sign-offs; written by `invoke approve`, judged by the review gate."""
    if entry.value is None:
        return
    if not isinstance(entry.value, list):
        message = _("expected a list of approvals (by, at, fingerprint), found {found}")
        c.report(entry, "approvals", message.format(found=describe(entry)), "type")
        return
    records = []
    for index, child in enumerate(entry.items):
        where = f"approvals[{index}]"
        if not isinstance(child.value, dict):
            message = _("expected a map with by, at and fingerprint, found {found}")
            c.report(child, where, message.format(found=describe(child)), "type")
            continue
        fields = child.children
        c.unknown_keys(child, where, APPROVAL_KEYS)
        missing = [key for key in APPROVAL_KEYS if key not in fields]
        for key in missing:
            c.report(child, f"{where}.{key}", _("expected this field of an approval, found it missing"), "required")
        if missing:
            continue
        by = c.text(fields["by"], f"{where}.by")
        at = c.datetime_value(fields["at"], f"{where}.at")
        fingerprint = c.text(fields["fingerprint"], f"{where}.fingerprint")
        if fingerprint is not None and not FINGERPRINT_PATTERN.match(fingerprint):
            c.report(
                fields["fingerprint"],
                f"{where}.fingerprint",
                _("expected 'sha256:' and hex digits as written by invoke approve, found '{fingerprint}'").format(
                    fingerprint=fingerprint
                ),
                "type",
            )
            fingerprint = None
        if by and at and fingerprint:
            records.append(ApprovalRecord(by, at, fingerprint, child.line, fields["fingerprint"].line))
    item.approvals = tuple(records)


def _plan(c: _Checker, item: ContentItem, entry: Entry) -> None:
    item.plan = c.text(entry, "plan")


def _canonical_url(c: _Checker, item: ContentItem, entry: Entry) -> None:
    url = c.text(entry, "canonical_url")
    if url is None:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        c.report(
            entry,
            "canonical_url",
            _("expected an absolute URL such as https://example.com/post/, found '{url}'").format(url=url),
            "canonical-url",
        )
        return
    item.canonical_url = url


def resolve_content_path(reference: str, item: ContentItem, content_root: Path) -> str:
    """Resolve an image reference to a '/'-separated path relative to the content folder.

    Accepts Pelican's `{static}`/`{attach}` prefixes; `./` and `../` are relative to
    the post's own folder, anything else to the content folder.
    """
    for prefix in ("{static}", "{attach}", "|static|", "|attach|"):
        if reference.startswith(prefix):
            reference = reference[len(prefix) :]
            break
    else:
        if reference.startswith(("./", "../")):
            try:
                folder = item.source.parent.resolve().relative_to(content_root.resolve()).as_posix()
            except ValueError:
                folder = ""
            return _normalize(str(PurePosixPath(folder) / reference))
    return _normalize(reference.lstrip("/"))


def _normalize(path: str) -> str:
    parts: list[str] = []
    for part in PurePosixPath(path).parts:
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append(part)
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)
