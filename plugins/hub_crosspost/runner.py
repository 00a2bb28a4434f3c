"""Exactly-once cross-posting: which post goes to which channel now, and the ledger around each request.

Rules:
- only posts the review gate publishes now; nothing at all while a freeze or the crisis switch is on;
- nothing dated before a channel's `since` (no backlog on the first run), oldest first,
  at most `max_per_run` per channel and run;
- a "pending" line is on disk before each request. It stays the last line when nobody knows
  whether the request took effect (a crash, a 5xx or a lost answer the client could not settle).
  Such an entry is sent again only where the platform makes a repeat harmless (`REPEATABLE`),
  with the same key; otherwise it waits for an editor (`invoke crosspost --resolve`);
- each post has one key per channel (`idempotency_key`), derived from post and channel and kept
  across runs: a retry after any failure reuses it, only an editor's `--resolve …=retry` (the post
  is known not to be there, or was deleted) takes the next one;
- one failing channel never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hub_core.i18n import translator

# The one type cross-posting takes from the review gate (a pure module): no teaser goes out in a freeze.
from hub_review.calendar_sections import FreezeWindow

from .channels import ChannelConfig
from .ledger import Entry, Ledger, Status
from .model import AlreadyPosted, Client, Credentials, PostError, PostInfo, Teaser, UncertainOutcome

_, ngettext = translator("hub_crosspost")

# Mastodon keeps an Idempotency-Key for one hour from the first request; stay well inside it.
IDEMPOTENCY_WINDOW = timedelta(minutes=50)
# Platforms on which a request whose outcome is unknown may be sent again with the same key,
# and for how long after its first attempt (None: for good).
REPEATABLE: dict[str, timedelta | None] = {
    "mastodon": IDEMPOTENCY_WINDOW,  # the same Idempotency-Key gets the status the first attempt made
    "bluesky": None,  # the same record key: the repository holds one record under it, getRecord finds it
}

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


def idempotency_key(post: str, channel: str, generation: int = 0) -> str:
    """The key of one post (its PostInfo.key) on one channel; `generation` counts the ledger
    lines before an editor asked for a fresh attempt (0 for every first attempt)."""
    digest = hashlib.sha256(f"{post}|{channel}|{generation}".encode()).hexdigest()
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
        note = _("feed: building the site writes the newest teasers to {path}").format(path=channel.settings["path"])
    else:
        note = _("disabled (enabled: false): a preview only")
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
        why = _why_not_repeated(channel, ledger, entry, now)
        if post is not None and not why:
            retry_pending.append((post, entry))  # same key: the platform posts it at most once
        else:
            why = why or _("a request went out but its answer never arrived, and the post is no longer published")
            run.waiting.append((key, f"{why}: {_resolve_hint(key, channel)}"))
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
        jobs += [(post, _key_for(post, channel.name, current.get((post.key, channel.name)))) for post in due]
        for done, (post, key) in enumerate(jobs, start=1):
            if not _post_one(client, channel, post, key, limit, ledger, now, compose, run):
                # The platform is in trouble (no answer, or still failing after the retries):
                # the rest waits for the next run instead of piling up more uncertain posts.
                run.later += len(jobs) - done
                break
    finally:
        client.close()
    return run


def _key_for(post: PostInfo, channel: str, entry: Entry | None) -> str:
    """The key for sending `post` now: the one of its last attempt, if any. A failed attempt may
    have reached the platform all the same (a 5xx passed on by a gateway), and only the same key
    lets the platform recognise the repeat. An editor's `--resolve …=retry` writes the next one."""
    if entry is not None and entry.idempotency_key:
        return entry.idempotency_key
    return idempotency_key(post.key, channel)


def _why_not_repeated(channel: ChannelConfig, ledger: Ledger, entry: Entry, now: datetime) -> str:
    """Why a pending entry may not be sent again by itself, or "" if it may."""
    if channel.type not in REPEATABLE:
        return _("a request went out but its answer never arrived, and the platform cannot tell a repeat")
    window = REPEATABLE[channel.type]
    if window is None:
        return ""
    # Counted from the key's first use: a repeat does not renew the platform's memory of it.
    first = min(
        (
            e.moment
            for e in ledger.entries
            if (e.post, e.channel, e.idempotency_key) == (entry.post, entry.channel, entry.idempotency_key)
        ),
        default=entry.moment,
    )
    if now - first < window:
        return ""
    minutes = int(window.total_seconds() // 60)
    return _(
        "a request went out {ago} ago but its answer never arrived, and after {minutes} minutes "
        "the platform no longer recognises a repeat"
    ).format(ago=_ago(now - first), minutes=minutes)


def _ago(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:.0f} h" if hours >= 1 else f"{span.total_seconds() / 60:.0f} min"


def _resolve_hint(key: str, channel: ChannelConfig) -> str:
    return _("check the channel, then run: invoke crosspost --resolve {post}@{channel}=posted|retry|skip").format(
        post=key, channel=channel.name
    )


def _next_step(key: str, channel: ChannelConfig) -> str:
    """What becomes of an entry whose outcome is unknown, for the run's output."""
    if channel.type not in REPEATABLE:
        return _resolve_hint(key, channel)
    window = REPEATABLE[channel.type]
    if window is None:
        return _("the next run sends it again with the same key, which the platform cannot post twice")
    return _(
        "a run within {minutes} minutes sends it again with the same key, which the "
        "platform cannot post twice; after that: {hint}"
    ).format(minutes=int(window.total_seconds() // 60), hint=_resolve_hint(key, channel))


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
        run.waiting.append((post.key, f"{error}; {_next_step(post.key, channel)}"))
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
    target, _equals, decision = spec.partition("=")
    key, _at, channel = target.rpartition("@")
    if not key or not channel or decision not in RESOLUTIONS:
        raise ValueError(_("--resolve: expected <post>@<channel>=posted|retry|skip, found '{spec}'").format(spec=spec))
    entry = ledger.current().get((key, channel))
    if entry is None:
        raise ValueError(
            _("--resolve: expected an entry for {post} on {channel} in {ledger}, found none").format(
                post=key, channel=channel, ledger=ledger.path
            )
        )
    stamp = now.isoformat(timespec="seconds")
    if editor:
        note = _("resolved by the editorial team ({editor}): {decision}").format(editor=editor, decision=decision)
    else:
        note = _("resolved by the editorial team: {decision}").format(decision=decision)
    if decision == "posted":
        resolved = Entry(key, channel, Status.POSTED, stamp, entry.idempotency_key, reason=note, teaser=entry.teaser)
    elif decision == "skip":
        resolved = Entry(key, channel, Status.SKIPPED, stamp, entry.idempotency_key, reason=note)
    else:
        # The editor says it is not there (or was deleted): a fresh key, so that no platform
        # answers the new attempt with the old post, and Bluesky creates a new record.
        generation = sum(1 for e in ledger.entries if (e.post, e.channel) == (key, channel))
        fresh = idempotency_key(key, channel, generation)
        resolved = Entry(key, channel, Status.FAILED, stamp, fresh, reason=note, retryable=True)
    ledger.append(resolved)
    return resolved
