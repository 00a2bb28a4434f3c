"""The export the build reads: every post's approved items and counts (model.export), written
atomically to hub_dialogue's HUB_DIALOGUE_EXPORT by `invoke inbox-export` and before `invoke
publish`. The file holds the names readers gave: it lives under cache/, never in git. Deleted and
forgotten items are not in it, so the next build drops them from the pages and the search index."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hub_core.files import write_atomically

from .model import export
from .store import Store


def write_export(store: Store, path: Path, now: datetime) -> int:
    """Write the export to `path`; how many items it shows."""
    dialogues = list(store.dialogues())
    # Private data: readable by the owner only (the build runs as the same user).
    write_atomically(path, export(dialogues, now).encode("utf-8"), mode=0o600)
    return sum(1 for dialogue in dialogues for item in dialogue.items if item.public)
