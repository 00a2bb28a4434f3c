"""Headless Chromium for the browser tests, and a loopback server for the pages it opens.

Debian's `chromium` package, driven over the DevTools protocol on a pipe: no driver, no
extra package, no network. The `browser` fixture (conftest.py) skips when Chromium is missing,
and fails in CI (CI set), where .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def local_server(directory: Path) -> Iterator[str]:
    """Serve `directory` on a random loopback port; yields the base URL (build with it as SITEURL)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chromium_binary() -> str | None:
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None)


# Chromium reads DevTools commands from fd 3 and answers on fd 4: put the pipe's ends there, then start it.
PIPE_TRAMPOLINE = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"
)


class Chromium:
    """Headless Chromium, driven over the DevTools protocol on a pipe (NUL-separated JSON on fds 3 and 4)."""

    def __init__(self, binary: str, profile: Path) -> None:
        browser_reads, self._commands = os.pipe()
        self._replies, browser_writes = os.pipe()
        flags = [
            "--headless=new",
            "--no-sandbox",  # containers and CI run as root; the pages are our own
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        self.log_path = profile.parent / "chromium.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", PIPE_TRAMPOLINE, str(browser_reads), str(browser_writes), binary, *flags],
                pass_fds=(browser_reads, browser_writes),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        os.close(browser_reads)
        os.close(browser_writes)
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._answers: dict[int, dict[str, Any]] = {}
        self._unanswered: set[int] = set()  # commands sent without waiting for their answer
        self._last_id = 0
        self.requests: list[str] = []  # every URL any page or worker asked for
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._replies, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 16):
                *messages, buffer = (buffer + chunk).split(b"\0")
                for message in messages:
                    self._inbox.put(json.loads(message))
        self._inbox.put(None)

    def _post(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        return self._last_id

    def _handle(self, message: dict[str, Any]) -> None:
        if "id" in message:
            if message["id"] not in self._unanswered:
                self._answers[message["id"]] = message
        elif message.get("method") == "Network.requestWillBeSent":
            self.requests.append(message["params"]["request"]["url"])
        elif message.get("method") == "Target.attachedToTarget":
            # A worker (Pagefind searches in one): log its requests too, then let it start.
            worker = message["params"]["sessionId"]
            self._unanswered.add(self._post("Network.enable", session=worker))
            self._unanswered.add(self._post("Runtime.runIfWaitingForDebugger", session=worker))

    def _receive(self, deadline: float) -> bool:
        """Handle the next message from Chromium; False if none came before `deadline`."""
        try:
            message = self._inbox.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return False
        if message is None:
            raise RuntimeError(f"Chromium quit; see {self.log_path}")
        self._handle(message)
        return True

    def pump(self, seconds: float) -> None:
        """Let time pass while handling what Chromium sends (workers wait for us to let them start)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._receive(deadline):
            pass

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        asked = self._post(method, params, session)
        deadline = time.monotonic() + 20
        while asked not in self._answers:
            if not self._receive(deadline):
                raise TimeoutError(f"{method}: no answer from Chromium; see {self.log_path}")
        answer = self._answers.pop(asked)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def requests_leaving(self, base: str) -> list[str]:
        """Every URL a page or worker asked for outside `base`'s origin (scheme, host and port), in order.

        `data:` and `blob:` URLs are made inside the page and leave nothing."""
        origin = urlsplit(base)
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob")
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (origin.scheme, origin.netloc)
        ]

    def open(self, url: str) -> Tab:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, session)
        tab.call("Network.enable")
        tab.call("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True})
        tab.call("Page.navigate", {"url": url})
        tab.wait_for("location.href !== 'about:blank' && document.readyState === 'complete'")
        return tab

    def close(self) -> None:
        try:
            self._post("Browser.close")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        os.close(self._commands)


# What Chromium answers when the page an evaluation ran in went away under it (navigation, reload).
NAVIGATING = ("Inspected target navigated or closed", "Execution context was destroyed", "Cannot find context")


class Tab:
    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.call(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 15) -> Any:
        """`expression`'s value once it is true; a page that navigates meanwhile (a redirect, a reload)
        only means "not yet": the evaluation is tried again in the page that follows."""
        deadline = time.monotonic() + seconds
        while not (value := self._evaluate_unless_navigating(expression)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {seconds} s: {expression}")
            self.browser.pump(0.1)
        return value

    def _evaluate_unless_navigating(self, expression: str) -> Any:
        try:
            return self.evaluate(expression)
        except RuntimeError as error:
            if any(sign in str(error) for sign in NAVIGATING):
                return None
            raise

    def type(self, text: str) -> None:
        """Key by key into the focused field, with a typist's pauses (the page debounces)."""
        for character in text:
            self.call("Input.insertText", {"text": character})
            self.browser.pump(0.03)

    def results(self, query: str) -> dict[str, Any]:
        """The status line and the result list once the search for `query` (not a prefix typed before) is done."""
        self.wait_for(
            f"document.getElementById('search-status').textContent.includes({json.dumps(query)})"
            " && !document.getElementById('search-results').hasAttribute('aria-busy')"
        )
        return self.evaluate(
            """({
              status: document.getElementById('search-status').textContent,
              address: location.href,
              results: Array.from(document.querySelectorAll('#search-results > li'), (li) => ({
                title: li.querySelector('h2 a').textContent,
                href: li.querySelector('h2 a').href,
                meta: li.querySelector('.search-result__meta')?.textContent ?? '',
                marks: Array.from(li.querySelectorAll('.search-result__excerpt mark'), (m) => m.textContent),
              })),
            })"""
        )
