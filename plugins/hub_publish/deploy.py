"""The Target protocol and deploy(): hash the build, ask the target for a plan, carry it out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from .local import built_site
from .plan import DeployPlan, LocalFile
from .report import DeployReport


class Target(Protocol):
    """Where the site goes live. S3 and folder targets plan from their current_state();
    rsync plans with a dry run of itself, since a remote server's files cannot be hashed here."""

    @property
    def name(self) -> str:
        """Where to, for reports and errors; never with credentials."""
        ...

    def plan(self, local_root: Path, local: Mapping[str, LocalFile]) -> DeployPlan: ...

    def apply(self, plan: DeployPlan, local_root: Path, *, dry_run: bool = False) -> DeployReport:
        """Uploads in DeployPlan.uploads order, then deletes; with dry_run, nothing is changed."""
        ...


def deploy(target: Target, local_root: Path, *, dry_run: bool = False) -> DeployReport:
    """Bring `target` to the state of the finished build in `local_root`.

    Raises DeployError (naming the file or object) when the build is missing or empty, or
    the target refuses. Deletes come last: a deploy that fails while uploading has deleted nothing."""
    local = built_site(local_root)
    plan = target.plan(local_root, local)
    return target.apply(plan, local_root, dry_run=dry_run)
