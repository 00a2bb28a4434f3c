"""The platforms' own counts of our teasers (replies, reposts, likes), fetched once a day.

For every teaser the cross-posting ledger records as posted, on a channel whose platform tells its
counts (Mastodon: the status's `replies_count`, `reblogs_count`, `favourites_count`; Bluesky: the
post view's `replyCount`, `repostCount`, `likeCount`), the counts are asked with the listener's
readers (hub_inbox.listen: the same clients, credentials, retries, rate-limit waits and redaction)
and kept as the day's PlatformDay (store.py): running totals per post and channel as fetched that
day. The day is the UTC day of the run, like the page views' day files.

What cannot be fetched keeps what it had: a channel that hits a rate limit beyond the retry budget,
a 5xx or a timeout is not asked further in this run (the platform said "not now" for all of its
teasers), and a teaser that fails alone (deleted on the platform) is left out. Their numbers in
today's file stay as an earlier run of the same day fetched them; nothing is carried over from
another day, so a day's file says only what was seen that day. A second run on the same day
replaces what it fetched anew.

Channels whose platform gives no counts (a feed, a chat webhook; X and LinkedIn only with read
access Hub does not ask for) and disabled channels are skipped, and the report says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hub_core.i18n import N_, translator
from hub_crosspost.channels import ChannelConfig
from hub_crosspost.clients import credentials_from_env
from hub_crosspost.ledger import Entry
from hub_crosspost.ledger import Status as LedgerStatus
from hub_crosspost.model import PostError, TransientError
from hub_inbox.listen.run import OpenReader, ReadCredentials, open_reader
from hub_inbox.listen.thread import PLATFORMS, PostedTeaser, posted_teasers
from hub_inbox.model import Counts

from .model import PlatformDay, Reactions
from .store import FiguresStore

_, ngettext = translator("hub_stats")

# Why a channel type's counts are not fetched, for the report.
WITHOUT_COUNTS = {
    "feed": N_("a feed has no counts"),
    "webhook": N_("a chat message has no public counts"),
    "x": N_("X gives counts only with paid read access, which Hub does not use"),
    "linkedin": N_(
        "LinkedIn gives counts only with read access to the company page's posts, which Hub does not ask for"
    ),
}
NO_COUNTS = N_("no counts are read for channels of type {type}")


@dataclass
class ChannelCounts:
    """One channel's part of a run."""

    channel: str
    type: str
    teasers: int = 0  # posted, per the ledger
    fetched: int = 0
    reactions: Reactions = field(default_factory=Reactions)  # summed over the fetched teasers
    failed: list[tuple[str, str]] = field(default_factory=list)  # (post key, why), redacted
    not_asked: int = 0  # teasers left alone after a rate limit, a 5xx or a timeout
    error: str = ""  # the channel could not run at all (credentials)
    skipped: str = ""  # why its counts are not fetched (in the language of the moment)

    @property
    def wanted(self) -> int:
        return 0 if self.skipped else self.teasers

    @property
    def ok(self) -> bool:
        return self.fetched == self.wanted


@dataclass
class PlatformReport:
    day: date
    channels: list[ChannelCounts] = field(default_factory=list)
    kept: int = 0  # numbers of an earlier run today kept for teasers that could not be fetched now
    saved: bool = False  # the day's file was written

    @property
    def wanted(self) -> int:
        return sum(run.wanted for run in self.channels)

    @property
    def fetched(self) -> int:
        return sum(run.fetched for run in self.channels)

    @property
    def complete(self) -> bool:
        return all(run.ok for run in self.channels)

    @property
    def failed(self) -> bool:
        """Nothing could be fetched although there were teasers to ask about: the run failed.
        A partial run is no failure: what it fetched is kept, the report names the rest."""
        return self.wanted > 0 and self.fetched == 0


