"""Reading a teaser's thread on Mastodon.

API as documented at docs.joinmastodon.org (Mastodon 4.x):
- `GET /api/v1/statuses/:id` → the Status: `replies_count`, `reblogs_count`, `favourites_count`,
  and `account` (ours: our own answers in the thread are not readers' replies).
- `GET /api/v1/statuses/:id/context` → `{"ancestors": [...], "descendants": [...]}`: every status
  below ours, depth first. Each has `id`, `url` (may be null for some remote statuses: then `uri`),
  `created_at` (ISO 8601), `in_reply_to_id`, `visibility`, `spoiler_text`, `content` (HTML) and
  `account` (`acct`: "name" on our instance, "name@domain" elsewhere; `display_name`). Asked with
  the channel's token: statuses of accounts it blocks or mutes are left out, and a deleted status
  is gone from the context (so are the replies below it).
- Every answer carries `X-RateLimit-Limit`, `-Remaining` and `-Reset` (ISO 8601); a 429 is waited
  out until the reset (hub_crosspost.http), within the retry budget.

Only public and unlisted replies are taken: a followers-only or direct reply was not written for
everyone, and the inbox feeds a public comment section.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from hub_core.i18n import translator
from hub_crosspost.channels import ChannelConfig
from hub_crosspost.clients.common import setting
from hub_crosspost.http import Session
from hub_crosspost.model import Credentials, PostError

from ..model import Counts
from .text import html_to_text
from .thread import PostedTeaser, Reply, Thread, count, moment

_, ngettext = translator("hub_inbox")

PUBLIC = frozenset({"public", "unlisted"})


class MastodonReader:
    def __init__(self, config: ChannelConfig, credentials: Credentials, session: Session) -> None:
        self.config = config
        self.instance = setting(config, "instance").rstrip("/")
        self._token = credentials["token"]
        self.session = session

    def thread(self, teaser: PostedTeaser) -> Thread:
        base = f"{self.instance}/api/v1/statuses/{quote(teaser.remote_id, safe='')}"
        status = self._get(base)
        context = self._get(f"{base}/context")
        try:
            return _thread(teaser, status, context, urlsplit(self.instance).hostname or "")
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise self._unreadable(teaser, error) from None

    def counts(self, teaser: PostedTeaser) -> Counts:
        """Only the teaser's counts: the status alone, without its context (hub_stats' daily figures)."""
        status = self._get(f"{self.instance}/api/v1/statuses/{quote(teaser.remote_id, safe='')}")
        try:
            return _counts(status)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise self._unreadable(teaser, error) from None

    def _unreadable(self, teaser: PostedTeaser, error: Exception) -> PostError:
        return PostError(
            _("channel {channel}: Mastodon's answer for status {id} is not readable ({error})").format(
                channel=self.config.name, id=teaser.remote_id, error=f"{type(error).__name__}: {error}"
            )
        )

    def _get(self, url: str) -> Any:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        response = self.session.request("GET", url, headers=headers)
        try:
            return response.json()
        except ValueError:
            raise PostError(
                _("channel {channel}: {url} answered without JSON").format(channel=self.config.name, url=url)
            ) from None

    def close(self) -> None:
        self.session.close()


def _counts(status: dict[str, Any]) -> Counts:
    return Counts(
        replies=count(status.get("replies_count")),
        reposts=count(status.get("reblogs_count")),
        likes=count(status.get("favourites_count")),
    )


def _thread(teaser: PostedTeaser, status: dict[str, Any], context: dict[str, Any], home: str) -> Thread:
    ours = str(status["account"]["id"])
    counts = _counts(status)
    descendants = context["descendants"]
    # Status id → item id, for the parents (a reply to a reply names its parent's id).
    ids = {str(s["id"]): f"mastodon:{s.get('url') or s['uri']}" for s in descendants}
    taken = [s for s in descendants if str(s["account"]["id"]) != ours and s.get("visibility") in PUBLIC]
    # Our own answers (company content, not a reader's reply) and replies not written for everyone
    # stay where they are: neither new nor gone.
    kept = frozenset(ids.values()) - {ids[str(s["id"])] for s in taken}
    replies = []
    for found in taken:
        text = html_to_text(str(found.get("content") or ""))
        warning = str(found.get("spoiler_text") or "").strip()
        if warning:
            text = f"{warning}\n\n{text}" if text else warning
        account = found["account"]
        acct = str(account["acct"])
        parent = ids.get(str(found.get("in_reply_to_id")), "")
        replies.append(
            Reply(
                id=ids[str(found["id"])],
                parent="" if parent in kept else parent,  # a reply to our own answer answers the post
                author=str(account.get("display_name") or ""),
                handle=f"@{acct}" if "@" in acct or not home else f"@{acct}@{home}",
                text=text,
                created=moment(found["created_at"]),
                url=str(found.get("url") or found["uri"]),
            )
        )
    return Thread(teaser, tuple(replies), counts, kept=kept)
