"""The review state of each post, as editors read it in `invoke review`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hub_content.model import ContentItem
from hub_core.i18n import N_, translator

from .approval import Verdict
from .calendar_sections import FreezeWindow

_, ngettext = translator("hub_review")


class State(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in review"
    APPROVED = "approved"  # signed off, still marked review: waiting to be released
    STALE = "stale approval"
    SCHEDULED = "scheduled"  # approved, released, dated in the future
    HELD = "held"  # would be live but is not approved, or falls in a freeze
    PUBLISHED = "published"

    def shown(self) -> str:
        """The state as a person reads it (the value stays English: JSON, CSS and the theme use it)."""
        return _(STATE_NAMES[self])


STATE_NAMES = {
    State.DRAFT: N_("draft"),
    State.IN_REVIEW: N_("in review"),
    State.APPROVED: N_("approved"),
    State.STALE: N_("approval out of date"),
    State.SCHEDULED: N_("scheduled"),
    State.HELD: N_("held back"),
    State.PUBLISHED: N_("published"),
}


@dataclass(frozen=True)
class PostReview:
    item: ContentItem
    slug: str
    state: State
    verdict: Verdict
    note: str = ""
    freeze: FreezeWindow | None = None
    slot: str | None = None

    @property
    def date(self) -> datetime | None:
        return self.item.date

    @property
    def group(self) -> str:
        """Translations are one post for cadence: a post and its English version count once."""
        return self.item.translation_of or self.slug

    @property
    def counts_for_cadence(self) -> bool:
        """Live or certain to go live: what readers will get."""
        return self.state in (State.PUBLISHED, State.SCHEDULED)

    @property
    def goes_out(self) -> bool:
        """Published by a production build now; everything else is held back from every output."""
        return self.state is State.PUBLISHED


def decide(status: str, verdict: Verdict, due: bool, freeze: FreezeWindow | None, when: str) -> tuple[State, str]:
    """State and note of a post from its status, approval, date and freezes."""
    if status in ("draft", "skip"):  # skip: Pelican does not even read it
        return State.DRAFT, ""
    if status == "review":
        if verdict.approved:
            return State.APPROVED, _("set status: published to release it for {date}").format(date=when)
        return (State.STALE if verdict.stale else State.IN_REVIEW), verdict.summary()
    # published or hidden: meant to be live at its date
    if not verdict.approved:
        return State.HELD, verdict.summary()
    if freeze is not None:
        return State.HELD, _("dated inside the {freeze}").format(freeze=freeze.describe())
    if not due:
        return State.SCHEDULED, _("goes live {date}").format(date=when)
    return State.PUBLISHED, ""
