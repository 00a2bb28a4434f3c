"""Which User-Agents are not readers: crawlers, feed fetchers, monitors.

The patterns come from crawler-user-agents (monperrus/crawler-user-agents), a list the community
keeps up to date and we pin in the locks; our own health checks are added from the settings. A log
has few distinct agents and many lines, so each agent string is judged once per run (the cache).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import crawleruseragents


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
        return not agent or agent == "-" or crawleruseragents.is_crawler(agent)
