"""The editors' view: the review table and its JSON form."""

from __future__ import annotations

import json
from collections.abc import Sequence

from hub_core.findings import Report

from .gate import GateResult

MAX_TITLE = 44


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    # The last column (the note) is not padded: it may be long.
    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < len(cells) - 1 else c for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def render_text(result: GateResult, report: Report) -> str:
    zone = result.calendar.timezone
    out = [f"Review as of {result.now.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})", ""]
    rows = [
        [
            f"{p.date.astimezone(zone):%Y-%m-%d %H:%M}" if p.date else "-",
            p.state.value,
            _cut(p.item.title or p.slug, MAX_TITLE),
            ", ".join(p.item.authors),
            ", ".join(p.verdict.approvers) or ("(before approval.since)" if p.verdict.grandfathered else "-"),
            p.slot or "-",
            p.note,
        ]
        for p in result.posts
    ]
    out += _table(["date", "state", "title", "authors", "approved by", "slot", "note"], rows)
    if result.slots:
        out += ["", "Editorial plan"]
        slot_rows = [
            [
                s.slot.label,
                s.state.value,
                _cut(s.slot.topic, MAX_TITLE),
                s.slot.owner or "-",
                ", ".join(s.slot.channels) or "-",
                s.post.slug if s.post else "-",
                s.note,
            ]
            for s in result.slots
        ]
        out += _table(["due", "state", "topic", "owner", "channels", "post", "note"], slot_rows)
    if result.thin_weeks:
        out += ["", "Thin weeks this quarter (fewer posts than the minimum)"]
        out += [f"  {w.week} (from {w.week.monday:%d.%m.}): {w.posts} of {w.target}" for w in result.thin_weeks]
    stop = result.crossposting_stop()
    if stop is not None:
        out += ["", f"FROZEN NOW: {stop.describe()}: nothing new is published or cross-posted"]
    out += ["", "Findings"]
    out += [f"  {f.render()}" for f in report.findings] or ["  none"]
    counts: dict[str, int] = {}
    for post in result.posts:
        counts[post.state.value] = counts.get(post.state.value, 0) + 1
    out += ["", "Posts: " + ", ".join(f"{n} {state}" for state, n in counts.items())]
    return "\n".join(out)


def render_json(result: GateResult, report: Report) -> str:
    zone = result.calendar.timezone
    stop = result.crossposting_stop()
    data = {
        "now": result.now.isoformat(),
        "timezone": zone.key,
        "frozen": None if stop is None else {"reason": stop.reason, "from": stop.start.isoformat()},
        "posts": [
            {
                "path": p.item.path,
                "slug": p.slug,
                "title": p.item.title,
                "date": p.date.astimezone(zone).isoformat() if p.date else None,
                "state": p.state.value,
                "status": p.item.status,
                "authors": list(p.item.authors),
                "approved_by": list(p.verdict.approvers),
                "approvals_required": p.verdict.required,
                "slot": p.slot,
                "note": p.note,
            }
            for p in result.posts
        ],
        "plan": [
            {
                "id": s.slot.id,
                "due": s.slot.label,
                "topic": s.slot.topic,
                "owner": s.slot.owner,
                "channels": list(s.slot.channels),
                "state": s.state.value,
                "post": s.post.item.path if s.post else None,
                "note": s.note,
            }
            for s in result.slots
        ],
        "thin_weeks": [{"week": str(w.week), "posts": w.posts, "target": w.target} for w in result.thin_weeks],
        "findings": [f.as_dict() for f in report.findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
