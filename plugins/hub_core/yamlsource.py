"""YAML loading that remembers where every key and value stands in the file.

PyYAML's constructed data forgets line numbers, so we compose the node tree
first and construct each value from its node. The nodes also tell us how a
value was written (quoted or plain), which is what the YAML 1.1 trap checks
need: an unquoted `no` is the boolean false, a bare `2026-11-20` a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from . import yaml_hints
from .findings import Finding
from .yaml_hints import Spot

PLAIN_BOOL = "tag:yaml.org,2002:bool"
PLAIN_INT = "tag:yaml.org,2002:int"
PLAIN_FLOAT = "tag:yaml.org,2002:float"
PLAIN_NULL = "tag:yaml.org,2002:null"
PLAIN_TIMESTAMP = "tag:yaml.org,2002:timestamp"
STR = "tag:yaml.org,2002:str"
# libyaml composes about ten times faster than pure Python; the gate runs on every
# pull request over thousands of posts. Same node tree, same marks.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Entry:
    """One value and where it was written."""

    value: Any
    line: int
    node: yaml.Node
    children: dict[str, Entry] = field(default_factory=dict)
    items: list[Entry] = field(default_factory=list)
    spot: Spot | None = None  # where the value is written, for a marker under it (yaml_hints)

    @property
    def raw(self) -> str | None:
        """The text as written, for scalars; None for lists and maps."""
        return self.node.value if isinstance(self.node, yaml.ScalarNode) else None

    @property
    def is_plain_scalar(self) -> bool:
        """An unquoted scalar: the only kind YAML 1.1 silently turns into non-text."""
        # libyaml writes the plain style as '', the pure-Python parser as None.
        return isinstance(self.node, yaml.ScalarNode) and not self.node.style


@dataclass
class LoadedYaml:
    root: Entry | None
    findings: list[Finding]


def load_located(text: str, *, path: str, first_line: int = 1, check: str = "yaml-syntax") -> LoadedYaml:
    """Parse `text` (which starts on `first_line` of the file at `path`).

    A syntax error becomes one finding that says in plain words what is wrong and how to fix it
    (hub_core.yaml_hints), with the line shown and marked.
    """
    loader = None
    try:
        # The pure-Python loader refuses control characters here, libyaml while parsing.
        loader = SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(None, [])
        lines = text.split("\n")
        findings = _duplicate_keys(node, first_line, path, lines) + _comments_in_values(node, first_line, path, lines)
        return LoadedYaml(_entry(loader, node, first_line, lines), findings)
    except yaml.reader.ReaderError as error:
        hint = yaml_hints.control_character(text, error.position, error.character, first_line=first_line)
        return LoadedYaml(None, [_finding(path, hint, check)])
    except yaml.MarkedYAMLError as error:
        hint = yaml_hints.explain_syntax_error(text, yaml_hints.marks_of(error), first_line=first_line)
        return LoadedYaml(None, [_finding(path, hint, check)])
    except yaml.YAMLError as error:
        hint = yaml_hints.explain_syntax_error(text, yaml_hints.marks_of(error), first_line=first_line)
        return LoadedYaml(None, [_finding(path, replace(hint, message=f"{hint.message} ({error})"), check)])
    finally:
        if loader is not None:
            loader.dispose()


def _finding(path: str, hint: yaml_hints.Hint, check: str) -> Finding:
    return Finding(path, hint.line, hint.field, hint.message, check, column=hint.column, excerpt=hint.excerpt)


def pointing_at(finding: Finding, entry: Entry) -> Finding:
    """`finding` with the column and the marked line of the value `entry`, if its spot is known."""
    if entry.spot is None:
        return finding
    column, shown = yaml_hints.pointing(entry.spot)
    return replace(finding, column=column, excerpt=shown)


def _spot(node: yaml.Node, first_line: int, lines: list[str]) -> Spot | None:
    start, end = node.start_mark, node.end_mark
    if start is None or start.line >= len(lines):
        return None
    return Spot(
        first_line + start.line, start.column, lines[start.line], end.column if end.line == start.line else None
    )


def _entry(loader: yaml.SafeLoader | yaml.CSafeLoader, node: yaml.Node, first_line: int, lines: list[str]) -> Entry:
    line = first_line + node.start_mark.line
    spot = _spot(node, first_line, lines)
    if isinstance(node, yaml.MappingNode):
        children: dict[str, Entry] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True))
            child = _entry(loader, value_node, first_line, lines)
            child.line = first_line + key_node.start_mark.line
            children.setdefault(key, child)  # the first definition wins; duplicates are reported
        value = {key: child.value for key, child in children.items()}
        return Entry(value, line, node, children=children, spot=spot)
    if isinstance(node, yaml.SequenceNode):
        items = [_entry(loader, item, first_line, lines) for item in node.value]
        return Entry([item.value for item in items], line, node, items=items, spot=spot)
    if node.tag == STR:
        return Entry(node.value, line, node, spot=spot)  # text needs no constructor: the scanner's string is the value
    try:
        return Entry(loader.construct_object(node, deep=True), line, node, spot=spot)
    except (ValueError, OverflowError):
        # A plain scalar that looks like a date but is none (2026-02-30): keep the text, so the
        # field's own check says what is wrong with it instead of the whole file failing.
        return Entry(node.value, line, node, spot=spot)


def _duplicate_keys(node: yaml.Node, first_line: int, path: str, lines: list[str]) -> list[Finding]:
    """PyYAML keeps the last of two equal keys without a word; we say so."""
    findings: list[Finding] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in seen:
                finding = Finding(path, line, key, yaml_hints.duplicate_key(key, seen[key]), "duplicate-key")
                spot = _spot(key_node, first_line, lines)
                if spot is not None:
                    column, shown = yaml_hints.pointing(spot)
                    finding = replace(finding, column=column, excerpt=shown)
                findings.append(finding)
            else:
                seen[key] = line
            findings.extend(_duplicate_keys(value_node, first_line, path, lines))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            findings.extend(_duplicate_keys(item, first_line, path, lines))
    return findings


def _comments_in_values(node: yaml.Node, first_line: int, path: str, lines: list[str], key: str = "") -> list[Finding]:
    """A plain value cut short by ` #1`: YAML took the rest of the line for a comment."""
    if isinstance(node, yaml.MappingNode):
        return [
            finding
            for key_node, value_node in node.value
            for finding in _comments_in_values(value_node, first_line, path, lines, str(key_node.value))
        ]
    if isinstance(node, yaml.SequenceNode):
        return [finding for item in node.value for finding in _comments_in_values(item, first_line, path, lines, key)]
    if not isinstance(node, yaml.ScalarNode) or node.style or node.tag != STR:
        return []  # `draft: true  #todo`: a value that is no text was not cut short
    spot = _spot(node, first_line, lines)
    message = yaml_hints.comment_in_value(spot) if spot is not None else None
    if spot is None or message is None:
        return []
    column, shown = yaml_hints.pointing(spot)
    return [Finding(path, spot.line, key, message, "yaml-trap", column=column, excerpt=shown)]


def describe(entry: Entry) -> str:
    """Say what YAML made of a value, in the words an author understands."""
    value = entry.value
    if entry.is_plain_scalar:
        tag = entry.node.tag
        if tag == PLAIN_BOOL:
            return f"'{entry.raw}', which YAML reads as {str(value).lower()}: put it in quotes"
        if tag in (PLAIN_INT, PLAIN_FLOAT):
            return f"the number {entry.raw}: put it in quotes if it is meant as text"
        if tag == PLAIN_TIMESTAMP and isinstance(value, str):
            return f"'{entry.raw}', which is not a real calendar date"
        if tag == PLAIN_TIMESTAMP:
            return f"'{entry.raw}', which YAML reads as a date: put it in quotes if it is meant as text"
        if tag == PLAIN_NULL:
            return "an empty value"
    if isinstance(value, dict):
        return "a map of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"'{shown}'"
    return f"'{value}'"
