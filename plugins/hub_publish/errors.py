"""The deploy's exceptions: caught once in tasks.py and printed without a traceback."""

from __future__ import annotations

from hub_core.errors import ConfigurationError, HubError


class DeployError(HubError):
    """A deploy could not start or finish; the message names the file, object or setting, never a secret."""

    topic = "publish"


class DeployConfigError(DeployError, ConfigurationError):
    """HUB_DEPLOY is invalid (exit code 2); the message lists every problem found, not just the first."""
