"""hub_dialogue's settings: where the export of approved comments is read from, where the form posts
to, when threads close, where a report goes, and where the list of commentable posts is written."""

from __future__ import annotations

import os
from typing import Any

from hub_core.i18n import translator
from hub_core.options import Derived, Option, boolean, describe, path_or_none, positive_int, text, text_or_none

_, ngettext = translator("hub_dialogue")


def _days_or_none(value: Any) -> str | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        return None
    return _("expected a number of days (a whole number above 0) or None, found {value}").format(value=describe(value))


# Never in git: the export holds the names readers gave. CACHE_PATH (cache/) is git-ignored.
EXPORT = Option(
    "HUB_DIALOGUE_EXPORT",
    Derived(
        "`CACHE_PATH/dialogue/export.json`",
        lambda s: os.path.join(s.get("CACHE_PATH", "cache"), "dialogue", "export.json"),
    ),
    path_or_none,
    "the inbox's export of approved comments (not committed); a missing file: no comments yet",
)
URL = Option("HUB_DIALOGUE_URL", "/dialog/", text, "the inbox's address the comment form posts to")
CLOSE_AFTER_DAYS = Option(
    "HUB_DIALOGUE_CLOSE_AFTER_DAYS", 90, _days_or_none, "a post takes comments this many days; None: always"
)
REPORT_EMAIL = Option(
    "HUB_DIALOGUE_REPORT_EMAIL",
    None,
    text_or_none,
    "where a comment's „Melden“ link writes to (mailto); None: the inbox's report page `<URL>melden?item=<id>`",
)
POSTS_SAVE_AS = Option(
    "HUB_DIALOGUE_POSTS_SAVE_AS",
    "dialog/posts.json",
    text_or_none,
    "the list of commentable posts for the inbox, in the output; None: not written",
)
PRIVACY_PAGE = Option("HUB_DIALOGUE_PRIVACY_PAGE", "datenschutz", text, "slug of the privacy page the form links to")

# Notices to the routed person and the lead (`invoke inbox-notify`). The password is never a setting:
# settings files are committed; it comes from the environment variable SMTP_PASSWORD_ENV names.
SMTP_HOST = Option("HUB_DIALOGUE_SMTP_HOST", None, text_or_none, "the mail server for notices; None: no e-mail")
SMTP_PORT = Option("HUB_DIALOGUE_SMTP_PORT", 587, positive_int, "its port (587: submission with STARTTLS)")
SMTP_FROM = Option(
    "HUB_DIALOGUE_SMTP_FROM", None, text_or_none, "the sender of notices, e.g. `Redaktion <blog@example.de>`"
)
SMTP_USER = Option("HUB_DIALOGUE_SMTP_USER", None, text_or_none, "the login at the mail server; None: no login")
SMTP_STARTTLS = Option(
    "HUB_DIALOGUE_SMTP_STARTTLS", True, boolean, "encrypt with STARTTLS before the login (off only on loopback)"
)
SMTP_PASSWORD_ENV = "HUB_DIALOGUE_SMTP_PASSWORD"  # environment only, never in a settings file

OPTIONS = (
    EXPORT,
    URL,
    CLOSE_AFTER_DAYS,
    REPORT_EMAIL,
    POSTS_SAVE_AS,
    PRIVACY_PAGE,
    SMTP_HOST,
    SMTP_PORT,
    SMTP_FROM,
    SMTP_USER,
    SMTP_STARTTLS,
)
