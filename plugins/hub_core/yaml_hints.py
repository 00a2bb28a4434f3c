"""YAML mistakes explained in plain words: where, what went wrong, and the fix in the author's own text.

PyYAML says "mapping values are not allowed in this context" where an author wrote
`title: Prüfstand: so geht es`. Here a parser error (its marks) and the text it read become a
`Hint`: the line and column, one sentence on what YAML made of it, the corrected line, and an
excerpt (the line as written with a `^` under the spot) for the terminal. Values YAML read
differently from what the author meant (`lang: no` is false, `sponsored: ja` is text) get the
same treatment from their `Spot`. A mistake not recognised still gets its line, the excerpt and
the parser's own words.

Pure: text and marks in, translated text out (messages from hub_core's catalogue); no Pelican, no
files. The line numbers are the file's: `first_line` is where the YAML starts (front matter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import translator

_, ngettext = translator("hub_core")

TAB_SHOWN = "→"  # a tab in an excerpt: visible, and one column wide so the marker stays under its spot
# YAML 1.1 (PyYAML) reads these unquoted words as true or false: 'no' is the Norway problem (lang: no).
BOOLEAN_WORDS = {
    word: meaning
    for words, meaning in (
        (("yes", "true", "on", "y"), True),
        (("no", "false", "off", "n"), False),
    )
    for word in words
}
# What German authors write for a yes/no field; YAML keeps them as text.
GERMAN_YES = frozenset({"ja", "j", "wahr", "richtig", "stimmt"})
GERMAN_NO = frozenset({"nein", "falsch", "nö"})

# After a plain value: a `#` right before a word (`#1`, `#Hashtag`) is meant as text; `# note` is a comment.
COMMENT_IN_VALUE = re.compile(r"^[ \t]+#\S")
_KEY_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<key>[^\s:#'\"\[\]{}-][^:#]*?|\"[^\"]*\"|'[^']*'):(?:[ \t]+(?P<value>.*))?$"
)
_ITEM_LINE = re.compile(r"^(?P<indent> *)-(?:[ \t]+(?P<rest>.*))?$")


@dataclass(frozen=True)
class Spot:
    """Where a value stands in the file: its line (1-based), columns (0-based) and the line as written."""

    line: int
    column: int
    text: str
    end: int | None = None  # the column after the value, if it ends on the same line


@dataclass(frozen=True)
class Hint:
    line: int  # 1-based, in the file
    column: int  # 1-based; 0 when unknown
    message: str  # one line, translated
    excerpt: str  # the line and a marker under the spot: several lines, for the terminal only
    field: str = ""  # the key the mistake is in, when known


# -- showing the spot ---------------------------------------------------------------------------


def excerpt(line: int, text: str, column: int) -> str:
    """The line as written, numbered, and a `^` under `column` (0-based):

    3 | title: Prüfstand: so geht es
      |                 ^
    """
    number = str(line)
    # Invisible characters as one visible character each, so the marker stays under its spot.
    shown = "".join(
        TAB_SHOWN if char == "\t" else char if char.isprintable() else "\ufffd" for char in text.rstrip("\r\n")
    )
    column = max(0, min(column, len(shown)))
    return f"{number:>5} | {shown}\n{'':>5} | {' ' * column}^"


def quoted(value: str) -> str:
    """`value` as a YAML string in quotes: double ones, unless it contains some (then single, doubled inside)."""
    if '"' in value and "\\" not in value:
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _spaces(count: int) -> str:
    return ngettext("{count} space", "{count} spaces", count).format(count=count)


# -- syntax errors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParserMarks:
    """What a PyYAML error says, in plain data (0-based lines and columns within the YAML text)."""

    problem: str
    context: str
    problem_line: int | None
    problem_column: int
    context_line: int | None
    context_column: int


def marks_of(error: object) -> ParserMarks:
    """The marks of a `yaml.MarkedYAMLError` (either parser: libyaml's or the pure-Python one)."""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    return ParserMarks(
        problem=str(getattr(error, "problem", "") or ""),
        context=str(getattr(error, "context", "") or ""),
        problem_line=problem_mark.line if problem_mark is not None else None,
        problem_column=problem_mark.column if problem_mark is not None else 0,
        context_line=context_mark.line if context_mark is not None else None,
        context_column=context_mark.column if context_mark is not None else 0,
    )


