"""`invoke inbox-notify`: the notices routing.py says are due, sent once (a task for cron or a systemd
timer, never inside a request of the inbox).

Send first, then note (Store.note): a crash in between sends one notice twice, never loses one.
Ways: an e-mail to the team member (SMTP, the HUB_DIALOGUE_SMTP_* settings; the password only from
the environment) and a message to the webhook channel `dialogue.webhook` names (Teams, Slack, … in
hub_crosspost's webhook format, through its client: retries, redaction). A notice counts as sent when
it reached its person: by e-mail where the member has an address and SMTP is set up, else through
the webhook. A failed way is reported; a notice that reached nobody is not noted and is tried again
on the next run.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Protocol

from hub_content.calendar import Calendar, TeamMember
from hub_core.i18n import translator
from hub_core.options import read
from hub_crosspost.channels import CHANNELS, ChannelConfig
from hub_crosspost.clients import credentials_from_env
from hub_crosspost.clients.common import open_session
from hub_crosspost.clients.webhook import WebhookClient
from hub_crosspost.http import DEFAULT_POLICY, RetryPolicy
from hub_crosspost.model import PostError, PostInfo, Teaser
from hub_inbox.model import Decision
from hub_inbox.posts import CommentablePost
from hub_inbox.store import Store

from .calendar_sections import DIALOGUE
from .deadlines import tracked
from .notices import NoticeText, notice_text
from .options import SMTP_FROM, SMTP_HOST, SMTP_PASSWORD_ENV, SMTP_PORT, SMTP_STARTTLS, SMTP_USER
from .routing import SYSTEM, Notice, notices_due

_, ngettext = translator("hub_dialogue")

MAIL = "e-mail"
WEBHOOK = "webhook"


class NoticeFailed(Exception):
    """A way could not deliver a notice; the message is safe to print (no password, no webhook URL)."""


class Mailer(Protocol):
    def send(self, to: str, text: NoticeText) -> None:
        """Send one e-mail; NoticeFailed when the server did not take it."""
        ...

    def close(self) -> None: ...


class Chat(Protocol):
    def post(self, text: NoticeText, link: str, key: str) -> None:
        """One message to the team's channel; NoticeFailed when it did not go out."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str = ""  # from the environment only
    starttls: bool = True
    timeout: float = 30.0


class SmtpMailer:
    """One connection per run, opened at the first notice; a failure drops it (the next notice reconnects)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            s = self.settings
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                if s.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.user:
                    smtp.login(s.user, s.password)
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def send(self, to: str, text: NoticeText) -> None:
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = to
        message["Subject"] = text.subject
        message["Date"] = format_datetime(datetime.now().astimezone())
        message["Message-ID"] = make_msgid(domain=self.settings.sender.rpartition("@")[2].strip("> ") or None)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to it
        message.set_content(text.body)
        try:
            self._connection().send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise NoticeFailed(
                _("the mail server {host}:{port} did not take it ({error})").format(
                    host=self.settings.host, port=self.settings.port, error=_plain(error)
                )
            ) from None

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def _plain(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        message = (
            error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        )
        return f"{error.smtp_code} {message}"
    return str(error) or type(error).__name__


def smtp_settings(settings: Mapping[str, object], environ: Mapping[str, str]) -> SmtpSettings | None:
    """The mail server from the HUB_DIALOGUE_SMTP_* settings and the password from the environment;
    None without HUB_DIALOGUE_SMTP_HOST. A host without a sender is a configuration error."""
    host = read(SMTP_HOST, settings)
    if not host:
        return None
    sender = read(SMTP_FROM, settings)
    if not sender:
        raise NoticeFailed(_("HUB_DIALOGUE_SMTP_HOST is set: expected HUB_DIALOGUE_SMTP_FROM too, found none"))
    user = read(SMTP_USER, settings)
    password = environ.get(SMTP_PASSWORD_ENV, "")
    if user and not password:
        raise NoticeFailed(
            _("HUB_DIALOGUE_SMTP_USER is set: expected the password in the environment variable {name}").format(
                name=SMTP_PASSWORD_ENV
            )
        )
    return SmtpSettings(host, read(SMTP_PORT, settings), sender, user, password, read(SMTP_STARTTLS, settings))


def webhook_chat(
    calendar: Calendar, environ: Mapping[str, str], *, policy: RetryPolicy = DEFAULT_POLICY
) -> WebhookChat | None:
    """The channel `dialogue.webhook` names, with its URL from the environment; None when none is named.
    NoticeFailed when its credentials are missing (the calendar check has already named a wrong channel)."""
    name = calendar.section(DIALOGUE).webhook
    config = calendar.section(CHANNELS).get(name) if name else None
    if config is None or config.type != "webhook":
        return None
    try:
        credentials = credentials_from_env(config, environ)
        client = WebhookClient(config, credentials, open_session(credentials, None, policy, time.sleep, time.time))
    except (PostError, ValueError) as error:
        raise NoticeFailed(str(error)) from None
    return WebhookChat(config, client)


class WebhookChat:
    """The notice as a message through hub_crosspost's webhook client (its format, retries and redaction)."""

    def __init__(self, config: ChannelConfig, client: WebhookClient) -> None:
        self.config = config
        self.client = client

    def post(self, text: NoticeText, link: str, key: str) -> None:
        body = text.body.rstrip()
        teaser = Teaser(self.config.name, body, link, len(body), max(len(body), self.config.limit))
        info = PostInfo(key=key, title=text.subject, url=link, date=datetime.now().astimezone())
        try:
            self.client.post(teaser, info, idempotency_key=key)
        except PostError as error:
            raise NoticeFailed(_("channel {channel}: {error}").format(channel=self.config.name, error=error)) from None

    def close(self) -> None:
        self.client.close()


