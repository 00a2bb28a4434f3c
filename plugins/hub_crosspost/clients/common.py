"""What every platform client shares; clients/__init__.py only picks and builds the client, so the
clients import this module and not the package that imports them."""

from __future__ import annotations

from ..channels import ChannelConfig

USER_AGENT = "hub-crosspost/0.1 (+https://getpelican.com)"


def setting(config: ChannelConfig, key: str) -> str:
    """A required type-specific setting; the calendar check guarantees it, this says so if not."""
    value = config.settings.get(key, "").strip()
    if not value:
        raise ValueError(f"channel {config.name}: setting '{key}' is missing")
    return value
