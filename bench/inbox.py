"""How many comments per second the inbox accepts: `.venv/bin/python -m bench.inbox [--clients 20] [--comments 2000]`.

A real server (the same threaded wsgiref server `invoke inbox` runs) on loopback with a real SQLite
file in a temporary folder; `--clients` threads post the form as a browser does (urllib, one
connection per request, Origin set), each comment with its own token. Prints comments/second
accepted (stored, answered 200) and checks that none was lost or stored twice. A measurement, not a
test: the target is at least 200/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from hub_dialogue.posts_index import IndexedPost, render_posts_index
from hub_inbox.app import Intake, IntakeConfig
from hub_inbox.server import in_thread, make
from hub_inbox.spam import SpamRules
from hub_inbox.sqlite import SqliteStore

ORIGIN = "https://blog.example.de"


def run(clients: int, comments: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        posts = Path(folder) / "posts.json"
        posts.write_bytes(render_posts_index([IndexedPost("de/bench", f"{ORIGIN}/de/bench/", True)]))
        store = SqliteStore(Path(folder) / "inbox.sqlite")
        # every client is on loopback: one network, so the rate limit is lifted for the measurement
        rules = SpamRules(minimum_seconds=0, per_network=comments * 2)
        app = Intake(IntakeConfig(posts_file=posts, origins=(ORIGIN,), rules=rules), store)
        server = make(app, "127.0.0.1", 0, log=False)
        thread = in_thread(server)
        url = f"http://127.0.0.1:{server.server_port}/dialog/"
        failures: list[str] = []
        per_client = comments // clients

        def client(number: int) -> None:
            for index in range(per_client):
                form = {"post": "de/bench", "text": f"Kommentar {number}-{index}", "token": f"{number}-{index}"}
                form["rendered_at"] = "2026-01-01T00:00:00+00:00"
                request = Request(url, data=urlencode(form).encode(), headers={"Origin": ORIGIN})
                try:
                    with urlopen(request, timeout=60) as response:
                        if response.headers["X-Hub-Outcome"] != "received":
                            failures.append(response.headers["X-Hub-Outcome"])
                except HTTPError as error:
                    failures.append(str(error.code))

        threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
        started = time.perf_counter()
        for worker in threads:
            worker.start()
        for worker in threads:
            worker.join()
        elapsed = time.perf_counter() - started
        server.shutdown()
        server.server_close()
        thread.join()
        stored = store.items()
        store.close()
        sent = per_client * clients
        distinct = len({item.id for item in stored})
        print(f"clients: {clients}, comments sent: {sent}, stored: {len(stored)} ({distinct} distinct)")
        print(f"failures: {len(failures)} {sorted(set(failures))}")
        print(f"elapsed: {elapsed:.2f} s, accepted: {(sent - len(failures)) / elapsed:.0f} comments/second")
        if len(stored) != sent or distinct != sent or failures:
            raise SystemExit("lost or duplicated comments")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--comments", type=int, default=2000)
    arguments = parser.parse_args()
    run(arguments.clients, arguments.comments)
