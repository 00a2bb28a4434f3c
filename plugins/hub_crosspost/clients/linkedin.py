"""LinkedIn: an article post on an organization page, via the versioned Posts API.

API as documented on learn.microsoft.com/linkedin (Community Management, "Posts API"):
- `POST {api}/rest/posts` with a member token that may post for the organization
  (scope `w_organization_social`), headers `LinkedIn-Version: YYYYMM` and
  `X-Restli-Protocol-Version: 2.0.0`. The body's `commentary` is "little text": the
  reserved characters must be escaped (teaser.linkedin_commentary does that).
- Answers 201 with an empty body; the new post's URN (urn:li:share:… or urn:li:ugcPost:…)
  is in the `x-restli-id` header. `https://www.linkedin.com/feed/update/<urn>` shows it.
- Errors: `{"message": …, "status": …, "serviceErrorCode": …}`; an expired version
  (each is sunset after about a year) is refused with 426.
LinkedIn has no idempotency key, so the request is never repeated after an ambiguous answer
(a 5xx, or none): the post may be live, and the entry waits for an editor (`invoke crosspost
--resolve`). See hub_crosspost.http.
"""

from __future__ import annotations

from hub_core.i18n import translator

from ..channels import ChannelConfig
from ..http import Session
from ..model import Credentials, Posted, PostInfo, Teaser, UncertainOutcome
from ..platforms import PLATFORMS
from ..teaser import linkedin_commentary
from .common import setting

_, ngettext = translator("hub_crosspost")

LIMIT = PLATFORMS["linkedin"].limit  # characters of commentary
PROTOCOL_VERSION = "2.0.0"


class LinkedInClient:
    def __init__(self, config: ChannelConfig, credentials: Credentials, session: Session) -> None:
        self.config = config
        self.api = setting(config, "api").rstrip("/")
        self.organization = setting(config, "organization")
        self.version = setting(config, "version")
        self._token = credentials["token"]
        self.session = session

    def limit(self) -> int:
        return LIMIT

    def post(self, teaser: Teaser, post: PostInfo, *, idempotency_key: str) -> Posted:
        response = self.session.request(
            "POST",
            f"{self.api}/rest/posts",
            headers={
                "Authorization": f"Bearer {self._token}",
                "LinkedIn-Version": self.version,
                "X-Restli-Protocol-Version": PROTOCOL_VERSION,
                "Content-Type": "application/json",
            },
            json={
                "author": self.organization,
                "commentary": linkedin_commentary(teaser),
                "visibility": "PUBLIC",
                "distribution": {
                    "feedDistribution": "MAIN_FEED",
                    "targetEntities": [],
                    "thirdPartyDistributionChannels": [],
                },
                "content": {"article": {"source": teaser.link, "title": post.title, "description": post.summary or ""}},
                "lifecycleState": "PUBLISHED",
                "isReshareDisabledByAuthor": False,
            },
        )
        urn = response.headers.get("x-restli-id", "").strip()
        if not urn:
            raise UncertainOutcome(
                _(
                    "channel {channel}: LinkedIn answered HTTP {status} without the post's URN (x-restli-id); the "
                    "post was probably published: check the page"
                ).format(channel=self.config.name, status=response.status_code)
            )
        return Posted(urn, f"https://www.linkedin.com/feed/update/{urn}")

    def close(self) -> None:
        self.session.close()
