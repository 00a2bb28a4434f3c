"""X (formerly Twitter): one post per teaser through API v2.

API as documented on docs.x.com:
- `POST {api}/2/tweets` with an OAuth 2.0 user-context token (scopes `tweet.write`,
  `tweet.read`, `users.read`) as `Authorization: Bearer`, JSON body `{"text": …}`;
  answers 201 `{"data": {"id": "…", "text": "…"}}`.
- A post identical to a recent one is refused with 403 and the problem detail
  "You are not allowed to create a Tweet with duplicate content." — that is what a lost
  answer followed by a second try looks like, so it becomes AlreadyPosted.
- 429 carries `x-rate-limit-reset` (epoch seconds) and, for the daily caps,
  `x-user-limit-24hour-reset` / `x-app-limit-24hour-reset`.
X has no idempotency key; its duplicate check is what protects against double posts.
"""

from __future__ import annotations

import httpx
from hub_core.i18n import translator

from ..channels import ChannelConfig
from ..http import Session
from ..model import AlreadyPosted, Credentials, Posted, PostError, PostInfo, Teaser, UncertainOutcome
from ..platforms import PLATFORMS
from .common import setting

_, ngettext = translator("hub_crosspost")

LIMIT = PLATFORMS["x"].limit  # weighted (hub_crosspost.textlength.x_length)
DUPLICATE = "duplicate content"


class XClient:
    def __init__(self, config: ChannelConfig, credentials: Credentials, session: Session) -> None:
        self.config = config
        self.api = setting(config, "api").rstrip("/")
        self._token = credentials["token"]
        self.session = session

    def limit(self) -> int:
        return LIMIT

    def post(self, teaser: Teaser, post: PostInfo, *, idempotency_key: str) -> Posted:
        response = self.session.request(
            "POST",
            f"{self.api}/2/tweets",
            headers={"Authorization": f"Bearer {self._token}"},
            json={"text": teaser.text},
            refusal=self._refusal,
        )
        try:
            remote_id = str(response.json()["data"]["id"])
        except (ValueError, KeyError, TypeError):
            raise UncertainOutcome(
                _(
                    "channel {channel}: X answered HTTP {status} without the post's id; the post was probably "
                    "published: check the account"
                ).format(channel=self.config.name, status=response.status_code)
            ) from None
        return Posted(remote_id, f"https://x.com/i/web/status/{remote_id}")

    def _refusal(self, response: httpx.Response, message: str) -> PostError | None:
        if response.status_code == 403 and DUPLICATE in message.lower():
            return AlreadyPosted(
                _("channel {channel}: X already has this text ({message})").format(
                    channel=self.config.name, message=message
                )
            )
        return None

    def close(self) -> None:
        self.session.close()
