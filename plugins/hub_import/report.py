"""The editors' report of an import, in the language of the process (German by default): per
file what was done and what a person still has to do, then what was skipped, the totals and the
author mapping."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from hub_core.i18n import translator

from .convert import ImportPlan, PlannedPost
from .model import ToDo

_, ngettext = translator("hub_import")


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
    lines = [_("Import from {source} ({label})").format(source=source, label=plan.label)]
    lines.append(_("Written.") if written else _("Dry run: nothing written. With --write the files are created."))
    for item in plan.posts:
        if not item.clash:
            lines += ["", *_post(item, show)]
    clashes = [item for item in plan.posts if item.clash]
    if clashes:
        lines += ["", _("Skipped because the file already exists (never overwritten):")]
        lines += [f"  {show(item.target)} ← {item.post.origin}" for item in clashes]
    if plan.skipped:
        lines += ["", _("Not imported:")]
        lines += [f"  {skipped.origin}: {skipped.reason}" for skipped in plan.skipped]
    if plan.site_todos or mapping_todos:
        lines += ["", _("To do for the whole import:")]
        lines += [f"  - {todo.message}" for todo in plan.site_todos + mapping_todos]
    mapping = plan.mapping
    open_keys = ", ".join(mapping.open) or _("none")
    authors = _("Author mapping: {file} ({state}); open: {keys}")
    lines += ["", authors.format(file=show(mapping.path), state=mapping_state, keys=open_keys)]
    if plan.errors:
        lines += ["", _("Unreadable (not imported):")]
        lines += [f"  {error}" for error in plan.errors]
    lines += ["", _totals(plan, len(todos_of(plan, mapping_todos)))]
    return "\n".join(lines) + "\n"


def _post(item: PlannedPost, show: Callable[[Path], str]) -> list[str]:
    lines = [
        show(item.target),
        "  " + _("from: {origin}").format(origin=item.post.origin),
        f"  status: {item.status} ({item.reason})",
    ]
    if item.copies:
        lines.append("  " + _("Files: {files}").format(files=", ".join(show(copy.target) for copy in item.copies)))
    if item.todos:
        lines.append("  " + _("To do:"))
        lines += [f"    {n}. {_where(todo)}{todo.message}" for n, todo in enumerate(item.todos, 1)]
    if item.notes:
        lines.append("  " + _("Notes:"))
        lines += [f"    - {note}" for note in item.notes]
    return lines


def _where(todo: ToDo) -> str:
    return "(" + _("line {line}").format(line=todo.line) + ") " if todo.line > 1 else ""


def _totals(plan: ImportPlan, todos: int) -> str:
    written = [item for item in plan.posts if not item.clash]
    pages = sum(1 for item in written if item.post.kind == "page")
    posts = len(written) - pages
    statuses = Counter(item.status for item in written)
    files = sum(len(item.copies) for item in written)
    present = len(plan.posts) - len(written)
    parts = [
        ngettext("{count} file", "{count} files", len(written)).format(count=len(written))
        + " ("
        + ngettext("{count} post", "{count} posts", posts).format(count=posts)
        + ", "
        + ngettext("{count} page", "{count} pages", pages).format(count=pages)
        + ")",
        ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "–",
        ngettext("{count} image or file copied", "{count} images or files copied", files).format(count=files),
        ngettext("{count} task to do", "{count} tasks to do", todos).format(count=todos),
        ngettext("{count} already present", "{count} already present", present).format(count=present),
        ngettext("{count} not imported", "{count} not imported", len(plan.skipped)).format(count=len(plan.skipped)),
    ]
    if plan.errors:
        unreadable = len(plan.errors)
        parts.append(ngettext("{count} unreadable", "{count} unreadable", unreadable).format(count=unreadable))
    return _("Total: {parts}").format(parts="; ".join(parts))
