"""Which parts of a paginated list a page's templates read, from how they use its names (uses.py).

Pelican hands a paginated template, for each list `x` it paginates (`articles`, `dates`), the names
`x` (the whole list), `x_page` (this page: its number and posts), `x_paginator` (the numbers of the
whole listing), `x_previous_page` and `x_next_page`. A template that reads `x_page.object_list`,
`x_paginator.num_pages`, `x_next_page.url` and `x|length` shows this page's posts and a few numbers;
one that loops over `x`, prints `x_paginator` or calls `x_paginator.page(3)` may show any post. The
writer keys a page by the first kind's parts and by the whole list for the second.
"""

from __future__ import annotations

from collections.abc import Mapping

from .uses import live_uses

WHOLE = "whole"  # the list itself
PAGE = "page"  # this page
PAGINATOR = "paginator"
NEIGHBOUR = "neighbour"  # the previous or next page
ROLE_SUFFIXES = (("_page", PAGE), ("_paginator", PAGINATOR), ("_previous_page", NEIGHBOUR), ("_next_page", NEIGHBOUR))

# What the page key covers of each (see PageKey in writer.py): the numbers of the paginator, the
# names and URLs of a page, and this page's posts. Every other attribute or method is `other`.
_NUMBERS = ("num_pages", "count", "per_page", "orphans", "page_range", "name", "url")
_PAGE_FACTS = frozenset(
    {f"attr:{a}" for a in ("number", "url", "save_as", "base_url", "name", "full_name", "base_name", "extension")}
    | {
        f"call:{m}"
        for m in (
            "has_next",
            "has_previous",
            "has_other_pages",
            "next_page_number",
            "previous_page_number",
            "start_index",
            "end_index",
        )
    }
    | {f"attr:paginator.{a}" for a in _NUMBERS}
)
ALLOWED = {
    WHOLE: frozenset({"bool", "defined", "length"}),
    PAGE: _PAGE_FACTS | {"bool", "defined", "attr:object_list"},
    PAGINATOR: frozenset({f"attr:{a}" for a in _NUMBERS} | {"bool", "defined"}),
    NEIGHBOUR: _PAGE_FACTS | {"bool", "defined"},
}


def family(prefix: str) -> dict[str, str]:
    """The names Pelican gives a paginated list `prefix`, with their roles."""
    return {prefix: WHOLE, **{prefix + suffix: role for suffix, role in ROLE_SUFFIXES}}


def true_pages(prefixes: frozenset[str], uses: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The `x_page` names known to be true (a Pelican Page always is) and never assigned in a template."""
    return frozenset(f"{p}_page" for p in prefixes if "stored" not in uses.get(f"{p}_page", ()))


def read_parts(prefix: str, uses: Mapping[str, frozenset[str]], true_names: frozenset[str]) -> dict[str, str] | None:
    """The names of the list `prefix` the templates read (name -> role), if each is read only in ways
    the page key covers; None when one is read otherwise (then the page depends on the whole list)."""
    read = {}
    for name, role in family(prefix).items():
        live = live_uses(uses.get(name, ()), true_names)
        if not live:
            continue
        if not live <= ALLOWED[role]:
            return None
        read[name] = role
    return read
