"""Mail to the writers of comments (`invoke inbox-notify`, beside the team's notices): the one
confirmation mail of the double opt-in, the one reply notice to a confirmed address, and the wiping
of addresses that were not confirmed in time. hub_inbox.optin says what is due and serves the links.

Why a queue and not a mail from the intake: a request must not wait for a mail server (a slow or
down server would hold the writer's "Danke" page and a request thread), and a mail sent from the
request is lost when the server refuses it. The item is the queue: `inbox-notify` sends, then notes
the mail in the item's log (Store.note), so each mail goes out once and a refused one is tried again
on the next run (a crash between sending and noting sends it twice, never loses it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from hub_core.i18n import translator
from hub_inbox.model import Decision, Item
from hub_inbox.optin import (
    CONFIRM_PAGE,
    EXPIRED,
    OPTIN_MAIL,
    REPLY_NOTICE,
    UNSUBSCRIBE_PAGE,
    confirmations_due,
    expired,
    link,
    replies_due,
)
from hub_inbox.posts import CommentablePost
from hub_inbox.store import Store

from .notices import NoticeText
from .notify import Mailer, NoticeFailed
from .routing import SYSTEM

_, ngettext = translator("hub_dialogue")

EXCERPT = 80  # characters of the comment quoted in the confirmation mail (never the whole text: see below)


@dataclass(frozen=True)
class WriterLinks:
    """Where the links in the mails point: the inbox's public address, and the secret that signs them."""

    base: str  # HUB_INBOX_PUBLIC_URL, e.g. https://blog.example.de/dialog/
    secret: str  # HUB_INBOX_SECRET


@dataclass(frozen=True)
class WriterMail:
    """What became of one mail to a writer (never the address: this is printed)."""

    item: str
    kind: str  # OPTIN_MAIL, REPLY_NOTICE
    problem: str = ""  # why it did not go out; "" when it did


def confirmation_text(item: Item, post: CommentablePost | None, confirm_url: str, days: int) -> NoticeText:
    # Only a short excerpt: anyone can type a stranger's address into the form, and the mail must
    # not carry their text to that stranger.
    excerpt = " ".join(item.text.split())
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[: EXCERPT - 1].rstrip() + "…"
    title = _post_name(item, post)
    lines = [
        _("Hello,"),
        "",
        _("you commented on our post {post} and asked for a notice when we answer:").format(post=title),
        "",
        f"„{excerpt}“",
        "",
        _("Please confirm your e-mail address with this link:"),
        confirm_url,
        "",
        _(
            "If that was not you, ignore this e-mail: without confirmation we do not write to you again,"
            " and we delete the address after {days} days."
        ).format(days=days),
    ]
    return NoticeText(_("Please confirm: a notice when we answer your comment"), "\n".join(lines) + "\n")


def reply_text(item: Item, post: CommentablePost | None, unsubscribe_url: str) -> NoticeText:
    title = _post_name(item, post)
    lines = [_("Hello,"), "", _("there is an answer to your comment on our post {post}:").format(post=title)]
    if post is not None and post.url:
        lines.append(f"{post.url}#kommentare")
    lines += [
        "",
        _("We send this notice only once."),
        _("Delete your e-mail address from your comment with this link:"),
        unsubscribe_url,
    ]
    return NoticeText(_("An answer to your comment on {post}").format(post=title), "\n".join(lines) + "\n")


def _post_name(item: Item, post: CommentablePost | None) -> str:
    return f"„{post.title}“" if post is not None and post.title else item.post


def notify_writers(
    store: Store,
    posts: Mapping[str, CommentablePost],
    now: datetime,
    mailer: Mailer | None,
    links: WriterLinks | None,
    unconfirmed_days: int,
) -> tuple[list[WriterMail], int]:
    """Wipe the addresses not confirmed in time, then send the due confirmation mails and reply notices
    (none without a mail server or links); the mails and how many addresses were wiped."""
    wiped = 0
    for item in expired(store.items(), now, unconfirmed_days):
        store.drop_email(item.id, Decision(SYSTEM, now, EXPIRED, f"not confirmed within {unconfirmed_days} days"))
        wiped += 1
    if mailer is None or links is None or not links.secret or not links.base:
        return [], wiped
    items = store.items()
    mails = []
    for item in confirmations_due(items):
        url = link(links.base, links.secret, CONFIRM_PAGE, item.id)
        text = confirmation_text(item, posts.get(item.post), url, unconfirmed_days)
        mails.append(_send(store, mailer, item, text, OPTIN_MAIL, now))
    for item, _answer in replies_due(items):
        url = link(links.base, links.secret, UNSUBSCRIBE_PAGE, item.id)
        mails.append(_send(store, mailer, item, reply_text(item, posts.get(item.post), url), REPLY_NOTICE, now))
    return mails, wiped


def _send(store: Store, mailer: Mailer, item: Item, text: NoticeText, kind: str, now: datetime) -> WriterMail:
    try:
        mailer.send(item.email, text)
    except NoticeFailed as error:
        return WriterMail(item.id, kind, str(error))
    store.note(item.id, Decision(SYSTEM, now, kind))
    return WriterMail(item.id, kind)
