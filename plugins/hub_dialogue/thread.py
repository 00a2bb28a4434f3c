"""What one post's dialogue looks like on the static site: the approved items in thread order, the
count a listing card shows, whether the form is open, and the form's token. Pure: plain data in
(the export's PostDialogue, the post's `comments:` mode, its date, "now"), plain data out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from urllib.parse import quote

from hub_inbox.model import Item, PostDialogue, Source

# A reply nested deeper than this is shown at this depth: a thread stays readable on a phone.
MAX_DEPTH = 3
PLATFORMS = (Source.MASTODON, Source.BLUESKY)


class Intake(StrEnum):
    """Whether a post takes new comments, and if not, why (the page says which)."""

    OPEN = "open"
    CLOSED = "closed"  # `comments: closed`, or older than the configured age
    STOPPED = "stopped"  # a crisis stop or a freeze in force: every form on the site is closed
    OFF = "off"  # `comments: off`: no thread, no form, no count


@dataclass(frozen=True)
class ShownItem:
    """One approved item as the page shows it."""

    id: str
    depth: int  # 0 answers the post, 1 answers a depth-0 item, ... (at most MAX_DEPTH)
    author: str  # "" shows as "Anonym"
    text: str
    created: datetime  # in the site's time zone
    platform: str  # "mastodon", "bluesky"; "" for the form and staff answers
    url: str  # the reply on its platform; "" otherwise
    staff: bool  # written by the team: the company's answer
    report: str  # the "Melden" link


@dataclass(frozen=True)
class ThreadView:
    """What an article's template and the listing cards read (attached to the post as `dialogue`)."""

    key: str  # "de/slug"
    intake: Intake
    items: tuple[ShownItem, ...] = ()
    count: int = 0  # approved items here plus the replies counted on the platforms
    action: str = ""  # the inbox's URL the form posts to
    token: str = ""  # the form's token: the inbox drops a second submit of the same comment
    rendered_at: str = ""  # ISO timestamp the form carries (minimum fill time)
    privacy: str = ""  # slug of the privacy page the form links to

    @property
    def shows_thread(self) -> bool:
        return self.intake is not Intake.OFF

    @property
    def shows_form(self) -> bool:
        return self.intake is Intake.OPEN


def intake(mode: str | None, published: datetime, now: datetime, close_after_days: int | None, stopped: bool) -> Intake:
    """`comments: off` hides everything; a stop closes every open thread; then the post's own mode and age."""
    if mode == "off":
        return Intake.OFF
    if stopped:
        return Intake.STOPPED
    if mode == "closed":
        return Intake.CLOSED
    if close_after_days is not None and now - published > timedelta(days=close_after_days):
        return Intake.CLOSED
    return Intake.OPEN


def thread_order(items: Iterable[Item]) -> list[tuple[Item, int]]:
    """Approved items with their depth: each answer right under what it answers (oldest first at
    every level); an answer to an item that is not shown (removed, still pending) answers the post."""
    public = [item for item in items if item.public]
    ids = {item.id for item in public}
    children: dict[str, list[Item]] = {}
    for item in public:
        children.setdefault(item.parent if item.parent in ids else "", []).append(item)
    for siblings in children.values():
        siblings.sort(key=lambda item: (item.created, item.id))
    ordered: list[tuple[Item, int]] = []
    seen: set[str] = set()

    def walk(parent: str, depth: int) -> None:
        for item in children.get(parent, ()):
            if item.id in seen:  # a cycle in a broken export: show each item once
                continue
            seen.add(item.id)
            ordered.append((item, min(depth, MAX_DEPTH)))
            walk(item.id, depth + 1)

    walk("", 0)
    return ordered


def comment_count(dialogue: PostDialogue | None) -> int:
    """What a listing card shows: the approved comments and staff answers, plus per platform the
    replies it counts (at least the approved replies imported from it: those are among them)."""
    if dialogue is None:
        return 0
    public = [item for item in dialogue.items if item.public]
    total = sum(1 for item in public if item.source not in PLATFORMS)
    for platform in PLATFORMS:
        imported = sum(1 for item in public if item.source is platform)
        counted = dialogue.counts.get(platform.value)
        total += max(imported, counted.replies if counted else 0)
    return total


def report_link(item_id: str, post_url: str, inbox_url: str, report_email: str | None) -> str:
    """The "Melden" link: an e-mail to the named address when one is set (works without the inbox),
    else the inbox's report page for this item."""
    if report_email:
        subject = quote(f"Meldung {item_id}")
        body = quote(f"Beitrag: {post_url}\nKommentar: {item_id}\nGrund: ")
        return f"mailto:{report_email}?subject={subject}&body={body}"
    return f"{inbox_url.rstrip('/')}/melden?item={quote(item_id, safe='')}"


def form_token(key: str, rendered_at: str, dialogue_digest: str) -> str:
    """Unique per post and version of its page (not per visitor: a static page cannot be): stable
    while nothing the page shows changes, so a rebuild does not render every post anew."""
    return hashlib.sha256(f"{key}\n{rendered_at}\n{dialogue_digest}".encode()).hexdigest()[:32]


def shown_items(
    ordered: Sequence[tuple[Item, int]], post_url: str, inbox_url: str, report_email: str | None, zone: tzinfo
) -> tuple[ShownItem, ...]:
    return tuple(
        ShownItem(
            id=item.id,
            depth=depth,
            author=item.author,
            text=item.text,
            created=item.created.astimezone(zone),
            platform=item.source.value if item.source in PLATFORMS else "",
            url=item.url if item.source in PLATFORMS else "",
            staff=item.source is Source.STAFF,
            report=report_link(item.id, post_url, inbox_url, report_email),
        )
        for item, depth in ordered
    )
