"""hub_dialogue: reader comments on the static site (issue 15, points 7 and 8).

Reads the inbox's export of approved comments (hub_inbox.model.read_export; the file is never
committed), attaches to each published post a `dialogue` (thread.ThreadView: the approved items in
thread order, the count, whether the form is open) that the theme renders server-side, and writes
the list of commentable posts for the inbox (posts_index.py) into the output.

A thread is open unless the post says `comments: closed|off`, it is older than
HUB_DIALOGUE_CLOSE_AFTER_DAYS, or a crisis stop or a freeze is in force (hub_review's judgement:
then every form on the site is closed at once).
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hub_core import build_tracking, state
from hub_core.errors import BuildStopped
from hub_core.files import write_atomically
from hub_core.i18n import translator
from hub_core.options import beside_content, read
from hub_inbox.model import ExportError, PostDialogue, read_export
from hub_inbox.options import configured_database
from hub_review.freeze import crisis_window
from hub_review.slots import OVERDUE_COMMENTS, REVIEW, DialogueDeadlines
from pelican import signals

from .deadlines import read_deadlines
from .options import CLOSE_AFTER_DAYS, EXPORT, POSTS_SAVE_AS, PRIVACY_PAGE, REPORT_EMAIL, URL
from .posts_index import IndexedPost, PostsIndex, render_posts_index
from .slots import DIALOGUE
from .thread import Intake, ThreadView, comment_count, form_token, intake, shown_items, thread_order

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_dialogue")
PREFIX = "dialogue:"


def export_file(settings: dict[str, Any]) -> Path | None:
    """HUB_DIALOGUE_EXPORT; a relative path counts from the folder holding content/, like HUB_CALENDAR."""
    configured = read(EXPORT, settings)
    if not configured:
        return None
    return beside_content(settings, configured)


def load_export(path: Path | None) -> dict[str, PostDialogue]:
    """The approved dialogue by post key; no file yet means no comments yet."""
    if path is None or not path.exists():
        return {}
    try:
        return read_export(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ExportError) as error:
        raise BuildStopped(
            f"{PREFIX} {path}: "
            + _("cannot read the export of approved comments ({problem}); nothing was written").format(problem=error)
        ) from None


def _now_and_stop(settings: dict[str, Any], zone: ZoneInfo) -> tuple[datetime, bool]:
    """hub_review's clock and its judgement of freezes; without hub_review, the crisis switch alone."""
    review = state.of(settings).get(REVIEW)
    if review is not None:
        return review.result.now, review.result.crossposting_stop() is not None
    now = datetime.now(zone)
    return now, crisis_window(os.environ, now, zone) is not None


def attach_threads(generator: Any) -> None:
    settings = generator.settings
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    dialogues = load_export(export_file(settings))
    now, stopped = _now_and_stop(settings, zone)
    inbox_url = str(read(URL, settings))
    report_email = read(REPORT_EMAIL, settings)
    close_after = read(CLOSE_AFTER_DAYS, settings)
    siteurl = str(settings.get("SITEURL") or "")
    indexed = []
    posts: dict[str, tuple[str, str]] = {}
    for article in [*generator.articles, *generator.translations]:
        key = f"{article.lang}/{article.slug}"
        post_url = f"{siteurl}/{article.url}"
        dialogue = dialogues.get(key)
        state_now = intake(getattr(article, "comments", None), article.date, now, close_after, stopped)
        items = shown_items(thread_order(dialogue.items if dialogue else ()), post_url, inbox_url, report_email, zone)
        count = comment_count(dialogue)
        # The form's timestamp and token change only when what the page shows changes: a rebuild
        # reuses the page (hub_page_cache), and the inbox still tells one page version from another.
        rendered_at = max([article.date, *(item.created for item in items)]).isoformat()
        shown = hashlib.sha256(repr((items, count, state_now)).encode()).hexdigest()
        article.dialogue = ThreadView(
            key=key,
            intake=state_now,
            items=items if state_now is not Intake.OFF else (),
            count=count if state_now is not Intake.OFF else 0,
            action=inbox_url,
            token=form_token(key, rendered_at, shown),
            rendered_at=rendered_at,
            privacy=str(read(PRIVACY_PAGE, settings)),
        )
        category = getattr(article, "category", None)
        category_name = str(category.name) if category else ""
        posts[key] = (str(article.title), category_name)
        indexed.append(IndexedPost(key, post_url, state_now is Intake.OPEN, category_name, str(article.title)))
    state.of(settings).put(DIALOGUE, PostsIndex(tuple(indexed)))
    state.of(settings).put(OVERDUE_COMMENTS, _deadlines(settings, posts))
    if stopped:
        logger.info("%s %s", PREFIX, _("a crisis stop or a freeze is in force: every comment form is closed"))


def _deadlines(settings: dict[str, Any], posts: dict[str, tuple[str, str]]) -> DialogueDeadlines:
    """The inbox's comments past their deadline, for the editors' dashboard (hub_review shows them)."""
    review = state.of(settings).get(REVIEW)
    if review is None:  # no calendar judged: no business hours, no deadlines
        return DialogueDeadlines()
    found = read_deadlines(configured_database(settings), review.result.calendar, posts, review.result.now)
    if found.problem:
        logger.warning(
            "%s %s",
            PREFIX,
            _("cannot read the inbox's database {path}: {problem}").format(path=found.database, problem=found.problem),
        )
    return found


def write_posts_index(pelican: Any) -> None:
    settings = pelican.settings
    index = state.of(settings).get(DIALOGUE)
    save_as = read(POSTS_SAVE_AS, settings)
    if index is None or not save_as:
        return
    write_atomically(Path(pelican.output_path) / save_as, render_posts_index(index.posts))


# Pelican's signals outlive a build: tests disconnect these to leave other builds as their PLUGINS say.
CONNECTIONS = (
    (signals.article_generator_finalized, attach_threads),
    (signals.finalized, write_posts_index),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
