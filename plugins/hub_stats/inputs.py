"""What the KPIs are computed from, read from the site's files: the thin loader beside compute.py.

The posts as the review gate sees them outside a build (hub_review.runner.judge_site with the
production settings: only what is published counts), the record of their addresses (hub_redirects),
the daily figures and platform counts (store.py), the cross-posting ledger. compute.kpis gets all of
it as plain values; this module only reads. The caller passes hub_content's checked settings
(`content_settings(settings)`, which knows Pelican's slugify: an adapter this library may not import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hub_content.loader import ContentSettings
from hub_content.site import output_url
from hub_core.errors import ConfigurationError
from hub_core.i18n import translator
from hub_core.options import beside_content, read
from hub_crosspost.ledger import Entry, Ledger, Status, ledger_file
from hub_redirects.options import URL_RECORD
from hub_redirects.record import RecordError, UrlRecord, parse_record
from hub_review.gate import GateResult

from .addresses import AddressBook, site_prefix
from .model import DayFigures, PlatformDay
from .options import figures_folder
from .store import FiguresStore

_, ngettext = translator("hub_stats")

WINDOW_DAYS = 30  # the longest window after publication a KPI looks at (views_after_30_days)


@dataclass(frozen=True)
class PublishedPost:
    """A published post as the KPIs see it."""

    key: str  # "de/slug", as hub_crosspost's PostInfo.key (the ledger's and the inbox's post key)
    title: str
    path: str  # its URL today, relative to SITEURL ("2026/slug/")
    source: str  # its file relative to content/: the key of the record of addresses
    category: str
    authors: tuple[str, ...]
    published: datetime  # aware


@dataclass(frozen=True)
class Figures:
    """The counted figures: `days` holds only days that have a file (a day missing is a day no log
    covered); `platforms` the days on which platform counts were fetched, in order."""

    days: Mapping[date, DayFigures] = field(default_factory=dict)
    platforms: Sequence[PlatformDay] = ()


def published_posts(gate: GateResult, checked: ContentSettings) -> list[PublishedPost]:
    """What the gate publishes now (held, scheduled and draft posts have no readers), keyed like
    hub_crosspost's PostInfo."""
    posts = []
    root = checked.content_root.resolve()
    for review in gate.posts:
        item = review.item
        if not review.goes_out or item.date is None:
            continue
        source = item.source.resolve()
        posts.append(
            PublishedPost(
                key=f"{item.lang or checked.default_lang}/{review.slug}",
                title=item.title or review.slug,
                path=output_url(item, review.slug, checked.patterns, checked.slugify) or "",
                source=source.relative_to(root).as_posix() if source.is_relative_to(root) else source.as_posix(),
                category=item.category or "",
                authors=item.authors,
                published=item.date,
            )
        )
    return posts


def address_book(posts: Iterable[PublishedPost], record: UrlRecord, siteurl: str) -> AddressBook:
    current = {post.source: (post.key, post.path) for post in posts}
    return AddressBook.build(current, record.published, record.redirects, prefix=site_prefix(siteurl))


def needed_days(first: date, last: date, posts: Iterable[PublishedPost]) -> set[date]:
    """The days compute.kpis looks at: `first` to `last` (the period and its whole weeks), and each
    post's first WINDOW_DAYS days (UTC days, as the day files are)."""
    days = {first + timedelta(days=offset) for offset in range((last - first).days + 1)}
    for post in posts:
        published = post.published.astimezone(UTC).date()
        days.update(published + timedelta(days=offset) for offset in range(WINDOW_DAYS))
    return days


def read_figures(store: FiguresStore, days: Iterable[date], platforms_from: date, last: date) -> Figures:
    counted = set(store.counted_days())
    return Figures(
        {day: store.day(day) for day in sorted(set(days) & counted)},
        store.platform_days(platforms_from, last),
    )


def teasers(ledger: Ledger) -> list[Entry]:
    """The teasers that went out, one per post and channel (its current line)."""
    return [entry for entry in ledger.current().values() if entry.status is Status.POSTED]


def figures_store(settings: Mapping[str, Any]) -> FiguresStore:
    return FiguresStore(figures_folder(settings))


def url_record(settings: Mapping[str, Any]) -> UrlRecord:
    """The record of published addresses (HUB_URL_RECORD); none kept: every post has only today's."""
    configured = read(URL_RECORD, settings)
    path = beside_content(settings, configured) if configured else None
    if path is None or not path.is_file():
        return UrlRecord()
    try:
        return parse_record(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecordError) as error:
        message = _("{path}: cannot read the record of published addresses ({problem})")
        raise ConfigurationError(f"{URL_RECORD.name}: " + message.format(path=path, problem=error)) from None


def ledger(settings: Mapping[str, Any]) -> Ledger:
    return Ledger.load(ledger_file(settings))
