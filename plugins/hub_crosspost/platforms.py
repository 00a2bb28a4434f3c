"""The one table of the platforms a channel can post to: its keys, defaults, limit, template, hashtags.

Read by the `channels` section of the calendar (hub_crosspost.channels) and by each client
(hub_crosspost.clients), so a platform's limit is written here only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Platform:
    type: str
    keys: tuple[str, ...]  # the keys only this type of channel takes
    required: tuple[str, ...]
    limit: int  # as the platform counts (hub_crosspost.textlength); Mastodon: the instance may say otherwise
    template: str
    max_hashtags: int
    defaults: Mapping[str, str] = field(default_factory=dict)


PLATFORMS: dict[str, Platform] = {
    platform.type: platform
    for platform in (
        Platform(
            "mastodon",
            ("instance", "token_env", "visibility"),
            ("instance", "token_env"),
            500,
            "{teaser}\n\n{link}\n\n{hashtags}",
            4,
            {"visibility": "public"},
        ),
        Platform(
            "bluesky",
            ("service", "handle_env", "password_env"),
            ("handle_env", "password_env"),
            300,  # graphemes
            "{teaser}\n\n{link}",
            2,
            {"service": "https://bsky.social"},
        ),
        Platform(
            "linkedin",
            ("api", "organization", "token_env", "version"),
            ("organization", "token_env"),
            3000,  # characters of commentary
            "{title}\n\n{teaser}\n\n{link}\n\n{hashtags}",
            5,
            {"api": "https://api.linkedin.com", "version": "202611"},
        ),
        Platform(
            "x",
            ("api", "token_env"),
            ("token_env",),
            280,  # weighted: X counts every link as 23 and many scripts' characters as 2
            "{teaser} {link} {hashtags}",
            2,
            {"api": "https://api.x.com"},
        ),
        Platform(
            "webhook", ("url_env", "format"), ("url_env",), 3000, "{title}\n{teaser}\n{link}", 0, {"format": "slack"}
        ),
        Platform("feed", ("path", "title"), (), 1000, "{teaser} {hashtags}", 3),
    )
}
CHANNEL_TYPES = tuple(PLATFORMS)
