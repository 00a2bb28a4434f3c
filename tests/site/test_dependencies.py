"""The dependency groups hold what the code imports, nothing it does not, and agree with each other.

requirements/runtime.lock is all that `make build` and the publish job install, so whatever the site's
code imports (plugins/, tasks.py, the settings) must be in it; each group's .in lists only packages
something uses; a package in several locks has one version; every pin carries hashes.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ROOT

REQUIREMENTS = ROOT / "requirements"
GROUPS = ("runtime", "bench", "test")
# What building runs: the plugins, the invoke tasks and the settings files.
BUILD_CODE = [
    *sorted((ROOT / "plugins").rglob("*.py")),
    ROOT / "tasks.py",
    ROOT / "pelicanconf.py",
    ROOT / "publishconf.py",
]
LOCAL = {"pelicanconf", "publishconf", "tasks", "bench", "conftest"}
# Declared, never imported: tools run as commands, type stubs, the build backend the wheel test uses.
NOT_IMPORTED = {"ruff", "mypy", "types-pyyaml", "setuptools"}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(group: str) -> dict[str, set[str]]:
    """Package → versions pinned in the group's lock (two where a marker splits them)."""
    pins: dict[str, set[str]] = {}
    for name, version in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", lock_text(group), re.M):
        pins.setdefault(normalize(name), set()).add(version)
    return pins


def lock_text(group: str) -> str:
    return (REQUIREMENTS / f"{group}.lock").read_text(encoding="utf-8")


def declared(group: str) -> set[str]:
    lines = (REQUIREMENTS / f"{group}.in").read_text(encoding="utf-8").splitlines()
    return {normalize(re.split(r"[\[=<>~! ]", line, maxsplit=1)[0]) for line in lines if line and line[0].isalnum()}


def third_party_imports(paths: list[Path]) -> dict[str, Path]:
    """Top-level module → a file importing it, for every import that is not ours or the standard library's."""
    ours = {p.name for p in (ROOT / "plugins").iterdir() if p.is_dir()} | LOCAL
    found: dict[str, Path] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ours and top != "__future__":
                    found.setdefault(top, path)
    return found


def distributions(module: str) -> set[str]:
    return {normalize(d) for d in metadata.packages_distributions().get(module, [])}


@pytest.mark.parametrize("group", GROUPS)
def test_every_pin_is_exact_and_carries_hashes(group: str) -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock_text(group).split("\n", 2)[2])
    assert len(blocks) == sum(len(versions) for versions in locked(group).values())
    for block in blocks:
        assert "==" in block.split("\n")[0] and "--hash=sha256:" in block, f"{group}.lock: {block.splitlines()[0]}"


def test_the_groups_agree_on_every_version_they_share() -> None:
    pins = {group: locked(group) for group in GROUPS}
    for package in set().union(*pins.values()):
        versions = {group: pins[group][package] for group in GROUPS if package in pins[group]}
        assert len({frozenset(v) for v in versions.values()}) == 1, f"{package}: {versions}"


def test_what_building_imports_is_in_the_runtime_group() -> None:
    runtime = set(locked("runtime"))
    for module, path in sorted(third_party_imports(BUILD_CODE).items()):
        packages = distributions(module)
        assert packages, f"{path.relative_to(ROOT)} imports {module}, which no installed package provides"
        assert packages & runtime, (
            f"{path.relative_to(ROOT)} imports {module} ({', '.join(sorted(packages))}), which is not in "
            "requirements/runtime.lock: add it to requirements/runtime.in and run make lock"
        )


def test_every_declared_package_is_imported_somewhere() -> None:
    code = [p for p in ROOT.rglob("*.py") if not {".venv", "output", "cache", ".git"} & set(p.relative_to(ROOT).parts)]
    used = set().union(*(distributions(module) for module in third_party_imports(code)))
    for group in GROUPS:
        unused = declared(group) - used - NOT_IMPORTED
        assert not unused, f"requirements/{group}.in declares {sorted(unused)}, which nothing imports"
