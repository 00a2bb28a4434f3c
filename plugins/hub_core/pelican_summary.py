"""Pelican's last line ("Done: Processed 19 articles, … in 0.82 seconds.") in the team's language.

Pelican prints it with its console, outside the log, in English; it is the line an author reads
after every build and every preview rebuild. `in_language` turns it into ours; build_log.main puts a
console in front of Pelican's that passes every other line through unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from .i18n import SOURCE_LANGUAGE, language, translator

_, ngettext = translator("hub_core")

DONE = re.compile(
    r"^Done: Processed (?P<articles>\d+) articles?, (?P<drafts>\d+) drafts?, (?P<hidden_articles>\d+) hidden articles?,"
    r" (?P<pages>\d+) pages?, (?P<hidden_pages>\d+) hidden pages? and (?P<draft_pages>\d+) draft pages?"
    r" in (?P<seconds>\d+(?:\.\d+)?) seconds\.$"
)


def in_language(line: str) -> str:
    """Pelican's summary in the chosen language; any other line as it is."""
    found = DONE.match(line.strip())
    if found is None or language() == SOURCE_LANGUAGE:
        return line
    n = {key: int(value) for key, value in found.groupdict().items() if key != "seconds"}
    seconds = found["seconds"].replace(".", ",")
    parts = [
        ngettext("{count} post", "{count} posts", n["articles"]).format(count=n["articles"]),
        ngettext("{count} draft", "{count} drafts", n["drafts"]).format(count=n["drafts"]),
        ngettext("{count} hidden post", "{count} hidden posts", n["hidden_articles"]).format(
            count=n["hidden_articles"]
        ),
        ngettext("{count} page", "{count} pages", n["pages"]).format(count=n["pages"]),
        ngettext("{count} hidden page", "{count} hidden pages", n["hidden_pages"]).format(count=n["hidden_pages"]),
        ngettext("{count} draft page", "{count} draft pages", n["draft_pages"]).format(count=n["draft_pages"]),
    ]
    return _("Done: {parts} and {last} processed in {seconds} seconds.").format(
        parts=", ".join(parts[:-1]), last=parts[-1], seconds=seconds
    )


class TranslatingConsole:
    """Pelican's rich console, with its summary line in the chosen language."""

    def __init__(self, console: Any) -> None:
        self._console = console

    def print(self, *objects: Any, **kwargs: Any) -> None:
        shown = [in_language(item) if isinstance(item, str) else item for item in objects]
        self._console.print(*shown, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._console, name)