def fetch_platform_day(
    channels: Sequence[ChannelConfig],
    current: Mapping[tuple[str, str], Entry],
    store: FiguresStore,
    now: datetime,
    environ: Mapping[str, str],
    *,
    open_reader: OpenReader = open_reader,
    read_credentials: ReadCredentials = credentials_from_env,
) -> PlatformReport:
    """Fetch the counts of every posted teaser in `current` (the ledger's latest entry per post and
    channel) on `channels` (the calendar's), and save them as the day of `now` in `store`."""
    report = PlatformReport(now.astimezone(UTC).date())
    fetched: dict[tuple[str, str], Reactions] = {}
    missing: set[tuple[str, str]] = set()
    posted = Counter(name for (_post, name), entry in current.items() if entry.status is LedgerStatus.POSTED)
    for channel in channels:
        run = ChannelCounts(channel.name, channel.type, teasers=posted[channel.name])
        report.channels.append(run)
        if channel.type not in PLATFORMS:
            run.skipped = _(WITHOUT_COUNTS.get(channel.type, NO_COUNTS)).format(type=channel.type)
            continue
        if not channel.enabled:
            run.skipped = _("the channel is switched off in the calendar (enabled: false)")
            continue
        teasers = posted_teasers(current, [channel])
        run.teasers = len(teasers)
        for teaser, reactions in _fetch_channel(channel, teasers, run, open_reader, read_credentials, environ):
            if reactions is None:
                missing.add((teaser.post, teaser.channel))
            else:
                fetched[(teaser.post, teaser.channel)] = reactions
    known = {channel.name for channel in channels}
    for name in sorted(set(posted) - known):
        skipped = _("the channel is no longer in the calendar's channels")
        report.channels.append(ChannelCounts(name, "", teasers=posted[name], skipped=skipped))

    if fetched:
        day, report.kept = _snapshot(report.day, fetched, missing, store.platform_day(report.day))
        store.save_platform_day(day)
        report.saved = True
    return report


def _fetch_channel(
    channel: ChannelConfig,
    teasers: Sequence[PostedTeaser],
    run: ChannelCounts,
    open_reader: OpenReader,
    read_credentials: ReadCredentials,
    environ: Mapping[str, str],
) -> list[tuple[PostedTeaser, Reactions | None]]:
    """Each teaser with its counts, or None where they could not be fetched."""
    if not teasers:
        return []
    try:
        reader = open_reader(channel, read_credentials(channel, environ))
    except (PostError, ValueError) as error:
        run.error = str(error)
        return [(teaser, None) for teaser in teasers]
    results: list[tuple[PostedTeaser, Reactions | None]] = []
    try:
        for index, teaser in enumerate(teasers):
            try:
                counts = reader.counts(teaser)
            except TransientError as error:
                # A rate limit beyond the retry budget, a 5xx or a timeout after the retries: the
                # platform says "not now", for this channel's other teasers too. Ask again tomorrow.
                run.failed.append((teaser.post, str(error)))
                run.not_asked = len(teasers) - index - 1
                results.extend((later, None) for later in teasers[index:])
                break
            except PostError as error:  # this teaser alone: deleted on the platform, unreadable
                run.failed.append((teaser.post, str(error)))
                results.append((teaser, None))
                continue
            reactions = _reactions(counts)
            results.append((teaser, reactions))
            run.fetched += 1
            run.reactions = _added(run.reactions, reactions)
    finally:
        reader.close()
    return results


def _snapshot(
    day: date,
    fetched: Mapping[tuple[str, str], Reactions],
    missing: set[tuple[str, str]],
    earlier: PlatformDay | None,
) -> tuple[PlatformDay, int]:
    """The day's counts: what was fetched now, plus what an earlier run today fetched for the
    teasers that could not be fetched now; and how many of those were kept."""
    posts: dict[str, dict[str, Reactions]] = {}
    for (post, channel), reactions in fetched.items():
        posts.setdefault(post, {})[channel] = reactions
    kept = 0
    for post, channels in (earlier.posts if earlier else {}).items():
        for channel, reactions in channels.items():
            if (post, channel) in missing:
                posts.setdefault(post, {})[channel] = reactions
                kept += 1
    return PlatformDay(day, posts), kept


def _reactions(counts: Counts) -> Reactions:
    return Reactions(replies=counts.replies, reposts=counts.reposts, likes=counts.likes)


def _added(one: Reactions, other: Reactions) -> Reactions:
    return Reactions(one.replies + other.replies, one.reposts + other.reposts, one.likes + other.likes)
