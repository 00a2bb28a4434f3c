"""Hash the files of a built site (or of a folder target) by relative path."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from hub_core.i18n import translator
from hub_core.progress import progress

from .errors import DeployError
from .plan import LocalFile

_, ngettext = translator("hub_publish")
CHUNK = 1024 * 1024


def scan(root: Path, label: str = "") -> dict[str, LocalFile]:
    """Every regular file below `root` by relative path with forward slashes. Folders that are
    symbolic links are not followed: a build writes none, and following one could leave the site.
    Hashing a large site takes a while: `label` names the work in the progress shown meanwhile."""
    found: list[tuple[str, Path]] = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if not path.is_file():
                continue
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError:
                raise DeployError(
                    _("{path}: expected a file name in UTF-8, found other bytes; rename the file").format(path=path)
                ) from None
            found.append((relative, path))
    files: dict[str, LocalFile] = {}
    with progress(len(found), label or _("Reading the files"), unit=_("files")) as step:
        for relative, path in found:
            files[relative] = hash_file(path)
            step()
    return files


def hash_file(path: Path) -> LocalFile:
    sha256, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                sha256.update(chunk)
                md5.update(chunk)
                size += len(chunk)
    except OSError as error:
        reason = error.strerror or error
        raise DeployError(_("{path}: cannot read ({reason})").format(path=path, reason=reason)) from None
    return LocalFile(size=size, sha256=sha256.hexdigest(), md5=md5.hexdigest())


def built_site(root: Path) -> dict[str, LocalFile]:
    """The files of a finished build. An empty or half-written folder is refused: deploying it
    would delete the live site."""
    if not root.is_dir():
        raise DeployError(_("{path}: expected the folder of a finished build, found no folder").format(path=root))
    files = scan(root, _("Reading the built site"))
    if "index.html" not in files:
        if files:
            found = ngettext("{count} file but no index.html", "{count} files but no index.html", len(files))
        else:
            found = _("an empty folder")
        raise DeployError(
            _("{path}: expected a finished build with index.html, found {found}").format(
                path=root, found=found.format(count=len(files))
            )
        )
    return files
