"""The cross-posting ledger: one JSON line per event, committed to the repository.

It is the only state of cross-posting (nothing depends on a CI cache). Each
(post, channel) pair's current state is its last line. A "pending" line is
written and flushed to disk *before* a request goes out and completed after it,
so a crash in between leaves evidence instead of a silent double post.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from hub_core.errors import ConfigurationError
from hub_core.files import replace_atomically
from hub_core.i18n import translator
from hub_core.options import beside_content, read

from .options import CROSSPOST_LEDGER

_, ngettext = translator("hub_crosspost")


class Status(StrEnum):
    PENDING = "pending"  # request about to go out (or went out and nobody knows the answer)
    POSTED = "posted"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Entry:
    post: str  # PostInfo.key
    channel: str
    status: Status
    at: str  # ISO 8601 with offset
    idempotency_key: str = ""
    remote_id: str = ""
    url: str = ""
    error: str = ""
    retryable: bool = False
    reason: str = ""  # why skipped / how an editor resolved it
    teaser: str = ""  # the text that was sent, for the record

    def to_json(self) -> str:
        data = {k: v for k, v in asdict(self).items() if v not in ("", False)}
        data["status"] = self.status.value
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)


class LedgerError(ConfigurationError):
    """The ledger cannot be read: a file people commit and settle by hand (--resolve), theirs to fix like a setting."""


def ledger_file(settings: Mapping[str, Any]) -> Path:
    """HUB_CROSSPOST_LEDGER; a relative path counts from the folder holding content/, like HUB_CALENDAR."""
    configured = read(CROSSPOST_LEDGER, settings) or CROSSPOST_LEDGER.default
    problem = CROSSPOST_LEDGER.check(configured)
    if problem:
        raise LedgerError(f"{CROSSPOST_LEDGER.name}: {problem}")
    return beside_content(settings, configured)


@dataclass
class Ledger:
    path: Path
    entries: list[Entry] = field(default_factory=list)
    dropped_tail: bool = False  # a half-written last line from a crash was ignored

    @classmethod
    def load(cls, path: Path) -> Ledger:
        ledger = cls(path)
        if not path.exists():
            return ledger
        lines = path.read_text(encoding="utf-8").split("\n")
        last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
        for index, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                data["status"] = Status(data["status"])
                ledger.entries.append(Entry(**data))
            except (ValueError, TypeError, KeyError) as error:
                if index == last:
                    # Only the last line can be cut off by a crash, and its request was never
                    # sent: the line is on disk before any request goes out.
                    ledger.dropped_tail = True
                    continue
                raise LedgerError(
                    _(
                        "{path}:{line}: expected a ledger entry (JSON), found: {error}; only the last line may be cut "
                        "off, every other line is one complete entry"
                    ).format(path=path, line=index + 1, error=error)
                ) from None
        return ledger

    def current(self) -> dict[tuple[str, str], Entry]:
        """The latest entry of each (post, channel)."""
        latest: dict[tuple[str, str], Entry] = {}
        for entry in self.entries:
            latest[(entry.post, entry.channel)] = entry
        return latest

    def append(self, entry: Entry) -> None:
        """Write one line and force it to disk before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.dropped_tail:
            self._rewrite()
        with self.path.open("a", encoding="utf-8") as out:
            out.write(entry.to_json() + "\n")
            out.flush()
            os.fsync(out.fileno())
        self.entries.append(entry)

    def _rewrite(self) -> None:
        """Drop a broken tail line for good (atomically)."""
        text = "".join(e.to_json() + "\n" for e in self.entries).encode("utf-8")
        replace_atomically(self.path, lambda stream: stream.write(text))
        self.dropped_tail = False
