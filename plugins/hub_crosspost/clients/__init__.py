"""The platform clients, built from a channel's configuration and the secrets in the environment.

Every client class is constructed the same way, `SomeClient(config, credentials, session)`,
where `session` (hub_crosspost.http.Session) carries the httpx client, the retry policy, the
secrets to redact and the clock. clients/bluesky.py is expected to offer `BlueskyClient`
with that signature; it is imported only when a Bluesky channel is built.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

import httpx
from hub_core.i18n import translator

from ..channels import ChannelConfig
from ..http import DEFAULT_POLICY, Clock, RetryPolicy, Session, Sleep
from ..model import Client, Credentials, PostError
from .common import open_session

_, ngettext = translator("hub_crosspost")

# httpx logs every request URL at INFO; for a webhook that URL is the credential itself.
# Only quieten it when nobody chose a level on purpose (e.g. to debug a platform).
_httpx_logger = logging.getLogger("httpx")
if _httpx_logger.level == logging.NOTSET:
    _httpx_logger.setLevel(logging.WARNING)

Factory = Callable[[ChannelConfig, Credentials, Session], Client]


def make_client(
    config: ChannelConfig,
    credentials: Credentials,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Sleep = time.sleep,
    now: Clock = time.time,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> Client:
    """The client for `config`'s platform; `transport` lets tests (or a proxy) stand in for it."""
    factory = _factory(config)
    session = open_session(credentials, transport, policy, sleep, now)
    try:
        return factory(config, credentials, session)
    except BaseException:
        session.client.close()
        raise


def _factory(config: ChannelConfig) -> Factory:
    # Imported here so a platform's module (Bluesky's is written separately) is needed only
    # by the channels that use it.
    if config.type == "mastodon":
        from .mastodon import MastodonClient

        return MastodonClient
    if config.type == "linkedin":
        from .linkedin import LinkedInClient

        return LinkedInClient
    if config.type == "x":
        from .x import XClient

        return XClient
    if config.type == "webhook":
        from .webhook import WebhookClient

        return WebhookClient
    if config.type == "bluesky":
        from .bluesky import BlueskyClient

        return BlueskyClient
    if config.type == "feed":
        raise ValueError(
            _("channel {channel}: a feed channel is written into the site, not posted by a client").format(
                channel=config.name
            )
        )
    raise ValueError(
        _("channel {channel}: no client for channel type '{type}'").format(channel=config.name, type=config.type)
    )


def missing_credentials(config: ChannelConfig, environ: Mapping[str, str]) -> list[str]:
    """The environment variables `config` names that are unset or empty, in configuration order."""
    return [name for name in config.env_names().values() if not environ.get(name)]


def credentials_from_env(config: ChannelConfig, environ: Mapping[str, str]) -> Credentials:
    """The channel's secrets, keyed without `_env` ("token", "url", "handle", "password")."""
    missing = missing_credentials(config, environ)
    if missing:
        problems = [
            (
                _("environment variable {name} is empty")
                if name in environ
                else _("environment variable {name} is not set")
            ).format(name=name)
            for name in missing
        ]
        raise PostError(_("channel {channel}: {problems}").format(channel=config.name, problems="; ".join(problems)))
    return Credentials({key.removesuffix("_env"): environ[name] for key, name in config.env_names().items()})
