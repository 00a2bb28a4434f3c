"""Hash the files of a built site (or of a folder target) by relative path."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .errors import DeployError
from .plan import LocalFile

CHUNK = 1024 * 1024


def scan(root: Path) -> dict[str, LocalFile]:
    """Every regular file below `root` by relative path with forward slashes. Folders that are
    symbolic links are not followed: a build writes none, and following one could leave the site."""
    files: dict[str, LocalFile] = {}
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
                raise DeployError(f"{path}: expected a file name in UTF-8, found other bytes") from None
            files[relative] = hash_file(path)
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
        raise DeployError(f"{path}: cannot read ({error.strerror or error})") from None
    return LocalFile(size=size, sha256=sha256.hexdigest(), md5=md5.hexdigest())


def built_site(root: Path) -> dict[str, LocalFile]:
    """The files of a finished build. An empty or half-written folder is refused: deploying it
    would delete the live site."""
    if not root.is_dir():
        raise DeployError(f"{root}: expected the folder of a finished build, found no folder")
    files = scan(root)
    if "index.html" not in files:
        found = f"{len(files)} file(s) but no index.html" if files else "an empty folder"
        raise DeployError(f"{root}: expected a finished build with index.html, found {found}")
    return files
