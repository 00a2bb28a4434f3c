"""What a Jinja template can see: its source and everything it extends, includes or imports, the
context names any of them reads and how (uses.py), and the filters and tests they apply. Found by
parsing, so a theme change is never missed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field

from jinja2 import Environment, TemplateNotFound, meta

from .uses import filters_and_tests, merge, name_uses

# Per template file, by the digest of its source: [names it reads, templates it pulls in, all known,
# {name: how it is used}, filters, tests].
# Parsing a theme for this costs about a second; the store keeps the facts between builds.
Facts = MutableMapping[str, list]  # type: ignore[type-arg]


@dataclass(frozen=True)
class TemplateInputs:
    source_digest: bytes  # of the template and every template it pulls in
    names: frozenset[str]  # context names read anywhere in them
    complete: bool  # False: a template is chosen at render time, so its inputs are unknown
    uses: Mapping[str, frozenset[str]] = field(default_factory=dict)  # name -> how it is read (uses.py)
    filters: frozenset[str] = frozenset()
    tests: frozenset[str] = frozenset()


def template_inputs(environment: Environment, name: str, facts: Facts | None = None) -> TemplateInputs:
    facts = {} if facts is None else facts
    sources = hashlib.sha256()
    names: set[str] = set()
    uses: dict[str, set[str]] = {}
    filters: set[str] = set()
    tests: set[str] = set()
    complete = True
    pending, seen = [name], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source, _, _ = environment.loader.get_source(environment, current)  # type: ignore[union-attr]
        except TemplateNotFound:
            # `{% include ... ignore missing %}`; the name still counts, so adding the file changes the key.
            sources.update(f"missing:{current}\0".encode())
            continue
        sources.update(f"{current}\0{source}\0".encode())
        fact_key = hashlib.sha256(source.encode()).hexdigest()
        if not _well_formed(facts.get(fact_key)):
            tree = environment.parse(source)
            referenced = list(meta.find_referenced_templates(tree))
            undeclared = meta.find_undeclared_variables(tree)
            file_uses = name_uses(tree)
            for missed in undeclared - file_uses.keys():  # Jinja's scoping knows better: assume the worst
                file_uses[missed] = {"other"}
            file_filters, file_tests = filters_and_tests(tree)
            facts[fact_key] = [
                sorted(undeclared),
                sorted(r for r in referenced if r is not None),
                None not in referenced,
                {name: sorted(used) for name, used in sorted(file_uses.items())},
                sorted(file_filters),
                sorted(file_tests),
            ]
        file_names, file_templates, file_complete, file_uses, file_filters, file_tests = facts[fact_key]
        names.update(file_names)
        pending.extend(file_templates)
        complete = complete and bool(file_complete)
        merge(uses, file_uses)
        filters.update(file_filters)
        tests.update(file_tests)
    return TemplateInputs(
        sources.digest(),
        frozenset(names),
        complete,
        {name: frozenset(used) for name, used in uses.items()},
        frozenset(filters),
        frozenset(tests),
    )


def _well_formed(fact: object) -> bool:
    """A fact read back from the store: anything else is parsed again."""
    return (
        isinstance(fact, list)
        and len(fact) == 6
        and all(_strings(part) for part in (fact[0], fact[1], fact[4], fact[5]))
        and isinstance(fact[2], bool)
        and isinstance(fact[3], dict)
        and all(isinstance(name, str) and _strings(used) for name, used in fact[3].items())
    )


def _strings(part: object) -> bool:
    return isinstance(part, list) and all(isinstance(x, str) for x in part)
