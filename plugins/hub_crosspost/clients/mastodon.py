"""Mastodon: one status per teaser, on the instance the channel names.

API as documented at docs.joinmastodon.org (assumed stable since Mastodon 4.0):
- `POST /api/v1/statuses` with a user token (scope `write:statuses`), JSON body `status`,
  `visibility` (public|unlisted|private), `language` (ISO 639-1); answers 200 with the
  Status, whose `id` and `url` we keep. The `Idempotency-Key` header makes the server
  answer a repeated request (same key, within an hour) with the first status instead of
  posting again; current versions hold a lock per key, so a repeat arriving while the first
  is still being processed is answered 503 rather than posted. A 5xx or a lost answer is
  therefore asked again with the same key (the runner derives it from post and channel, and
  a later run reuses the pending line's key within the hour).
- `GET /api/v2/instance` (public, no token) tells `configuration.statuses.max_characters`
  and `characters_reserved_per_url` (every link counts as that many characters).
- Errors: 422 `{"error": "Validation failed: …"}`, 401 `{"error": "The access token is invalid"}`;
  429 with `X-RateLimit-Reset` as an ISO-8601 time.
"""

from __future__ import annotations

from hub_core.i18n import translator

from ..channels import ChannelConfig
from ..http import Replay, RetryPolicy, Session
from ..model import Credentials, Posted, PostError, PostInfo, Teaser, UncertainOutcome
from ..platforms import PLATFORMS
from .common import setting

_, ngettext = translator("hub_crosspost")

DEFAULT_LIMIT = PLATFORMS["mastodon"].limit  # Mastodon's own default; instances may allow more
DEFAULT_URL_LENGTH = 23
# The limit only fine-tunes the teaser's length: a slow or broken instance endpoint must not
# hold up the run, and the fallback is the conservative default.
LIMIT_POLICY = RetryPolicy(max_attempts=1, read_timeout=5.0)


class MastodonClient:
    def __init__(self, config: ChannelConfig, credentials: Credentials, session: Session) -> None:
        self.config = config
        self.instance = setting(config, "instance").rstrip("/")
        self.visibility = config.settings.get("visibility") or "public"
        self._token = credentials["token"]
        self.session = session
        self._limits: tuple[int, int] | None = None

    def limit(self) -> int:
        return self._instance_limits()[0]

    def characters_reserved_per_url(self) -> int:
        return self._instance_limits()[1]

    def _instance_limits(self) -> tuple[int, int]:
        if self._limits is None:
            self._limits = (DEFAULT_LIMIT, DEFAULT_URL_LENGTH)
            try:
                response = self.session.request(
                    "GET",
                    f"{self.instance}/api/v2/instance",
                    policy=LIMIT_POLICY,
                    headers={"Accept": "application/json"},
                )
                statuses = response.json()["configuration"]["statuses"]
                limit = statuses["max_characters"]
                url_length = statuses.get("characters_reserved_per_url", DEFAULT_URL_LENGTH)
                if _positive(limit) and _positive(url_length):
                    self._limits = (limit, url_length)
            except (PostError, ValueError, KeyError, TypeError, AttributeError):
                pass  # an older or unusual instance: the default fits every Mastodon
        return self._limits

    def post(self, teaser: Teaser, post: PostInfo, *, idempotency_key: str) -> Posted:
        response = self.session.request(
            "POST",
            f"{self.instance}/api/v1/statuses",
            headers={
                "Authorization": f"Bearer {self._token}",
                "Idempotency-Key": idempotency_key,
                "Accept": "application/json",
            },
            json={"status": teaser.text, "visibility": self.visibility, "language": self.config.language or post.lang},
            replay=Replay.DEDUPLICATED,
        )
        try:
            status = response.json()
            remote_id = str(status["id"])
            url = status.get("url") or status.get("uri") or ""
        except (ValueError, KeyError, TypeError, AttributeError):
            raise UncertainOutcome(
                _(
                    "channel {channel}: Mastodon answered HTTP {status} without a readable status; the post was "
                    "probably published: check the account"
                ).format(channel=self.config.name, status=response.status_code)
            ) from None
        return Posted(remote_id, str(url))

    def close(self) -> None:
        self.session.close()


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
