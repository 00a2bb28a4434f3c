"""How a template uses each context name it reads, found by walking its syntax tree.

The page cache keys a template call by the context names its templates read (templates.py). For a
paginated listing that is too coarse: `articles` is the whole list, yet a page shows only its own
posts. This walk records, for every read of a context name, what is done with it:

- `attr:a.b`  the attribute chain `name.a.b`, its value then used in any way
- `call:a`    the method `name.a()` called without arguments
- `length`    `name|length` or `name|count`
- `defined`   `name is defined`, `is undefined`, `is none`
- `bool`      only its truth is asked (`if name`, `not name`, `a and name` inside a condition)
- `other`     anything else (printed, passed on, indexed, filtered, ...)
- `stored`    the name is assigned somewhere (`set`, `with`, `import ... as`, a macro's name), so a
              read of it may not be the context's value: it cannot be reasoned about
- `unless:g:<use>`  a read that only runs when the context name `g` is false (the `else` of
              `{% if g %}`, `x if g else <here>`): dead wherever `g` is known to be true

A read of a name bound by an enclosing `for`, `with` or macro (`{% macro card_grid(articles) %}`) is the
local, not the context's, and is not recorded. When unsure the walk says `other` or records a read
too many, never one too few: that only makes a page depend on more than it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from jinja2 import nodes

Uses = dict[str, set[str]]
# Filters and tests whose answer depends only on the length, or the existence, of what they get
# (the writer makes sure the environment's are Jinja's own).
LENGTH_FILTERS = frozenset({"length", "count"})
DEFINED_TESTS = frozenset({"defined", "undefined", "none"})


def name_uses(tree: nodes.Template) -> Uses:
    walk = _Walk()
    walk.visit(tree, frozenset(), (), ())
    return walk.uses


def filters_and_tests(tree: nodes.Template) -> tuple[set[str], set[str]]:
    """The names of every filter and test the template applies."""
    filters = {node.name for node in tree.find_all(nodes.Filter)}
    tests = {node.name for node in tree.find_all(nodes.Test)}
    return filters, tests


def live_uses(uses: Iterable[str], true_names: frozenset[str]) -> set[str]:
    """The uses that can run when every name in `true_names` is true: guarded ones are dropped."""
    live = set()
    for use in uses:
        if use.startswith("unless:"):
            _, guards, use = use.split(":", 2)
            if true_names & set(guards.split(",")):
                continue
        live.add(use)
    return live


def merge(target: Uses, source: Mapping[str, Iterable[str]]) -> None:
    for name, uses in source.items():
        target.setdefault(name, set()).update(uses)


class _Walk:
    def __init__(self) -> None:
        self.uses: Uses = {}

    def record(self, name: str, use: str, guards: tuple[str, ...]) -> None:
        if guards:
            use = f"unless:{','.join(sorted(set(guards)))}:{use}"
        self.uses.setdefault(name, set()).add(use)

    def visit(
        self, node: nodes.Node, bound: frozenset[str], guards: tuple[str, ...], parents: tuple[nodes.Node, ...]
    ) -> None:
        inner = (*parents, node)
        if isinstance(node, nodes.Name):
            self._name(node, bound, guards, parents)
        elif isinstance(node, nodes.NSRef):  # `{% set ns.x = ... %}` reads `ns`
            if node.name not in bound:
                self.record(node.name, "other", guards)
        elif isinstance(node, nodes.For):
            targets = _stored_names(node.target)
            self.visit(node.iter, bound, guards, inner)
            for child in (*node.body, *([node.test] if node.test is not None else [])):
                self.visit(child, bound | targets | {"loop"}, guards, inner)
            for child in node.else_:
                self.visit(child, bound, guards, inner)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            if isinstance(node, nodes.Macro):
                self.record(node.name, "stored", ())
            else:
                self.visit(node.call, bound, guards, inner)
            for default in node.defaults:
                self.visit(default, bound, guards, inner)
            params = frozenset(arg.name for arg in node.args)
            for child in node.body:
                self.visit(child, bound | params, guards, inner)
        elif isinstance(node, nodes.With):
            for value in node.values:
                self.visit(value, bound, guards, inner)
            targets = frozenset().union(*(_stored_names(target) for target in node.targets))
            for child in node.body:
                self.visit(child, bound | targets, guards, inner)
        elif isinstance(node, nodes.If):
            self._if(node, bound, guards, inner)
        elif isinstance(node, nodes.CondExpr):
            self.visit(node.test, bound, guards, inner)
            truth, guard = _guard(node.test, bound)
            self.visit(node.expr1, bound, guards + ((guard,) if guard and not truth else ()), inner)
            if node.expr2 is not None:
                self.visit(node.expr2, bound, guards + ((guard,) if guard and truth else ()), inner)
        else:
            sees_locals = isinstance(node, nodes.Include) or (
                isinstance(node, nodes.Import | nodes.FromImport) and node.with_context
            )
            if sees_locals:  # the other template sees the enclosing loop's or macro's locals under their names
                for name in bound:
                    self.record(name, "stored", ())
            if isinstance(node, nodes.Import):
                self.record(node.target, "stored", ())
            elif isinstance(node, nodes.FromImport):
                for imported in node.names:
                    self.record(imported[1] if isinstance(imported, tuple) else imported, "stored", ())
            for child in node.iter_child_nodes():
                self.visit(child, bound, guards, inner)

    def _if(
        self, node: nodes.If, bound: frozenset[str], guards: tuple[str, ...], inner: tuple[nodes.Node, ...]
    ) -> None:
        self.visit(node.test, bound, guards, inner)
        truth, guard = _guard(node.test, bound)
        for child in node.body:
            self.visit(child, bound, guards + ((guard,) if guard and not truth else ()), inner)
        for child in (*node.elif_, *node.else_):
            self.visit(child, bound, guards + ((guard,) if guard and truth else ()), inner)

    def _name(
        self, node: nodes.Name, bound: frozenset[str], guards: tuple[str, ...], parents: tuple[nodes.Node, ...]
    ) -> None:
        if node.ctx == "param":
            return
        if node.ctx == "store":
            if node.name not in bound:
                self.record(node.name, "stored", ())
            return
        if node.name in bound:
            return
        self.record(node.name, _use(node, parents), guards)


def _guard(test: nodes.Node, bound: frozenset[str]) -> tuple[bool, str | None]:
    """(True, g) for a test `g`, (False, g) for `not g`, where g is a context name; else (_, None)."""
    if isinstance(test, nodes.Name) and test.name not in bound:
        return True, test.name
    if isinstance(test, nodes.Not) and isinstance(test.node, nodes.Name) and test.node.name not in bound:
        return False, test.node.name
    return True, None


def _use(name: nodes.Name, parents: tuple[nodes.Node, ...]) -> str:
    node: nodes.Node = name
    chain = []
    index = len(parents) - 1
    while index >= 0 and isinstance(parents[index], nodes.Getattr) and parents[index].node is node:  # type: ignore[attr-defined]
        node = parents[index]
        chain.append(node.attr)  # type: ignore[attr-defined]
        index -= 1
    parent = parents[index] if index >= 0 else None
    if chain:
        path = ".".join(chain)
        if isinstance(parent, nodes.Call) and parent.node is node:
            return f"call:{path}" if _no_arguments(parent) else "other"
        return f"attr:{path}"
    if isinstance(parent, nodes.Filter) and parent.node is node and parent.name in LENGTH_FILTERS:
        return "length" if _no_arguments(parent) else "other"
    if isinstance(parent, nodes.Test) and parent.node is node and parent.name in DEFINED_TESTS:
        return "defined" if _no_arguments(parent) else "other"
    if _asked_for_truth(node, parents[: index + 1]):
        return "bool"
    return "other"


def _asked_for_truth(node: nodes.Node, parents: tuple[nodes.Node, ...]) -> bool:
    """Whether only the truth of `node`'s value matters (an `and` or `or` hands on the value itself)."""
    if not parents:
        return False
    parent = parents[-1]
    if isinstance(parent, nodes.Not):
        return True
    if isinstance(parent, nodes.If | nodes.CondExpr | nodes.For) and getattr(parent, "test", None) is node:
        return True
    if isinstance(parent, nodes.And | nodes.Or):
        return _asked_for_truth(parent, parents[:-1])
    return False


def _no_arguments(node: nodes.Call | nodes.Filter | nodes.Test) -> bool:
    return not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)


def _stored_names(target: nodes.Node) -> frozenset[str]:
    return frozenset(n.name for n in ([target] if isinstance(target, nodes.Name) else target.find_all(nodes.Name)))
