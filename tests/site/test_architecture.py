"""The layering of plugins/, enforced by reading the source with `ast` (nothing is imported, so it is fast).

Words, as used here and in docs/architecture.md:
- hub_core: the shared package. Not a plugin; it imports only the standard library, third-party
  packages and itself.
- plugin: a package plugins/hub_*/ whose __init__.py has register(). hub_import has none and
  hub_publish's does nothing (both are libraries for tasks.py); the same rules apply to them.
- adapter: a module that knows Pelican: every plugin's __init__.py (where register() connects
  the signals) and each module in ADAPTERS below (they import pelican, or run it).
- pure: every other module. Plain data in, plain data out: testable without Pelican.

The rules:
1. hub_core imports no hub_* package.
2. A pure module imports neither pelican nor an adapter. A module that starts to import pelican
   fails here: move the Pelican part into the package's __init__.py, or, when the module really is
   glue, add it to ADAPTERS with the reason. A plain library function of Pelican that needs no
   settings, signals or run (a parser) may be called from a pure module listed in PELICAN_LIBRARY_CALLS.
3. A package imports no other package's adapter: share a pure module instead. (hub_core's adapter,
   build_log, is shared by the plugins' adapters; rule 2 still keeps it out of pure modules.)
4. No import cycle between modules (module-level and function-level imports alike; imports under
   `if TYPE_CHECKING:` do not run and do not count), and none between packages.
5. Every hub_* import names a module that exists in plugins/; plugins import neither tasks.py nor
   the settings files.

A known violation is listed in one of the *_EXCEPTIONS below with a reason; each entry must
still be needed, so the list shrinks as the code is cleaned up.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"
CORE = "hub_core"

# Modules (besides every plugin's __init__.py) that may know Pelican, and why. A module that imports
# pelican and is not listed here fails test_pure_modules_import_no_pelican.
ADAPTERS: dict[str, str] = {
    "hub_content.pelican_settings": "reads Pelican's settings into the checked, typed ContentSettings",
    "hub_content.reader": "the Pelican readers for Markdown, HTML and reStructuredText",
    "hub_core.build_log": "takes over Pelican's log handler for the build log and CI annotations",
    "hub_core.build_tracking": "connects Pelican's `initialized`: checks PLUGINS' order, a fresh build state per run",
    "hub_core.run_pelican": "`python -m hub_core.run_pelican`: runs Pelican with the build log",
    "hub_page_cache.writer": "a Pelican Writer that skips pages whose inputs did not change",
    "hub_search.documents": "turns Pelican's articles and pages into search documents",
    "hub_dialogue.wsgi": "the production inbox for a WSGI server: reads the site's settings file with Pelican's reader",
    "hub_theme.listings": "reads Pelican's posts into the listings per language and writes them with Pelican's paginator",
    "hub_preview.quick": "the quick page: a saved post read with the build's reader and Pelican's link rules, outside a build",
}

# (pure module, pelican module) -> why the pure module may call into Pelican: a library function
# that needs no settings, signals or Pelican run. A module listed here stays pure (its importers
# need no exception); importing anything else of Pelican still fails.
PELICAN_LIBRARY_CALLS: dict[tuple[str, str], str] = {
    ("hub_import.dates", "pelican.utils"): (
        "get_date is the date grammar of the Pelican blogs `invoke import` reads (dateutil: "
        "`:date: 2012/10/23 12:00:00` in real blogs); a copy would drift from what Pelican accepted"
    ),
}

# (importing module, imported adapter) -> why it is allowed for now.
CROSS_ADAPTER_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("hub_preview.quick", "hub_content.reader"): (
        "the quick page must render a saved post exactly as the build's reader does (its Markdown, checks and"
        " images); a second renderer would drift from it"
    ),
    ("hub_preview.quick", "hub_content.pelican_settings"): (
        "the checked ContentSettings (slugs, output patterns, check levels) the reader and the build use"
    ),
}
PURE_IMPORTS_ADAPTER_EXCEPTIONS: dict[tuple[str, str], str] = {}
# Modules (packages) that import each other in a circle, sorted by name -> why it is allowed for now.
# The exception covers exactly this set: a module that joins the circle fails the test.
MODULE_CYCLE_EXCEPTIONS: dict[tuple[str, ...], str] = {}
PACKAGE_CYCLE_EXCEPTIONS: dict[tuple[str, ...], str] = {}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, or "tasks" for tasks.py
    path: Path
    line: int
    target: str  # a module in plugins/ when it names one, else the dotted name as written
    written: str  # the statement as a reader finds it in the file
    runs: bool  # False under `if TYPE_CHECKING:`

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.written}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PLUGINS).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PLUGINS.rglob("*.py"))}


def package_of(module: str) -> str:
    return module.split(".")[0]


def is_package(module: str) -> bool:
    path = modules().get(module)
    return path is not None and path.name == "__init__.py"


def is_adapter(module: str) -> bool:
    return module in ADAPTERS or ("." not in module and is_package(module) and has_register(modules()[module]))


def known(name: str) -> str:
    """The longest prefix of a dotted name that is a module in plugins/, or the name itself."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules():
            return candidate
    return name


