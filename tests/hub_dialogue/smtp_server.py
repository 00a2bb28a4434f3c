"""A small SMTP server on loopback for the notifier's tests (aiosmtpd is not in the locks): enough of
RFC 5321 for smtplib (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), every message kept, parsed.
`refuse` makes it answer DATA with a temporary failure, as a full or throttling server does."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage


class SmtpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.received: list[Received] = []
        self.refuse = ""  # a reply such as "451 4.3.0 try later" to DATA; "" accepts

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class SmtpHandler(socketserver.StreamRequestHandler):
    server: SmtpServer

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test SMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8")
            elif verb == "HELO" or verb == "NOOP":
                self.reply("250 OK")
            elif verb == "MAIL":
                sender, recipients = command.partition(":")[2].split()[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                body = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                if self.server.refuse:
                    self.reply(self.server.refuse)
                    continue
                parsed = message_from_bytes(bytes(body), policy=policy.default)
                self.server.received.append(Received(sender, tuple(recipients), parsed))  # type: ignore[arg-type]
                self.reply("250 OK queued")
            elif verb == "RSET":
                sender, recipients = "", []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
