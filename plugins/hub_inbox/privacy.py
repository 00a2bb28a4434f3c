"""The writer's and the reader's rights in the inbox (issue 15, point 8): pages beside the intake.

    GET  <prefix>loeschen?id=…&key=…   the writer's private delete link (shown on the thanks page): asks to confirm
    POST <prefix>loeschen              deletes that comment: status DELETED, text and name wiped, a "delete" decision
    GET  <prefix>melden?item=…         the report form ("Melden", DSA notice-and-action) for a shown comment
    POST <prefix>melden                records a "report" decision with the reason; the item is back in the
                                       moderators' view (Item.reported) and stays shown until they decide

The delete key is an HMAC of the item's id with the server's secret (HUB_INBOX_SECRET): only the
writer, who saw the thanks page, has it; nothing about the writer is stored for it. Without a
secret no link is offered and the thanks page says how to ask for deletion. A GET never deletes
(mail scanners and link previews open links): the link shows a button, the button deletes.
Both forms are checked like the intake's (CSRF by origin) and the report form is rate-limited with it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

from hub_core.i18n import N_, translator

from .model import DELETE, REPORT, Decision, Status
from .store import StoreBusy

if TYPE_CHECKING:
    from .app import Answer, Intake

_, ngettext = translator("hub_inbox")

DELETE_PAGE = "loeschen"
REPORT_PAGE = "melden"
MAX_REASON = 2000

# The report form's grounds (value → label); the value is what the decision's reason starts with.
GROUNDS = (
    ("illegal", N_("Illegal content (e.g. incitement, threats)")),
    ("insult", N_("Insult or defamation")),
    ("personal-data", N_("Personal data of others")),
    ("spam", N_("Spam or advertising")),
    ("other", N_("Something else")),
)


def delete_key(secret: str, item_id: str) -> str:
    """The private key of one item's delete link: an HMAC of its id with the server's secret."""
    return hmac.new(secret.encode(), item_id.encode(), hashlib.sha256).hexdigest()[:32]


def key_fits(secret: str, item_id: str, key: str) -> bool:
    return bool(secret) and hmac.compare_digest(delete_key(secret, item_id), key)


class PrivacyPages:
    """Serves the two pages for an Intake (its store, clock, origin check, rate limiter and page renderer)."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake

    def handles(self, path: str) -> bool:
        prefix = self.intake.config.prefix
        return path in (f"{prefix}{DELETE_PAGE}", f"{prefix}{REPORT_PAGE}")

    def answer(self, environ: Mapping[str, Any]) -> Answer:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD", "POST"):
            return self.intake._page(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "method",
                _("Not possible"),
                [_("This page is opened with a link and sent with its form.")],
                headers=(("Allow", "GET, HEAD, POST"),),
            )
        fields = parse_qs(environ.get("QUERY_STRING", ""))
        if method == "POST":
            if not self.intake._same_origin(environ):
                return self.intake._page(
                    HTTPStatus.FORBIDDEN,
                    "origin",
                    _("Not accepted"),
                    [_("This form was not sent from our website. Please open the link again.")],
                    problem=True,
                )
            try:
                length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_REASON * 4 + 4096)
            except ValueError:
                length = 0
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        try:
            if path.endswith(DELETE_PAGE):
                return self._delete(fields, confirmed=method == "POST")
            return self._report(environ, fields, send=method == "POST")
        except StoreBusy:
            return self.intake._page(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "busy",
                _("Please try again"),
                [_("The request could not be handled just now. Please try again in a moment.")],
                problem=True,
                headers=(("Retry-After", str(self.intake.config.retry_after)),),
            )

    # The thanks page's offer

    def offer(self, environ: Mapping[str, Any], item_id: str) -> dict[str, Any]:
        """What the thanks page says about deleting: the private link, or (no secret) how to ask."""
        secret = self.intake.config.secret
        if not secret:
            return {
                "delete_note": _(
                    "If you want your comment deleted later, write to the editorial team; our privacy page says how."
                ),
                "privacy_url": self.intake.config.privacy_url,
                "privacy_text": _("How we handle your data (privacy)"),
            }
        query = urlencode({"id": item_id, "key": delete_key(secret, item_id)})
        url = f"{self._origin(environ)}{self.intake.config.prefix}{DELETE_PAGE}?{query}"
        return {
            "delete_note": _("Keep this private link: with it you can delete your comment at any time."),
            "delete_url": url,
            "delete_text": _("Delete my comment"),
        }

    # Delete

    def _delete(self, fields: Mapping[str, list[str]], *, confirmed: bool) -> Answer:
        item_id = fields.get("id", [""])[0]
        key = fields.get("key", [""])[0]
        if not key_fits(self.intake.config.secret, item_id, key):
            return self.intake._page(
                HTTPStatus.FORBIDDEN,
                "delete-refused",
                _("Link not valid"),
                [_("This delete link is not valid. Please use the complete link from the thanks page.")],
                problem=True,
            )
        item = self.intake.store.get(item_id)
        if item is None or item.status is Status.DELETED:
            return self.intake._page(
                HTTPStatus.OK, "deleted-already", _("Comment deleted"), [_("This comment was deleted.")]
            )
        if not confirmed:
            return self.intake._page(
                HTTPStatus.OK,
                "delete-confirm",
                _("Delete your comment?"),
                [_("Your comment, your name and your e-mail address are deleted. This cannot be undone.")],
                template="privacy.html",
                extra={
                    "confirm": {
                        "action": f"{self.intake.config.prefix}{DELETE_PAGE}",
                        "id": item_id,
                        "key": key,
                        "text": item.text,
                        "send": _("Delete comment"),
                    }
                },
            )
        self.intake.store.erase(item_id, Decision("writer", self._now(), DELETE, "deleted by the writer"))
        return self.intake._page(
            HTTPStatus.OK,
            "deleted",
            _("Comment deleted"),
            [
                _("Your comment was deleted from our inbox."),
                _("If it was shown on the website, it disappears with the next update of the website."),
            ],
        )

    # Report

    def _report(self, environ: Mapping[str, Any], fields: Mapping[str, list[str]], *, send: bool) -> Answer:
        item_id = fields.get("item", [""])[0]
        item = self.intake.store.get(item_id)
        if item is None or not item.public:
            return self.intake._page(
                HTTPStatus.NOT_FOUND,
                "report-unknown",
                _("Comment not found"),
                [_("This comment is not shown (any more). Thank you for your attention.")],
            )
        ground = fields.get("ground", [""])[0]
        reason = fields.get("reason", [""])[0].replace("\r\n", "\n").strip()
        problem = ""
        if send:
            if ground not in dict(GROUNDS):
                problem = _("Please choose why you report this comment.")
            elif not reason:
                problem = _("Please explain briefly what is wrong with this comment.")
            elif len(reason) > MAX_REASON:
                problem = _("Please shorten your explanation to {count} characters.").format(count=MAX_REASON)
        if send and not problem:
            if not self.intake.limiter.allow(self.intake._client(environ), self.intake.monotonic()):
                problem = _("Many reports came from your network in a short time. Please try again in a few minutes.")
            else:
                self.intake.store.note(item_id, Decision("reader", self._now(), REPORT, f"{ground}: {reason}"))
                return self.intake._page(
                    HTTPStatus.OK,
                    "reported",
                    _("Thank you for your report"),
                    [_("The editorial team checks the comment and records its decision with a reason.")],
                )
        return self.intake._page(
            HTTPStatus.UNPROCESSABLE_ENTITY if problem else HTTPStatus.OK,
            "report-again" if problem else "report-form",
            _("Report a comment"),
            [problem]
            if problem
            else [_("Tell us what is wrong with this comment. You do not need to give your name.")],
            problem=bool(problem),
            template="privacy.html",
            extra={
                "report": {
                    "action": f"{self.intake.config.prefix}{REPORT_PAGE}",
                    "item": item_id,
                    "author": item.author or _("Anonymous"),
                    "text": item.text,
                    "grounds": [
                        {"value": value, "label": _(label), "checked": value == ground} for value, label in GROUNDS
                    ],
                    "ground_label": _("Why do you report it?"),
                    "reason_label": _("Your explanation"),
                    "reason": reason,
                    "max_reason": MAX_REASON,
                    "send": _("Send report"),
                    "quoted": _("The comment:"),
                }
            },
        )

    # Details

    def _origin(self, environ: Mapping[str, Any]) -> str:
        scheme = environ.get("wsgi.url_scheme", "http")
        if self.intake.config.behind_proxy:
            scheme = environ.get("HTTP_X_FORWARDED_PROTO", scheme) or scheme
        return f"{scheme}://{environ.get('HTTP_HOST', '')}"

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.intake.clock(), UTC)
