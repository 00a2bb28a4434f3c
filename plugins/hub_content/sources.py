"""Every content file Pelican reads, as one SourceDocument: whatever way its metadata is written.

Pelican reads metadata four ways, and authors moving an existing blog over use all of them:
YAML front matter (ours), Markdown header lines (`Title: …`, with or without `---` fences),
reStructuredText field lists (`:date: …` under the title) and HTML `<meta>` tags. Each is turned
into the same located fields, so one set of checks and one review gate judge every post: a post
written the Pelican way must not skip four-eyes.

Pure: text in, a SourceDocument out; problems become findings, never exceptions.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hub_core import yaml_hints
from hub_core.findings import Finding, Level
from hub_core.i18n import translator
from hub_core.yamlsource import STR, Entry

from .frontmatter_split import BOUNDARY, SourceDocument, split_document

_, ngettext = translator("hub_content")

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
RST_SUFFIXES = (".rst",)
HTML_SUFFIXES = (".html", ".htm")
# Python-Markdown's meta extension (what Pelican's MarkdownReader uses): the same grammar, so a
# header Pelican reads is a header we read, line for line.
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
META_BEGIN = re.compile(r"^-{3}(\s.*)?$")
META_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
# Values that are YAML with a mistake, not Pelican lines: a block scalar ('|' or '>' alone, its text
# on indented lines below) or a list or map left open. (`[a, b]` is fine: Pelican reads it as text.)
YAML_ONLY_VALUE = re.compile(r"^([|>][+-]?\s*|\[(?!.*\]\s*$).*|\{(?!.*\}\s*$).*)$")
RST_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}\s*$")
RST_FIELD = re.compile(r"^:(?P<key>[^:\s`][^:`]*):(?:\s+(?P<value>.*))?$")


def markup_of(path: Path) -> str | None:
    """The markup a file is written in, by its suffix; None for a format we cannot judge."""
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in RST_SUFFIXES:
        return "rst"
    if suffix in HTML_SUFFIXES:
        return "html"
    return None


def read_source(text: str, path: str, markup: str) -> SourceDocument:
    """Split `text` (the file `path`, written in `markup`) into located fields and body."""
    text = text.lstrip("\ufeff")
    if markup == "rst":
        return split_rst(text, path)
    if markup == "html":
        return split_html(text, path)
    return split_markdown(text, path)


def split_markdown(text: str, path: str) -> SourceDocument:
    """YAML front matter where it is YAML; otherwise Pelican's `Key: value` header lines."""
    if BOUNDARY.match(text):
        document = split_document(text, path)
        if not any(f.check == "yaml-syntax" for f in document.findings):
            return document
        # Not YAML. Pelican reads '---'-fenced 'Key: value' lines with the meta extension, and so
        # do we, if every line is such a line (a title with a colon is fine there).
        header = split_pelican_header(text, path)
        if header is not None and header.fields:
            yaml_problem = document.findings[0]
            header.findings.append(
                Finding(
                    path,
                    yaml_problem.line,
                    yaml_problem.field,
                    yaml_hints.read_as_pelican_header(yaml_problem.message),
                    "pelican-header",
                    Level.WARNING,
                    column=yaml_problem.column,
                    excerpt=yaml_problem.excerpt,
                )
            )
            return header
        return document
    header = split_pelican_header(text, path)
    return header if header is not None else SourceDocument(path, has_front_matter=False, body=text)


def split_pelican_header(text: str, path: str) -> SourceDocument | None:
    """Pelican/Python-Markdown metadata lines at the top; None when the text has none or they are not
    plain lines (then it is YAML with a mistake, reported as such)."""
    lines = text.split("\n")
    index = 0
    fenced = bool(lines and META_BEGIN.match(lines[0]))
    if fenced:
        index = 1
    found: list[tuple[str, int, list[str]]] = []  # key as written, line, values
    while index < len(lines):
        line = lines[index]
        if not line.strip() or META_END.match(line):
            if fenced:
                # A fenced header is closed by '---' (a blank line may stand before it); one that is
                # never closed is a mistake in the front matter, and reported as such.
                closing = index if META_END.match(line) else index + 1
                if closing >= len(lines) or not META_END.match(lines[closing]):
                    return None
                index = closing + 1
            break
        first = META_LINE.match(line)
        if first and not line.startswith((" ", "\t")):
            value = first.group("value").strip()
            if YAML_ONLY_VALUE.match(value):
                return None
            found.append((first.group("key"), index + 1, [value]))
        else:
            more = META_MORE.match(line)
            if more and found:
                found[-1][2].append(more.group("value").strip())
            elif fenced:
                return None  # an indented YAML map or a '- item' list: YAML, not header lines
            else:
                break  # the body starts without a blank line, as Python-Markdown allows
        index += 1
    if not found:
        return None
    document = SourceDocument(path, has_front_matter=True, header="pelican")
    _add_fields(document, found)
    document.body = "\n".join(lines[index:])
    document.body_line = index + 1
    return document


