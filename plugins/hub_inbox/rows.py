"""Items as table rows and back: the one mapping both stores (sqlite.py, postgres.py) use.

The stores differ in their SQL (placeholders, locking); what a row holds and how it becomes an Item
does not, so it is written once, here, with no database in sight.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from .model import Decision, Item, Source, Status

APPROVAL = "approval"  # the kinds of an item's decisions in the decisions table
LOG = "log"
ITEM_COLUMNS = "id, post, source, text, created, status, author, parent, url, handle, email, email_confirmed"
DECISION_COLUMNS = "item, kind, actor, at, action, reason"


def item_row(item: Item) -> tuple[Any, ...]:
    """The values of ITEM_COLUMNS for `item`, in that order."""
    return (
        item.id,
        item.post,
        item.source.value,
        item.text,
        item.created.isoformat(),
        item.status.value,
        item.author,
        item.parent,
        item.url,
        item.handle,
        item.email,
        int(item.email_confirmed),
    )


def decision_row(item_id: str, kind: str, position: int, decision: Decision) -> tuple[Any, ...]:
    """The values of (item, kind, position, actor, at, action, reason)."""
    return (item_id, kind, position, decision.by, decision.at.isoformat(), decision.action, decision.reason)


def items_from_rows(rows: Iterable[Sequence[Any]], decision_rows: Iterable[Sequence[Any]]) -> list[Item]:
    """Items from ITEM_COLUMNS rows and their DECISION_COLUMNS rows (ordered by item, kind, position)."""
    decisions: dict[tuple[str, str], list[Decision]] = {}
    for item_id, kind, actor, at, action, reason in decision_rows:
        decisions.setdefault((item_id, kind), []).append(Decision(actor, datetime.fromisoformat(at), action, reason))
    return [
        Item(
            id=row[0],
            post=row[1],
            source=Source(row[2]),
            text=row[3],
            created=datetime.fromisoformat(row[4]),
            status=Status(row[5]),
            author=row[6],
            parent=row[7],
            url=row[8],
            handle=row[9],
            email=row[10],
            email_confirmed=bool(row[11]),
            approvals=tuple(decisions.get((row[0], APPROVAL), ())),
            decisions=tuple(decisions.get((row[0], LOG), ())),
        )
        for row in rows
    ]
