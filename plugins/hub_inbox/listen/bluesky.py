"""Reading a teaser's thread on Bluesky.

XRPC as documented at docs.bsky.app: `app.bsky.feed.getPostThread?uri=<at-uri>&depth=&parentHeight=`
(asked as the channel's account through its PDS, which passes it on to the AppView; `depth=0` when
only the teaser's counts are wanted) answers `{"thread": <node>}`, where a node is one of
- `app.bsky.feed.defs#threadViewPost`: `post` (a PostView: `uri`, `author` {`did`, `handle`,
  `displayName`}, `record` {`text`, `createdAt`}, `replyCount`, `repostCount`, `likeCount`) and
  `replies` (nodes again);
- `app.bsky.feed.defs#notFoundPost` (`uri`, `notFound: true`): deleted;
- `app.bsky.feed.defs#blockedPost` (`uri`, `blocked: true`, `author` {`did`}): a block between
  its author and us; every reply of that account is taken out.
A teaser that is not there any more is a 400 `{"error": "NotFound"}`. Rate limits come as
`ratelimit-limit`/`-remaining`/`-reset` (epoch seconds), honoured by hub_crosspost.http.

The walk is iterative: a thread may be deeper than Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hub_core.i18n import translator
from hub_crosspost.clients.bluesky import BlueskyClient
from hub_crosspost.model import PostError

from ..model import Counts
from .thread import PostedTeaser, Reply, Thread, account_of, count, moment

_, ngettext = translator("hub_inbox")

THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"
NOT_FOUND = "app.bsky.feed.defs#notFoundPost"
BLOCKED = "app.bsky.feed.defs#blockedPost"
# The lexicon's maximum: replies below it would be missing and wrongly taken for deleted.
DEPTH = "1000"

T = TypeVar("T")


class BlueskyReader:
    def __init__(self, client: BlueskyClient) -> None:
        self.client = client

    def thread(self, teaser: PostedTeaser) -> Thread:
        return self._read(teaser, DEPTH, _thread)

    def counts(self, teaser: PostedTeaser) -> Counts:
        """Only the teaser's counts: its thread without replies (depth 0), for hub_stats' daily figures."""
        return self._read(teaser, "0", _teaser_counts)

    def _read(self, teaser: PostedTeaser, depth: str, read: Callable[[PostedTeaser, Any, str], T]) -> T:
        response = self.client.query(
            "app.bsky.feed.getPostThread", {"uri": teaser.remote_id, "depth": depth, "parentHeight": "0"}
        )
        try:
            return read(teaser, response.json()["thread"], self.client.config.name)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise PostError(
                _("channel {channel}: Bluesky's thread of {uri} is not readable ({error})").format(
                    channel=self.client.config.name, uri=teaser.remote_id, error=f"{type(error).__name__}: {error}"
                )
            ) from None

    def close(self) -> None:
        self.client.close()


def _teaser_view(teaser: PostedTeaser, root: dict[str, Any], channel: str) -> dict[str, Any]:
    """The thread's root PostView: our teaser, unless Bluesky shows it as deleted or blocked."""
    if root.get("$type") != THREAD_VIEW:
        raise PostError(
            _("channel {channel}: Bluesky does not show the teaser {uri} ({type})").format(
                channel=channel, uri=teaser.remote_id, type=str(root.get("$type", "")).rsplit("#", 1)[-1]
            )
        )
    post: dict[str, Any] = root["post"]
    return post


def _counts(post: dict[str, Any]) -> Counts:
    return Counts(
        replies=count(post.get("replyCount")),
        reposts=count(post.get("repostCount")),
        likes=count(post.get("likeCount")),
    )


def _teaser_counts(teaser: PostedTeaser, root: dict[str, Any], channel: str) -> Counts:
    return _counts(_teaser_view(teaser, root, channel))


def _thread(teaser: PostedTeaser, root: dict[str, Any], channel: str) -> Thread:
    post = _teaser_view(teaser, root, channel)
    ours = str(post["author"]["did"])
    counts = _counts(post)
    replies: list[Reply] = []
    gone: dict[str, str] = {}
    blocked: set[str] = set()
    kept: set[str] = set()
    # (node, the item id it answers): depth first, parents before their replies.
    stack: list[tuple[Any, str]] = [(node, "") for node in reversed(root.get("replies") or [])]
    while stack:
        node, parent = stack.pop()
        kind = node.get("$type")
        item_id = f"bluesky:{node.get('uri', '')}"
        if kind == NOT_FOUND:
            gone[item_id] = _("deleted on Bluesky")
            continue
        if kind == BLOCKED:
            gone[item_id] = _("blocked on Bluesky")
            did = (node.get("author") or {}).get("did") or account_of(item_id)
            blocked.add(str(did))
            continue
        if kind != THREAD_VIEW:
            kept.add(item_id)  # a node type this version does not know: leave what we have alone
            continue
        view = node["post"]
        item_id = f"bluesky:{view['uri']}"
        author = view["author"]
        if str(author["did"]) == ours:
            kept.add(item_id)  # our own answer: company content, not a reader's reply
            answers = ""  # a reply to it answers the post
        else:
            record = view["record"]
            handle = str(author["handle"])
            replies.append(
                Reply(
                    id=item_id,
                    parent=parent,
                    author=str(author.get("displayName") or ""),
                    handle=f"@{handle}",
                    text=str(record.get("text") or "").strip(),
                    created=moment(record["createdAt"]),
                    url=f"https://bsky.app/profile/{handle}/post/{str(view['uri']).rsplit('/', 1)[-1]}",
                )
            )
            answers = item_id
        stack.extend((child, answers) for child in reversed(node.get("replies") or []))
    return Thread(teaser, tuple(replies), counts, gone, frozenset(blocked), frozenset(kept))
