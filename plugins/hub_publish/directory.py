"""A local folder, e.g. one a web server serves or CI uploads as an artifact: the default
target, which needs no account.

Each file is written to a temporary name beside its place and renamed over it, so a reader
sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import IO

from hub_core.files import replace_atomically
from hub_core.i18n import translator
from hub_core.progress import progress

from .errors import DeployError
from .local import scan
from .plan import DeployPlan, LocalFile, RemoteFile, compute_plan
from .report import DeployReport, report_for

_, ngettext = translator("hub_publish")

# Published files are for everyone to read: mkstemp's 0600 would lock out the web server.
FILE_MODE = 0o644


class DirectoryTarget:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def name(self) -> str:
        return str(self.path)

    def current_state(self) -> dict[str, RemoteFile]:
        if not self.path.exists():
            return {}
        if not self.path.is_dir():
            raise DeployError(_("{path}: expected a folder to publish into, found a file").format(path=self.path))
        scanned = scan(self.path, _("Checking the published files"))
        return {path: RemoteFile(size=file.size, sha256=file.sha256) for path, file in scanned.items()}

    def plan(self, local_root: Path, local: Mapping[str, LocalFile]) -> DeployPlan:
        self._check_apart(local_root)
        return compute_plan(local, self.current_state())

    def apply(self, plan: DeployPlan, local_root: Path, *, dry_run: bool = False) -> DeployReport:
        self._check_apart(local_root)
        report = report_for(self.name, plan, local_root, dry_run=dry_run)
        if dry_run:
            return report
        doomed = set(plan.delete)
        removed: set[str] = set()  # early, to make way
        with progress(len(plan.uploads), _("Uploading"), unit=_("files")) as step:
            for path in plan.uploads:
                removed |= self._make_way(path, doomed)
                self._copy(local_root / path, self.path / path)
                step()
        with progress(len(plan.delete), _("Deleting"), unit=_("files")) as step:
            for path in plan.delete:
                if path not in removed:
                    self._remove(self.path / path)
                step()
        self._remove_empty_folders(plan.delete)
        return report

    def _check_apart(self, local_root: Path) -> None:
        """Deploying a build into itself, or around it, would delete what it is copying."""
        target, root = self.path.resolve(), local_root.resolve()
        if target == root or root in target.parents or target in root.parents:
            raise DeployError(
                _(
                    "{target}: expected a folder apart from the built site in {build}, found one inside the other;"
                    " choose a target folder outside the output folder"
                ).format(target=self.path, build=local_root)
            )

    def _make_way(self, path: str, doomed: set[str]) -> set[str]:
        """A page may turn into a folder of pages ("a" → "a/index.html") or back. Whatever
        stands in the way must itself be due for deletion, and goes now instead of later;
        returns what went."""
        destination = self.path / path
        for parent in reversed(destination.relative_to(self.path).parents[:-1]):
            if (self.path / parent).is_file():
                if parent.as_posix() not in doomed:
                    raise DeployError(
                        _("{path}: expected a folder, found a file the built site still has").format(
                            path=self.path / parent
                        )
                    )
                self._remove(self.path / parent)
                return {parent.as_posix()}
        if not destination.is_dir():
            return set()
        inside = {file.relative_to(self.path).as_posix() for file in destination.rglob("*") if not file.is_dir()}
        blocking = sorted(inside - doomed)
        if blocking:
            raise DeployError(
                _("{path}: expected a file, found a folder still holding {inside}").format(
                    path=destination, inside=self.path / blocking[0]
                )
            )
        shutil.rmtree(destination)
        return inside

    def _copy(self, source: Path, destination: Path) -> None:
        def copy(out: IO[bytes]) -> None:
            with source.open("rb") as data:
                shutil.copyfileobj(data, out)

        try:
            replace_atomically(destination, copy, mode=FILE_MODE)
        except OSError as error:
            reason = error.strerror or error
            raise DeployError(_("{path}: cannot write ({reason})").format(path=destination, reason=reason)) from None

    def _remove(self, path: Path) -> None:
        try:
            path.unlink()
        except OSError as error:
            reason = error.strerror or error
            raise DeployError(_("{path}: cannot delete ({reason})").format(path=path, reason=reason)) from None

    def _remove_empty_folders(self, deleted: Sequence[str]) -> None:
        folders = {parent for path in deleted for parent in Path(path).parents[:-1]}
        for folder in sorted(folders, key=lambda folder: len(folder.parts), reverse=True):
            with suppress(OSError):  # not empty (or already gone): it stays
                (self.path / folder).rmdir()
