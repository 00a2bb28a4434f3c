"""YAML loading that remembers where every key and value stands in the file.

PyYAML's constructed data forgets line numbers, so we compose the node tree
first and construct each value from its node. The nodes also tell us how a
value was written (quoted or plain), which is what the YAML 1.1 trap checks
need: an unquoted `no` is the boolean false, a bare `2026-11-20` a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .findings import Finding

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
    """Parse `text` (which starts on `first_line` of the file at `path`)."""
    loader = None
    try:
        # The pure-Python loader refuses control characters here, libyaml while parsing.
        loader = SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(None, [])
        return LoadedYaml(_entry(loader, node, first_line, path), _duplicate_keys(node, first_line, path))
    except yaml.reader.ReaderError as error:
        line = first_line + text.count("\n", 0, max(error.position, 0))
        message = f"expected printable text, found the control character #x{error.character:04x}"
        return LoadedYaml(None, [Finding(path, line, "", message, check)])
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else first_line
        problem = " ".join(part for part in (error.context, error.problem) if part)
        message = f"expected valid YAML, found a syntax error: {problem}"
        return LoadedYaml(None, [Finding(path, line, "", message, check)])
    except yaml.YAMLError as error:
        return LoadedYaml(None, [Finding(path, first_line, "", f"expected valid YAML, found: {error}", check)])
    finally:
        if loader is not None:
            loader.dispose()


def _entry(loader: yaml.SafeLoader | yaml.CSafeLoader, node: yaml.Node, first_line: int, path: str) -> Entry:
    line = first_line + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        children: dict[str, Entry] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True))
            child = _entry(loader, value_node, first_line, path)
            child.line = first_line + key_node.start_mark.line
            children.setdefault(key, child)  # the first definition wins; duplicates are reported
        value = {key: child.value for key, child in children.items()}
        return Entry(value, line, node, children=children)
    if isinstance(node, yaml.SequenceNode):
        items = [_entry(loader, item, first_line, path) for item in node.value]
        return Entry([item.value for item in items], line, node, items=items)
    if node.tag == STR:
        return Entry(node.value, line, node)  # text needs no constructor: the scanner's string is the value
    try:
        return Entry(loader.construct_object(node, deep=True), line, node)
    except (ValueError, OverflowError):
        # A plain scalar that looks like a date but is none (2026-02-30): keep the text, so the
        # field's own check says what is wrong with it instead of the whole file failing.
        return Entry(node.value, line, node)


def _duplicate_keys(node: yaml.Node, first_line: int, path: str) -> list[Finding]:
    """PyYAML keeps the last of two equal keys without a word; we say so."""
    findings: list[Finding] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in seen:
                findings.append(
                    Finding(
                        path,
                        line,
                        key,
                        f"expected each key once, found it again (first on line {seen[key]}); "
                        "the first definition is used",
                        "duplicate-key",
                    )
                )
            else:
                seen[key] = line
            findings.extend(_duplicate_keys(value_node, first_line, path))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            findings.extend(_duplicate_keys(item, first_line, path))
    return findings


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