def explain_syntax_error(text: str, marks: ParserMarks, *, first_line: int = 1) -> Hint:
    """The hint for a YAML text the parser refused; the parser's own words if the mistake is not known."""
    lines = text.split("\n")
    explainers = (_tab, _unclosed_bracket, _quote, _colon_in_value, _indented_key, _list_item, _no_colon)
    for explain in explainers:
        found = explain(lines, marks)
        if found is not None:
            line, column, message, field = found
            return _hint(lines, line, column, message, first_line, field)
    line = marks.problem_line if marks.problem_line is not None else (marks.context_line or 0)
    column = marks.problem_column if marks.problem_line is not None else marks.context_column
    if line >= len(lines) or (not lines[line].strip() and marks.context_line is not None):
        line, column = marks.context_line or 0, marks.context_column  # the end of the text: show where it began
    detail = " ".join(part for part in (marks.context, marks.problem) if part)
    message = _("This is not valid YAML (the parser reports: {detail}). Check this line and the one above it.").format(
        detail=detail
    )
    return _hint(lines, line, column, message, first_line, "")


def control_character(text: str, position: int, character: int, *, first_line: int = 1) -> Hint:
    """A character YAML refuses (most often pasted from a word processor), at `position` of `text`."""
    lines = text.split("\n")
    line = text.count("\n", 0, max(position, 0))
    column = max(position, 0) - (text.rfind("\n", 0, max(position, 0)) + 1)
    message = _(
        "The line contains an invisible control character (#x{code:04x}) that YAML does not allow. "
        "Delete it: type the line again instead of pasting it."
    ).format(code=character)
    return _hint(lines, line, column, message, first_line, "")


def _hint(lines: list[str], line: int, column: int, message: str, first_line: int, field: str) -> Hint:
    line = max(0, min(line, len(lines) - 1))
    return Hint(first_line + line, column + 1, message, excerpt(first_line + line, lines[line], column), field)


Found = tuple[int, int, str, str] | None  # line, column (0-based, in the text), message, field


def _key_of(line: str) -> str:
    match = _KEY_LINE.match(line)
    return match["key"].strip().strip("\"'") if match else ""


def _tab(lines: list[str], marks: ParserMarks) -> Found:
    """A tab where YAML wants spaces: in the indentation, or (pure-Python parser) after a colon."""
    last = min(max(marks.problem_line or 0, marks.context_line or 0), len(lines) - 1)
    for number in range(last + 1):
        line = lines[number]
        indentation = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indentation:
            column = indentation.index("\t")
            width = len(indentation.replace("\t", "  "))
            message = _(
                "The line is indented with a tab (shown as `{tab}`); YAML allows only spaces for indentation. "
                "Indent it with {spaces} instead: {fix}"
            ).format(tab=TAB_SHOWN, spaces=_spaces(width), fix=line.strip())
            return number, column, message, _key_of(line.lstrip(" \t"))
    if marks.problem_line is not None and marks.problem_line < len(lines):
        line = lines[marks.problem_line]
        if marks.problem_column < len(line) and line[marks.problem_column] == "\t":
            fixed = re.sub(r"\t+", " ", line).strip()
            message = _(
                "A tab (shown as `{tab}`) stands where YAML expects a space. Replace it with a space: {fix}"
            ).format(tab=TAB_SHOWN, fix=fixed)
            return marks.problem_line, marks.problem_column, message, _key_of(line)
    return None


def _unclosed_bracket(lines: list[str], marks: ParserMarks) -> Found:
    """`tags: [a, b` without its `]` (or a `{` without `}`)."""
    if marks.context_line is None or marks.context_line >= len(lines) or "flow" not in marks.context:
        return None
    line = lines[marks.context_line]
    column = marks.context_column
    if column >= len(line) or line[column] not in "[{":
        return None
    opening = line[column]
    closing = "]" if opening == "[" else "}"
    if closing in line[column:]:
        return None
    message = _("The bracket `{opening}` opened here is never closed. Close it at the end of the list: {fix}").format(
        opening=opening, fix=line.rstrip() + closing
    )
    return marks.context_line, column, message, _key_of(line)


