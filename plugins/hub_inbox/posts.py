"""Which posts take comments: the file the build writes (hub_dialogue/posts_index.py, at
`HUB_DIALOGUE_POSTS_SAVE_AS` in the output: `dialog/posts.json`), the inbox reads (`HUB_INBOX_POSTS`;
deployed with the site, or copied next to the inbox).

    {"version": 1,
     "posts": [{"key": "de/minus-30-grad", "url": "https://blog.example.de/2026/minus-30-grad/", "open": true,
                "category": "Produkte"}]}

Every published post is listed; `open` is false where the thread is closed, off, too old or stopped
(crisis stop, freeze). A post that is not listed is unknown or unpublished (the form answers 404),
one that is listed but not open is closed (403). The inbox re-reads the file when it changes, so a
build that closes a thread closes it here too. `category` (missing in files of older builds: "")
says which editors may approve a comment under the post (moderation.py).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

POSTS_VERSION = 1  # hub_dialogue.posts_index.POSTS_INDEX_VERSION (a test holds them together)


@dataclass(frozen=True)
class CommentablePost:
    key: str  # "de/slug", hub_crosspost's PostInfo.key
    url: str  # where the post is: the "back to the post" link
    open: bool
    category: str = ""  # moderation rights and routes (hub_dialogue.routing) by category
    title: str = ""  # names the post in notices (hub_dialogue's notifier); "" in files of older builds


class PostsError(ValueError):
    """The file is not what the build writes."""


def read_posts(text: str) -> dict[str, CommentablePost]:
    try:
        document = json.loads(text)
        if document.get("version") != POSTS_VERSION:
            raise PostsError(f"expected version {POSTS_VERSION}, found {document.get('version')!r}")
        posts = {}
        for raw in document["posts"]:
            if not isinstance(raw["open"], bool):
                raise PostsError(f"{raw['key']}: expected open true or false, found {raw['open']!r}")
            posts[raw["key"]] = CommentablePost(
                str(raw["key"]),
                str(raw["url"]),
                raw["open"],
                str(raw.get("category") or ""),
                str(raw.get("title") or ""),
            )
        return posts
    except PostsError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PostsError(str(error)) from None


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