def resolve(source: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield known(alias.name)
        return
    base = node.module or ""
    if node.level:
        package = source.split(".") if is_package(source) else source.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        yield submodule if submodule in modules() else known(base)


def under_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def walk(node: ast.AST, runs: bool = True) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, runs
        elif isinstance(child, ast.If) and under_type_checking(child):
            for statement in child.body:
                yield from walk(ast.Module(body=[statement], type_ignores=[]), runs=False)
            for statement in child.orelse:
                yield from walk(ast.Module(body=[statement], type_ignores=[]), runs=runs)
        else:
            yield from walk(child, runs)


@cache
def imports_of(source: str, path: Path) -> tuple[Import, ...]:
    found = []
    for node, runs in walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        written = ast.unparse(node)
        for target in resolve(source, node):
            found.append(Import(source, path, node.lineno, target, written, runs))
    return tuple(found)


@cache
def all_imports() -> tuple[Import, ...]:
    found = [imp for name, path in modules().items() for imp in imports_of(name, path)]
    return (*found, *imports_of("tasks", ROOT / "tasks.py"))


def plugin_imports() -> list[Import]:
    return [imp for imp in all_imports() if imp.source != "tasks"]


def imports_pelican(imp: Import) -> bool:
    return package_of(imp.target) == "pelican"


def hub_target(imp: Import) -> bool:
    return package_of(imp.target).startswith("hub_")


def report(violations: list[str], rule: str) -> str:
    return f"{rule}\n" + "\n".join(f"  {line}" for line in violations)


# --- rule 1 -------------------------------------------------------------------------------------


def test_core_imports_no_plugin() -> None:
    violations = [
        imp.where()
        for imp in plugin_imports()
        if package_of(imp.source) == CORE and hub_target(imp) and package_of(imp.target) != CORE
    ]
    assert not violations, report(
        violations,
        "hub_core is shared by every plugin and imports none of them (stdlib, third-party and hub_core only). "
        "Move the shared code into hub_core, or the plugin-specific code out of it:",
    )


# --- rule 2 -------------------------------------------------------------------------------------


def test_pure_modules_import_no_pelican() -> None:
    violations = [
        imp.where()
        for imp in plugin_imports()
        if imports_pelican(imp) and not is_adapter(imp.source) and (imp.source, imp.target) not in PELICAN_LIBRARY_CALLS
    ]
    assert not violations, report(
        violations,
        "A pure rule module imports no pelican. Move the Pelican part into the package's __init__.py "
        "(the adapter), or, if the module is glue, add it to ADAPTERS in tests/site/test_architecture.py with the reason:",
    )


def test_pure_modules_import_no_adapter() -> None:
    violations = [
        f"{imp.where()}  ({imp.target} is an adapter)"
        for imp in plugin_imports()
        if not is_adapter(imp.source)
        and hub_target(imp)
        and is_adapter(imp.target)
        and (imp.source, imp.target) not in PURE_IMPORTS_ADAPTER_EXCEPTIONS
    ]
    assert not violations, report(
        violations,
        "A pure rule module imports no adapter (a package's __init__.py or a module in ADAPTERS): "
        "it would pull Pelican in. Import the pure module that defines the name instead, or move it there:",
    )


def test_adapters_are_still_adapters() -> None:
    stale = [
        module
        for module in ADAPTERS
        if module not in modules()
        or not any(
            imports_pelican(imp) or (hub_target(imp) and is_adapter(imp.target) and imp.target != module)
            for imp in imports_of(module, modules()[module])
        )
    ]
    assert not stale, f"ADAPTERS lists modules that no longer exist or no longer know Pelican; remove them: {stale}"


# --- rule 3 -------------------------------------------------------------------------------------


def test_no_package_imports_another_packages_adapter() -> None:
    violations = [
        f"{imp.where()}  ({imp.target} is {package_of(imp.target)}'s adapter)"
        for imp in plugin_imports()
        if hub_target(imp)
        and package_of(imp.target) not in (package_of(imp.source), CORE)
        and is_adapter(imp.target)
        and (imp.source, imp.target) not in CROSS_ADAPTER_EXCEPTIONS
    ]
    assert not violations, report(
        violations,
        "A plugin imports no other plugin's adapter (its __init__.py or a module that imports pelican). "
        "Import a pure module of that plugin instead; if that is impossible today, list the pair in "
        "CROSS_ADAPTER_EXCEPTIONS with the reason:",
    )


def test_listed_exceptions_are_still_needed() -> None:
    edges = {(imp.source, imp.target) for imp in plugin_imports()}
    unused: list[tuple[str, ...]] = [
        pair
        for pair in (*PELICAN_LIBRARY_CALLS, *CROSS_ADAPTER_EXCEPTIONS, *PURE_IMPORTS_ADAPTER_EXCEPTIONS)
        if pair not in edges
    ]
    for key, allowed in (("module", MODULE_CYCLE_EXCEPTIONS), ("package", PACKAGE_CYCLE_EXCEPTIONS)):
        parts = circles(graph(key))
        unused += [listed for listed in allowed if not any(set(listed) <= set(part) for part in parts)]
    assert not unused, f"These exceptions no longer happen; remove them from tests/site/test_architecture.py: {unused}"


# --- rule 4 -------------------------------------------------------------------------------------


def graph(key: str) -> dict[str, dict[str, Import]]:
    """Edges between modules ("module") or top-level packages ("package"), with one import as evidence."""
    edges: dict[str, dict[str, Import]] = {}
    for imp in plugin_imports():
        if not imp.runs or imp.target not in modules():
            continue
        source, target = imp.source, imp.target
        if key == "package":
            source, target = package_of(source), package_of(target)
        if source != target:
            edges.setdefault(source, {}).setdefault(target, imp)
    return edges


def circles(edges: dict[str, dict[str, Import]]) -> list[tuple[str, ...]]:
    """The strongly connected parts with more than one member (Tarjan): each is one or more cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(tuple(sorted(part)))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def one_cycle(part: tuple[str, ...], edges: dict[str, dict[str, Import]]) -> list[str]:
    """A shortest path from the part's first member back to itself (breadth first)."""
    start = part[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges.get(node, {})):
            if nxt == start:
                return paths[node]
            if nxt in part and nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"no cycle through {part}")


