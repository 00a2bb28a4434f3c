"""Reading a teaser's thread on Bluesky.

XRPC as documented at docs.bsky.app: `app.bsky.feed.getPostThread?uri=<at-uri>&depth=&parentHeight=`
(asked as the channel's account through its PDS, which passes it on to the AppView) answers
`{"thread": <node>}`, where a node is one of
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

from typing import Any

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


class BlueskyReader:
    def __init__(self, client: BlueskyClient) -> None:
        self.client = client

    def thread(self, teaser: PostedTeaser) -> Thread:
        response = self.client.query(
            "app.bsky.feed.getPostThread", {"uri": teaser.remote_id, "depth": DEPTH, "parentHeight": "0"}
        )
        try:
            return _thread(teaser, response.json()["thread"], self.client.config.name)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise PostError(
                _("channel {channel}: Bluesky's thread of {uri} is not readable ({error})").format(
                    channel=self.client.config.name, uri=teaser.remote_id, error=f"{type(error).__name__}: {error}"
                )
            ) from None

    def close(self) -> None:
        self.client.close()


def _thread(teaser: PostedTeaser, root: dict[str, Any], channel: str) -> Thread:
    if root.get("$type") != THREAD_VIEW:
        raise PostError(
            _("channel {channel}: Bluesky does not show the teaser {uri} ({type})").format(
                channel=channel, uri=teaser.remote_id, type=str(root.get("$type", "")).rsplit("#", 1)[-1]
            )
        )
    post = root["post"]
    ours = str(post["author"]["did"])
    counts = Counts(
        replies=count(post.get("replyCount")),
        reposts=count(post.get("repostCount")),
        likes=count(post.get("likeCount")),
    )
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
