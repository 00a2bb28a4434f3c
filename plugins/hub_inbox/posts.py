"""Which posts take comments: the file the build writes, the inbox reads (`HUB_INBOX_POSTS`,
by default `output/dialog/posts.json`, deployed with the site or copied next to the inbox).

    {"version": 1,
     "posts": [{"key": "de/minus-30-grad", "url": "https://blog.example.de/de/minus-30-grad/",
                "title": "Minus 30 Grad", "comments": "open"}]}

Only published posts are listed: a post that is not there is unknown or unpublished (the form answers
404). `comments` is "open" or "closed" (a post with `comments: off` is not listed: it has no form).
The inbox re-reads the file when it changes, so a build that closes a thread closes it here too.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

POSTS_VERSION = 1


class Thread(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class CommentablePost:
    key: str  # "de/slug", hub_crosspost's PostInfo.key
    url: str  # where the post is: the "back to the post" link
    title: str
    thread: Thread


class PostsError(ValueError):
    """The file is not what the build writes."""


def read_posts(text: str) -> dict[str, CommentablePost]:
    try:
        document = json.loads(text)
        if document.get("version") != POSTS_VERSION:
            raise PostsError(f"expected version {POSTS_VERSION}, found {document.get('version')!r}")
        return {
            raw["key"]: CommentablePost(raw["key"], raw["url"], raw.get("title", ""), Thread(raw["comments"]))
            for raw in document["posts"]
        }
    except PostsError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PostsError(str(error)) from None


def write_posts(posts: list[CommentablePost]) -> str:
    """What the build writes (the build's part uses it; the tests too)."""
    document = {
        "version": POSTS_VERSION,
        "posts": [
            {"key": post.key, "url": post.url, "title": post.title, "comments": post.thread.value} for post in posts
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


class PostsFile:
    """The posts file, read again whenever its modification time or size changes; missing: no posts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int] | None = None
        self._posts: dict[str, CommentablePost] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> CommentablePost | None:
        return self.current().get(key)

    def current(self) -> dict[str, CommentablePost]:
        try:
            stat = self.path.stat()
            signature: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            signature = None
        with self._lock:
            if signature != self._seen:
                self._posts = read_posts(self.path.read_text(encoding="utf-8")) if signature else {}
                self._seen = signature
            return self._posts
