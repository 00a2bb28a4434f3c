"""From what the platforms said and what the store holds: the new replies, the gone ones, the counts.

Pure. The rules:
- A reply is new when no stored item has its id, whatever that item's state: a reply once deleted,
  rejected or forgotten (erasure) never comes back through listening.
- A stored reply is gone when the platform names it deleted or blocked, when its account is
  blocked, or when it is no longer in the thread at all (Mastodon leaves deleted statuses and
  blocked accounts out of the context). Gone means Status.DELETED, with a Decision by "system"
  and the reason; it is then off the site at the next export. Already deleted or spam: left alone.
- Gone is judged per post and platform over all of that post's teasers on that platform (a reply
  belongs to the thread of one of them, and the store does not record which), and only when every
  one of them was read: a failed request never deletes anything. The counts of a post and platform
  are the sum over those teasers, set only when all were read, too; the store keeps the last ones.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from hub_core.i18n import translator

from ..model import Counts, Decision, Item, Source, Status
from .thread import Reply, Thread, account_of

_, ngettext = translator("hub_inbox")

SYSTEM = "system"
LEFT_ALONE = frozenset({Status.DELETED, Status.SPAM})
PLATFORM_NAMES = {Source.MASTODON: "Mastodon", Source.BLUESKY: "Bluesky"}


@dataclass(frozen=True)
class Found:
    channel: str  # whose teaser's thread it was found in
    item: Item


@dataclass(frozen=True)
class Gone:
    channel: str  # the first channel carrying the post on that platform
    item: Item  # as stored
    decision: Decision


@dataclass(frozen=True)
class PostCounts:
    post: str
    source: Source
    counts: Counts


@dataclass(frozen=True)
class Changes:
    new: tuple[Found, ...] = ()
    gone: tuple[Gone, ...] = ()
    counts: tuple[PostCounts, ...] = ()


def merge(
    threads: Sequence[Thread], unread: Collection[tuple[str, Source]], stored: Iterable[Item], now: datetime
) -> Changes:
    """`unread`: the (post, source) pairs with a teaser whose thread could not be read."""
    stored = list(stored)
    known = {item.id for item in stored}
    new: list[Found] = []
    for thread in threads:
        for reply in sorted(thread.replies, key=lambda r: r.created):
            if reply.id not in known:
                known.add(reply.id)  # a reply seen under two teasers is one item
                new.append(Found(thread.teaser.channel, _item(reply, thread)))

    groups: dict[tuple[str, Source], list[Thread]] = {}
    for thread in threads:
        groups.setdefault((thread.teaser.post, thread.teaser.source), []).append(thread)
    gone: list[Gone] = []
    counts: list[PostCounts] = []
    for (post, source), group in groups.items():
        if (post, source) in unread:
            continue
        counts.append(PostCounts(post, source, total(thread.counts for thread in group)))
        present = {reply.id for thread in group for reply in thread.replies} | {i for t in group for i in t.kept}
        named = {item_id: why for thread in group for item_id, why in thread.gone.items()}
        blocked = {account for thread in group for account in thread.blocked}
        for item in stored:
            if item.post != post or item.source is not source or item.status in LEFT_ALONE:
                continue
            reason = _why_gone(item, present, named, blocked)
            if reason:
                decision = Decision(SYSTEM, now, "delete", reason)
                gone.append(Gone(group[0].teaser.channel, item, decision))
    return Changes(tuple(new), tuple(gone), tuple(counts))


def _why_gone(item: Item, present: set[str], named: dict[str, str], blocked: set[str]) -> str:
    if item.id in named:
        return named[item.id]
    if account_of(item.id) in blocked:
        return _("its account is blocked on {platform}").format(platform=PLATFORM_NAMES[item.source])
    if item.id not in present:
        return _("no longer in the thread on {platform} (deleted, or its account blocked)").format(
            platform=PLATFORM_NAMES[item.source]
        )
    return ""


def _item(reply: Reply, thread: Thread) -> Item:
    return Item(
        id=reply.id,
        post=thread.teaser.post,
        source=thread.teaser.source,
        text=reply.text,
        created=reply.created,
        status=Status.PENDING,
        author=reply.author,
        parent=reply.parent,
        url=reply.url,
        handle=reply.handle,
    )


def total(all_counts: Iterable[Counts]) -> Counts:
    """The counts of several teasers added up."""
    total = Counts()
    for counts in all_counts:
        total = Counts(total.replies + counts.replies, total.reposts + counts.reposts, total.likes + counts.likes)
    return total
