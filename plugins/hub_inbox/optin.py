"""The reply notice's double opt-in (issue 15, point 2): pages beside the intake, and which mails are due.

    GET  <prefix>bestaetigen?id=…&key=…   the link in the confirmation mail: asks to confirm (a button)
    POST <prefix>bestaetigen              sets email_confirmed: one reply notice may now go to the address
    GET  <prefix>abmelden?id=…&key=…      the link in the reply notice: asks to confirm
    POST <prefix>abmelden                 wipes the address from the comment (the comment stays)

A GET never changes anything (mail scanners open links). The keys are HMACs of the item's id with
HUB_INBOX_SECRET and a purpose, like the delete link (privacy.py): nothing is stored for them.
Without a secret no address is stored and no notice offered.

No mail is sent inside a request: the intake stores the comment, and the item itself is the queue.
`invoke inbox-notify` (hub_dialogue.writer_mail) sends what the functions below say is due and notes
each mail in the item's log (Store.note), so it is sent once and retried until the server took it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

from hub_core.i18n import translator

from .model import Decision, Item, Source, Status
from .store import StoreBusy

if TYPE_CHECKING:
    from .app import Answer, Intake

_, ngettext = translator("hub_inbox")

CONFIRM_PAGE = "bestaetigen"
UNSUBSCRIBE_PAGE = "abmelden"

# Log actions (Decision.action) on the comment; the reasons never hold the address.
OPTIN_MAIL = "optin-mail"  # the confirmation mail was sent
CONFIRMED = "email-confirmed"  # the writer pressed the confirm button
REPLY_NOTICE = "reply-notice"  # the one reply notice was sent
UNSUBSCRIBED = "email-unsubscribed"  # the writer wiped the address
EXPIRED = "email-expired"  # not confirmed in time: wiped

_PURPOSES = {CONFIRM_PAGE: "confirm", UNSUBSCRIBE_PAGE: "unsubscribe"}
# A comment whose status allows mail to its writer (spam and rejected comments get none: the form
# must not become a way to send our mail to a stranger's address more than once).
_MAILABLE = (Status.PENDING, Status.APPROVED)


def link_key(secret: str, page: str, item_id: str) -> str:
    """The private key of an item's confirm or unsubscribe link; a key for one page fits no other."""
    message = f"{_PURPOSES[page]}\0{item_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def link(base: str, secret: str, page: str, item_id: str) -> str:
    """`base` is the inbox's public address with its prefix (`https://blog.example.de/dialog/`)."""
    return f"{base}{page}?{urlencode({'id': item_id, 'key': link_key(secret, page, item_id)})}"


def _logged(item: Item, action: str) -> bool:
    return any(decision.action == action for decision in item.decisions)


# What is due (pure: items in, items out)


def confirmations_due(items: Iterable[Item]) -> list[Item]:
    """Comments with an unconfirmed address that never got their confirmation mail."""
    return [
        item
        for item in items
        if item.source is Source.WEB
        and item.email
        and not item.email_confirmed
        and item.status in _MAILABLE
        and not _logged(item, OPTIN_MAIL)
    ]


def replies_due(items: Iterable[Item]) -> list[tuple[Item, Item]]:
    """(comment, its first public answer) for every comment with a confirmed address that has a public
    answer (a staff answer after its second approval, or any approved reply) and no reply notice yet."""
    items = list(items)
    answers: dict[str, Item] = {}
    for item in items:
        if item.public and item.parent and item.parent not in answers:
            answers[item.parent] = item
    return [
        (item, answers[item.id])
        for item in items
        if item.id in answers and item.email and item.email_confirmed and not _logged(item, REPLY_NOTICE)
    ]


def expired(items: Iterable[Item], now: datetime, days: int) -> list[Item]:
    """Comments whose address was not confirmed within `days` of the comment: it is wiped."""
    limit = now - timedelta(days=days)
    return [item for item in items if item.email and not item.email_confirmed and item.created <= limit]


# The pages


