"""Writing a file so that a reader (or a sync to the web server) never sees half of it.

Shared by every plugin that writes into the output or the content: sitemap, robots.txt,
feeds, teaser feeds, recorded approvals.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> bool:
    """Write `data` to `target` via a temporary file and a rename; False if it held `data` already."""
    if target.is_file() and target.read_bytes() == data:
        return False  # keep the file and its mtime: syncs see nothing new
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; the web server must read it
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
