"""Split a Markdown file into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hub_core.findings import Finding
from hub_core.i18n import translator
from hub_core.yamlsource import Entry, describe, load_located

_, ngettext = translator("hub_content")

# A line of three or more dashes: python-frontmatter's boundary (YAMLHandler.FM_BOUNDARY in
# frontmatter/default_handlers.py, version 1.3.0), copied so that files python-frontmatter reads
# are still the files we read, without the package.
BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)


@dataclass
class SourceDocument:
    """A content file as written: front matter entries with lines, and the body."""

    path: str
    has_front_matter: bool  # any metadata header at all, whatever its syntax
    fields: dict[str, Entry] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    findings: list[Finding] = field(default_factory=list)
    # How the metadata is written: "yaml" (ours), "pelican" ('Key: value' lines), "rst" (field list),
    # "html" (<meta> tags); and what the body is written in: "markdown", "rst" or "html".
    header: str = "yaml"
    markup: str = "markdown"


def has_yaml_front_matter(text: str) -> bool:
    return bool(BOUNDARY.match(text.lstrip("\ufeff")))


def split_document(text: str, path: str) -> SourceDocument:
    """Parse `text` (the contents of `path`); problems become findings, never exceptions."""
    text = text.lstrip("\ufeff")
    opening = BOUNDARY.match(text)
    if not opening:
        return SourceDocument(path, has_front_matter=False, body=text)
    closing = BOUNDARY.search(text, opening.end())
    if not closing:
        return SourceDocument(
            path,
            has_front_matter=True,
            findings=[
                Finding(
                    path,
                    1,
                    "",
                    _("expected the front matter opened on line 1 to be closed by a '---' line, found none"),
                    "yaml-syntax",
                )
            ],
        )
    first_line = _line_of(text, opening.end())
    loaded = load_located(text[opening.end() : closing.start()], path=path, first_line=first_line)
    document = SourceDocument(
        path,
        has_front_matter=True,
        # The body starts with the rest of the closing '---' line, so its first
        # line is that line and body line k is file line body_line + k.
        body=text[closing.end() :],
        body_line=_line_of(text, closing.end()),
        findings=list(loaded.findings),
    )
    if loaded.root is None:
        return document
    if not loaded.root.children and loaded.root.value is not None and not isinstance(loaded.root.value, dict):
        document.findings.append(
            Finding(
                path,
                loaded.root.line,
                "",
                _("expected the front matter to be a map of 'field: value' lines, found {found}").format(
                    found=describe(loaded.root)
                ),
                "type",
            )
        )
        return document
    document.fields = loaded.root.children
    return document


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1
