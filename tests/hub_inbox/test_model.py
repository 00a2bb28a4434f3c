"""The export is the one thing the build reads from the dialogue: only public items, only what a page shows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hub_inbox.model import Counts, Decision, ExportError, Item, PostDialogue, Source, Status, export, read_export

AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def item(number: int, status: Status = Status.APPROVED, **fields: str) -> Item:
    return Item(
        id=f"web:{number}",
        post="de/minus-30-grad",
        source=Source.WEB,
        text=f"Kommentar {number} <b>kein HTML</b>",
        created=AT,
        status=status,
        **fields,
    )


def test_the_export_holds_public_items_without_personal_data_and_reads_back() -> None:
    shown = item(1, author="Anna", email="anna@example.com", handle="", parent="")
    hidden = item(2, Status.PENDING)
    text = export(
        [PostDialogue("de/minus-30-grad", (shown, hidden), {"mastodon": Counts(replies=2, reposts=1, likes=7)})], AT
    )
    assert "anna@example.com" not in text and "web:2" not in text
    [dialogue] = read_export(text).values()
    assert [(i.id, i.author, i.text, i.status) for i in dialogue.items] == [
        ("web:1", "Anna", "Kommentar 1 <b>kein HTML</b>", Status.APPROVED)
    ]
    assert dialogue.counts["mastodon"] == Counts(replies=2, reposts=1, likes=7)


def test_a_decision_is_appended_to_the_log() -> None:
    decided = item(3, Status.PENDING).with_status(Status.REJECTED, Decision("sroth", AT, "reject", "Beleidigung"))
    assert decided.status is Status.REJECTED and decided.decisions[-1].reason == "Beleidigung"


@pytest.mark.parametrize(
    "text", ["", "{}", '{"version": 2, "posts": {}}', '{"version": 1, "posts": {"x": {"items": [{}]}}}']
)
def test_a_broken_export_is_an_export_error(text: str) -> None:
    with pytest.raises(ExportError):
        read_export(text)
