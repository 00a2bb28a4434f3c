"""A server reachable with rsync (over SSH: "user@host:/var/www/blog") or a local folder.

rsync compares by checksum itself, so the plan is rsync's own dry run, read from its
--itemize-changes output: a remote server's files cannot be hashed from here. The real
run uses --delay-updates (every changed file is put in place together at the end of the
transfer) and --delete-after (deletes only once everything is in place), so a reader
never meets a half-updated site; the tier order of the other targets is not needed.
SSH authentication is the CI job's (agent, key file or RSYNC_RSH), never a setting.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from hub_core.i18n import translator

from .errors import DeployConfigError, DeployError
from .plan import DeployPlan, LocalFile
from .report import DeployReport, report_for

_, ngettext = translator("hub_publish")

OPTIONS = (
    "--archive",
    "--checksum",
    "--delete-after",
    "--delay-updates",
    "--itemize-changes",
    # Built into a temporary folder (mode 0700 on most systems): without this, --archive
    # would give the live folder the same mode and the web server could read nothing.
    "--chmod=D755,F644",
)
TIMEOUT = 1800  # seconds; a hung SSH connection must not hold the CI job forever
CODE_WIDTH = 11  # rsync's itemize code, e.g. ">f+++++++++" or "*deleting  "


class RsyncTarget:
    def __init__(self, destination: str, *, timeout: float = TIMEOUT) -> None:
        if not destination.strip() or destination.startswith("-"):
            raise DeployConfigError(
                _("expected an rsync destination such as user@host:/var/www/blog, found '{destination}'").format(
                    destination=destination
                )
            )
        self.destination = destination
        self.timeout = timeout

    @property
    def name(self) -> str:
        return f"rsync {self.destination}"

    def plan(self, local_root: Path, local: Mapping[str, LocalFile]) -> DeployPlan:
        return parse_itemized(self._run(local_root, dry_run=True), local)

    def apply(self, plan: DeployPlan, local_root: Path, *, dry_run: bool = False) -> DeployReport:
        """Runs rsync for real unless `dry_run`; rsync decides again, so a change made on the
        server since the plan is taken care of, though the report shows the plan."""
        report = report_for(self.name, plan, local_root, dry_run=dry_run)
        if not dry_run and not plan.is_empty:
            self._run(local_root, dry_run=False)
        return report

    def command(self, local_root: Path, *, dry_run: bool) -> list[str]:
        rsync = shutil.which("rsync")
        if rsync is None:
            raise DeployError(
                _(
                    "rsync is not installed: install it (e.g. apt-get install rsync)"
                    " or choose another target in HUB_DEPLOY"
                )
            )
        # The trailing slash sends the folder's content, not the folder itself.
        return [rsync, *OPTIONS, *(["--dry-run"] if dry_run else []), f"{local_root}/", self.destination]

    def _run(self, local_root: Path, *, dry_run: bool) -> str:
        command = self.command(local_root, dry_run=dry_run)
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise DeployError(
                _("{target}: rsync did not finish within {seconds} s").format(
                    target=self.name, seconds=f"{self.timeout:g}"
                )
            ) from None
        except OSError as error:
            reason = error.strerror or error
            raise DeployError(
                _("{target}: cannot start rsync ({reason})").format(target=self.name, reason=reason)
            ) from None
        if result.returncode != 0:
            said = " ".join(result.stderr.strip().splitlines()[-3:]) or _("no message")
            raise DeployError(
                _("{target}: rsync failed with exit code {code}: {said}").format(
                    target=self.name, code=result.returncode, said=said
                )
            )
        return result.stdout


def parse_itemized(output: str, local: Mapping[str, LocalFile]) -> DeployPlan:
    """The plan in rsync's --itemize-changes output (pure). Lines that are not about a
    regular file (folders, links, rsync's own messages) say nothing a plan needs; a file
    whose content is equal but whose time or mode differs (".f..t......") is unchanged."""
    new: set[str] = set()
    changed: set[str] = set()
    deleted: set[str] = set()
    for line in output.splitlines():
        if len(line) <= CODE_WIDTH + 1 or line[CODE_WIDTH] != " ":
            continue
        code, path = line[:CODE_WIDTH], line[CODE_WIDTH + 1 :]
        if code.startswith("*deleting"):
            if not path.endswith("/"):
                deleted.add(path)
        elif code[0] in "<>" and code[1] == "f":
            (new if code[2:] == "+" * (CODE_WIDTH - 2) else changed).add(path)
    unchanged = set(local) - new - changed
    return DeployPlan(sorted(new), sorted(changed), sorted(deleted), sorted(unchanged))
