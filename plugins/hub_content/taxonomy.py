"""Categories and tags written almost alike: one listing meant, two made.

Pelican makes a category or tag page per spelling, so "Technik und Labor" beside "Technik & Labor"
(or "prüfstand" beside "Prüfstand", "Pruefstand") splits one topic into two listings and feeds.
Pure: checked content items in, findings out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

from hub_core.i18n import translator

from .model import ContentItem

_, ngettext = translator("hub_content")

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def same_topic_key(name: str) -> str:
    """What two spellings of one category or tag have in common: case, '&'/'und', umlauts, spacing."""
    folded = name.casefold().translate(UMLAUTS).replace("&", " und ").replace("+", " und ")
    return NOT_ALPHANUMERIC.sub(" ", folded).strip()


Report = Callable[[ContentItem, str, str], None]


def near_duplicates(items: Sequence[ContentItem], report: Report) -> None:
    """Report every item whose category or tag is a rarer spelling of another item's."""
    _check(items, "category", lambda item: [item.category] if item.category else [], report)
    _check(items, "tags", lambda item: item.tags, report)


def _check(
    items: Sequence[ContentItem], field: str, names_of: Callable[[ContentItem], Iterable[str]], report: Report
) -> None:
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        for name in names_of(item):
            spellings[same_topic_key(name)][name] += 1
    # The spelling most posts use is the existing one; on a tie, the first in sort order.
    usual = {key: min(counts, key=lambda name: (-counts[name], name)) for key, counts in spellings.items()}
    for item in items:
        for name in names_of(item):
            key = same_topic_key(name)
            existing = usual[key]
            if name != existing:
                count = spellings[key][existing]
                if field == "category":
                    message = ngettext(
                        "expected the category as the site writes it, '{existing}' ({count} post), found '{name}':"
                        " a second spelling makes a second category page",
                        "expected the category as the site writes it, '{existing}' ({count} posts), found '{name}':"
                        " a second spelling makes a second category page",
                        count,
                    )
                else:
                    message = ngettext(
                        "expected the tag as the site writes it, '{existing}' ({count} post), found '{name}':"
                        " a second spelling makes a second tag page",
                        "expected the tag as the site writes it, '{existing}' ({count} posts), found '{name}':"
                        " a second spelling makes a second tag page",
                        count,
                    )
                report(item, field, message.format(existing=existing, count=count, name=name))