def _quote(lines: list[str], marks: ParserMarks) -> Found:
    """A value opened with a quotation mark that is not closed, or closed too early (`'Das ist's gut'`)."""
    last = max(marks.problem_line or 0, marks.context_line or 0)
    for number in range(min(last, len(lines) - 1) + 1):
        line = lines[number]
        match = _KEY_LINE.match(line)
        if match and match["value"]:
            start = match.start("value")
            prefix = line[:start]
        else:
            item = _ITEM_LINE.match(line)
            if not item or not item["rest"]:
                continue
            start = item.start("rest")
            prefix = line[:start]
        value = line[start:].rstrip()
        if not value or value[0] not in "\"'":
            continue
        mark = value[0]
        rest, closed = _read_quoted(value)
        if not closed:
            fix = (prefix + value + mark).strip()
            message = _(
                "The quotation mark `{quote}` opened here is never closed, so YAML reads on past the end of "
                "the line. Close it at the end of the value: {fix}"
            ).format(quote=mark, fix=fix)
            return number, start, message, _key_of(line)
        leftover = rest.strip()
        if leftover and not leftover.startswith("#"):
            whole = value[1:-1] if value.endswith(mark) else value[1:]
            fix = (prefix + _other_quotes(whole, mark)).strip()
            message = _(
                "The value ends at the second quotation mark `{quote}` and the text after it is left over. "
                "Put the value in the other kind of quotation marks: {fix}"
            ).format(quote=mark, fix=fix)
            return number, start + len(value) - len(rest), message, _key_of(line)
    return None


def _read_quoted(value: str) -> tuple[str, bool]:
    """What follows the quotation mark that closes the one opening `value`, and whether there is one."""
    mark, index = value[0], 1
    while index < len(value):
        if mark == "'" and value.startswith("''", index):
            index += 2  # a quotation mark written twice is one inside the text
        elif mark == '"' and value[index] == "\\":
            index += 2
        elif value[index] == mark:
            return value[index + 1 :], True
        else:
            index += 1
    return "", False


def _other_quotes(text: str, mark: str) -> str:
    """`text` (which contains `mark`) in the quotation marks it does not contain, or with `mark` doubled."""
    other = '"' if mark == "'" else "'"
    if other not in text:
        return other + text + other
    return "'" + text.replace("'", "''") + "'"


def _colon_in_value(lines: list[str], marks: ParserMarks) -> Found:
    """`title: Prüfstand: so geht es`: the second ': ' would start a new field inside the value."""
    if "mapping values are not allowed" not in marks.problem or marks.problem_line is None:
        return None
    if marks.problem_line >= len(lines):
        return None
    line = lines[marks.problem_line]
    match = _KEY_LINE.match(line)
    if not match or not match["value"] or marks.problem_column < match.start("value"):
        return None
    value = match["value"].rstrip()
    fix = line[: match.start("value")].strip() + " " + quoted(value)
    message = _(
        "YAML reads a colon followed by a space as the start of a new field, so an unquoted value cannot "
        "contain one. Put the value in quotes: {fix}"
    ).format(fix=fix)
    return marks.problem_line, marks.problem_column, message, match["key"].strip()


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous(lines: list[str], number: int) -> int | None:
    """The nearest line above `number` with content (not blank, not only a comment)."""
    for above in range(number - 1, -1, -1):
        stripped = lines[above].strip()
        if stripped and not stripped.startswith("#"):
            return above
    return None


