"""Finding what the Hub plugins declare, by module name: hub_core and the root of a file may not
import the plugins that build on them, so they look the declarations up (a plugin's
`calendar_sections.py`, its `options.py`)."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

CORE = "hub_core"  # shared, not a plugin: its own options.py is the declarations' type, not a declaration


def hub_packages_with(module: str) -> tuple[str, ...]:
    """Every hub_* package on sys.path that has `<module>.py`, by name, sorted."""
    seen: set[str] = set()
    owners: list[str] = []
    for info in pkgutil.iter_modules():  # the first of a name on sys.path is the one imported
        folder = getattr(info.module_finder, "path", None)
        if not (info.ispkg and info.name.startswith("hub_") and folder) or info.name in seen | {CORE}:
            continue
        seen.add(info.name)
        if (Path(folder) / info.name / f"{module}.py").is_file():
            owners.append(info.name)
    return tuple(sorted(owners))


def declarations_of(packages: Iterable[str], module: str) -> dict[str, ModuleType]:
    """`<package>.<module>` of each hub_* package that has one (others, and non-Hub names, are skipped)."""
    found = {}
    for package in packages:
        if not package.startswith("hub_") or package == CORE:
            continue
        try:
            spec = importlib.util.find_spec(f"{package}.{module}")
        except ModuleNotFoundError:  # a plugin that is not installed: Pelican says so itself
            continue
        if spec is not None:
            found[package] = importlib.import_module(f"{package}.{module}")
    return found
