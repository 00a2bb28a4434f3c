"""What a platform said about one of our teasers: plain data, built by the readers, judged by merge.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hub_crosspost.channels import ChannelConfig
from hub_crosspost.ledger import Entry
from hub_crosspost.ledger import Status as LedgerStatus

from ..model import Counts, Source

# The channel types we listen on, and the source their replies carry.
PLATFORMS: dict[str, Source] = {"mastodon": Source.MASTODON, "bluesky": Source.BLUESKY}


@dataclass(frozen=True)
class PostedTeaser:
    """A teaser the ledger records as posted: where to find its thread."""

    post: str  # the post's key ("de/slug")
    channel: str
    source: Source
    remote_id: str  # Mastodon: the status id; Bluesky: the post's at:// URI
    url: str


@dataclass(frozen=True)
class Reply:
    """One reply in a teaser's thread, as the inbox will keep it."""

    id: str  # the item id: "mastodon:<status url>" or "bluesky:<at-uri>"
    parent: str  # the item id it answers; "" for a direct reply to the teaser
    author: str  # display name ("" if none)
    handle: str  # @name@instance or @handle.bsky.social
    text: str  # plain text
    created: datetime  # aware
    url: str  # where it can be read on the platform


@dataclass(frozen=True)
class Thread:
    teaser: PostedTeaser
    replies: tuple[Reply, ...] = ()
    counts: Counts = field(default_factory=Counts)
    # Item ids the platform names as gone, with why (Bluesky: #notFoundPost, #blockedPost).
    gone: Mapping[str, str] = field(default_factory=dict)
    # Accounts whose every reply is gone (Bluesky: the author of a #blockedPost), as `account_of` gives them.
    blocked: frozenset[str] = frozenset()
    # Ids present on the platform but not taken into the queue (a reply only some may see, an
    # unknown node type): not new, and not gone either.
    kept: frozenset[str] = frozenset()


def account_of(item_id: str) -> str:
    """The account a reply's id names, where it names one: Bluesky's at://<did>/… → the did."""
    if item_id.startswith("bluesky:at://"):
        return item_id.removeprefix("bluesky:at://").split("/", 1)[0]
    return ""


def posted_teasers(current: Mapping[tuple[str, str], Entry], channels: Iterable[ChannelConfig]) -> list[PostedTeaser]:
    """Every teaser to listen to: the latest ledger entry per (post, channel) is posted and names
    the remote post, on an enabled Mastodon or Bluesky channel of the calendar; in channel order,
    then by post."""
    teasers = []
    for channel in channels:
        source = PLATFORMS.get(channel.type)
        if source is None or not channel.enabled:
            continue
        for (post, name), entry in sorted(current.items()):
            if name == channel.name and entry.status is LedgerStatus.POSTED and entry.remote_id:
                teasers.append(PostedTeaser(post, name, source, entry.remote_id, entry.url))
    return teasers


def count(value: object) -> int:
    """A count as the platform sent it, or 0 for anything that is not a whole number of at least 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def moment(value: object) -> datetime:
    """A platform's ISO 8601 time as an aware UTC datetime (a time without offset is taken as UTC)."""
    parsed = datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
