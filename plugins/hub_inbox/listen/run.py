"""One listening run: every channel's teasers read, then the changes written to the store at once.

A channel that cannot run (no credentials, a refused login) or a teaser whose thread cannot be
read (a 5xx, a timeout, a 429 beyond the retry budget) is reported and changes nothing of its own:
merge.py judges nothing it did not read. The other channels go on. A freeze or the crisis switch
does not stop listening: it closes intake, while replies that arrive elsewhere must still be seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import httpx
from hub_crosspost.channels import ChannelConfig
from hub_crosspost.clients.bluesky import BlueskyClient
from hub_crosspost.clients.common import open_session
from hub_crosspost.http import DEFAULT_POLICY, Clock, RetryPolicy, Sleep
from hub_crosspost.ledger import Entry
from hub_crosspost.model import Credentials, PostError

from ..model import Counts, Source, Status
from ..store import Store
from .bluesky import BlueskyReader
from .mastodon import MastodonReader
from .merge import Changes, merge, total
from .thread import PLATFORMS, PostedTeaser, Thread, posted_teasers


class Reader(Protocol):
    def thread(self, teaser: PostedTeaser) -> Thread:
        """The teaser's thread; a PostError (redacted) when it cannot be read."""
        ...

    def counts(self, teaser: PostedTeaser) -> Counts:
        """Only the teaser's counts (one light request; hub_stats' daily figures); a PostError likewise."""
        ...

    def close(self) -> None: ...


OpenReader = Callable[[ChannelConfig, Credentials], Reader]
ReadCredentials = Callable[[ChannelConfig, Mapping[str, str]], Credentials]


def open_reader(
    config: ChannelConfig,
    credentials: Credentials,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Sleep = time.sleep,
    now: Clock = time.time,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> Reader:
    """The reader for `config`'s platform, on the session every crosspost client uses."""
    session = open_session(credentials, transport, policy, sleep, now)
    try:
        if config.type == "mastodon":
            return MastodonReader(config, credentials, session)
        if config.type == "bluesky":
            return BlueskyReader(BlueskyClient(config, credentials, session))
    except BaseException:
        session.close()
        raise
    session.close()
    raise ValueError(f"no reader for channel type {config.type!r}")


@dataclass
class ChannelListen:
    channel: str
    source: Source
    teasers: int = 0
    new: int = 0
    gone: int = 0
    counts: Counts = field(default_factory=Counts)  # over the teasers read
    failed: list[tuple[str, str]] = field(default_factory=list)  # (post key, why)
    error: str = ""  # the channel could not run at all

    @property
    def ok(self) -> bool:
        return not self.failed and not self.error


@dataclass
class ListenReport:
    channels: list[ChannelListen] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    @property
    def ok(self) -> bool:
        return all(run.ok for run in self.channels)


def listen(
    channels: Sequence[ChannelConfig],
    current: Mapping[tuple[str, str], Entry],
    store: Store,
    now: datetime,
    open_reader: OpenReader,
    read_credentials: ReadCredentials,
    environ: Mapping[str, str],
) -> ListenReport:
    """Read every posted teaser's thread on `channels`, and write what changed into `store`."""
    report = ListenReport()
    threads: list[Thread] = []
    unread: set[tuple[str, Source]] = set()
    for channel in channels:
        teasers = posted_teasers(current, [channel])
        if channel.type not in PLATFORMS or not channel.enabled or not teasers:
            continue
        run = ChannelListen(channel.name, PLATFORMS[channel.type], teasers=len(teasers))
        report.channels.append(run)
        read = _read_channel(channel, teasers, run, open_reader, read_credentials, environ)
        threads.extend(read)
        done = {thread.teaser for thread in read}
        unread.update((teaser.post, teaser.source) for teaser in teasers if teaser not in done)
        run.counts = total(thread.counts for thread in read)

    stored = [item for source in PLATFORMS.values() for item in store.items(source=source)]
    changes = merge(threads, unread, stored, now)
    _write(store, changes, now)
    report.changes = changes
    by_name = {run.channel: run for run in report.channels}
    for found in changes.new:
        by_name[found.channel].new += 1
    for gone in changes.gone:
        by_name[gone.channel].gone += 1
    return report


def _read_channel(
    channel: ChannelConfig,
    teasers: Iterable[PostedTeaser],
    run: ChannelListen,
    open_reader: OpenReader,
    read_credentials: ReadCredentials,
    environ: Mapping[str, str],
) -> list[Thread]:
    try:
        reader = open_reader(channel, read_credentials(channel, environ))
    except (PostError, ValueError) as error:
        run.error = str(error)
        return []
    threads = []
    try:
        for teaser in teasers:
            try:
                threads.append(reader.thread(teaser))
            except PostError as error:
                run.failed.append((teaser.post, str(error)))
    finally:
        reader.close()
    return threads


def _write(store: Store, changes: Changes, now: datetime) -> None:
    for found in changes.new:
        store.add(found.item)
    for gone in changes.gone:
        store.decide(gone.item.id, Status.DELETED, gone.decision)
    for numbers in changes.counts:
        store.set_counts(numbers.post, numbers.source, numbers.counts, now)
