"""Plain data shared by teaser composition, the platform clients and the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class PostInfo:
    """What a published post offers for teasers (built from the review gate's result)."""

    key: str  # stable id in the ledger: "<lang>/<slug>"
    title: str
    url: str  # absolute URL of the post, without tracking parameters
    date: datetime
    lang: str = "de"
    teaser: str | dict[str, str] | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()  # team ids
    author_names: tuple[str, ...] = ()
    # Per author: accounts by channel name or type ({author} shows the handle where there is one).
    author_handles: tuple[dict[str, str], ...] = ()
    sponsored_label: str | None = None  # set for sponsored posts
    image: Path | None = None  # absolute path of the header image (thumbnail for link cards)
    image_alt: str = ""


@dataclass(frozen=True)
class Teaser:
    """The text one channel gets for one post, already fitted to the platform's limit."""

    channel: str
    text: str
    link: str  # the post URL with UTM parameters, as it appears in `text`
    length: int  # as the platform counts it
    limit: int
    shortened: bool = False
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Posted:
    remote_id: str
    url: str = ""


class PostError(Exception):
    """A platform refused or failed; the message is safe to print (secrets redacted)."""

    retryable = False


class TransientError(PostError):
    """429, 5xx or a connection problem before the request was sent: safe to try again."""

    retryable = True


class UncertainOutcome(PostError):
    """The request may have reached the platform (e.g. a read timeout after sending):
    posting again could post twice."""


class AlreadyPosted(PostError):
    """The platform says it has this post already (X's duplicate-content refusal)."""


@dataclass(frozen=True)
class Credentials:
    """Secrets read from the environment for one channel; never printed."""

    values: dict[str, str] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def secrets(self) -> tuple[str, ...]:
        return tuple(v for v in self.values.values() if v)


class Client(Protocol):
    """One platform account. Built by `clients.make_client(config, credentials, ...)`."""

    def limit(self) -> int:
        """The length limit as the platform counts it (Mastodon asks its instance, once)."""
        ...

    def post(self, teaser: Teaser, post: PostInfo, *, idempotency_key: str) -> Posted:
        """Publish `teaser`; raise a PostError subclass on failure (after the retry policy)."""
        ...

    def close(self) -> None: ...