def describe(part: tuple[str, ...], edges: dict[str, dict[str, Import]]) -> str:
    cycle = one_cycle(part, edges)
    steps = zip(cycle, [*cycle[1:], cycle[0]], strict=True)
    text = " -> ".join(cycle + cycle[:1]) + "".join(f"\n    {edges[a][b].where()}" for a, b in steps)
    if len(part) > len(cycle):
        text += f"\n    (more cycles run through: {', '.join(part)})"
    return text


def unexpected_circles(key: str, allowed: dict[tuple[str, ...], str]) -> list[str]:
    edges = graph(key)
    return [describe(part, edges) for part in circles(edges) if part not in allowed]


def test_no_import_cycle_between_modules() -> None:
    found = unexpected_circles("module", MODULE_CYCLE_EXCEPTIONS)
    assert not found, report(
        found,
        "Modules import each other in a circle (a function-level import counts too: it only hides the cycle). "
        "Move what both need into a third module that imports neither:",
    )


def test_no_import_cycle_between_packages() -> None:
    found = unexpected_circles("package", PACKAGE_CYCLE_EXCEPTIONS)
    assert not found, report(
        found,
        "Packages import each other in a circle; a package depends on hub_core and on packages earlier in "
        "the data flow (docs/architecture.md), never back:",
    )


def test_the_cycle_finder_reports_the_path() -> None:
    here = Path(__file__)
    edge = Import("a", here, 7, "b", "import b", True)
    edges = {"a": {"b": edge}, "b": {"c": edge, "a": edge}, "c": {"a": edge, "d": edge}, "d": {}}
    assert circles(edges) == [("a", "b", "c")]
    assert one_cycle(("a", "b", "c"), edges) == ["a", "b"]
    assert describe(("a", "b", "c"), edges).splitlines()[0] == "a -> b -> a"
    assert "more cycles run through: a, b, c" in describe(("a", "b", "c"), edges)
    assert circles({"a": {"b": edge}, "b": {}}) == []


