"""What a deploy did, or would do, and how it reads in the terminal and the CI log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hub_core.i18n import language, translator

from .plan import DeployPlan

_, ngettext = translator("hub_publish")


@dataclass(frozen=True)
class DeployReport:
    target: str  # where to, e.g. "s3://bucket/blog/"; never with credentials
    dry_run: bool
    uploaded: tuple[str, ...]  # new files
    changed: tuple[str, ...]  # files replaced by a new version
    deleted: tuple[str, ...]
    unchanged: int
    uploaded_bytes: int  # of new and changed files together


def format_report(report: DeployReport) -> str:
    """A dry run lists every file it would touch; a real deploy gives counts and bytes."""
    counts = _("{new} new, {changed} changed, {deleted} deleted, {unchanged} unchanged").format(
        new=len(report.uploaded), changed=len(report.changed), deleted=len(report.deleted), unchanged=report.unchanged
    )
    size = human_size(report.uploaded_bytes)
    if report.dry_run:
        lines = [_("publish: dry run, nothing sent to {target}").format(target=report.target)]
        lines += [_("  would upload  {path}").format(path=path) for path in report.uploaded]
        lines += [_("  would replace {path}").format(path=path) for path in report.changed]
        lines += [_("  would delete  {path}").format(path=path) for path in report.deleted]
        lines.append(_("{counts}; {size} to send").format(counts=counts, size=size))
        return "\n".join(lines)
    if not (report.uploaded or report.changed or report.deleted):
        return ngettext(
            "publish: {target} is up to date ({count} file unchanged)",
            "publish: {target} is up to date ({count} files unchanged)",
            report.unchanged,
        ).format(target=report.target, count=report.unchanged)
    return _("publish: deployed to {target}: {counts}; {size} sent").format(
        target=report.target, counts=counts, size=size
    )


def human_size(size: int) -> str:
    """Decimal units, as storage providers bill them; a decimal comma for German readers."""
    if size < 1000:
        return f"{size} B"
    value, unit = size / 1000, "kB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    number = f"{value:.1f}"
    return f"{number.replace('.', ',') if language() == 'de' else number} {unit}"


def report_for(target: str, plan: DeployPlan, local_root: Path, *, dry_run: bool) -> DeployReport:
    """The report of carrying out `plan` from the build in `local_root`."""
    sent = sum((local_root / path).stat().st_size for path in (*plan.upload_new, *plan.upload_changed))
    return DeployReport(
        target=target,
        dry_run=dry_run,
        uploaded=tuple(plan.upload_new),
        changed=tuple(plan.upload_changed),
        deleted=tuple(plan.delete),
        unchanged=len(plan.unchanged),
        uploaded_bytes=sent,
    )
