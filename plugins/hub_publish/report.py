"""What a deploy did, or would do, and how it reads in the terminal and the CI log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .plan import DeployPlan


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
    counts = (
        f"{len(report.uploaded)} new, {len(report.changed)} changed, {len(report.deleted)} deleted, "
        f"{report.unchanged} unchanged"
    )
    if report.dry_run:
        lines = [f"publish: dry run, nothing sent to {report.target}"]
        lines += [f"  would upload  {path}" for path in report.uploaded]
        lines += [f"  would replace {path}" for path in report.changed]
        lines += [f"  would delete  {path}" for path in report.deleted]
        lines.append(f"{counts}; {human_size(report.uploaded_bytes)} to send")
        return "\n".join(lines)
    if not (report.uploaded or report.changed or report.deleted):
        return f"publish: {report.target} is up to date ({report.unchanged} files unchanged)"
    return f"publish: deployed to {report.target}: {counts}; {human_size(report.uploaded_bytes)} sent"


def human_size(size: int) -> str:
    """Decimal units, as storage providers bill them."""
    if size < 1000:
        return f"{size} B"
    value, unit = size / 1000, "kB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"


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
