"""What a Jinja template can see: its source and everything it extends, includes or imports, and
the context names any of them reads. Found by parsing, so a theme change is never missed."""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass

from jinja2 import Environment, TemplateNotFound, meta

# Per template file, by the digest of its source: [names it reads, templates it pulls in, all known].
# Parsing a theme for this costs about a second; the store keeps the facts between builds.
Facts = MutableMapping[str, list]  # type: ignore[type-arg]


@dataclass(frozen=True)
class TemplateInputs:
    source_digest: bytes  # of the template and every template it pulls in
    names: frozenset[str]  # context names read anywhere in them
    complete: bool  # False: a template is chosen at render time, so its inputs are unknown


def template_inputs(environment: Environment, name: str, facts: Facts | None = None) -> TemplateInputs:
    facts = {} if facts is None else facts
    sources = hashlib.sha256()
    names: set[str] = set()
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
            facts[fact_key] = [
                sorted(meta.find_undeclared_variables(tree)),
                sorted(r for r in referenced if r is not None),
                None not in referenced,
            ]
        file_names, file_templates, file_complete = facts[fact_key]
        names.update(file_names)
        pending.extend(file_templates)
        complete = complete and bool(file_complete)
    return TemplateInputs(sources.digest(), frozenset(names), complete)


def _well_formed(fact: object) -> bool:
    """A fact read back from the store: anything else is parsed again."""
    return (
        isinstance(fact, list)
        and len(fact) == 3
        and all(isinstance(part, list) and all(isinstance(x, str) for x in part) for part in fact[:2])
        and isinstance(fact[2], bool)
    )
