"""A fingerprint of everything readers see of a post, so an approval goes stale on any later edit.

Covered: title, summary, teaser, body, header image (path, alt text, credit,
license and the file's bytes), images in the body (their bytes), date and the
sponsored label (the list the editorial guidance names). Not covered: `tags`,
`category`, `plan`, `approvals`, `status`, YAML comments, so fixing those keeps
the approval (the category still decides who may approve).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

from hub_content.model import ContentItem

PREFIX = "sha256:"
DIGITS = 32  # 128 bits: enough to notice any edit, short enough to read in front matter


def file_digest(root: Path) -> Callable[[str], str]:
    """Digest of a content file by its content-relative path, each file read once per run."""
    cache: dict[str, str] = {}

    def digest(relative: str) -> str:
        if relative not in cache:
            try:
                with (root / relative).open("rb") as handle:
                    cache[relative] = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError:
                cache[relative] = "missing"
        return cache[relative]

    return digest


def normalized_body(body: str) -> str:
    # Line endings and trailing blank lines differ between editors, not for readers.
    return body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def visible_content(item: ContentItem, body: str, digest: Callable[[str], str]) -> dict[str, object]:
    image = item.image
    return {
        "title": item.title,
        "summary": item.summary,
        "teaser": item.teaser,
        "body": normalized_body(body),
        "body_images": {path: digest(path) for path in sorted(set(item.body_images))},
        "image": None
        if image is None
        else {
            "path": image.path,
            "alt": image.alt,
            "credit": image.credit,
            "license": image.license,
            "file": digest(image.path),
        },
        "date": item.date.astimezone(UTC).isoformat() if item.date else None,
        "sponsored": None
        if item.sponsored is None
        else {"label": item.sponsored.label, "partner": item.sponsored.partner},
    }


def fingerprint(item: ContentItem, body: str, digest: Callable[[str], str]) -> str:
    """sha256 over each visible field, length-prefixed so no two different contents hash alike."""
    hasher = hashlib.sha256()
    for name, value in visible_content(item, body, digest).items():
        if isinstance(value, str):
            text = value
        elif not value:
            text = "\0" + repr(value)  # None, {} (cheaper than JSON for the common empty fields)
        else:
            text = json.dumps(value, sort_keys=True, ensure_ascii=False)
        data = f"{name}={text}".encode()
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return PREFIX + hasher.hexdigest()[:DIGITS]
