"""What the dialogue is made of: items (a reader's comment, a reply on a platform, a staff answer),
their states, and the export the static build reads. Plain data, no storage, no HTTP.

An item belongs to a post by the post's key (`de/slug`, hub_crosspost's PostInfo.key, so the
crosspost ledger's entries and the items of a post meet). Personal data is kept to what the
dialogue needs: a name the writer chose (may be empty), an e-mail only when the writer asked for a
reply notice (kept as unconfirmed until they confirm it), never an IP address (the rate limiter
keeps those in memory only).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

EXPORT_VERSION = 1


class Source(StrEnum):
    WEB = "web"  # the comment form under an article
    MASTODON = "mastodon"  # a reply to our teaser status
    BLUESKY = "bluesky"  # a reply to our teaser post
    STAFF = "staff"  # an answer written by the team: company content, four-eyes like a post


class Status(StrEnum):
    PENDING = "pending"  # in the queue, not public
    APPROVED = "approved"  # public (for staff answers: after the second editor's approval)
    REJECTED = "rejected"  # a moderator's decision, with a reason
    SPAM = "spam"  # never in the queue or the statistics
    DELETED = "deleted"  # by the writer, by erasure ("forget this person"), or gone on the platform


@dataclass(frozen=True)
class Item:
    """One contribution to the dialogue about one post."""

    id: str  # "web:<uuid4 hex>", "mastodon:<status url>", "bluesky:<at-uri>", "staff:<uuid4 hex>"
    post: str  # the post's key, e.g. "de/minus-30-grad"
    source: Source
    text: str  # plain text as written; rendering escapes it
    created: datetime  # aware, UTC
    status: Status = Status.PENDING
    author: str = ""  # the name the writer gave or their platform display name; "" shows as anonymous
    parent: str = ""  # id of the item this answers; "" answers the post
    url: str = ""  # where it lives on its platform (social replies); "" for web and staff
    handle: str = ""  # platform account (@name@instance, did/handle) for erasure and blocking; "" for web
    email: str = ""  # web only, only when the writer asked for a reply notice; never exported
    # False until the writer confirmed the address (double opt-in): no notice goes to an unconfirmed one
    email_confirmed: bool = False
    approvals: tuple[Decision, ...] = ()  # who approved, when (two for staff answers)
    decisions: tuple[Decision, ...] = ()  # every moderation step, in order (the log)

    @property
    def public(self) -> bool:
        return self.status is Status.APPROVED

    def with_status(self, status: Status, decision: Decision) -> Item:
        return replace(self, status=status, decisions=(*self.decisions, decision))

    @property
    def reported(self) -> bool:
        """A reader reported it ("Melden") and no moderator has decided since: back in the moderators' view."""
        for decision in reversed(self.decisions):
            if decision.action == REPORT:
                return True
            if decision.action in MODERATION:
                return False
        return False


# Decision actions the privacy part reads and writes (the others are the moderators').
REPORT = "report"  # a reader's notice (DSA notice-and-action): the reason is what they wrote
DELETE = "delete"  # the writer deleted their own comment with the private link
FORGET = "forget"  # an erasure request: every item of one person
# A moderator's look at an item after a report settles it (approve again, reject, remove).
MODERATION = frozenset({"approve", "reject", "spam", DELETE, FORGET})


@dataclass(frozen=True)
class Decision:
    """A moderation step: who (a team id, or "system" for spam rules and platform deletions), when, what, why."""

    by: str
    at: datetime
    action: str  # "approve", "reject", "spam", "delete", "forget", "report", "route", "escalate"
    reason: str = ""


@dataclass(frozen=True)
class Counts:
    """Reactions to a teaser on a platform: numbers only, never who."""

    replies: int = 0
    reposts: int = 0
    likes: int = 0


@dataclass(frozen=True)
class PostDialogue:
    """What the build shows under one post: approved items in thread order, and the platforms' counts."""

    post: str
    items: tuple[Item, ...] = ()
    counts: Mapping[str, Counts] = field(default_factory=dict)  # source value → counts


# The export: the one file the build reads (never committed: it holds names readers gave). Only
# public items, and of each only what the page shows: no e-mail, no handle, no decisions.


def export(dialogues: Iterable[PostDialogue], generated: datetime) -> str:
    posts: dict[str, Any] = {}
    for dialogue in dialogues:
        posts[dialogue.post] = {
            "items": [_exported(item) for item in dialogue.items if item.public],
            "counts": {source: vars(counts) for source, counts in sorted(dialogue.counts.items())},
        }
    document = {"version": EXPORT_VERSION, "generated": generated.isoformat(), "posts": posts}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _exported(item: Item) -> dict[str, str]:
    return {
        "id": item.id,
        "source": item.source.value,
        "author": item.author,
        "text": item.text,
        "created": item.created.isoformat(),
        "parent": item.parent,
        "url": item.url,
    }


class ExportError(ValueError):
    """The export file is not what `export` writes."""


def read_export(text: str) -> dict[str, PostDialogue]:
    """The export back as data, keyed by post; an ExportError names what is wrong."""
    try:
        document = json.loads(text)
        if document.get("version") != EXPORT_VERSION:
            raise ExportError(f"expected version {EXPORT_VERSION}, found {document.get('version')!r}")
        result = {}
        for post, data in document["posts"].items():
            items = tuple(
                Item(
                    id=raw["id"],
                    post=post,
                    source=Source(raw["source"]),
                    text=raw["text"],
                    created=datetime.fromisoformat(raw["created"]),
                    status=Status.APPROVED,
                    author=raw.get("author", ""),
                    parent=raw.get("parent", ""),
                    url=raw.get("url", ""),
                )
                for raw in data.get("items", [])
            )
            counts = {source: Counts(**numbers) for source, numbers in data.get("counts", {}).items()}
            result[post] = PostDialogue(post, items, counts)
        return result
    except ExportError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ExportError(str(error)) from None
