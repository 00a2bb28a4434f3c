"""Counting: Hits in, one DayFigures per day (UTC) out.

Each request lands in exactly one place: a view, or `filtered[reason]` (feed fetches included,
they are `filtered["feed"]` besides `feeds`), so views plus filtered requests are every request
that was read. The order of the questions decides the reason:

1. our own health check: never counted anywhere;
2. a feed fetched (GET, 2xx or 304: a reader asking whether something is new is a fetch), by
   anyone (feed readers are bots), with the subscribers the reader reports;
3. a bot;
4. a prefetch or prerender (nobody has read the page yet);
5. not GET (HEAD, POST, ...);
6. not 2xx (a 404 of a person also goes to `not_found`: a broken link someone followed);
7. not an HTML page (styles, images, downloads, the search index, the comment inbox).

What is left is a view of a page by a person, with the channel of its `utm_source` and the host
that referred it. Only counters are kept, so memory grows with the distinct addresses, channels and
hosts, never with the lines.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date

from .judge import ASSET, BOT, FEED, FEED_FETCH, HEALTH, METHOD, NEVER, PAGE, PREFETCH, STATUS, Judge
from .model import DayFigures, Hit


class Tally:
    """The figures of one log file, by day."""

    def __init__(self, judge: Judge) -> None:
        self.judge = judge
        self.days: dict[date, DayFigures] = {}
        self._current: DayFigures | None = None
        self._pending_malformed = 0  # broken lines before the first readable one

    def add(self, hit: Hit) -> None:
        judge = self.judge
        at = hit.at
        day = at.date() if at.tzinfo is UTC else at.astimezone(UTC).date()
        figures = self.days.get(day)
        if figures is None:
            figures = self.days[day] = DayFigures(day)
            figures.malformed += self._pending_malformed
            self._pending_malformed = 0
        self._current = figures

        kind, path = judge.address(hit.path)
        method, status = hit.method, hit.status
        who = judge.who(hit.agent)
        if who == HEALTH:
            figures.filtered[HEALTH] += 1
            return
        if kind == FEED and method == "GET" and (200 <= status < 300 or status == 304):
            figures.feeds[path] += 1
            figures.filtered[FEED_FETCH] += 1
            if hit.agent:
                self._subscribers(figures, path, hit.agent)
            return
        if who is not None:
            reason: str | None = BOT
        elif hit.purpose and judge.prefetch(hit.purpose):
            reason = PREFETCH
        elif method != "GET":
            reason = METHOD
        elif not 200 <= status < 300:
            reason = STATUS
            if status == 404:
                figures.not_found[path] += 1
        elif hit.content_type and hit.content_type != "-":
            html = kind != NEVER and kind != FEED and hit.content_type.lower().startswith("text/html")
            reason = None if html else ASSET
        else:
            reason = None if kind == PAGE else ASSET
        if reason is not None:
            figures.filtered[reason] += 1
            return

        figures.views[path] += 1
        if hit.query:
            channel = judge.channel(hit.query)
            if channel:
                paths = figures.channels.get(channel)
                if paths is None:
                    paths = figures.channels[channel] = Counter()
                paths[path] += 1
        if hit.referrer:
            host = judge.referrer(hit.referrer)
            if host:
                figures.referrers[host] += 1

    def _subscribers(self, figures: DayFigures, feed: str, agent: str) -> None:
        reported = self.judge.subscription(agent)
        if reported is None:
            return
        service, count = reported
        services = figures.subscribers.setdefault(feed, {})
        if count > services.get(service, 0):
            services[service] = count

    def malformed(self) -> None:
        """A line that could not be read: counted on the day of the line before it (its own time is
        what could not be read), or of the first readable line after it."""
        if self._current is None:
            self._pending_malformed += 1
        else:
            self._current.malformed += 1

    @property
    def unplaced_malformed(self) -> int:
        """Broken lines of a file that has no readable line at all: no day to count them on."""
        return self._pending_malformed

    def figures(self) -> tuple[DayFigures, ...]:
        return tuple(self.days[day] for day in sorted(self.days))