def split_rst(text: str, path: str) -> SourceDocument:
    """The document title and the field list under it, as Pelican's RstReader reads them."""
    lines = text.split("\n")
    document = SourceDocument(path, has_front_matter=True, header="rst", markup="rst")
    index = _skip_blank(lines, 0)
    title: tuple[str, int] | None = None
    if index + 2 < len(lines) and RST_ADORNMENT.match(lines[index]) and RST_ADORNMENT.match(lines[index + 2]):
        title = (lines[index + 1].strip(), index + 2)
        index += 3
    elif index + 1 < len(lines) and lines[index].strip() and RST_ADORNMENT.match(lines[index + 1]):
        title = (lines[index].strip(), index + 1)
        index += 2
    found: list[tuple[str, int, list[str]]] = []
    if title is not None:
        found.append(("title", title[1], [title[0]]))
    index = _skip_blank(lines, index)
    while index < len(lines):
        field = RST_FIELD.match(lines[index])
        if field:
            found.append((field.group("key").strip(), index + 1, [(field.group("value") or "").strip()]))
        elif lines[index][:1] in (" ", "\t") and lines[index].strip() and len(found) > (title is not None):
            found[-1][2].append(lines[index].strip())
        else:
            break
        index += 1
    if title is not None and sum(1 for key, _, _ in found if key.lower() == "title") > 1:
        found.pop(0)  # a ':title:' field wins over the section title, as in Pelican's RstReader
    _add_fields(document, found, joiner=" ")
    document.body = "\n".join(lines[index:])
    document.body_line = index + 1
    return document


def split_html(text: str, path: str) -> SourceDocument:
    """`<title>` and `<meta name=… content=…>` in the head, as Pelican's HTMLReader reads them."""
    parser = _HeadParser()
    parser.feed(text)
    parser.close()
    document = SourceDocument(path, has_front_matter=True, header="html", markup="html")
    found = list(parser.fields)
    _add_fields(document, found)
    if parser.body_start is not None:
        offset = _offset(text, parser.body_start)
        document.body = text[offset:]
        document.body_line = parser.body_start[0]
    else:
        document.body = text
    return document


def _add_fields(document: SourceDocument, found: list[tuple[str, int, list[str]]], joiner: str = "\n") -> None:
    """Located text fields, keys as written (the checks compare them case-insensitively)."""
    for key, line, values in found:
        value = joiner.join(v for v in values if v) if len(values) > 1 else values[0]
        if key in document.fields:
            first = document.fields[key]
            if isinstance(first.value, str) and key.lower() in ("tags", "tag", "keywords"):
                # Several tag lines are one list, as Pelican reads them.
                document.fields[key] = text_entry(f"{first.value}, {value}", first.line)
                continue
            document.findings.append(
                Finding(
                    document.path,
                    line,
                    key,
                    _(
                        "expected each key once, found it again (first on line {line}); the first definition is used"
                    ).format(line=first.line),
                    "duplicate-key",
                )
            )
            continue
        document.fields[key] = text_entry(value, line)


def text_entry(value: str, line: int) -> Entry:
    """A header value is text as written: never a YAML boolean, number or date by accident."""
    return Entry(value, line, yaml.ScalarNode(STR, value, style='"'))


def _skip_blank(lines: list[str], index: int) -> int:
    while index < len(lines) and (not lines[index].strip() or _is_rst_comment(lines[index])):
        index += 1
    return index


def _is_rst_comment(line: str) -> bool:
    return line.startswith("..") and not re.match(r"^\.\.\s+[\w-]+::", line) and not line.startswith(".. _")


def _offset(text: str, position: tuple[int, int]) -> int:
    line, column = position
    offset = 0
    for _line in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset + column


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, int, list[str]]] = []
        self.body_start: tuple[int, int] | None = None
        self._in_title = False
        self._title: list[str] = []
        self._title_line = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.body_start is not None:
            return
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "title":
            self._in_title, self._title_line = True, self.getpos()[0]
        elif tag == "meta" and "name" in values:
            # Pelican also reads the misspelt 'contents' of old themes' examples.
            content = values.get("content", values.get("contents", ""))
            self.fields.append((values["name"], self.getpos()[0], [content]))
        elif tag == "body":
            line, column = self.getpos()
            text = self.get_starttag_text() or ""
            self.body_start = (
                line + text.count("\n"),
                len(text) - text.rfind("\n") - 1 if "\n" in text else column + len(text),
            )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.fields.insert(0, ("title", self._title_line, ["".join(self._title).strip()]))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
