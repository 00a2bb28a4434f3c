"""The one Jinja environment of hub_stats' templates: the charts, the monthly report and the
dashboard's KPI section share it, and with it the compiled templates a build may keep.

Messages name commands and settings in `backticks`, as the terminal shows them; on a page such a
span becomes <code> (the text around it is escaped as always, so a reader's comment with a backtick
is still only text).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).resolve().parent / "templates"
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def code_spans(value: Any) -> Any:
    """`invoke stats` in a message → <code>invoke stats</code>; markup and non-text pass unchanged."""
    if isinstance(value, str) and not isinstance(value, Markup) and "`" in value:
        return Markup(CODE_SPAN.sub(r"<code>\1</code>", str(escape(value))))
    return value


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=code_spans,
    )


def keep_compiled(cache: BytecodeCache | None) -> None:
    """Keep the compiled templates between processes (a build's cache folder), or not (None)."""
    environment().bytecode_cache = cache
