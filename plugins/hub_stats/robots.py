"""Which User-Agents are not readers: crawlers, feed fetchers, monitors.

The patterns come from crawler-user-agents (monperrus/crawler-user-agents), a list the community
keeps up to date and we pin in the locks; our own health checks are added from the settings. A log
has few distinct agents and many lines, so each agent string is judged once per run (the cache).

Its 1,500 patterns, tried as the list does (re.search, case-sensitive), cost a fifth of a
millisecond per agent, and a month of a busy blog has tens of thousands of distinct agents (phones,
app builds, Mastodon instances). So Crawlers tries only the patterns that can match: nearly every
pattern needs some text of its own in the agent ("Googlebot/", "rushBot"), and a pattern whose text
is not in the agent cannot match it. The few patterns without such a text are always tried. Same
verdicts as the list's `is_crawler` (tests/hub_stats/test_robots.py holds them to it), in a
twentieth of the time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache

import crawleruseragents

NEEDLE = 3  # a pattern's required text must be at least this long to filter by; shorter: always tried


class Robots:
    def __init__(self, health_agents: Iterable[str] = ()) -> None:
        parts = [re.escape(part) for part in health_agents if part]
        self._health = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        self.is_health_check = lru_cache(maxsize=65536)(self._is_health_check)
        self.is_bot = lru_cache(maxsize=65536)(self._is_bot)

    def _is_health_check(self, agent: str) -> bool:
        return bool(self._health and self._health.search(agent))

    @staticmethod
    def _is_bot(agent: str) -> bool:
        # No agent at all is a script, not a browser.
        if not agent or agent == "-":
            return True
        return crawlers().match(agent)


class Crawlers:
    """`patterns` tried on an agent, each only if the text it needs is there (and compiled when it
    is first tried: most never are)."""

    def __init__(self, patterns: Sequence[str]) -> None:
        by_start: dict[str, list[tuple[str, str]]] = {}
        always = []
        for pattern in patterns:
            needed = required_text(pattern)
            if len(needed) >= NEEDLE:
                by_start.setdefault(needed[:NEEDLE], []).append((needed, pattern))
            else:
                always.append(f"(?:{pattern})")
        self._by_start = by_start
        self._starts = frozenset(by_start)
        self._always = re.compile("|".join(always)).search if always else None
        self._compiled: dict[str, Callable[[str], object]] = {}

    def match(self, agent: str) -> bool:
        """Whether any pattern matches `agent` somewhere."""
        starts = self._starts.intersection([agent[i : i + NEEDLE] for i in range(len(agent) - NEEDLE + 1)])
        for start in starts:
            for needed, pattern in self._by_start[start]:
                if needed in agent and self._search(pattern)(agent):
                    return True
        return self._always is not None and self._always(agent) is not None

    def _search(self, pattern: str) -> Callable[[str], object]:
        search = self._compiled.get(pattern)
        if search is None:
            search = self._compiled[pattern] = re.compile(pattern).search
        return search


def required_text(pattern: str) -> str:
    """The longest run of plain characters that every match of `pattern` contains: a run of its
    top-level sequence, outside groups, classes and alternatives; '' if none is certain (a top-level
    `|`, inline flags). Conservative wherever in doubt: a character before a quantifier, an escape
    of a letter or digit (`\\d`, `\\x41`), anything in brackets ends the run."""
    if pattern.startswith("(?") and not pattern.startswith(("(?:", "(?=", "(?!", "(?<")):
        return ""  # global flags: (?i) would make the text case-insensitive
    best, run, depth, index = "", "", 0, 0
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char == "\\" and index < len(pattern):
            escaped = pattern[index]
            index += 1
            if depth == 0 and not escaped.isalnum():
                run += escaped
                continue
        elif char == "[":  # a class: skip to its end ("[]…]" and "[^]…]" hold a literal "]")
            index += 1 if pattern.startswith("^", index) else 0
            index += 1 if pattern.startswith("]", index) else 0
            while index < len(pattern) and pattern[index] != "]":
                index += 2 if pattern[index] == "\\" else 1
            index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "|" and depth == 0:
            return ""  # alternatives at the top: no text is needed by all
        elif char in "*?{":
            run = run[:-1]  # the quantified character may be absent
        elif char == "+":
            pass  # present, maybe repeated: what follows is not right after it
        elif char not in ".^$|" and depth == 0:
            run += char
            continue
        best, run = max(best, run, key=len), ""
    return max(best, run, key=len)


@cache
def crawlers() -> Crawlers:
    """The maintained list, compiled once per process (a forked worker inherits it)."""
    return Crawlers([entry["pattern"] for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA])
