"""The comment intake: a WSGI application (stdlib only, no framework) under a prefix such as /dialog/.

    POST <prefix>                       a comment, sent by the form under a post (hub_dialogue's, no JavaScript)
    GET  <prefix>comment?post=de/slug   the comment form on its own page (fresh token and time)
    POST <prefix>comment                the same as POST <prefix>
    <prefix>redaktion/…                 the moderators' pages (moderation.py), a route given to Intake

Fields: post ("de/slug"), text, name (optional), email (optional, only for a reply notice: stored as
unconfirmed until the writer confirms it, optin.py; not stored at all without HUB_INBOX_SECRET), token
(hidden: a double submit stores once),
rendered_at (hidden: when the form was rendered, ISO 8601), website (the honeypot, hidden). The
static page's form carries the time of the page version it belongs to, so there the fill time only
stops forms sent with a missing or made-up time; the inbox's own form page carries the moment it
was shown.

Every answer is a German page (hub_inbox's catalogue). Whatever goes wrong, the writer's text comes
back in the form (or, where sending again cannot help, shown to copy): nothing is lost. The item's id
is derived from the token and what was written, so sending the same form again (after a 503, or a
double click) finds the stored item, while two readers of a static page that share one token still
get two comments.

Spam: the honeypot, the word list and too many links for a first-time writer are stored as SPAM (or
dropped, `keep_spam=False`) and answered like a real comment, so a bot learns nothing; a form sent
too fast or too often from one network is answered with the form again (422, 429) and not stored, so
a person can send it again.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs

from hub_core.i18n import language, translator
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .model import Decision, Item, Source, Status
from .optin import OptInPages
from .options import origin_of
from .posts import PostsFile
from .privacy import PrivacyPages
from .spam import RateLimiter, Reason, SpamRules, Submission, verdict
from .store import Store, StoreBusy

_, ngettext = translator("hub_inbox")

MAX_NAME = 100
MAX_EMAIL = 254
FORM_OVERHEAD = 8192  # bytes of a form beyond its text: the other fields and their encoding
StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class IntakeConfig:
    posts_file: Path
    prefix: str = "/dialog/"
    origins: tuple[str, ...] = ()  # besides the inbox's own origin
    max_length: int = 5000
    rules: SpamRules = field(default_factory=SpamRules)
    retry_after: int = 5  # seconds, with 503 (database busy)
    keep_spam: bool = True  # store spam as Status.SPAM (for a look when someone asks); False drops it
    privacy_url: str = ""  # the Datenschutz page, linked under the form
    behind_proxy: bool = False  # the client's address is the last of X-Forwarded-For (our proxy sets it)
    secret: str = ""  # HUB_INBOX_SECRET: signs the writer's delete link (privacy.py); "" offers no link
    # Why intake is closed right now (the crisis switch, a freeze: crisis.IntakeStop), or None: asked per request.
    stopped: Callable[[], str | None] = field(default=lambda: None)


@dataclass(frozen=True)
class Answer:
    status: HTTPStatus
    outcome: str  # what happened, for tests and logs: "received", "empty", "busy", …
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Form:
    """The fields as sent (or fresh): what goes back into the form."""

    post: str = ""
    text: str = ""
    name: str = ""
    email: str = ""
    token: str = ""
    rendered_at: str = ""
    website: str = ""

    @classmethod
    def parsed(cls, fields: Mapping[str, list[str]]) -> Form:
        def first(name: str) -> str:
            return fields.get(name, [""])[0]

        return cls(
            post=first("post").strip(),
            text=first("text").replace("\r\n", "\n"),
            name=first("name").strip(),
            email=first("email").strip(),
            token=first("token").strip(),
            rendered_at=first("rendered_at").strip(),
            website=first("website"),
        )

    def item_id(self) -> str:
        """The same form sent twice has the same id (idempotent); a form without token gets a new one."""
        if not self.token:
            return f"web:{uuid.uuid4().hex}"
        digest = hashlib.sha256("\0".join((self.token, self.post, self.name, self.email, self.text)).encode())
        return f"web:{digest.hexdigest()[:32]}"

    def seconds_open(self, now: float) -> float | None:
        try:
            rendered = datetime.fromisoformat(self.rendered_at)
        except ValueError:
            return None
        if rendered.tzinfo is None:
            rendered = rendered.replace(tzinfo=UTC)
        seconds = now - rendered.timestamp()
        return seconds if seconds >= 0 else None  # a time in the future is made up


class Route(Protocol):
    """Pages served beside the intake under its prefix (the moderation: moderation.Moderation)."""

    def handles(self, path: str) -> bool: ...

    def answer(self, environ: Mapping[str, Any]) -> Answer: ...


class Intake:
    """The WSGI application: `Intake(config, store)` is what a WSGI server (wsgiref, gunicorn) calls."""

    def __init__(
        self,
        config: IntakeConfig,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        routes: Iterable[Route] = (),
    ) -> None:
        self.config = config
        self.routes = tuple(routes)
        self.store = store
        self.posts = PostsFile(config.posts_file)
        self.limiter = RateLimiter(config.rules.per_network, config.rules.window_seconds)
        self.clock = clock
        self.monotonic = monotonic
        self.privacy = PrivacyPages(self)
        self.optin = OptInPages(self)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        answer = self.answer(environ)
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(answer.body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
            ("X-Hub-Outcome", answer.outcome),
            *answer.headers,
        ]
        start_response(f"{answer.status.value} {answer.status.phrase}", headers)
        return [answer.body]

    # Routing

    def answer(self, environ: Mapping[str, Any]) -> Answer:
        path = environ.get("PATH_INFO", "") or "/"
        if self.privacy.handles(path):
            return self.privacy.answer(environ)
        if self.optin.handles(path):
            return self.optin.answer(environ)
        for route in self.routes:
            if route.handles(path):
                return route.answer(environ)
        if path not in (self.config.prefix, f"{self.config.prefix}comment"):
            return self._page(HTTPStatus.NOT_FOUND, "not-found", _("Page not found"), [_("This address is unknown.")])
        method = environ.get("REQUEST_METHOD", "GET")
        if method in ("GET", "HEAD") and path.endswith("/comment"):
            query = parse_qs(environ.get("QUERY_STRING", ""))
            return self._fresh_form(query.get("post", [""])[0])
        if method != "POST":
            return self._page(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "method",
                _("Not possible"),
                [_("Comments are sent with the form.")],
                headers=(("Allow", "POST" if path == self.config.prefix else "GET, HEAD, POST"),),
            )
        return self._comment(environ)

    # GET: the form on its own page

    def _fresh_form(self, key: str) -> Answer:
        post = self.posts.get(key)
        if post is None:
            return self._unknown_post(Form(post=key))
        if not post.open or self.config.stopped():
            return self._closed(Form(post=key), post.url)
        form = Form(post=key, token=uuid.uuid4().hex, rendered_at=self._now_text())
        return self._page(
            HTTPStatus.OK,
            "form",
            _("Write a comment"),
            [_("Your comment is checked by the editorial team before it appears.")],
            form=form,
            back=post.url,
        )

    # POST: a comment

    def _comment(self, environ: Mapping[str, Any]) -> Answer:
        if not self._same_origin(environ):
            return self._page(
                HTTPStatus.FORBIDDEN,
                "origin",
                _("Comment not accepted"),
                [_("This form was not sent from our website. Please open the post on our website and comment there.")],
                problem=True,
            )
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if (
            length > self.config.max_length * 4 + FORM_OVERHEAD
        ):  # UTF-8, percent-encoded: up to 4 bytes per character and more
            return self._page(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "too-long",
                _("Comment too long"),
                [_("Comments may have up to {count} characters.").format(count=self.config.max_length)],
                problem=True,
            )
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        form = Form.parsed(parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True))

        post = self.posts.get(form.post)
        if post is None:
            return self._unknown_post(form)
        if not post.open or self.config.stopped():
            # A crisis closes intake at once, before the next build closes the forms; the text comes back.
            return self._closed(form, post.url)
        problem = self._invalid(form)
        if problem:
            return problem

        item_id = form.item_id()
        try:
            if self.store.get(item_id) is not None:
                return self._received(post.url, again=True, offer=self._offer(environ, item_id, form))
            first_time = not (form.email and self.store.has_approved_from(form.email))
        except StoreBusy:
            return self._busy(form)

        now = self.clock()
        reason = verdict(
            Submission(form.text, form.name, form.website, form.seconds_open(now), first_time), self.config.rules
        )
        if reason is Reason.TOO_FAST:
            return self._again(
                HTTPStatus.UNPROCESSABLE_ENTITY,
                "too-fast",
                _("Please check and send again"),
                [_("That was very quick. Please check your comment and send it again.")],
                replace(form, rendered_at=self._now_text()),
            )
        if not self.limiter.allow(self._client(environ), self.monotonic()):
            return self._again(
                HTTPStatus.TOO_MANY_REQUESTS,
                "rate-limit",
                _("Please wait a moment"),
                [
                    _(
                        "Many comments came from your network in a short time (rate limit). Please send your comment again in a few minutes."
                    )
                ],
                form,
                headers=(("Retry-After", str(int(self.config.rules.window_seconds))),),
            )
        created = datetime.fromtimestamp(now, UTC)
        item = Item(
            id=item_id,
            post=post.key,
            source=Source.WEB,
            text=form.text.strip(),
            created=created,
            author=form.name,
            email=form.email if self.config.secret else "",  # without a secret it could never be confirmed
            email_confirmed=False,
        )
        if reason is not None:
            if not self.config.keep_spam:
                return self._received(post.url, offer=self._offer(environ, item_id, form))
            item = item.with_status(Status.SPAM, Decision("system", created, "spam", reason.value))
        try:
            added = self.store.add(item)
        except StoreBusy:
            return self._busy(form)
        return self._received(post.url, again=not added, offer=self._offer(environ, item_id, form))

    def _offer(self, environ: Mapping[str, Any], item_id: str, form: Form) -> dict[str, Any]:
        return {**self.privacy.offer(environ, item_id), **self.optin.offer(form.email)}

    def _invalid(self, form: Form) -> Answer | None:
        if not form.text.strip():
            return self._again(
                HTTPStatus.UNPROCESSABLE_ENTITY, "empty", _("Comment empty"), [_("Please write a comment.")], form
            )
        if len(form.text) > self.config.max_length:
            return self._again(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "too-long",
                _("Comment too long"),
                [
                    _("Comments may have up to {count} characters; yours has {length}. Please shorten it.").format(
                        count=self.config.max_length, length=len(form.text)
                    )
                ],
                form,
            )
        if len(form.name) > MAX_NAME:
            return self._again(
                HTTPStatus.UNPROCESSABLE_ENTITY,
                "name",
                _("Name too long"),
                [_("A name may have up to {count} characters.").format(count=MAX_NAME)],
                form,
            )
        if form.email and (len(form.email) > MAX_EMAIL or "@" not in form.email.strip("@") or " " in form.email):
            return self._again(
                HTTPStatus.UNPROCESSABLE_ENTITY,
                "email",
                _("E-mail address not valid"),
                [_("Please check the e-mail address, or leave the field empty: it is only needed for a reply notice.")],
                form,
            )
        return None

    # The answers

    def _received(self, back: str, *, again: bool = False, offer: Mapping[str, Any] | None = None) -> Answer:
        return self._page(
            HTTPStatus.OK,
            "duplicate" if again else "received",
            _("Thank you, your comment is being checked"),
            [
                _("We had already received this comment. It is not stored twice.")
                if again
                else _("The editorial team checks every comment before it appears under the post.")
            ],
            back=back,
            template="privacy.html",
            extra=offer,
        )

    def _busy(self, form: Form) -> Answer:
        return self._again(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "busy",
            _("Please send again"),
            [_("Your comment could not be saved just now. Your text is still here: please send it again.")],
            form,
            headers=(("Retry-After", str(self.config.retry_after)),),
        )

    def _unknown_post(self, form: Form) -> Answer:
        return self._page(
            HTTPStatus.NOT_FOUND,
            "unknown-post",
            _("Post not found"),
            [_("There is no published post “{post}” to comment on.").format(post=form.post)],
            kept=form.text,
            problem=True,
        )

    def _closed(self, form: Form, back: str) -> Answer:
        return self._page(
            HTTPStatus.FORBIDDEN,
            "closed",
            _("Comments closed"),
            [_("Comments on this post are closed.")],
            kept=form.text,
            back=back,
            problem=True,
        )

    def _again(
        self,
        status: HTTPStatus,
        outcome: str,
        title: str,
        lines: list[str],
        form: Form,
        *,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Answer:
        post = self.posts.get(form.post)
        return self._page(
            status, outcome, title, lines, form=form, back=post.url if post else "", headers=headers, problem=True
        )

    def _page(
        self,
        status: HTTPStatus,
        outcome: str,
        title: str,
        lines: list[str],
        *,
        form: Form | None = None,
        back: str = "",
        kept: str = "",
        problem: bool = False,
        headers: tuple[tuple[str, str], ...] = (),
        template: str = "page.html",
        extra: Mapping[str, Any] | None = None,
    ) -> Answer:
        html = (
            templates()
            .get_template(template)
            .render(
                language=language(),
                outcome=outcome,
                title=title,
                lines=lines,
                problem=problem,
                form=self._form_view(form) if form else None,
                back={"url": back, "text": _("Back to the post")} if back else None,
                kept={"label": _("Your text, to copy:"), "text": kept} if kept.strip() else None,
                **(extra or {}),
            )
        )
        return Answer(status, outcome, html.encode("utf-8"), headers)

    def _form_view(self, form: Form) -> dict[str, Any]:
        return {
            **vars(form),
            "action": self.config.prefix,
            "max_length": self.config.max_length,
            "max_name": MAX_NAME,
            "privacy_url": self.config.privacy_url,
            "labels": {
                "text": _("Your comment"),
                "name": _("Name (optional, shown with the comment)"),
                "email": _("E-mail (optional, only for a notice when we answer; never shown)"),
                "trap": _("Please leave this field empty"),
                "privacy": _("How we handle your data (privacy)"),
                "send": _("Send comment"),
            },
        }

    # Request details

    def _same_origin(self, environ: Mapping[str, Any]) -> bool:
        return same_origin(environ, self.config.origins)

    def _client(self, environ: Mapping[str, Any]) -> str:
        if self.config.behind_proxy:
            forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
            if forwarded:
                return forwarded[-1]
        return str(environ.get("REMOTE_ADDR", ""))

    def _now_text(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds")


def same_origin(environ: Mapping[str, Any], origins: Iterable[str]) -> bool:
    """CSRF: the form must come from the blog (a configured origin) or from the inbox's own pages."""
    sent = environ.get("HTTP_ORIGIN") or origin_of(environ.get("HTTP_REFERER", ""))
    if not sent or sent == "null":
        return False
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}".lower()
    return sent.lower() in {own, *(origin.lower().rstrip("/") for origin in origins)}


@cache
def templates() -> Environment:
    folder = Path(__file__).with_name("templates")
    return Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(("html",)))
