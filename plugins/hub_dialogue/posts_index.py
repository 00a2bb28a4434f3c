"""The list of posts the inbox accepts comments for, written into the output as JSON.

    {"version": 1,
     "posts": [{"key": "de/slug", "url": "https://…/2026/slug/", "open": true, "category": "Produkte",
                "title": "…"}, …]}

Sorted by key; every published post is listed, `open` is false where the thread is closed, off or
stopped, so the inbox can tell a closed thread from an unknown post. `category` is the post's
category ("" without one): the moderation lets only an editor allowed for it approve a comment, and
`invoke inbox-notify` routes by it; `title` names the post in a notice. Readers of version 1 without
them still work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

POSTS_INDEX_VERSION = 1


@dataclass(frozen=True)
class IndexedPost:
    key: str
    url: str
    open: bool
    category: str = ""
    title: str = ""


@dataclass(frozen=True)
class PostsIndex:
    posts: tuple[IndexedPost, ...] = ()


def render_posts_index(posts: Iterable[IndexedPost]) -> bytes:
    entries = [
        {"key": p.key, "url": p.url, "open": p.open, "category": p.category, "title": p.title}
        for p in sorted(posts, key=lambda p: p.key)
    ]
    document = {"version": POSTS_INDEX_VERSION, "posts": entries}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