class OptInPages:
    """Serves the confirm and unsubscribe pages for an Intake (its store, clock, origin check, pages)."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake

    def handles(self, path: str) -> bool:
        prefix = self.intake.config.prefix
        return path in (f"{prefix}{CONFIRM_PAGE}", f"{prefix}{UNSUBSCRIBE_PAGE}")

    def offer(self, email: str) -> dict[str, Any]:
        """What the thanks page says about the reply notice when the writer gave an address."""
        if not email:
            return {}
        if not self.intake.config.secret:
            return {
                "optin_note": _(
                    "Notices by e-mail are not set up here, so your e-mail address was not stored."
                    " Please look at the post again later."
                )
            }
        return {
            "optin_note": _(
                "We will send you an e-mail with a link. Only after you confirm it we write to you once,"
                " when we answer your comment. Without confirmation your address is deleted."
            )
        }

    def answer(self, environ: Mapping[str, Any]) -> Answer:
        intake = self.intake
        page = environ.get("PATH_INFO", "").rpartition("/")[2]
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD", "POST"):
            return intake._page(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "method",
                _("Not possible"),
                [_("This page is opened with a link and sent with its form.")],
                headers=(("Allow", "GET, HEAD, POST"),),
            )
        fields = parse_qs(environ.get("QUERY_STRING", ""))
        if method == "POST":
            if not intake._same_origin(environ):
                return intake._page(
                    HTTPStatus.FORBIDDEN,
                    "origin",
                    _("Not accepted"),
                    [_("This form was not sent from our website. Please open the link again.")],
                    problem=True,
                )
            try:
                length = min(int(environ.get("CONTENT_LENGTH") or 0), 4096)
            except ValueError:
                length = 0
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            fields = parse_qs(body.decode("utf-8", errors="replace"))
        item_id = fields.get("id", [""])[0]
        key = fields.get("key", [""])[0]
        secret = intake.config.secret
        if not (secret and hmac.compare_digest(link_key(secret, page, item_id), key)):
            return intake._page(
                HTTPStatus.FORBIDDEN,
                "optin-refused",
                _("Link not valid"),
                [_("This link is not valid. Please use the complete link from our e-mail.")],
                problem=True,
            )
        try:
            if page == CONFIRM_PAGE:
                return self._confirm(item_id, key, done=method == "POST")
            return self._unsubscribe(item_id, key, done=method == "POST")
        except StoreBusy:
            return intake._page(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "busy",
                _("Please try again"),
                [_("The request could not be handled just now. Please try again in a moment.")],
                problem=True,
                headers=(("Retry-After", str(intake.config.retry_after)),),
            )

    def _confirm(self, item_id: str, key: str, *, done: bool) -> Answer:
        item = self.intake.store.get(item_id)
        if item is None or not item.email:
            return self._gone()
        if item.email_confirmed:
            return self.intake._page(
                HTTPStatus.OK, "confirmed-already", _("Already confirmed"), [_("Your e-mail address is confirmed.")]
            )
        if not done:
            return self._ask(
                "confirm-ask",
                _("Confirm your e-mail address?"),
                _("We write to you once, when we answer your comment. You can delete your address at any time."),
                CONFIRM_PAGE,
                item_id,
                key,
                _("Confirm e-mail address"),
            )
        self.intake.store.confirm_email(item_id, Decision("writer", self._now(), CONFIRMED))
        return self.intake._page(
            HTTPStatus.OK,
            "confirmed",
            _("E-mail address confirmed"),
            [_("Thank you. We write to you once, when we answer your comment.")],
        )

    def _unsubscribe(self, item_id: str, key: str, *, done: bool) -> Answer:
        item = self.intake.store.get(item_id)
        if item is None or not item.email:
            return self._gone()
        if not done:
            return self._ask(
                "unsubscribe-ask",
                _("Delete your e-mail address?"),
                _("Your e-mail address is deleted from your comment; your comment stays."),
                UNSUBSCRIBE_PAGE,
                item_id,
                key,
                _("Delete e-mail address"),
            )
        self.intake.store.drop_email(item_id, Decision("writer", self._now(), UNSUBSCRIBED))
        return self._gone()

    def _gone(self) -> Answer:
        return self.intake._page(
            HTTPStatus.OK,
            "email-deleted",
            _("E-mail address deleted"),
            [_("We have no e-mail address for this comment (any more) and will not write to you about it.")],
        )

    def _ask(self, outcome: str, title: str, line: str, page: str, item_id: str, key: str, send: str) -> Answer:
        return self.intake._page(
            HTTPStatus.OK,
            outcome,
            title,
            [line],
            template="privacy.html",
            extra={
                "confirm": {
                    "action": f"{self.intake.config.prefix}{page}",
                    "id": item_id,
                    "key": key,
                    "send": send,
                }
            },
        )

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.intake.clock(), UTC)