def _indented_key(lines: list[str], marks: ParserMarks) -> Found:
    """`  author: jdoe` under `title: x`: a field indented as if it belonged to the value above."""
    if "mapping values are not allowed" not in marks.problem or marks.problem_line is None:
        return None
    if marks.problem_line >= len(lines):
        return None
    line = lines[marks.problem_line]
    above = _previous(lines, marks.problem_line)
    if above is None or not _KEY_LINE.match(line):
        return None
    width = _indentation(lines[above])
    item = _ITEM_LINE.match(lines[above])
    if item and item["rest"] and _KEY_LINE.match(lines[above]):
        width = item.start("rest")  # the fields of a list item line up after its dash
    if width == 0:
        message = _(
            "This line is indented, unlike the field above it, so YAML cannot read it as a field of its own. "
            "Start it at the beginning of the line: {fix}"
        ).format(fix=line.strip())
        return marks.problem_line, _indentation(line), message, _key_of(line)
    message = _(
        "This line is indented further than the field above it, so YAML cannot read it as a field of its own. "
        "Indent it like the field above, with {spaces}: {fix}"
    ).format(spaces=_spaces(width), fix=line.strip())
    return marks.problem_line, _indentation(line), message, _key_of(line)


def _list_item(lines: list[str], marks: ParserMarks) -> Found:
    """A line among the items of a dash-list without a dash of its own."""
    number = _offending_list_line(lines, marks)
    if number is None:
        return None
    line = lines[number]
    indent = _indentation(line)
    items = [n for n in range(number) if (m := _ITEM_LINE.match(lines[n])) and len(m["indent"]) == indent]
    if not items:
        return None
    item_line = lines[items[-1]]
    item = _ITEM_LINE.match(item_line)
    assert item is not None
    item_key = _key_of(item["rest"] or "")
    if not _KEY_LINE.match(line):
        message = _(
            "This line stands in a list but has no dash, so YAML cannot read it as a list item. "
            "Start it with a dash and a space, like the items above: {fix}"
        ).format(fix="- " + line.strip())
        return number, indent, message, ""
    if item_key and _key_of(line) == item_key:
        message = _(
            "This field stands between the items of a list without belonging to one. "
            "If it starts a new item, begin it with a dash and a space, like the items above: {fix}"
        ).format(fix="- " + line.strip())
        return number, indent, message, _key_of(line)
    if item_key:
        width = item.start("rest")
        message = _(
            "This field stands between the items of a list without belonging to one. "
            "If it belongs to the item above, indent it like that item's fields, with {spaces}: {fix}"
        ).format(spaces=_spaces(width), fix=line.strip())
        return number, indent, message, _key_of(line)
    message = _(
        "This line stands in a list but has no dash, so YAML cannot read it as a list item. "
        "Start it with a dash and a space, like the items above: {fix}"
    ).format(fix="- " + line.strip())
    return number, indent, message, _key_of(line)


def _offending_list_line(lines: list[str], marks: ParserMarks) -> int | None:
    if "block collection" in marks.context and marks.problem_line is not None:
        # libyaml: "did not find expected '-' indicator"; PyYAML: "expected <block end>, but found …"
        number = marks.problem_line
        if number < len(lines) and _indentation(lines[number]) == marks.context_column:
            return number
        return None
    if "could not find expected ':'" in marks.problem and marks.context_line is not None:
        return marks.context_line if marks.context_line < len(lines) else None  # a bare word: the simple key
    return None


def _no_colon(lines: list[str], marks: ParserMarks) -> Found:
    """`author jdoe`: a field without its colon; or a line indented unlike the fields around it."""
    if "block collection" in marks.context and marks.problem_line is not None and marks.problem_line < len(lines):
        number = marks.problem_line
        line = lines[number]
        above = _previous(lines, number)
        item = _ITEM_LINE.match(lines[above]) if above is not None else None
        fields_at = None
        if item and item["rest"] and _KEY_LINE.match(item["rest"]):
            fields_at = item.start("rest")
        elif above is not None and _KEY_LINE.match(lines[above]):
            fields_at = _indentation(lines[above])
        if fields_at is not None and _indentation(line) != fields_at and _KEY_LINE.match(line):
            message = _(
                "This line is not indented like the fields above it, so YAML cannot tell where it belongs. "
                "Indent it like the field above, with {spaces}: {fix}"
            ).format(spaces=_spaces(fields_at), fix=line.strip())
            return number, _indentation(line), message, _key_of(line)
        return None
    if "could not find expected ':'" not in marks.problem or marks.context_line is None:
        return None
    if marks.context_line >= len(lines):
        return None
    line = lines[marks.context_line]
    words = line.strip().split(None, 1)
    if len(words) != 2 or not re.fullmatch(r"[A-Za-z_][\w-]*", words[0]):
        return None
    message = _(
        "This line is neither a field (name: value) nor a list item (- value). "
        "Write the field with a colon after its name: {fix}"
    ).format(fix=f"{words[0]}: {words[1]}")
    return marks.context_line, _indentation(line) + len(words[0]), message, words[0]


