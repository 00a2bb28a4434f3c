"""The deploy's exceptions: caught once in tasks.py and printed without a traceback."""

from __future__ import annotations


class DeployError(Exception):
    """A deploy could not start or finish; the message names the file, object or setting, never a secret."""


class DeployConfigError(DeployError):
    """HUB_DEPLOY is invalid; the message lists every problem found, not just the first."""
