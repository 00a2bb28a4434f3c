"""The editors' report of an import, in German: per file what was done and what a person
still has to do, then what was skipped, the totals and the author mapping."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from .convert import ImportPlan, PlannedPost
from .model import ToDo


def todos_of(plan: ImportPlan, extra: list[ToDo] | None = None) -> list[ToDo]:
    """Every to-do of the import: per written file, then for the whole import."""
    written = [todo for item in plan.posts if not item.clash for todo in item.todos]
    return written + plan.site_todos + list(extra or [])


def render(
    plan: ImportPlan,
    *,
    source: str,
    written: bool,
    show: Callable[[Path], str],
    mapping_state: str,
    mapping_todos: list[ToDo],
) -> str:
    lines = [f"Übernahme aus {source} ({plan.label})"]
    lines.append(
        "Geschrieben." if written else "Probelauf: nichts geschrieben. Mit --write werden die Dateien angelegt."
    )
    for item in plan.posts:
        if not item.clash:
            lines += ["", *_post(item, show)]
    clashes = [item for item in plan.posts if item.clash]
    if clashes:
        lines += ["", "Übersprungen, weil die Datei schon existiert (wird nie überschrieben):"]
        lines += [f"  {show(item.target)} ← {item.post.origin}" for item in clashes]
    if plan.skipped:
        lines += ["", "Nicht übernommen:"]
        lines += [f"  {skipped.origin}: {skipped.reason}" for skipped in plan.skipped]
    if plan.site_todos or mapping_todos:
        lines += ["", "Für die ganze Übernahme zu erledigen:"]
        lines += [f"  - {todo.message}" for todo in plan.site_todos + mapping_todos]
    mapping = plan.mapping
    open_keys = ", ".join(mapping.open) or "keine"
    lines += ["", f"Zuordnung der Autoren: {show(mapping.path)} ({mapping_state}); offen: {open_keys}"]
    if plan.errors:
        lines += ["", "Nicht lesbar (nicht übernommen):"]
        lines += [f"  {error}" for error in plan.errors]
    lines += ["", _totals(plan, len(todos_of(plan, mapping_todos)))]
    return "\n".join(lines) + "\n"


def _post(item: PlannedPost, show: Callable[[Path], str]) -> list[str]:
    lines = [show(item.target), f"  aus: {item.post.origin}", f"  status: {item.status} ({item.reason})"]
    if item.copies:
        lines.append(f"  Dateien: {', '.join(show(copy.target) for copy in item.copies)}")
    if item.todos:
        lines.append("  Zu erledigen:")
        lines += [f"    {n}. {_where(todo)}{todo.message}" for n, todo in enumerate(item.todos, 1)]
    if item.notes:
        lines.append("  Hinweise:")
        lines += [f"    - {note}" for note in item.notes]
    return lines


def _where(todo: ToDo) -> str:
    return f"(Zeile {todo.line}) " if todo.line > 1 else ""


def _totals(plan: ImportPlan, todos: int) -> str:
    written = [item for item in plan.posts if not item.clash]
    kinds = Counter("Seite" if item.post.kind == "page" else "Beitrag" for item in written)
    statuses = Counter(item.status for item in written)
    files = sum(len(item.copies) for item in written)
    parts = [
        f"{len(written)} Datei(en) ({kinds['Beitrag']} Beitrag/Beiträge, {kinds['Seite']} Seite(n))",
        ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "–",
        f"{files} Bild(er)/Datei(en) kopiert",
        f"{todos} Aufgabe(n) zu erledigen",
        f"{len(plan.posts) - len(written)} schon vorhanden",
        f"{len(plan.skipped)} nicht übernommen",
    ]
    if plan.errors:
        parts.append(f"{len(plan.errors)} nicht lesbar")
    return "Summe: " + "; ".join(parts)
