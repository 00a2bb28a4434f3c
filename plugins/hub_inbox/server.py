"""The inbox on a plain stdlib server (wsgiref), a thread per request: `invoke inbox` and the tests.

In production any WSGI server may run `Intake` instead (gunicorn, uWSGI, mod_wsgi): see the README.
The request log leaves the client's address out: IP addresses are never kept (the rate limiter holds
networks in memory only).
"""

from __future__ import annotations

import sys
import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # many writers at once (a post that is shared widely) wait, not fail


class QuietHandler(WSGIRequestHandler):
    """Logs the request line and status only (no address), or nothing."""

    quiet = False

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            sys.stderr.write(f"inbox: [{self.log_date_time_string()}] {format % args}\n")


class SilentHandler(QuietHandler):
    quiet = True


def make(app: Any, host: str, port: int, *, log: bool = True) -> ThreadingServer:
    """A server bound to host:port (0: any free port; its real one is `server.server_port`)."""
    handler = QuietHandler if log else SilentHandler
    server = make_server(host, port, app, server_class=ThreadingServer, handler_class=handler)
    assert isinstance(server, ThreadingServer)
    return server


def in_thread(server: ThreadingServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="inbox", daemon=True)
    thread.start()
    return thread
