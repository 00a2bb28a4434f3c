"""What every platform client shares; clients/__init__.py only picks and builds the client, so the
clients import this module and not the package that imports them."""

from __future__ import annotations

import httpx
from hub_core.i18n import translator

from ..channels import ChannelConfig
from ..http import Clock, RetryPolicy, Session, Sleep
from ..model import Credentials

_, ngettext = translator("hub_crosspost")

USER_AGENT = "hub-crosspost/0.1 (+https://getpelican.com)"


def open_session(
    credentials: Credentials, transport: httpx.BaseTransport | None, policy: RetryPolicy, sleep: Sleep, now: Clock
) -> Session:
    """The HTTP session every client posts through: our User-Agent, the policy's timeouts, no redirects."""
    http = httpx.Client(
        transport=transport,
        timeout=policy.timeout(),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,  # a redirected POST would be re-sent as GET, or post twice
    )
    return Session(http, policy, credentials.secrets(), sleep, now)


def setting(config: ChannelConfig, key: str) -> str:
    """A required type-specific setting; the calendar check guarantees it, this says so if not."""
    value = config.settings.get(key, "").strip()
    if not value:
        raise ValueError(_("channel {channel}: the key '{key}' is missing").format(channel=config.name, key=key))
    return value
