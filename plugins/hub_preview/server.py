"""The preview server: output/ over HTTP on the loopback address, rebuilt on every change, pages reloaded.

Three parts, each in its own threads:
- watchers (watchfiles) report changed files that a build reads (watch.triggers_rebuild);
- the builder waits for saving to settle (watch.Debounce); when only posts or pages were saved, it
  first puts their new text into their pages (quick.py: served from memory until the rebuild is
  done); then it runs one build at a time (build.py) and records its outcome in `Status`, which
  counts the builds and the quick pages (the generation);
- the HTTP server (http.server, one thread per request) serves the output folder, adds the reload
  script to HTML (page.with_reload), and streams the generation to every open page as Server-Sent
  Events: a page reloads when the generation it was served in is no longer the newest. Requests
  under a mounted prefix (the comment inbox, /dialog/) go to its WSGI application (mount.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from hub_core.errors import ConfigurationError
from hub_core.i18n import translator

from . import mount
from .build import Builder, BuildOutcome
from .page import (
    EVENTS,
    SCRIPT,
    SCRIPT_FILE,
    Problem,
    QuickPage,
    building_page,
    failure_page,
    problems,
    with_quick_notice,
    with_reload,
)
from .watch import Debounce, Sources, WatchRoot, triggers_rebuild, watch_roots

_, ngettext = translator("hub_preview")

HOST = "127.0.0.1"  # the preview is for the person at this computer, never for the network
KEEPALIVE = 15.0  # seconds between comments on an idle event stream: a closed tab is noticed
SHOWN_CHANGES = 3  # changed files named in the terminal before "and N more"
DEBOUNCE = Debounce(quiet=0.2, longest=2.0)


class QuickPages(Protocol):
    """What makes quick pages (quick.QuickRenderer, which knows Pelican: tasks.py passes it in)."""

    def render(self, source: Path) -> QuickPage | None: ...


@dataclass(frozen=True)
class Snapshot:
    generation: str  # names the newest finished build; a page from an older one reloads
    builds: int  # finished so far
    building: bool
    failure: tuple[Problem, ...] | None  # the problems of the newest build, if it failed
    closed: bool = False


class Status:
    """The builds as the browser sees them, shared between the builder and the request threads."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._boot = format(time.time_ns(), "x")  # a restarted preview never repeats a generation
        self._count = 0
        self._quick = 0  # quick pages shown since the preview started: each is a generation too
        self._overlay: dict[str, bytes] = {}  # output-relative file -> its quick page, until the next build ends
        self._building = False
        self._failure: tuple[Problem, ...] | None = None
        self._closed = False

    def now(self) -> Snapshot:
        with self._changed:
            return self._snapshot()

    def _snapshot(self) -> Snapshot:
        generation = f"{self._boot}-{self._count}-{self._quick}"
        return Snapshot(generation, self._count, self._building, self._failure, self._closed)

    def started(self) -> None:
        with self._changed:
            self._building = True

    def finished(self, outcome: BuildOutcome) -> None:
        with self._changed:
            self._building = False
            self._overlay = {}
            self._failure = None if outcome.ok else problems(outcome.log)
            self._count += 1
            self._changed.notify_all()

    def quick(self, pages: tuple[QuickPage, ...]) -> None:
        """Quick pages to serve until the running build ends; open pages reload."""
        with self._changed:
            self._overlay = {page.output_file: page.html for page in pages}
            self._quick += 1
            self._changed.notify_all()

    def quick_page(self, output_file: str) -> bytes | None:
        with self._changed:
            return self._overlay.get(output_file)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait(self, seen: str, timeout: float) -> Snapshot:
        """The status once its generation is no longer `seen` (or the preview stops), or after `timeout`."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._snapshot().generation != seen, timeout)
            return self._snapshot()


class PreviewHandler(SimpleHTTPRequestHandler):
    """The output folder as SimpleHTTPRequestHandler serves it, plus the reload events and script."""

    status: Status  # set by Preview for its server's handler class
    mounted: mount.Mount | None = None  # the inbox, when the preview serves it

    def do_GET(self) -> None:
        if not self._to_mount():
            self._respond(body=True)

    def do_HEAD(self) -> None:
        if not self._to_mount():
            self._respond(body=False)

    def do_POST(self) -> None:
        if not self._to_mount():
            self.send_error(HTTPStatus.NOT_IMPLEMENTED, "Unsupported method ('POST')")

    def _to_mount(self) -> bool:
        """Whether the request was for the mounted application (and it has answered it)."""
        if self.mounted is None or not self.mounted.handles(unquote(urlsplit(self.path).path)):
            return False
        mount.run(self, self.mounted.application)
        return True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for what the builds say, not for every request

    def end_headers(self) -> None:
        # Never a stale page or stylesheet after a rebuild (the browser would show the old text).
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _respond(self, body: bool) -> None:
        route = unquote(urlsplit(self.path).path)
        if route == EVENTS:
            if body:
                self._events()
            else:
                self._send(HTTPStatus.OK, b"", "text/event-stream", body=False)
            return
        if route == SCRIPT:
            self._send(HTTPStatus.OK, SCRIPT_FILE.read_bytes(), "text/javascript; charset=utf-8", body)
            return
        page = self._page(route)
        snapshot = self.status.now()
        quick = self._quick_page(page)
        if snapshot.failure is not None and (page is not None or _names_a_page(route)):
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, failure_page(snapshot.failure, snapshot.generation), body=body)
        elif quick is not None:
            self._send(HTTPStatus.OK, with_reload(with_quick_notice(quick), snapshot.generation), body=body)
        elif page is not None and page.is_file():
            self._send(HTTPStatus.OK, with_reload(page.read_bytes(), snapshot.generation), body=body)
        elif page is not None or (_names_a_page(route) and not Path(self.translate_path(self.path)).exists()):
            self._missing(snapshot, body)
        elif body:
            super().do_GET()
        else:
            super().do_HEAD()

    def _page(self, route: str) -> Path | None:
        """The HTML file the request names (`/2026/post/` → its index.html), whether it exists or not;
        None for anything else (a stylesheet, an image, a folder without its trailing slash)."""
        path = Path(self.translate_path(self.path))
        if route.endswith("/"):
            return path / "index.html"
        if path.is_dir():
            return None  # SimpleHTTPRequestHandler redirects to the folder's address with its slash
        return path if path.suffix in (".html", ".htm") else None

    def _quick_page(self, page: Path | None) -> bytes | None:
        if page is None or not page.is_relative_to(self.directory):
            return None
        return self.status.quick_page(page.relative_to(self.directory).as_posix())

    def _missing(self, snapshot: Snapshot, body: bool) -> None:
        if snapshot.building and snapshot.builds == 0:
            # The first build is still running: this page appears when it is done.
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, building_page(snapshot.generation), body=body)
            return
        not_found = Path(self.directory) / "404.html"  # the site's own page, in the site's language
        if not_found.is_file():
            self._send(HTTPStatus.NOT_FOUND, with_reload(not_found.read_bytes(), snapshot.generation), body=body)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _send(self, code: int, data: bytes, kind: str = "text/html; charset=utf-8", body: bool = True) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-Sent Events: the generation now, then after every build, until the page goes away."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        snapshot = self.status.now()
        try:
            self.wfile.write(b"retry: 1000\n\n")  # reconnect quickly once a restarted preview is back
            while not snapshot.closed:
                self.wfile.write(f"event: generation\ndata: {snapshot.generation}\n\n".encode())
                self.wfile.flush()
                seen = snapshot.generation
                while (snapshot := self.status.wait(seen, KEEPALIVE)).generation == seen and not snapshot.closed:
                    self.wfile.write(b": waiting for the next build\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded


def _names_a_page(route: str) -> bool:
    """A request a browser makes for a page (a folder, an HTML file, a name without a suffix), not for
    an asset such as a stylesheet or an image."""
    last = route.rsplit("/", 1)[-1]
    return "." not in last or last.endswith((".html", ".htm"))


class PortTaken(ConfigurationError):
    """The port is in use: another preview, or another program."""


@dataclass(frozen=True)
class PreviewConfig:
    sources: Sources
    output: Path
    command: tuple[str, ...]  # the build, as `invoke build` runs it
    cwd: Path  # where the build runs: the paths in its messages are relative to it
    port: int = 8000
    environ: Mapping[str, str] | None = None  # None: this process's environment
    debounce: Debounce = DEBOUNCE
    inbox: mount.Mount | None = None  # served under its prefix in the same process (`invoke serve`)
    quick: QuickPages | None = None  # the quick pages of saved posts; None: every change waits for its build


class Preview:
    """Watch, rebuild, serve, reload: `start()` returns the address, `stop()` ends every thread."""

    def __init__(self, config: PreviewConfig, echo: Callable[[str], None] = print) -> None:
        self.config = config
        self.echo = echo
        self.status = Status()
        self.builder = Builder(config.command, config.cwd, os.environ if config.environ is None else config.environ)
        self._changes: queue.Queue[frozenset[Path]] = queue.Queue()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: ThreadingHTTPServer | None = None
        # Quick pages use the plugins' code as it was imported; after a change to it, only builds count.
        self._quick = config.quick

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://{HOST}:{self._server.server_address[1]}/"

    def start(self, listening: Callable[[str], None] | None = None) -> str:
        """Bind the port, then watch and build; `listening` hears the address before the first build starts."""
        handler = type("Handler", (PreviewHandler,), {"status": self.status, "mounted": self.config.inbox})
        try:
            server = ThreadingHTTPServer((HOST, self.config.port), partial(handler, directory=str(self.config.output)))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise PortTaken(
                _("port {port} is in use (is the preview running already?): start it with --port {other}").format(
                    port=self.config.port, other=self.config.port + 1
                )
            ) from None
        server.daemon_threads = True
        self._server = server
        if listening is not None:
            listening(self.url)
        for root_group in _grouped(watch_roots(self.config.sources)):
            self._spawn(self._watch, root_group)
        self._spawn(self._build_loop)
        self._spawn(server.serve_forever)
        return self.url

    def stop(self) -> None:
        self._stopping.set()
        self.builder.cancel()
        self.status.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def serve_until_interrupted(self) -> None:
        """`invoke serve`: run until Ctrl+C."""
        self.start(self._announce)
        try:
            while not self._stopping.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
            self.echo(_("Preview ended."))

    def _announce(self, url: str) -> None:
        shown = url.replace(HOST, "localhost")
        self.echo(
            _("Preview on {url}: it rebuilds when you save and reloads open pages. Ctrl+C ends it.").format(url=shown)
        )
        if self.config.inbox is not None:
            base = shown.rstrip("/")
            self.echo(_("Comments go to the inbox at {url}").format(url=base + self.config.inbox.prefix))
            if self.config.inbox.moderation:
                self.echo(_("Moderation: {url}").format(url=base + self.config.inbox.moderation))

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self, roots: tuple[WatchRoot, ...]) -> None:
        import watchfiles

        sources = self.config.sources
        paths = [root.path for root in roots if root.path.is_dir()]
        if not paths:
            return
        for changes in watchfiles.watch(
            *paths,
            watch_filter=lambda _change, path: triggers_rebuild(Path(path), sources),
            recursive=roots[0].recursive,
            stop_event=self._stopping,
            debounce=400,  # watchfiles' own grouping; watch.Debounce decides when to build
            step=20,
            raise_interrupt=False,
        ):
            self._changes.put(frozenset(Path(path) for _change, path in changes))

    def _build_loop(self) -> None:
        self._build(frozenset())
        debounce = self.config.debounce
        while not self._stopping.is_set():
            wait = debounce.wait(time.monotonic())
            with contextlib.suppress(queue.Empty):
                debounce = debounce.add(self._changes.get(timeout=0.5 if wait is None else wait), time.monotonic())
            if debounce.due(time.monotonic()) and not self._stopping.is_set():
                changed, debounce = debounce.take()
                self._build(changed)

    def _build(self, changed: frozenset[Path]) -> None:
        if changed:
            self.echo(_("Changed: {files}. Building the website …").format(files=self._describe(changed)))
        else:
            self.echo(_("Building the website …"))
        self._show_quick_pages(changed)
        self.status.started()
        outcome = self.builder.run(self.echo)
        if self._stopping.is_set():
            return
        self.status.finished(outcome)
        if outcome.ok:
            self.echo(_("Website built in {seconds:.1f} s; open pages reload.").format(seconds=outcome.seconds))
        else:
            self.echo(
                _(
                    "The website could not be built (see above; open pages show it too). The preview keeps"
                    " the pages of the last build that succeeded."
                )
            )

    def _show_quick_pages(self, changed: frozenset[Path]) -> None:
        """When only posts and pages were saved: their new text in their pages, before the build."""
        sources = self.config.sources
        if self._quick is not None and any(path.is_relative_to(sources.plugins) for path in changed):
            self._quick = None
            self.echo(_("Plugin code changed: until the preview restarts, changes show after the rebuild."))
        if self._quick is None or not changed or not all(path.is_relative_to(sources.content) for path in changed):
            return
        started = time.monotonic()
        pages = []
        for path in sorted(changed):
            try:
                page = self._quick.render(path)
            except Exception as error:  # the rebuild that follows reports the problem with file and line
                self.echo(
                    _("No quick preview of {file} ({error}); the rebuild shows it.").format(
                        file=_shown(path, self.config.cwd), error=str(error) or type(error).__name__
                    )
                )
                return
            if page is None:
                return  # every saved file's page or none: a half-updated set would mislead
            pages.append(page)
        self.status.quick(tuple(pages))
        self.echo(
            ngettext(
                "Quick preview of {count} page in {seconds:.2f} s; the rebuild follows.",
                "Quick preview of {count} pages in {seconds:.2f} s; the rebuild follows.",
                len(pages),
            ).format(count=len(pages), seconds=time.monotonic() - started)
        )

    def _describe(self, changed: frozenset[Path]) -> str:
        names = sorted(_shown(path, self.config.cwd) for path in changed)
        more = len(names) - SHOWN_CHANGES
        shown = ", ".join(names[:SHOWN_CHANGES])
        if more > 0:
            shown += " " + ngettext("and {count} more", "and {count} more", more).format(count=more)
        return shown


def _shown(path: Path, base: Path) -> str:
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def _grouped(roots: tuple[WatchRoot, ...]) -> list[tuple[WatchRoot, ...]]:
    """One watcher for the folders with their subfolders, one for the folders of single files."""
    groups = [tuple(root for root in roots if root.recursive == recursive) for recursive in (True, False)]
    return [group for group in groups if group]
