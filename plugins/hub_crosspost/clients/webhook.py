"""Chat webhooks (Slack, Microsoft Teams, Mattermost, Discord): one message per teaser.

The webhook URL is the credential (anyone holding it can post), so it comes from the
environment and is redacted, path and query included, from every message.

Payloads, as each product documents its incoming webhooks:
- slack: `{"text": …}` (mrkdwn; `&`, `<`, `>` must be sent as HTML entities); answers 200 "ok".
- mattermost: `{"text": …}` (Markdown); answers 200 "ok".
- discord: `{"content": …}` (at most 2000 characters), mentions switched off so a teaser
  can never ping @everyone; answers 204.
- teams: Teams "Workflows" webhooks (Power Automate's "post to a channel when a webhook
  request is received"; the old Office 365 connectors with MessageCard are retired) take
  `{"type": "message", "attachments": [{"contentType":
  "application/vnd.microsoft.card.adaptive", "content": <Adaptive Card>}]}`; we send an
  Adaptive Card 1.4 (what Teams renders everywhere) with the title, the teaser text and an
  Action.OpenUrl button to the post; answers 202 with an empty body.
None of them answers with a message id; the remote id is a hash of channel and idempotency
key, stable for the ledger. None offers idempotency either: the request is never repeated after
an ambiguous answer (a 5xx, or none) and the entry waits for an editor. Each request carries an
`Idempotency-Key` header (the runner's key, derived from post and channel): the products ignore
it, a relay or bot of one's own can drop a message it has seen.
"""

from __future__ import annotations

import hashlib

from hub_core.i18n import translator

from ..channels import ChannelConfig
from ..http import Session
from ..model import Credentials, Posted, PostInfo, Teaser
from .common import setting

_, ngettext = translator("hub_crosspost")

PLATFORM_LIMITS = {"discord": 2000}
BUTTON = {"de": "Beitrag lesen", "en": "Read the post", "fr": "Lire l'article", "es": "Leer el artículo"}
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


class WebhookClient:
    def __init__(self, config: ChannelConfig, credentials: Credentials, session: Session) -> None:
        self.config = config
        self.format = setting(config, "format")
        self._url = credentials["url"]
        self.session = session

    def limit(self) -> int:
        return min(self.config.limit, PLATFORM_LIMITS.get(self.format, self.config.limit))

    def post(self, teaser: Teaser, post: PostInfo, *, idempotency_key: str) -> Posted:
        language = self.config.language or post.lang
        self.session.request(
            "POST",
            self._url,
            headers={"Idempotency-Key": idempotency_key},
            json=payload(self.format, teaser, post, language),
        )
        digest = hashlib.sha256(f"{self.config.name}\n{idempotency_key}".encode()).hexdigest()
        return Posted(digest[:16])

    def close(self) -> None:
        self.session.close()


def payload(format: str, teaser: Teaser, post: PostInfo, language: str) -> dict[str, object]:
    """The JSON body `format`'s webhook expects for `teaser`."""
    if format == "slack":
        return {"text": teaser.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}
    if format == "mattermost":
        return {"text": teaser.text}
    if format == "discord":
        return {"content": teaser.text, "allowed_mentions": {"parse": []}}
    if format == "teams":
        card = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": post.title, "weight": "Bolder", "size": "Medium", "wrap": True},
                {"type": "TextBlock", "text": teaser.text, "wrap": True},
            ],
            "actions": [{"type": "Action.OpenUrl", "title": BUTTON.get(language, BUTTON["en"]), "url": teaser.link}],
        }
        return {"type": "message", "attachments": [{"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": card}]}
    raise ValueError(_("unknown webhook format '{format}'").format(format=format))
