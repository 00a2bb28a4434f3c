"""The inbox for a production WSGI server: `gunicorn hub_inbox.wsgi:application` (or uWSGI, mod_wsgi, …).

`application` is built on first use from the site's settings file, named by the environment:

    HUB_INBOX_SETTINGS       the settings file (default: publishconf.py in the working directory);
                             HUB_INBOX_* and hub_dialogue's settings are read from it
    HUB_INBOX_SECRET         signs the writer's private delete link; unset: no link is offered
    HUB_INBOX_BEHIND_PROXY   "1": the client is the last address of X-Forwarded-For (set by our own
                             reverse proxy; the rate limiter's networks, never stored)

Serve it behind the blog's own domain at HUB_INBOX_PREFIX (/dialog/), so the static site makes no
third-party request: docs/reference.md has the systemd unit, the container and the proxy snippets
(deploy/inbox/).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .app import Intake, IntakeConfig
from .options import BUSY_TIMEOUT, MAX_LENGTH, OPTIONS, ORIGINS, POSTS, PREFIX, database_file
from .sqlite import SqliteStore


def build(settings: Mapping[str, Any], environ: Mapping[str, str]) -> Intake:
    """The Intake for `settings` (Pelican's, read from the settings file) and the process environment."""
    from hub_core.options import problems, read
    from hub_core.settings_check import SettingsInvalid

    found = problems(OPTIONS, settings)
    if found:
        raise SettingsInvalid("\n".join(found))
    store = SqliteStore(database_file(settings), busy_timeout=read(BUSY_TIMEOUT, settings))
    config = IntakeConfig(
        posts_file=Path(read(POSTS, settings)),
        prefix=read(PREFIX, settings),
        origins=tuple(read(ORIGINS, settings)),
        max_length=read(MAX_LENGTH, settings),
        behind_proxy=environ.get("HUB_INBOX_BEHIND_PROXY", "") == "1",
        secret=environ.get("HUB_INBOX_SECRET", ""),
    )
    return Intake(config, store)


def from_environment(environ: Mapping[str, str]) -> Intake:
    from hub_core.i18n import use_language_of
    from pelican.settings import read_settings

    path = Path(environ.get("HUB_INBOX_SETTINGS") or "publishconf.py").resolve()
    settings = read_settings(str(path))
    use_language_of(settings)
    return build(settings, environ)


_application: Intake | None = None


def __getattr__(name: str) -> Any:
    # Built when the server asks for it, not at import: importing the module (a type check, a test)
    # opens no database.
    global _application
    if name != "application":
        raise AttributeError(name)
    if _application is None:
        _application = from_environment(os.environ)
    return _application
