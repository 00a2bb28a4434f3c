"""The content model: what a post or page holds once its front matter is checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

Kind = Literal["article", "page"]
# Pelican's four (published, draft, hidden, skip: never read at all) and ours: review.
STATUSES = ("published", "draft", "review", "hidden", "skip")
# Reader comments under a post (hub_dialogue): the form and the thread, the thread without the form, nothing.
COMMENT_MODES = ("open", "closed", "off")


@dataclass(frozen=True)
class ImageRef:
    path: str  # relative to the content folder, '/'-separated
    alt: str
    credit: str = ""
    license: str = ""
    shows_people: bool = False
    people_consent: bool = False
    focal: tuple[float, float] | None = None  # [x, y] in 0..1: what crops (social cards) keep in view


@dataclass(frozen=True)
class Sponsorship:
    label: str
    partner: str = ""


@dataclass(frozen=True)
class ApprovalRecord:
    """One editor's sign-off as written in the front matter (validity is the review gate's call)."""

    by: str
    at: datetime
    fingerprint: str
    line: int  # of the list item, for messages
    fingerprint_line: int = 0  # where the fingerprint is written: what git blame proves


@dataclass
class ContentItem:
    """One post or page with checked, normalized fields (None where absent or invalid)."""

    path: str  # as shown in messages
    source: Path
    kind: Kind
    title: str | None = None
    date: datetime | None = None
    modified: datetime | None = None
    authors: tuple[str, ...] = ()
    category: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    # How the summary is written: "text" (our front matter: plain text), or the markup of a Pelican
    # header ("markdown", "rst", "html"), which Pelican renders like the body.
    summary_markup: str = "text"
    teaser: str | dict[str, str] | None = None
    lang: str | None = None
    translation_of: str | None = None
    slug: str | None = None
    status: str = "published"
    image: ImageRef | None = None
    sponsored: Sponsorship | None = None
    canonical_url: str | None = None
    save_as: str | None = None
    url: str | None = None
    template: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body_images: tuple[str, ...] = ()
    approvals: tuple[ApprovalRecord, ...] = ()
    plan: str | None = None  # id of the editorial plan slot this post fulfils
    comments: str | None = None  # one of COMMENT_MODES; None: the site's default (open)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, 1)
