"""Which old addresses send readers where, from the record and this build's pages (pure).

Rules:
- Every old address of a post or page points straight to where it lives now: a chain of changes
  (A, then B, then C) gives A → C and B → C, never A → B → C.
- Only a post or page that this build writes is a target: a deleted or withdrawn post is not
  silently replaced by a redirect, its old addresses simply end.
- A redirect never takes the place of a live page: an old address that a page of this build
  uses again (the post got its old slug back, another post took it) stays that page.
- An editor's redirect (`redirects:` in the record) may point to any page of this build, also to
  an old address (it then follows on to the new one); one whose target is no page is left out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .record import UrlRecord


@dataclass(frozen=True)
class Target:
    """Where a post or page lives in this build."""

    url: str
    lang: str


@dataclass(frozen=True)
class Redirect:
    old_url: str
    save_as: str  # the file written at the old address
    new_url: str
    lang: str  # of the page it points to: the language of the redirect page's text


class Skip(StrEnum):
    LIVE_PAGE = "live page"  # the old address is a page of this build
    NO_TARGET = "no target"  # an editor's redirect to an address no page of this build has
    CYCLE = "cycle"  # editors' redirects pointing at each other


@dataclass(frozen=True)
class Skipped:
    old_url: str
    new_url: str
    reason: Skip


@dataclass(frozen=True)
class RedirectPlan:
    redirects: tuple[Redirect, ...]
    skipped: tuple[Skipped, ...]


def file_of(url: str) -> str:
    """The file a static server answers `url` with: `a/b/` → `a/b/index.html`, `a.html` → itself."""
    url = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if not url or url.endswith("/"):
        return f"{url}index.html"
    if url.rsplit("/", 1)[-1].lower().endswith((".html", ".htm")):
        return url
    return f"{url}/index.html"


def plan_redirects(
    record: UrlRecord, targets: Mapping[str, Target], live_files: Collection[str], default_lang: str
) -> RedirectPlan:
    """The redirects to write: `targets` are the record's sources this build writes, by source path;
    `live_files` every file the build writes for its content (posts, pages, listings, static files)."""
    moved: dict[str, tuple[str, str]] = {}  # old URL → (new URL, lang)
    for source, urls in sorted(record.published.items()):
        target = targets.get(source)
        if target is None:
            continue  # deleted, or not public in this build: its addresses end with it
        for old in urls:
            if old != target.url:
                moved.setdefault(old, (target.url, target.lang))
    live_urls = {target.url: target.lang for target in targets.values()}
    redirects: list[Redirect] = []
    skipped: list[Skipped] = []
    for old, new in sorted(record.redirects.items()):
        if old in moved:
            continue  # the record knows better: the post itself moved away from there
        final = _follow(new, record.redirects, moved)
        if final is None:
            skipped.append(Skipped(old, new, Skip.CYCLE))
            continue
        if file_of(final) not in live_files:
            skipped.append(Skipped(old, new, Skip.NO_TARGET))
            continue
        moved[old] = (final, live_urls.get(final, default_lang))
    for old, (new, lang) in sorted(moved.items()):
        save_as = file_of(old)
        if save_as in live_files:
            skipped.append(Skipped(old, new, Skip.LIVE_PAGE))
        else:
            redirects.append(Redirect(old, save_as, new, lang))
    return RedirectPlan(tuple(redirects), tuple(sorted(skipped, key=lambda skip: skip.old_url)))


def _follow(url: str, by_hand: Mapping[str, str], moved: Mapping[str, tuple[str, str]]) -> str | None:
    """Where `url` ends after the editors' redirects and the posts' moves; None for a cycle."""
    seen = {url}
    while True:
        if url in moved:
            return moved[url][0]
        if url not in by_hand:
            return url
        url = by_hand[url]
        if url in seen:
            return None
        seen.add(url)
