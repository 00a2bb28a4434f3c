"""The production recipe (ops/inbox/) names what exists: the WSGI module, the tasks, the lock, one port."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

from conftest import ROOT

OPS = ROOT / "ops" / "inbox"
PORT = "8100"


def test_every_file_serves_the_same_module_on_the_same_loopback_port() -> None:
    unit = (OPS / "hub-inbox.service").read_text(encoding="utf-8")
    container = (OPS / "Containerfile").read_text(encoding="utf-8")
    [start] = re.findall(r"^ExecStart=(.+)$", unit, flags=re.MULTILINE)
    assert f"--bind 127.0.0.1:{PORT}" in start and "--workers 1" in start
    for text in (start, container):
        module, attribute = re.search(r"(hub_\w+\.wsgi):(\w+)", text).groups()  # type: ignore[union-attr]
        assert callable(getattr(importlib.import_module(module), "__getattr__", None)) and attribute == "application"
    assert f"127.0.0.1:{PORT}" in (OPS / "nginx.conf").read_text(encoding="utf-8")
    assert f"127.0.0.1:{PORT}" in (OPS / "Caddyfile").read_text(encoding="utf-8")
    for copied in re.findall(r"^COPY (\S+) ", container, flags=re.MULTILINE):
        assert (ROOT / copied).exists(), copied


def test_the_timer_runs_tasks_that_exist() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "invoke", "--list"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    tasks = {line.split()[0] for line in listed.splitlines()[1:] if line.strip()}
    service = (OPS / "hub-dialogue-tasks.service").read_text(encoding="utf-8")
    named = re.findall(r"invoke ([a-z-]+)", service)
    assert named and set(named) <= tasks, (named, tasks)
