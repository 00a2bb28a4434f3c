"""What a Jinja template can see: its source and everything it extends, includes or imports, and
the context names any of them reads. Found by parsing, so a theme change is never missed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from jinja2 import Environment, TemplateNotFound, meta


@dataclass(frozen=True)
class TemplateInputs:
    source_digest: bytes  # of the template and every template it pulls in
    names: frozenset[str]  # context names read anywhere in them
    complete: bool  # False: a template is chosen at render time, so its inputs are unknown


def template_inputs(environment: Environment, name: str) -> TemplateInputs:
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
        tree = environment.parse(source)
        names |= meta.find_undeclared_variables(tree)
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                complete = False
            else:
                pending.append(referenced)
    return TemplateInputs(sources.digest(), frozenset(names), complete)
