"""A WSGI application inside the preview, under a path prefix: the comment inbox in development.

In production the blog's reverse proxy sends `/dialog/` to the inbox and everything else to the
static files. The preview does the same in one process and on one port, so the form under a post
posts to the same origin it was served from, as it will on the blog.

Requests under the prefix go to the application untouched: no reload script (the inbox's pages are
no files in output/, a rebuild does not change them, their Content-Security-Policy forbids scripts,
and a reload would throw away a half-written comment or reply), no build-failure page.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import IO, Any, cast
from urllib.parse import unquote
from wsgiref.handlers import SimpleHandler

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class Mount:
    """`application` answers every request whose path starts with `prefix` (`/dialog/`)."""

    prefix: str
    application: WSGIApplication
    moderation: str = ""  # the path of the moderators' pages (`/dialog/redaktion/`), announced at start

    def handles(self, route: str) -> bool:
        return route.startswith(self.prefix) or route == self.prefix.rstrip("/")


class _Handler(SimpleHandler):
    # The process environment stays out of the request's (wsgiref's CGI default copies it in).
    os_environ: dict[str, str] = {}  # noqa: RUF012 - wsgiref's class attribute, replaced, never mutated
    server_software = "HubPreview"


def run(handler: BaseHTTPRequestHandler, application: WSGIApplication) -> None:
    """Answer the request `handler` has parsed (its body still unread) with `application`."""
    _Handler(
        handler.rfile,
        cast(IO[bytes], handler.wfile),  # a socket file: bytes out, as wsgiref expects
        sys.stderr,
        environ(handler),
        multithread=True,
        multiprocess=False,
    ).run(application)
    handler.close_connection = True  # wsgiref speaks HTTP/1.0: one request per connection


def environ(handler: BaseHTTPRequestHandler) -> dict[str, Any]:
    """The CGI variables of the request, as wsgiref's own server sets them (simple_server.WSGIRequestHandler)."""
    path, _sep, query = handler.path.partition("?")
    host, port = handler.connection.getsockname()[:2]
    env: dict[str, Any] = {
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_NAME": str(host),
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": handler.request_version,
        "REQUEST_METHOD": handler.command,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(path, "iso-8859-1"),
        "QUERY_STRING": query,
        "REMOTE_ADDR": handler.client_address[0],
        "REMOTE_HOST": "",
        "CONTENT_TYPE": handler.headers.get("content-type") or handler.headers.get_content_type(),
        "CONTENT_LENGTH": handler.headers.get("content-length") or "",
    }
    for name, value in handler.headers.items():
        key = "HTTP_" + name.replace("-", "_").upper()
        if key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
            continue
        env[key] = f"{env[key]},{value}" if key in env else value
    return env