def read_as_pelican_header(problem: str) -> str:
    """Front matter that is no YAML but Pelican's `Key: value` lines (which allow `title: a: b`): read, and why not as YAML."""
    return _(
        "The front matter is not valid YAML, so it was read as Pelican header lines (Key: value). {problem}"
    ).format(problem=problem)


# -- values YAML read differently from what the author meant ------------------------------------


def pointing(spot: Spot) -> tuple[int, str]:
    """The 1-based column and the excerpt of a value's spot, for its finding."""
    return spot.column + 1, excerpt(spot.line, spot.text, spot.column)


def rewritten(spot: Spot, replacement: str) -> str:
    """The value's line with the value written as `replacement`: the fix, in the author's own line."""
    end = spot.end if spot.end is not None and spot.end > spot.column else len(spot.text.rstrip())
    return (spot.text[: spot.column] + replacement + spot.text[end:]).strip()


def text_trap(spot: Spot, raw: str, value: object) -> str | None:
    """Where text was meant: what YAML made of the unquoted `raw` (`no` → false, `2026` → a number), and the fix."""
    fix = rewritten(spot, quoted(raw))
    if isinstance(value, bool):
        return _(
            "YAML reads `{raw}` without quotation marks as the truth value {value}, not as text. Put it in quotes: {fix}"
        ).format(raw=raw, value=str(value).lower(), fix=fix)
    if isinstance(value, int | float):
        return _("YAML reads `{raw}` without quotation marks as a number, not as text. Put it in quotes: {fix}").format(
            raw=raw, fix=fix
        )
    if hasattr(value, "isoformat"):
        return _("YAML reads `{raw}` without quotation marks as a date, not as text. Put it in quotes: {fix}").format(
            raw=raw, fix=fix
        )
    return None


def yes_no_words(spot: Spot, raw: str) -> str | None:
    """Where true or false was meant: `ja`, `nein` (text to YAML) and the word to write instead."""
    word = raw.strip().strip("\"'").lower()
    if word in GERMAN_YES:
        truth = "true"
    elif word in GERMAN_NO:
        truth = "false"
    else:
        return None
    return _(
        "expected true or false, found `{raw}`: YAML understands yes and no only as true and false. "
        "Write {truth} instead: {fix}"
    ).format(raw=raw, truth=truth, fix=rewritten(spot, truth))


def date_format(spot: Spot, raw: str, example: str, fixed: str | None) -> str:
    """A date not in the grammar (18.11.2026): the form Hub reads and, if we can tell, the author's date in it."""
    accepted = _(
        "`{raw}` is not a date Hub can read: dates are written year-month-day with hyphens (a time after it "
        "with a colon), such as {example}."
    ).format(raw=raw, example=example)
    if fixed is None:
        return accepted
    return " ".join((accepted, _("Write it like this: {fix}").format(fix=rewritten(spot, fixed))))


def duplicate_key(key: str, first: int) -> str:
    return _(
        "The field `{key}` is written twice (first on line {first}); only the first one is used. "
        "Delete one of the two lines or merge them."
    ).format(key=key, first=first)


def comment_in_value(spot: Spot) -> str | None:
    """`title: Wir sind #1`: YAML ends the value at ' #' and drops the rest as a comment. None if the
    `#` reads as a comment (`# note`, with a space after it), or the value spans lines."""
    if spot.end is None or not COMMENT_IN_VALUE.match(spot.text[spot.end :]):
        return None
    whole = spot.text[spot.column :].rstrip()
    dropped = spot.text[spot.end :].strip()
    return _(
        "YAML reads ` #` as the start of a comment, so the value ends before it and `{dropped}` is left out. "
        "Put the whole value in quotes: {fix}"
    ).format(dropped=dropped, fix=(spot.text[: spot.column] + quoted(whole)).strip())
