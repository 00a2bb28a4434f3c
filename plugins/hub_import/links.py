"""Find and rewrite every link and image address in a Markdown body (raw HTML included),
never inside code: fenced blocks, indented code blocks and inline code spans stay as written.

Pure: a body and a callback in, the new body out. The callback gets each address with its
line and whether it is an image, and returns the new address or None to keep it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Rewrite = Callable[[str, int, bool], str | None]

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
# [text](address "title") and ![alt](address); the address may be in <…>.
MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\(\s*(?P<lt><?)(?P<url>[^)\s>]+)>?(?P<rest>(?:\s+[\"'][^\"']*[\"'])?\s*)\)"
)
# [label]: address "title"
MD_DEFINITION = re.compile(r"^(?P<head>\s{0,3}\[[^\]]+\]:\s*<?)(?P<url>[^\s>]+)", re.MULTILINE)
HTML_TAG = re.compile(r"<(?P<name>img|a|source|link)\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HTML_URL_ATTR = re.compile(
    r"""(?P<name>\b(?:src|href|poster))(?P<eq>\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.I
)


def split_code(body: str) -> list[tuple[bool, str]]:
    """The body as (is_code, text) pieces that join back to exactly the body."""
    pieces: list[tuple[bool, str]] = []
    fence: str | None = None
    previous_blank, in_html, in_list, in_code = True, False, False, False
    for line in body.splitlines(keepends=True):
        marker = FENCE.match(line)
        blank = not line.strip()
        if fence is not None:
            code = True
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
        elif marker:
            fence, code = marker.group(1), True
        else:
            if previous_blank and not blank:
                # An HTML block, or list item continuation, may be indented without being code.
                in_html = line.lstrip(" ").startswith("<")
                starts_list = bool(re.match(r"^\s{0,3}([-*+]|\d+[.)])\s", line))
                in_list = starts_list or (in_list and line.startswith((" ", "\t")))
            indented = line.startswith(("    ", "\t"))
            code = not blank and indented and not in_html and not in_list and (previous_blank or in_code)
        in_code = code
        previous_blank = blank
        if pieces and pieces[-1][0] == code:
            pieces[-1] = (code, pieces[-1][1] + line)
        else:
            pieces.append((code, line))
    return pieces


def rewrite(body: str, first_line: int, change: Rewrite) -> str:
    """`body` with every address outside code passed through `change`."""
    out: list[str] = []
    line = first_line
    for is_code, text in split_code(body):
        out.append(text if is_code else _rewrite_text(text, line, change))
        line += text.count("\n")
    return "".join(out)


def _rewrite_text(text: str, first_line: int, change: Rewrite) -> str:
    # Inline code spans are masked so nothing inside them is touched, then put back.
    spans: list[str] = []

    def mask(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\x00{len(spans) - 1}\x00"

    masked = INLINE_CODE.sub(mask, text)

    def line_of(position: int) -> int:
        return first_line + masked.count("\n", 0, position)

    def md_link(match: re.Match[str]) -> str:
        new = change(match.group("url"), line_of(match.start()), bool(match.group("bang")))
        if new is None:
            return match.group(0)
        return f"{match.group('bang')}[{match.group('text')}]({match.group('lt')}{new}{'>' if match.group('lt') else ''}{match.group('rest')})"

    def md_definition(match: re.Match[str]) -> str:
        new = change(match.group("url"), line_of(match.start()), False)
        return match.group(0) if new is None else match.group("head") + new

    def html_tag(match: re.Match[str]) -> str:
        is_image = match.group("name").lower() in ("img", "source")
        line = line_of(match.start())

        def attr(found: re.Match[str]) -> str:
            value = found.group("dq") if found.group("dq") is not None else found.group("sq")
            new = change(value, line, is_image and found.group("name").lower() != "href")
            if new is None:
                return found.group(0)
            quote = '"' if found.group("dq") is not None else "'"
            return f"{found.group('name')}{found.group('eq')}{quote}{new}{quote}"

        tag = match.group(0)
        if is_image and "\n" in tag:
            tag = " ".join(tag.split())  # one line, so line-based checks and readers see the whole tag
        return HTML_URL_ATTR.sub(attr, tag)

    masked = MD_LINK.sub(md_link, masked)
    masked = MD_DEFINITION.sub(md_definition, masked)
    masked = HTML_TAG.sub(html_tag, masked)
    return re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], masked)
