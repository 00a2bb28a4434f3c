"""`invoke new`: write a post skeleton that passes every check."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from hub_core.dates import DateProblem, Problem, in_zone, parse_date
from hub_core.i18n import translator
from hub_core.suggest import did_you_mean

from .calendar import load_calendar
from .loader import ContentSettings

_, ngettext = translator("hub_content")


class ScaffoldError(Exception):
    pass


def next_working_morning(now: datetime) -> datetime:
    day = now.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(9, 0), tzinfo=now.tzinfo)


def render_post(*, title: str, slug: str, author: str, category: str, lang: str, when: datetime) -> str:
    # json.dumps gives a double-quoted string that is also valid YAML, so any
    # title (colons, quotes, 'no') survives.
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        # Written out, so a later change of the title keeps the address that was shared already.
        "# Die Adresse des Beitrags: bleibt gleich, auch wenn Sie den Titel später ändern.",
        f"slug: {slug}",
        f"date: {when.strftime('%Y-%m-%d %H:%M')} {when.strftime('%z')[:3]}:{when.strftime('%z')[3:]}",
        f"authors: [{author}]",
        f"category: {json.dumps(category, ensure_ascii=False)}",
        "tags: []",
    ]
    if lang != "de":
        lines.append(f"lang: {lang}")
    lines += [
        "status: draft",
        "# summary: Ein Satz für Übersichten und Suchmaschinen.",
        "# teaser: Ein kurzer Text für soziale Netzwerke.",
        "# image:",
        "#   path: images/posts/bild.jpg",
        "#   alt: Was auf dem Bild zu sehen ist.",
        "#   credit: 'Foto: Name'",
        "#   license: Werksfoto, alle Rechte vorbehalten",
        "---",
        "",
        "Hier beginnt der Text.",
        "",
    ]
    return "\n".join(lines)


def scaffold_post(
    content: ContentSettings,
    *,
    title: str,
    author: str,
    category: str,
    lang: str,
    when: str | None,
    now: datetime | None = None,
) -> Path:
    calendar = load_calendar(
        content.calendar_file, display_path=str(content.calendar_file), content_root=content.content_root
    )[0]
    if author not in calendar.team:
        message = _("expected a team id from {calendar}, found '{author}'{did_you_mean}").format(
            calendar=content.calendar_file.name, author=author, did_you_mean=did_you_mean(author, calendar.team)
        )
        raise ScaffoldError(f"--author: {message}")
    if not calendar.team[author].is_author:
        message = _("'{author}' does not have the 'author' right in {calendar}").format(
            author=author, calendar=content.calendar_file.name
        )
        raise ScaffoldError(f"--author: {message}")
    if lang not in content.languages:
        message = _("expected one of {choices}, found '{value}'").format(
            choices=", ".join(content.languages), value=lang
        )
        raise ScaffoldError(f"--lang: {message}")
    if not title.strip():
        raise ScaffoldError("title: " + _("expected text, found an empty title"))
    zone = calendar.timezone
    if when:
        written = parse_date(when)
        if isinstance(written, DateProblem) and written.kind is not Problem.FORMAT:
            raise ScaffoldError(f"--date: {written.message}")  # no such day, or no such offset
        if isinstance(written, DateProblem) or not written.has_time:
            message = _("expected a date and time such as '{example}', found '{value}'").format(
                example="2026-12-01 09:00", value=when
            )
            raise ScaffoldError(f"--date: {message}")
        moment = in_zone(written, zone)
    else:
        moment = next_working_morning(now or datetime.now(zone))
    slug = content.slugify(title)
    if not slug:
        message = _("expected letters or digits to make a slug from, found '{title}'").format(title=title)
        raise ScaffoldError(f"title: {message}")
    folder = content.content_root / content.article_paths[0] / f"{moment:%Y}"
    suffix = "" if lang == content.default_lang else f".{lang}"
    path = folder / f"{slug}{suffix}.md"
    if path.exists():
        raise ScaffoldError(f"{path}: " + _("a post with this name exists already; choose another title"))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(
        render_post(title=title, slug=slug, author=author, category=category, lang=lang, when=moment), encoding="utf-8"
    )
    return path
