"""hub_inbox's settings: where the inbox keeps its database, which posts take comments, where it is
served, which origins may post to it. Read by `invoke inbox` (and, in production, by whatever starts
the WSGI application with the same settings file).

hub_inbox is no Pelican plugin (it is never in PLUGINS): hub_core/settings_check finds these
declarations with every other hub_* package's (`every_option`), so a typo in a HUB_INBOX_* name is
still named.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hub_core.i18n import translator
from hub_core.options import (
    Derived,
    Option,
    beside_content,
    path_or_none,
    positive_int,
    positive_number,
    read,
    text,
    texts,
)

_, ngettext = translator("hub_inbox")


def _prefix(value: Any) -> str | None:
    if isinstance(value, str) and value.startswith("/") and value.endswith("/"):
        return None
    return _("expected a path that starts and ends with '/', such as '/dialog/', found {value}").format(
        value=repr(value)
    )


def origin_of(url: str) -> str:
    """`https://blog.example.de` of `https://blog.example.de/path`; "" when `url` is not absolute."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def is_database_url(value: object) -> bool:
    """A PostgreSQL connection URL (libpq knows both schemes) rather than a SQLite file."""
    return isinstance(value, str) and value.startswith(("postgresql://", "postgres://"))


def _database(value: Any) -> str | None:
    if is_database_url(value):
        if urlsplit(value).password is not None:
            return _(
                "the password does not belong in the settings (they are committed): remove it from the URL and "
                "set HUB_INBOX_DATABASE_PASSWORD or PGPASSWORD in the environment"
            )
        return None
    return path_or_none(value)


def _site_origins(settings: Mapping[str, Any]) -> tuple[str, ...]:
    origin = origin_of(str(settings.get("SITEURL") or ""))
    return (origin,) if origin else ()


# The build's side of the two settings below is hub_dialogue's (read by name: the inbox runs without
# Pelican's plugins): where it writes the posts file, and the address its form posts to.


def _posts_file(settings: Mapping[str, Any]) -> str:
    save_as = settings.get("HUB_DIALOGUE_POSTS_SAVE_AS") or "dialog/posts.json"
    return str(Path(settings.get("OUTPUT_PATH") or "output") / save_as)


def _form_path(settings: Mapping[str, Any]) -> str:
    path = urlsplit(str(settings.get("HUB_DIALOGUE_URL") or "/dialog/")).path or "/"
    return path if path.endswith("/") else path + "/"


DATABASE = Option(
    "HUB_INBOX_DATABASE",
    "var/inbox.sqlite",
    _database,
    "the inbox's SQLite file (comments: personal data, never in git; relative: from the folder holding `content/`), "
    "or a PostgreSQL URL `postgresql://user@host:5432/dbname` (the password from the environment: "
    "HUB_INBOX_DATABASE_PASSWORD or PGPASSWORD)",
)
POSTS = Option(
    "HUB_INBOX_POSTS",
    Derived("`OUTPUT_PATH/HUB_DIALOGUE_POSTS_SAVE_AS`", _posts_file),
    path_or_none,
    "the published posts and whether they take comments, as the build wrote them (hub_dialogue)",
)
PREFIX = Option(
    "HUB_INBOX_PREFIX",
    Derived("the path of `HUB_DIALOGUE_URL`", _form_path),
    _prefix,
    "the path the inbox is served under, behind the blog's own domain; the form under a post posts to it",
)
ORIGINS = Option(
    "HUB_INBOX_ORIGINS",
    Derived("the origin of `SITEURL`", _site_origins),
    texts,
    "origins (`https://blog.example.de`) whose pages may post comments (CSRF); the inbox's own is always allowed",
)
MAX_LENGTH = Option(
    "HUB_INBOX_MAX_LENGTH",
    5000,
    positive_int,
    "the longest comment accepted, in characters",
)
BUSY_TIMEOUT = Option(
    "HUB_INBOX_BUSY_TIMEOUT",
    5.0,
    positive_number,
    "seconds a write waits for a locked database before the form answers 503 (send again)",
)

USER_HEADER = Option(
    "HUB_INBOX_USER_HEADER",
    "",
    text,
    "off by default; a header name such as `Remote-User`: the moderation trusts the reverse proxy's login in it "
    "(the team id) instead of passwords. Only behind a proxy that authenticates and removes the header from clients",
)


def _public_url(settings: Mapping[str, Any]) -> str:
    origin = origin_of(str(settings.get("SITEURL") or ""))
    return f"{origin}{read(PREFIX, settings)}" if origin else ""


# The double opt-in for reply notices (optin.py); the mails go out with `invoke inbox-notify`.
PUBLIC_URL = Option(
    "HUB_INBOX_PUBLIC_URL",
    Derived("the origin of `SITEURL` and `HUB_INBOX_PREFIX`", _public_url),
    text,
    "the inbox's address as readers reach it (`https://blog.example.de/dialog/`): the links in the mails to writers",
)
UNCONFIRMED_DAYS = Option(
    "HUB_INBOX_UNCONFIRMED_DAYS",
    7,
    positive_int,
    "days an e-mail address for a reply notice is kept without confirmation; then `invoke inbox-notify` wipes it",
)

OPTIONS = (DATABASE, POSTS, PREFIX, ORIGINS, MAX_LENGTH, BUSY_TIMEOUT, USER_HEADER, PUBLIC_URL, UNCONFIRMED_DAYS)


def database_file(settings: Mapping[str, Any]) -> Path:
    """HUB_INBOX_DATABASE; a relative path counts from the folder holding content/, like the ledger."""
    return beside_content(settings, read(DATABASE, settings) or DATABASE.default)


def database_location(settings: Mapping[str, Any], override: Path | str | None = None) -> Path | str:
    """Where the inbox is kept: a PostgreSQL URL as given, else the SQLite file (`database_file`).
    `override`: a task's --database, a file or a URL."""
    if override is not None and str(override):
        return str(override) if is_database_url(str(override)) else Path(override)
    value = read(DATABASE, settings)
    return str(value) if is_database_url(value) else database_file(settings)


def configured_database(settings: Mapping[str, Any]) -> Path | str | None:
    """HUB_INBOX_DATABASE as `database_location` resolves it; None when the setting is None (no inbox)."""
    return database_location(settings) if read(DATABASE, settings) else None
