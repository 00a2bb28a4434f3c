"""Exactly-once cross-posting: which post goes to which channel now, and the ledger around each request.

Rules:
- only posts the review gate publishes now; nothing at all while a freeze or the crisis switch is on;
- nothing dated before a channel's `since` (no backlog on the first run), oldest first,
  at most `max_per_run` per channel and run;
- a "pending" line is on disk before each request; a pending entry found later is retried only
  where the platform deduplicates (Mastodon's Idempotency-Key, within its hour), otherwise it waits
  for an editor (`invoke crosspost --resolve`);
- one failing channel never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from content_model.channels import ChannelConfig
from content_model.editorial import FreezeWindow

from .ledger import Entry, Ledger, Status
from .model import AlreadyPosted, Client, Credentials, PostError, PostInfo, Teaser, UncertainOutcome

# Mastodon keeps an Idempotency-Key for one hour; stay well inside it.
IDEMPOTENCY_WINDOW = timedelta(minutes=50)
DEDUPLICATING_TYPES = ("mastodon",)

Compose = Callable[[PostInfo, ChannelConfig, int], Teaser]
MakeClient = Callable[[ChannelConfig, Credentials], Client]
ReadCredentials = Callable[[ChannelConfig, Mapping[str, str]], Credentials]


@dataclass(frozen=True)
class Services:
    """What a run needs from outside: teaser composition, clients, credentials (passed in, so tests
    and the dry run can use the real ones against local servers)."""

    compose: Compose
    make_client: MakeClient
    read_credentials: ReadCredentials
    environ: Mapping[str, str]


@dataclass
class ChannelRun:
    channel: str
    posted: list[tuple[str, str]] = field(default_factory=list)  # (post key, url)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (post key, error)
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (post key, why an editor must look)
    planned: list[Teaser] = field(default_factory=list)  # dry run: what would be sent
    planned_posts: list[PostInfo] = field(default_factory=list)
    later: int = 0  # due but over max_per_run: next run
    error: str = ""  # the channel could not run at all (e.g. missing credentials)
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.error and not self.waiting


@dataclass
class RunReport:
    stopped: FreezeWindow | None = None
    channels: list[ChannelRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(run.ok for run in self.channels)


def idempotency_key(post: PostInfo, channel: str, generation: int = 0) -> str:
    digest = hashlib.sha256(f"{post.key}|{channel}|{generation}".encode()).hexdigest()
    return digest[:32]


def due_posts(
    channel: ChannelConfig, posts: Sequence[PostInfo], current: Mapping[tuple[str, str], Entry]
) -> list[PostInfo]:
    """Posts this channel has not had yet, oldest first (before `max_per_run`)."""
    result = []
    for post in sorted(posts, key=lambda p: (p.date, p.key)):
        if channel.since is not None and post.date < channel.since:
            continue
        if channel.language and post.lang != channel.language:
            continue
        entry = current.get((post.key, channel.name))
        if entry is None or (entry.status is Status.FAILED and entry.retryable):
            result.append(post)
    return result


def run_channels(
    channels: Sequence[ChannelConfig],
    posts: Sequence[PostInfo],
    ledger: Ledger,
    now: datetime,
    services: Services,
    *,
    stop: FreezeWindow | None = None,
    dry_run: bool = False,
) -> RunReport:
    report = RunReport(stopped=stop)
    if stop is not None:
        return report  # a freeze or the crisis switch: nothing goes out, not even retries
    for channel in channels:
        if dry_run and (not channel.enabled or channel.type == "feed"):
            report.channels.append(_preview_only(channel, posts, services.compose))
            continue
        if not channel.enabled or channel.type == "feed":
            continue  # feed channels are written by the build, as part of the site
        report.channels.append(_run_channel(channel, posts, ledger, now, services, dry_run))
    return report


def _preview_only(channel: ChannelConfig, posts: Sequence[PostInfo], compose: Compose) -> ChannelRun:
    """Dry run of a channel that `invoke crosspost` does not post to: what it would carry."""
    if channel.type == "feed":
        note = f"feed: the build writes the newest teasers to {channel.settings['path']}"
    else:
        note = "disabled (enabled: false): a preview only"
    run = ChannelRun(channel.name, note=note)
    eligible = [p for p in due_posts(channel, posts, {})]
    for post in eligible[-channel.max_per_run :]:
        run.planned.append(compose(post, channel, channel.limit))
        run.planned_posts.append(post)
    return run


def _run_channel(
    channel: ChannelConfig,
    posts: Sequence[PostInfo],
    ledger: Ledger,
    now: datetime,
    services: Services,
    dry_run: bool,
) -> ChannelRun:
    compose = services.compose
    run = ChannelRun(channel.name)
    current = ledger.current()
    by_key = {post.key: post for post in posts}
    retry_pending: list[tuple[PostInfo, Entry]] = []
    for (key, name), entry in current.items():
        if name != channel.name or entry.status is not Status.PENDING:
            continue
        post = by_key.get(key)
        if post is not None and channel.type in DEDUPLICATING_TYPES and now - entry.moment < IDEMPOTENCY_WINDOW:
            retry_pending.append((post, entry))  # same Idempotency-Key: the platform posts it at most once
        else:
            run.waiting.append(
                (
                    key,
                    "a request went out but its answer never arrived: check the channel, then "
                    f"invoke crosspost --resolve {key}@{channel.name}=posted|retry|skip",
                )
            )
    due = due_posts(channel, posts, current)
    room = max(0, channel.max_per_run - len(retry_pending))
    run.later = max(0, len(due) - room)
    due = due[:room]
    if dry_run:
        for post in [p for p, _ in retry_pending] + due:
            teaser = compose(post, channel, channel.limit)
            run.planned.append(teaser)
            run.planned_posts.append(post)
        return run
    if not due and not retry_pending:
        return run
    try:
        client = services.make_client(channel, services.read_credentials(channel, services.environ))
    except PostError as error:
        run.error = str(error)
        return run
    try:
        limit = client.limit()
        jobs = [(post, entry.idempotency_key) for post, entry in retry_pending]
        jobs += [(post, _fresh_key(post, channel.name, current)) for post in due]
        for done, (post, key) in enumerate(jobs, start=1):
            if not _post_one(client, channel, post, key, limit, ledger, now, compose, run):
                # The platform is in trouble (no answer, or still failing after the retries):
                # the rest waits for the next run instead of piling up more uncertain posts.
                run.later += len(jobs) - done
                break
    finally:
        client.close()
    return run


def _fresh_key(post: PostInfo, channel: str, current: Mapping[tuple[str, str], Entry]) -> str:
    """A new key for a post never sent, or one whose earlier attempt is known to have failed."""
    earlier = sum(1 for entry in current.values() if entry.post == post.key and entry.channel == channel)
    return idempotency_key(post, channel, earlier)


def _post_one(
    client: Client,
    channel: ChannelConfig,
    post: PostInfo,
    key: str,
    limit: int,
    ledger: Ledger,
    now: datetime,
    compose: Compose,
    run: ChannelRun,
) -> bool:
    """Post one teaser with its ledger lines; False if the channel should stop for this run."""
    stamp = now.isoformat(timespec="seconds")
    try:
        teaser = compose(post, channel, limit)
    except ValueError as error:  # the teaser cannot fit: nothing was sent
        ledger.append(Entry(post.key, channel.name, Status.FAILED, stamp, key, error=str(error)))
        run.failed.append((post.key, str(error)))
        return True
    ledger.append(Entry(post.key, channel.name, Status.PENDING, stamp, key, teaser=teaser.text))
    try:
        posted = client.post(teaser, post, idempotency_key=key)
    except AlreadyPosted as error:
        ledger.append(Entry(post.key, channel.name, Status.POSTED, stamp, key, reason=str(error), teaser=teaser.text))
        run.posted.append((post.key, ""))
        return True
    except UncertainOutcome as error:
        # Leave the pending line: the next run retries with the same key or asks an editor.
        run.waiting.append((post.key, str(error)))
        return False
    except PostError as error:
        ledger.append(
            Entry(post.key, channel.name, Status.FAILED, stamp, key, error=str(error), retryable=error.retryable)
        )
        run.failed.append((post.key, str(error)))
        return not error.retryable
    else:
        ledger.append(
            Entry(post.key, channel.name, Status.POSTED, stamp, key, posted.remote_id, posted.url, teaser=teaser.text)
        )
        run.posted.append((post.key, posted.url))
        return True


RESOLUTIONS = ("posted", "retry", "skip")


def resolve(ledger: Ledger, spec: str, now: datetime, editor: str = "") -> Entry:
    """`<post key>@<channel>=posted|retry|skip`: an editor settles an uncertain or failed entry."""
    target, _, decision = spec.partition("=")
    key, _, channel = target.rpartition("@")
    if not key or not channel or decision not in RESOLUTIONS:
        raise ValueError(f"expected <post>@<channel>=posted|retry|skip, found '{spec}'")
    entry = ledger.current().get((key, channel))
    if entry is None:
        raise ValueError(f"expected an entry for {key} on {channel} in {ledger.path}, found none")
    stamp = now.isoformat(timespec="seconds")
    note = f"resolved by an editor{f' ({editor})' if editor else ''}: {decision}"
    if decision == "posted":
        resolved = Entry(key, channel, Status.POSTED, stamp, entry.idempotency_key, reason=note, teaser=entry.teaser)
    elif decision == "skip":
        resolved = Entry(key, channel, Status.SKIPPED, stamp, entry.idempotency_key, reason=note)
    else:
        resolved = Entry(key, channel, Status.FAILED, stamp, entry.idempotency_key, reason=note, retryable=True)
    ledger.append(resolved)
    return resolved
