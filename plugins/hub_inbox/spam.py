"""Spam defence without third parties: what a submitted comment looks like, judged by plain rules.

- honeypot: a field hidden from people (CSS and aria-hidden); a bot that fills every field fills it
- fill time: a person needs a few seconds to write; a form sent sooner after it was rendered is a bot
- rate limit per network (/24 for IPv4, /64 for IPv6: one household or office, one mobile subscriber),
  kept in this process's memory only: the address is never stored and forgotten after the window
- link limit for first-time writers (someone without an approved comment yet)
- a word list (the calendar's section provides it later; here it is a constructor argument)

Pure apart from the rate limiter's memory: the clock is passed in. A verdict says why; the intake
stores spam with Status.SPAM (or drops it) and never puts it into the queue.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Reason(StrEnum):
    """Why a submission is spam: the decision's reason in the log (English, stable, for scripts)."""

    HONEYPOT = "honeypot"
    TOO_FAST = "fill-time"
    RATE_LIMIT = "rate-limit"
    LINKS = "links"
    WORDS = "word-list"


@dataclass(frozen=True)
class Submission:
    """What the spam rules look at: the text, the hidden field, how long the form was open, who wrote before."""

    text: str
    name: str
    honeypot: str
    seconds_open: float | None  # None: the form's rendered-at time was missing or not readable
    first_time: bool  # no approved comment from this writer yet (as far as the intake can tell)


@dataclass(frozen=True)
class SpamRules:
    minimum_seconds: float = 3.0
    first_time_links: int = 1  # links a first-time writer may post; more is spam
    words: tuple[str, ...] = ()  # case-insensitive; a whole word or phrase
    per_network: int = 10  # comments per network (an office behind one address: several writers) …
    window_seconds: float = 600.0  # … in this many seconds


LINK = re.compile(r"(?i)\b(?:https?://|www\.)|\[url[=\]]|<a\s")


def links_in(text: str) -> int:
    return len(LINK.findall(text))


def verdict(submission: Submission, rules: SpamRules) -> Reason | None:
    """The first rule the submission breaks, or None (it goes into the queue); rate limits are separate."""
    if submission.honeypot.strip():
        return Reason.HONEYPOT
    if submission.seconds_open is None or submission.seconds_open < rules.minimum_seconds:
        return Reason.TOO_FAST
    if submission.first_time and links_in(submission.text) > rules.first_time_links:
        return Reason.LINKS
    if word_pattern(rules.words).search(f"{submission.name}\n{submission.text}"):
        return Reason.WORDS
    return None


def word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of `words` as a whole word or phrase, case-insensitive (also the dialogue's topic routes)."""
    terms = [re.escape(word.strip()) for word in words if word.strip()]
    if not terms:
        return re.compile(r"(?!x)x")  # matches nothing
    return re.compile(r"(?i)(?<!\w)(?:" + "|".join(terms) + r")(?!\w)")


def network_of(address: str) -> str:
    """The network a client counts against: /24 of IPv4, /64 of IPv6; an unreadable address is its own."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


@dataclass
class RateLimiter:
    """At most `limit` accepted submissions per network in a sliding window; memory only, thread-safe.

    Networks are forgotten once their window is empty, so memory holds only the last window's writers.
    """

    limit: int
    window_seconds: float
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, address: str, now: float) -> bool:
        """Count one submission from `address` at `now` (monotonic seconds); False if over the limit."""
        network = network_of(address)
        with self._lock:
            self._forget_before(now - self.window_seconds)
            times = self._seen.setdefault(network, deque())
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True

    def networks(self) -> int:
        """How many networks are remembered now (for tests: nothing outlives its window)."""
        with self._lock:
            return len(self._seen)

    def _forget_before(self, oldest: float) -> None:
        for network in list(self._seen):
            times = self._seen[network]
            while times and times[0] <= oldest:
                times.popleft()
            if not times:
                del self._seen[network]
