"""reStructuredText to Markdown with docutils, for the constructs blog posts use.

Converted: paragraphs, section headings, emphasis, strong, inline literals, links (named,
anonymous, standalone, internal `{filename}`/`{static}`), images and figures (with
substitutions), bullet and numbered lists (nested), literal and code blocks (`::`,
`.. code-block:: lang`), block quotes, transitions, line blocks, raw HTML. Everything
else (tables, footnotes, admonitions, definition and field lists, `.. contents::`,
math, unknown roles or directives) is kept as plain text and returned as a problem
with its line, so the report can name it.

Pure: text in, Markdown and problems out. Pelican's own directives are not loaded: they
would render Pygments HTML; docutils' `code` directive (alias `code-block`) is used instead.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.body import CodeBlock
from hub_core.i18n import translator

SETTINGS = {
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": io.StringIO(),
    "doctitle_xform": False,
    "sectsubtitle_xform": False,
    "syntax_highlight": "none",
    "file_insertion_enabled": False,
    "raw_enabled": True,
    "input_encoding": "unicode",
    "embed_stylesheet": False,
}
INLINE_ESCAPE = re.compile(r"([\\`*\[\]])")
LINE_START = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s)")

_, ngettext = translator("hub_import")


@dataclass
class Converted:
    markdown: str
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line in the body, construct)


@contextmanager
def _plain_code_blocks() -> Iterator[None]:
    """docutils keeps registered directives in one module-wide table, where Pelican puts its
    Pygments `code-block` once its readers are imported; for the time of one parse ours wins."""
    registry = directives._directives  # type: ignore[attr-defined]
    saved = {name: registry.get(name) for name in ("code-block", "sourcecode", "code")}
    try:
        for name in saved:
            registry[name] = CodeBlock
        yield
    finally:
        for name, directive in saved.items():
            if directive is None:
                registry.pop(name, None)
            else:
                registry[name] = directive


def rst_to_markdown(text: str) -> Converted:
    settings = dict(SETTINGS, warning_stream=io.StringIO())
    with _plain_code_blocks():
        document = publish_doctree(text, settings_overrides=settings)
    converter = _Converter()
    body = converter.blocks(document.children, 0).strip("\n")
    for message in document.findall(nodes.system_message):
        if message["level"] >= 2:
            converter.problem(message, f"docutils: {message.astext().splitlines()[0]}")
    return Converted(body + "\n", sorted(set(converter.problems)))


class _Converter:
    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def problem(self, node: nodes.Node, construct: str) -> None:
        line = getattr(node, "line", None) or _line_of(node)
        self.problems.append((line or 0, construct))

    # -- blocks ---------------------------------------------------------------

    def blocks(self, children: list[nodes.Node], level: int) -> str:
        return "".join(self.block(child, level) for child in children)

    def block(self, node: nodes.Node, level: int) -> str:
        if isinstance(node, nodes.section):
            return self.blocks(node.children, level + 1)
        if isinstance(node, nodes.title):
            return "#" * min(level + 1, 6) + " " + self.inline(node) + "\n\n"
        if isinstance(node, nodes.paragraph):
            text = self.inline(node)
            return (("\\" + text) if LINE_START.match(text) else text) + "\n\n"
        if isinstance(node, nodes.bullet_list | nodes.enumerated_list):
            return self.list(node, level) + "\n"
        if isinstance(node, nodes.literal_block):
            return self.code(node)
        if isinstance(node, nodes.block_quote):
            inner = self.blocks(node.children, level).strip("\n")
            return "\n".join(("> " + line).rstrip() for line in inner.split("\n")) + "\n\n"
        if isinstance(node, nodes.attribution):
            return "— " + self.inline(node) + "\n\n"
        if isinstance(node, nodes.transition):
            return "* * *\n\n"
        if isinstance(node, nodes.image):
            return self.image(node) + "\n\n"
        if isinstance(node, nodes.figure):
            parts = [self.block(child, level) for child in node.children if not isinstance(child, nodes.caption)]
            caption = next((c for c in node.children if isinstance(c, nodes.caption)), None)
            if caption is not None:
                parts.append("*" + self.inline(caption) + "*\n\n")
            return "".join(parts)
        if isinstance(node, nodes.line_block):
            lines = [self.inline(line) for line in node.findall(nodes.line)]
            return "  \n".join(lines) + "\n\n"
        if isinstance(node, nodes.raw):
            if "html" in node.get("format", "").split():
                return node.astext() + "\n\n"
            self.problem(node, f"raw ({node.get('format', '')})")
            return ""
        if isinstance(node, nodes.reference) and len(node.children) == 1 and isinstance(node[0], nodes.image):
            return self.inline(node) + "\n\n"  # an image with :target:
        if isinstance(node, nodes.comment | nodes.substitution_definition | nodes.target | nodes.system_message):
            return ""
        # Not converted: keep the words, name the construct.
        self.problem(node, _construct(node))
        text = node.astext().strip()
        return (_escape(text) + "\n\n") if text else ""

    def list(self, node: nodes.Element, level: int) -> str:
        ordered = isinstance(node, nodes.enumerated_list)
        start = int(node.get("start", 1))
        out = []
        for index, item in enumerate(node.children):
            marker = f"{start + index}. " if ordered else "- "
            inner = self.blocks(item.children, level).strip("\n")
            # Python-Markdown wants four spaces for what belongs to a list item.
            inner = "\n".join(("    " + line) if line else "" for line in inner.split("\n"))[4:]
            out.append(marker + inner)
        loose = any(len(item.children) > 1 for item in node.children)
        return ("\n\n" if loose else "\n").join(out) + "\n"

    def code(self, node: nodes.Element) -> str:
        text = node.astext()
        language = next((c for c in node.get("classes", []) if c != "code"), "")
        fence = "```"
        while fence in text:
            fence += "`"
        return f"{fence}{language}\n{text}\n{fence}\n\n"

    # -- inline ---------------------------------------------------------------

    def inline(self, node: nodes.Node) -> str:
        return "".join(self.inline_node(child) for child in node.children).replace("\n", " ")

    def inline_node(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return _escape(str(node))
        if isinstance(node, nodes.emphasis | nodes.title_reference):
            return f"*{self.inline(node)}*"
        if isinstance(node, nodes.strong):
            return f"**{self.inline(node)}**"
        if isinstance(node, nodes.literal):
            return _code_span(node.astext())
        if isinstance(node, nodes.reference):
            return self.reference(node)
        if isinstance(node, nodes.image):
            return self.image(node)
        if isinstance(node, nodes.subscript | nodes.superscript):
            tag = "sub" if isinstance(node, nodes.subscript) else "sup"
            return f"<{tag}>{self.inline(node)}</{tag}>"
        if isinstance(node, nodes.target | nodes.system_message):
            return ""
        if isinstance(node, nodes.inline | nodes.abbreviation | nodes.acronym):
            return self.inline(node)
        if not isinstance(node, nodes.problematic):
            self.problem(node, _construct(node))
        else:
            self.problem(node, "docutils: " + node.astext())
        return _escape(node.astext())

    def reference(self, node: nodes.Element) -> str:
        uri = node.get("refuri") or (("#" + node["refid"]) if node.get("refid") else "")
        text = self.inline(node)
        if not uri:
            self.problem(node, _("reference without target"))
            return text
        if node.astext() == uri and "://" in uri:
            return f"<{uri}>"
        return f"[{text}]({_url(uri)})"

    def image(self, node: nodes.Element) -> str:
        alt = node.get("alt", "")
        return f"![{_escape(alt)}]({_url(node['uri'])})"


def _escape(text: str) -> str:
    return INLINE_ESCAPE.sub(r"\\\1", text).replace("<", "&lt;")


def _code_span(text: str) -> str:
    ticks = "`"
    while ticks in text:
        ticks += "`"
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{padding}{text}{padding}{ticks}"


def _url(uri: str) -> str:
    return f"<{uri}>" if " " in uri or ")" in uri else uri


def _construct(node: nodes.Node) -> str:
    return type(node).__name__.replace("_", " ")


def _line_of(node: nodes.Node) -> int | None:
    while node is not None:
        line = getattr(node, "line", None)
        if line:
            return int(line)
        node = node.parent  # type: ignore[assignment]
    return None
