"""Where the dialogue is kept: one interface, so SQLite (the embedded default) and PostgreSQL (for
companies that run it) are interchangeable. Implementations live beside this file (`sqlite.py`, …).

Every write is one transaction; `add` is idempotent by the item's id (a double submit or a second
listener run stores nothing twice). A store that is busy (SQLite locked beyond its timeout) raises
StoreBusy: the intake answers 503 with Retry-After and the writer's text is not lost (the form is
sent again, with the same token, so the same id).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from .model import Counts, Decision, Item, PostDialogue, Source, Status


class StoreBusy(Exception):
    """The database is locked or unreachable for now; try again (HTTP 503 with Retry-After)."""


class Store(Protocol):
    def add(self, item: Item) -> bool:
        """Store `item` unless an item with its id exists; True if it was new."""
        ...

    def get(self, item_id: str) -> Item | None: ...

    def items(
        self, *, post: str | None = None, status: Status | None = None, source: Source | None = None
    ) -> Sequence[Item]:
        """Items in creation order, filtered."""
        ...

    def decide(self, item_id: str, status: Status, decision: Decision) -> Item:
        """Set the status, append the decision to the item's log; the changed item."""
        ...

    def approve(self, item_id: str, decision: Decision, *, status: Status | None = None) -> Item:
        """Record an approval (decision.action "approve"); the caller decides when enough make it public
        and passes `status` (APPROVED) to set it in the same transaction."""
        ...

    def note(self, item_id: str, decision: Decision) -> Item:
        """Append `decision` to the item's log, status unchanged: a routing notice or escalation sent
        (hub_dialogue.routing reads the log so each is sent once), a reader's report."""
        ...

    def has_approved_from(self, email: str) -> bool:
        """Whether an approved item with this e-mail exists: the writer is no first-time writer (spam rules)."""
        ...

    def set_counts(self, post: str, source: Source, counts: Counts, at: datetime) -> None: ...

    def dialogues(self) -> Iterable[PostDialogue]:
        """Every post's approved items and counts: what `model.export` writes."""
        ...

    def forget(self, *, email: str = "", handle: str = "", by: str, at: datetime, reason: str = "") -> int:
        """Erasure: every item of that person marked deleted, text, name, e-mail and handle wiped, a
        "forget" decision with who, when and why on each; how many."""
        ...

    def erase(self, item_id: str, decision: Decision) -> Item:
        """One item deleted (the writer's private link): status DELETED, text, name, e-mail and handle
        wiped, the decision appended to its log; the changed item."""
        ...

    def confirm_email(self, item_id: str, decision: Decision) -> Item:
        """Double opt-in (optin.py): the writer confirmed the item's e-mail address; email_confirmed set
        and `decision` appended to the log, in one transaction; the changed item. KeyError if unknown."""
        ...

    def drop_email(self, item_id: str, decision: Decision) -> Item:
        """The item's e-mail address wiped (unsubscribed, or never confirmed in time), email_confirmed
        cleared, `decision` appended; the comment itself stays. The changed item; KeyError if unknown."""
        ...

    def set_password(self, member: str, hashed: str, at: datetime) -> None:
        """Store a team member's password hash (passwords.py) for the moderation's login."""
        ...

    def password(self, member: str) -> str:
        """The member's stored password hash; "" when none was set."""
        ...
