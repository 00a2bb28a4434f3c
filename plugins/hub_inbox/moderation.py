"""The moderators' pages: the queue of pending items per post, approve / reject (with a reason) /
spam, staff answers (four eyes), every item's log. Server-rendered, no JavaScript, German through
hub_inbox's catalogue. Served by the intake (app.py) under `<prefix>redaktion/`:

    GET  redaktion/            the queue (no session: 303 to the login)
    GET  redaktion/anmelden    the login form;  POST: log in (team id and password)
    POST redaktion/abmelden    log out
    POST redaktion/entscheiden item, action (approve | reject | spam), reason (required to reject)
    POST redaktion/antworten   a staff answer: post, parent ("" answers the post), text, token
    GET  redaktion/verlauf     ?item=<id>: who decided what, when

Who may log in: the calendar's team members with the `editor` right, with a password set by
`invoke inbox-password` (passwords.py), or, when HUB_INBOX_USER_HEADER names one, whoever the
reverse proxy in front vouches for in that header (the proxy must strip it from clients' requests).
Every POST checks the Origin (as the intake does) and the session's CSRF token.
Who may decide what: rights.py.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote

from hub_content.calendar import Calendar
from hub_core.i18n import N_, language, translator

from .app import Answer, IntakeConfig, same_origin, templates
from .model import Decision, Item, Source, Status
from .passwords import DUMMY_HASH, verify_password
from .posts import PostsFile
from .rights import approval_refusal, approvals_missing, decision_refusal, public_after, staff_answer, writer_of
from .sessions import Session, Sessions
from .store import Store, StoreBusy

_, ngettext = translator("hub_inbox")

AREA = "redaktion/"
COOKIE = "hub_inbox_session"
MAX_FORM_BYTES = 256 * 1024

SOURCES = {
    Source.WEB: N_("comment form"),
    Source.MASTODON: N_("Mastodon"),
    Source.BLUESKY: N_("Bluesky"),
    Source.STAFF: N_("answer of the editorial team"),
}
ACTIONS = {
    "write": N_("written"),
    "approve": N_("approved"),
    "reject": N_("rejected"),
    "spam": N_("marked as spam"),
    "delete": N_("deleted"),
    "forget": N_("erased (forget this person)"),
    "report": N_("reported"),
    "route": N_("routed"),
    "escalate": N_("escalated"),
}
STATUSES = {
    Status.PENDING: N_("waiting for a decision"),
    Status.APPROVED: N_("approved (public)"),
    Status.REJECTED: N_("rejected"),
    Status.SPAM: N_("spam"),
    Status.DELETED: N_("deleted"),
}
NOTICES = {
    "approved": N_("Approved: the item is public with the next build."),
    "approval-recorded": N_("Approval recorded. A second editor must approve the answer before it appears."),
    "rejected": N_("Rejected. The reason is in the item's log."),
    "spam": N_("Marked as spam."),
    "answered": N_("Answer saved. It appears once a second editor has approved it."),
    "logged-out": N_("You are logged out."),
}


@dataclass(frozen=True)
class Request:
    environ: Mapping[str, Any]
    path: str  # below the area: "", "anmelden", …
    method: str
    fields: Mapping[str, list[str]]

    def field(self, name: str) -> str:
        return self.fields.get(name, [""])[0]


class Moderation:
    """A route of the intake (app.Route): everything under `<prefix>redaktion/`."""

    def __init__(
        self,
        intake: IntakeConfig,
        calendar: Calendar,
        store: Store,
        *,
        user_header: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.intake = intake
        self.base = intake.prefix + AREA
        self.calendar = calendar
        self.store = store
        self.posts = PostsFile(intake.posts_file)
        self.user_header = user_header
        self.sessions = Sessions()
        self.clock = clock

    def handles(self, path: str) -> bool:
        return path.startswith(self.base) or path == self.base.rstrip("/")

    def answer(self, environ: Mapping[str, Any]) -> Answer:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.base):
            return _redirect(self.base, "moved")
        request = Request(environ, path[len(self.base) :], environ.get("REQUEST_METHOD", "GET"), {})
        if request.method == "POST":
            if not same_origin(environ, self.intake.origins):
                return self._problem(HTTPStatus.FORBIDDEN, "origin", _("This form was not sent from this page."))
            try:
                length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_FORM_BYTES)
            except ValueError:
                length = 0
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            request = Request(environ, request.path, request.method, fields)
        elif request.method not in ("GET", "HEAD"):
            return self._problem(HTTPStatus.METHOD_NOT_ALLOWED, "method", _("Not possible"))
        try:
            return self._route(request)
        except StoreBusy:
            return self._problem(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "busy",
                _("The database is busy. Please try again in a moment; nothing was changed."),
                headers=(("Retry-After", str(self.intake.retry_after)),),
            )

    def _route(self, request: Request) -> Answer:
        if request.path == "anmelden" and not self.user_header:
            return self._login(request)
        session, cookie = self._session(request)
        if session is None:
            if self.user_header:
                return self._problem(HTTPStatus.FORBIDDEN, "no-access", _("Only editors of the team may moderate."))
            return _redirect(self.base + "anmelden", "login-needed")
        answer = self._as_member(request, session)
        return Answer(answer.status, answer.outcome, answer.body, (*answer.headers, *cookie))

    def _as_member(self, request: Request, session: Session) -> Answer:
        if request.method == "POST" and not session.token_matches(request.field("csrf")):
            return self._problem(
                HTTPStatus.FORBIDDEN,
                "csrf",
                _("This form has expired or was not sent from this page. Please reload the page and try again."),
            )
        match request.method, request.path:
            case "GET" | "HEAD", "":
                query = parse_qs(request.environ.get("QUERY_STRING", ""))
                notice = query.get("erledigt", [""])[0]
                return self._queue(session, notice=_(NOTICES[notice]) if notice in NOTICES else "")
            case "GET" | "HEAD", "verlauf":
                return self._log(session, parse_qs(request.environ.get("QUERY_STRING", "")).get("item", [""])[0])
            case "POST", "entscheiden":
                return self._decide(request, session)
            case "POST", "antworten":
                return self._write_answer(request, session)
            case "POST", "abmelden":
                self.sessions.end(session.id)
                return _redirect(
                    self.base + "anmelden?erledigt=logged-out",
                    "logged-out",
                    cookie=self._cookie(request, "", expire=True),
                )
        return self._problem(HTTPStatus.NOT_FOUND, "not-found", _("This address is unknown."))

    # Authentication

    def _session(self, request: Request) -> tuple[Session | None, tuple[tuple[str, str], ...]]:
        """The request's session, and the cookie to set when one was started for the proxy's user."""
        now = self.clock()
        cookies = SimpleCookie(request.environ.get("HTTP_COOKIE", ""))
        session = self.sessions.get(cookies[COOKIE].value, now) if COOKIE in cookies else None
        if not self.user_header:
            return session, ()
        vouched = str(request.environ.get("HTTP_" + self.user_header.upper().replace("-", "_"), "")).strip()
        if not self._is_editor(vouched):
            return None, ()
        if session is not None and session.member == vouched:
            return session, ()
        session = self.sessions.start(vouched, now)
        return session, self._cookie(request, session.id)

    def _is_editor(self, member_id: str) -> bool:
        member = self.calendar.team.get(member_id)
        return member is not None and member.is_editor

    def _login(self, request: Request) -> Answer:
        if request.method != "POST":
            query = parse_qs(request.environ.get("QUERY_STRING", ""))
            notice = query.get("erledigt", [""])[0]
            return self._render(
                HTTPStatus.OK,
                "login",
                _("Log in to moderation"),
                notice=_(NOTICES[notice]) if notice in NOTICES else "",
            )
        member_id = request.field("member").strip()
        stored = self.store.password(member_id) if self._is_editor(member_id) else ""
        # Compared even without a stored hash: the answer takes as long either way.
        matches = verify_password(request.field("password"), stored or DUMMY_HASH)
        if not (stored and matches):
            return self._render(
                HTTPStatus.UNAUTHORIZED,
                "login-failed",
                _("Log in to moderation"),
                problem=_("Login failed: the team id or the password is not right."),
                member=member_id,
            )
        session = self.sessions.start(member_id, self.clock())
        return _redirect(self.base, "logged-in", cookie=self._cookie(request, session.id))

    def _cookie(self, request: Request, value: str, *, expire: bool = False) -> tuple[tuple[str, str], ...]:
        environ = request.environ
        https = environ.get("wsgi.url_scheme") == "https" or (
            self.intake.behind_proxy and environ.get("HTTP_X_FORWARDED_PROTO", "").lower() == "https"
        )
        parts = [f"{COOKIE}={value}", f"Path={self.base}", "HttpOnly", "SameSite=Strict"]
        if https:
            parts.append("Secure")
        if expire:
            parts.append("Max-Age=0")
        return (("Set-Cookie", "; ".join(parts)),)

    # Decisions

    def _decide(self, request: Request, session: Session) -> Answer:
        item = self.store.get(request.field("item"))
        if item is None:
            return self._queue(session, problem=_("This item does not exist (any more)."), status=HTTPStatus.NOT_FOUND)
        category = self._category(item.post)
        action = request.field("action")
        now = datetime.fromtimestamp(self.clock(), UTC)
        if action == "approve":
            refused = approval_refusal(session.member, item, category, self.calendar)
            if refused:
                return self._refused(session, refused)
            public = public_after(item, session.member)
            self.store.approve(
                item.id, Decision(session.member, now, "approve"), status=Status.APPROVED if public else None
            )
            return _redirect(self._done("approved" if public else "approval-recorded"), "approved")
        if action not in ("reject", "spam"):
            return self._queue(session, problem=_("Unknown action."), status=HTTPStatus.UNPROCESSABLE_ENTITY)
        refused = decision_refusal(session.member, item, category, self.calendar)
        if refused:
            return self._refused(session, refused)
        reason = " ".join(request.field("reason").split())
        if action == "reject" and not reason:
            return self._queue(
                session,
                problem=_("Please give a reason for the rejection: it is kept in the item's log."),
                status=HTTPStatus.UNPROCESSABLE_ENTITY,
                outcome="reason-missing",
            )
        status = Status.REJECTED if action == "reject" else Status.SPAM
        self.store.decide(item.id, status, Decision(session.member, now, action, reason))
        return _redirect(self._done("rejected" if action == "reject" else "spam"), action)

    def _refused(self, session: Session, reason: str) -> Answer:
        return self._queue(
            session,
            problem=_("Not possible: {reason}").format(reason=reason),
            status=HTTPStatus.FORBIDDEN,
            outcome="refused",
        )

    def _write_answer(self, request: Request, session: Session) -> Answer:
        parent_id = request.field("parent").strip()
        parent = self.store.get(parent_id) if parent_id else None
        post_key = parent.post if parent else request.field("post").strip()
        text = request.field("text").replace("\r\n", "\n").strip()
        if (parent_id and parent is None) or self.posts.get(post_key) is None:
            return self._queue(session, problem=_("This post or item does not exist."), status=HTTPStatus.NOT_FOUND)
        if not text:
            return self._queue(
                session, problem=_("Please write an answer."), status=HTTPStatus.UNPROCESSABLE_ENTITY, outcome="empty"
            )
        if len(text) > self.intake.max_length:
            return self._queue(
                session,
                problem=_("Answers may have up to {count} characters.").format(count=self.intake.max_length),
                status=HTTPStatus.UNPROCESSABLE_ENTITY,
                outcome="too-long",
            )
        # The form's token makes a double click store one answer.
        token = request.field("token") or uuid.uuid4().hex
        digest = hashlib.sha256("\0".join((session.member, token, post_key, parent_id, text)).encode()).hexdigest()
        now = datetime.fromtimestamp(self.clock(), UTC)
        category = self._category(post_key)
        item = staff_answer(
            f"staff:{digest[:32]}", post_key, parent_id, text, session.member, category, self.calendar, now
        )
        self.store.add(item)
        return _redirect(self._done("answered"), "answered")

    def _category(self, post: str) -> str:
        found = self.posts.get(post)
        return found.category if found else ""

    def _done(self, notice: str) -> str:
        return f"{self.base}?erledigt={notice}"

    # Pages

    def _queue(
        self,
        session: Session,
        *,
        notice: str = "",
        problem: str = "",
        status: HTTPStatus = HTTPStatus.OK,
        outcome: str = "queue",
    ) -> Answer:
        pending: dict[str, list[Item]] = {}
        for item in self.store.items(status=Status.PENDING):
            pending.setdefault(item.post, []).append(item)
        posts = self.posts.current()
        views: list[dict[str, Any]] = []
        for key, items in pending.items():
            newest_first = sorted(items, key=lambda i: (i.created, i.id), reverse=True)
            post = posts.get(key)
            views.append(
                {
                    "key": key,
                    "url": post.url if post else "",
                    "category": post.category if post else "",
                    "newest": newest_first[0].created,
                    "items": [self._item_view(item, session) for item in newest_first],
                }
            )
        views.sort(key=lambda view: view["newest"], reverse=True)
        return self._render(
            status,
            outcome,
            _("Moderation"),
            session=session,
            notice=notice,
            problem=problem,
            posts=views,
            all_posts=sorted(posts),
            token=uuid.uuid4().hex,
        )

    def _item_view(self, item: Item, session: Session) -> dict[str, Any]:
        parent = self.store.get(item.parent) if item.parent else None
        missing = approvals_missing(item)
        writer = writer_of(item)
        return {
            "id": item.id,
            "anchor": "item-" + hashlib.sha256(item.id.encode()).hexdigest()[:12],
            "text": item.text,
            "author": item.author or _("anonymous"),
            "source": _(SOURCES[item.source]),
            "created": self._when(item.created),
            "url": item.url,
            "parent": parent.text if parent else "",
            "writer": self._name(writer) if writer else "",
            "approvals": ", ".join(self._name(a.by) for a in item.approvals),
            "missing": ngettext("{count} more approval needed", "{count} more approvals needed", missing).format(
                count=missing
            )
            if item.source is Source.STAFF and missing
            else "",
            "log": f"{self.base}verlauf?item={quote(item.id, safe='')}",
            "own": writer == session.member,
        }

    def _log(self, session: Session, item_id: str) -> Answer:
        item = self.store.get(item_id)
        if item is None:
            return self._queue(session, problem=_("This item does not exist (any more)."), status=HTTPStatus.NOT_FOUND)
        entries = [
            {
                "who": self._name(decision.by),
                "when": self._when(decision.at),
                "what": _(ACTIONS[decision.action]) if decision.action in ACTIONS else decision.action,
                "reason": decision.reason,
            }
            for decision in item.decisions
        ]
        return self._render(
            HTTPStatus.OK,
            "log",
            _("Log of an item"),
            session=session,
            item=self._item_view(item, session),
            status_text=_(STATUSES[item.status]),
            entries=entries,
        )

    def _name(self, member_id: str) -> str:
        if member_id == "system":
            return _("system (automatic rule)")
        member = self.calendar.team.get(member_id)
        return f"{member.name} ({member_id})" if member else member_id

    def _when(self, moment: datetime) -> str:
        return _("{date} at {time}").format(
            date=f"{moment.astimezone(self.calendar.timezone):%Y-%m-%d}",
            time=f"{moment.astimezone(self.calendar.timezone):%H:%M}",
        )

    def _problem(
        self, status: HTTPStatus, outcome: str, message: str, *, headers: tuple[tuple[str, str], ...] = ()
    ) -> Answer:
        answer = self._render(status, outcome, _("Not possible"), problem=message)
        return Answer(answer.status, answer.outcome, answer.body, headers)

    def _render(self, status: HTTPStatus, outcome: str, title: str, **values: Any) -> Answer:
        session: Session | None = values.pop("session", None)
        html = (
            templates()
            .get_template("moderation.html")
            .render(
                language=language(),
                outcome=outcome,
                title=title,
                base=self.base,
                csrf=session.csrf if session else "",
                who=self._name(session.member) if session else "",
                password_login=not self.user_header,
                labels=_labels(),
                **values,
            )
        )
        return Answer(status, outcome, html.encode("utf-8"))


def _redirect(location: str, outcome: str, *, cookie: tuple[tuple[str, str], ...] = ()) -> Answer:
    """303 See Other: after a POST the browser shows the page with GET (a reload sends nothing twice)."""
    return Answer(HTTPStatus.SEE_OTHER, outcome, b"", (("Location", location), *cookie))


def _labels() -> dict[str, str]:
    return {
        "logged_in_as": _("Logged in as"),
        "logout": _("Log out"),
        "member": _("Team id (from the editorial calendar)"),
        "password": _("Password"),
        "login": _("Log in"),
        "queue_empty": _("Nothing is waiting for a decision."),
        "post": _("Post"),
        "category": _("Category"),
        "no_category": _("none"),
        "open_post": _("Open the post"),
        "on_platform": _("Open on the platform"),
        "answers": _("Answers:"),
        "written_by": _("Written by"),
        "approved_by": _("Approved by"),
        "approve": _("Approve"),
        "spam": _("Mark as spam"),
        "reason": _("Reason for the rejection (required; kept in the log)"),
        "reject": _("Reject"),
        "answer": _("Answer of the editorial team"),
        "answer_hint": _("Your answer appears after a second editor has approved it (four-eyes principle)."),
        "save_answer": _("Save answer for approval"),
        "answer_post": _("Answer a post"),
        "choose_post": _("Post"),
        "log": _("Log"),
        "back": _("Back to the queue"),
        "status": _("Status"),
        "who": _("Who"),
        "when": _("When"),
        "what": _("What"),
        "why": _("Reason"),
        "pending": _("Waiting for a decision"),
    }
