"""The inbox for a production WSGI server: `gunicorn hub_dialogue.wsgi:application` (or uWSGI, mod_wsgi, …).

It lives here, not in hub_inbox, because the service is assembled from the calendar's `dialogue:`
section (spam words), which hub_dialogue owns; hub_inbox stays the storage and intake library.

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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hub_inbox.app import Intake, IntakeConfig
from hub_inbox.crisis import IntakeStop
from hub_inbox.moderation import Moderation
from hub_inbox.options import MAX_LENGTH, OPTIONS, ORIGINS, POSTS, PREFIX, USER_HEADER
from hub_inbox.spam import SpamRules
from hub_inbox.stores import ClosableStore, open_store

from .calendar_sections import DIALOGUE


@dataclass(frozen=True)
class Service:
    """The inbox as one WSGI application, with the parts a task shows or closes."""

    application: Intake
    store: ClosableStore
    moderation: Moderation


def build(
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    database: Path | str | None = None,
    posts_file: Path | None = None,
    extra_origins: tuple[str, ...] = (),
) -> Service:
    """The whole inbox for `settings` (Pelican's, read from the settings file) and the process environment:
    the intake, the moderation pages, the calendar's spam words and the crisis stop. `invoke inbox` and
    the production `application` are this one service."""
    from hub_content.calendar import load_calendar
    from hub_content.options import calendar_file
    from hub_core.options import problems, read
    from hub_core.settings_check import SettingsInvalid

    found = problems(OPTIONS, settings)
    if found:
        raise SettingsInvalid("\n".join(found))
    content_root = Path(settings["PATH"])
    calendar_path = calendar_file(settings)
    calendar, _findings = load_calendar(calendar_path, display_path=str(calendar_path), content_root=content_root)
    store = open_store(settings, database=database, environ=environ)
    config = IntakeConfig(
        posts_file=posts_file or Path(read(POSTS, settings)),
        prefix=read(PREFIX, settings),
        origins=(*read(ORIGINS, settings), *extra_origins),
        max_length=read(MAX_LENGTH, settings),
        rules=SpamRules(words=calendar.section(DIALOGUE).words),
        behind_proxy=environ.get("HUB_INBOX_BEHIND_PROXY", "") == "1",
        secret=environ.get("HUB_INBOX_SECRET", ""),
        stopped=IntakeStop(calendar_path, content_root, environ, lambda: datetime.now(UTC)),
    )
    moderation = Moderation(config, calendar, store, user_header=read(USER_HEADER, settings))
    return Service(Intake(config, store, routes=(moderation,)), store, moderation)


def from_environment(environ: Mapping[str, str]) -> Intake:
    from hub_core.i18n import use_language_of
    from pelican.settings import read_settings

    path = Path(environ.get("HUB_INBOX_SETTINGS") or "publishconf.py").resolve()
    settings = read_settings(str(path))
    use_language_of(settings)
    return build(settings, environ).application


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