# --- rule 5 -------------------------------------------------------------------------------------


def test_every_hub_import_exists() -> None:
    missing = [imp.where() for imp in all_imports() if hub_target(imp) and imp.target not in modules()]
    assert not missing, report(missing, "These imports name a hub_* module that is not in plugins/:")


def test_plugins_import_neither_tasks_nor_settings() -> None:
    violations = [
        imp.where()
        for imp in plugin_imports()
        if imp.target in {"tasks", "pelicanconf", "publishconf"} and imp.target not in modules()
    ]
    assert not violations, report(
        violations, "Plugins read settings from Pelican's settings dict, never from tasks.py or pelicanconf.py:"
    )


# --- plugin names -------------------------------------------------------------------------------


@cache
def has_register(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.FunctionDef) and node.name == "register" for node in tree.body)


def packages() -> list[Path]:
    return sorted(path for path in PLUGINS.iterdir() if (path / "__init__.py").is_file())


def settings_plugins(name: str) -> list[str] | None:
    tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "PLUGINS" for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list), f"{name}: PLUGINS is a list of names"
            return value
    return None


def test_every_plugin_package_is_named_hub() -> None:
    wrong = [
        path.name for path in packages() if has_register(path / "__init__.py") and not path.name.startswith("hub_")
    ]
    assert not wrong, (
        f"Plugin packages in plugins/ are named hub_* so no installed community plugin can shadow them: {wrong}"
    )


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_plugins_setting_lists_only_our_plugins(settings: str) -> None:
    listed = settings_plugins(settings)
    if listed is None:
        assert settings != "pelicanconf.py", "pelicanconf.py sets PLUGINS"
        return
    ours = {path.name for path in packages() if has_register(path / "__init__.py")}
    wrong = [name for name in listed if not name.startswith("hub_") or name not in ours]
    assert not wrong, f"{settings}: PLUGINS may list only hub_* packages in plugins/ that have register(): {wrong}"
    assert len(set(listed)) == len(listed), f"{settings}: PLUGINS lists a plugin twice"


# --- docs/architecture.md -----------------------------------------------------------------------

DOC = ROOT / "docs" / "architecture.md"
REFERENCE = re.compile(r"`([^`]+)`")


def defines(path: Path, dotted: str) -> bool:
    """Whether the module at `path` defines `name` or `Class.member` at its top level."""
    body: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
    for part in dotted.split("."):
        found = next((node for node in body if part in names_defined(node)), None)
        if found is None:
            return False
        body = found.body if isinstance(found, ast.ClassDef) else []
    return True


def names_defined(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {target.id for target in node.targets if isinstance(target, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


def source_of(reference: str) -> Path:
    """`hub_review/approval.py`, `hub_review.table` or `hub_review` (its __init__.py) as a file."""
    if reference.endswith(".py"):
        return PLUGINS / reference
    path = PLUGINS / reference.replace(".", "/")
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def doc_references() -> Iterator[tuple[int, Path, str]]:
    """(line, file, name) for each `file::name` in a table cell and each bare `name` after it in the cell."""
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("|"):
            continue
        for cell in line.split("|"):
            current: Path | None = None
            for token in REFERENCE.findall(cell):
                if "::" in token:
                    where, _, name = token.partition("::")
                    current = source_of(where)
                    yield number, current, name
                elif current is not None and re.fullmatch(r"[A-Za-z_][\w.]*", token):
                    yield number, current, token
                elif token.endswith(".py") and "/" in token and token.startswith("hub_"):
                    yield number, PLUGINS / token, ""


def test_the_architecture_doc_points_at_code_that_exists() -> None:
    wrong = [
        f"docs/architecture.md:{number}: {path.relative_to(ROOT)}{'::' + name if name else ''}"
        for number, path, name in doc_references()
        if not path.is_file() or (name and not defines(path, name))
    ]
    assert not wrong, report(
        wrong, "docs/architecture.md names files or functions that do not exist (moved or renamed?); update the rows:"
    )


def test_the_doc_reference_checker_finds_a_missing_name() -> None:
    assert defines(PLUGINS / "hub_review" / "approval.py", "Verdict.approved")
    assert not defines(PLUGINS / "hub_review" / "approval.py", "Verdict.nothing")
    assert source_of("hub_review") == PLUGINS / "hub_review" / "__init__.py"
    assert source_of("hub_review.table") == PLUGINS / "hub_review" / "table.py"
    assert len(list(doc_references())) > 100