@dataclass(frozen=True)
class Delivery:
    """What became of one notice."""

    notice: Notice
    sent: tuple[str, ...]  # the ways that delivered it (MAIL, WEBHOOK)
    problems: tuple[str, ...]  # why a way did not, in words
    noted: bool  # the item's log says it was sent: it is not sent again


def notify(
    store: Store,
    calendar: Calendar,
    posts: Mapping[str, CommentablePost],
    now: datetime,
    mailer: Mailer | None,
    chat: Chat | None,
) -> list[Delivery]:
    """Send every notice that is due now and note each one that reached its person."""
    rules = calendar.section(DIALOGUE)
    categories = {key: post.category for key, post in posts.items()}
    waiting = tracked(calendar, store.items(), categories)
    deliveries = []
    for notice in notices_due(waiting, rules, now):
        deliveries.append(_deliver(notice, calendar, posts, now, mailer, chat, store))
    return deliveries


def _deliver(
    notice: Notice,
    calendar: Calendar,
    posts: Mapping[str, CommentablePost],
    now: datetime,
    mailer: Mailer | None,
    chat: Chat | None,
    store: Store,
) -> Delivery:
    item = notice.tracked.item
    post = posts.get(item.post)
    member: TeamMember | None = calendar.team.get(notice.to)
    assignee = calendar.team.get(notice.tracked.to)
    text = notice_text(
        notice,
        post.title if post else "",
        post.url if post else "",
        assignee.name if assignee else notice.tracked.to,
        calendar.timezone,
    )
    sent: list[str] = []
    problems: list[str] = []
    by_mail = mailer is not None and member is not None and bool(member.email)
    if by_mail and mailer is not None and member is not None:
        try:
            mailer.send(member.email, text)
            sent.append(MAIL)
        except NoticeFailed as error:
            problems.append(_("e-mail to {to}: {error}").format(to=notice.to, error=error))
    if chat is not None:
        try:
            chat.post(text, post.url if post else "", f"{notice.kind}:{item.id}")
            sent.append(WEBHOOK)
        except NoticeFailed as error:
            problems.append(_("webhook: {error}").format(error=error))
    if not by_mail and chat is None:
        problems.append(
            _(
                "no way to reach {to}: no e-mail address in the calendar's team or no mail server"
                " (HUB_DIALOGUE_SMTP_HOST), and no dialogue.webhook"
            ).format(to=notice.to)
        )
    reached = MAIL in sent if by_mail else WEBHOOK in sent
    if reached:
        store.note(item.id, Decision(SYSTEM, now, notice.kind, ", ".join((notice.to, *sent))))
    return Delivery(notice, tuple(sent), tuple(problems), reached)
