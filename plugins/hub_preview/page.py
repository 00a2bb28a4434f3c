"""What the preview adds to the pages it serves (pure: bytes and lines in, bytes out).

The reload script goes into each HTML response on its way to the browser, never into a file:
output/ stays exactly what the build wrote, and a production build knows nothing of it. While
the last rebuild failed, every page is replaced by a page that says why, in the author's words
(the build's findings with file and line); it carries the reload script too, so it turns back
into the real page once the next build succeeded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hub_core.i18n import language, translator
from jinja2 import Environment, FileSystemLoader, select_autoescape

_, ngettext = translator("hub_preview")

EVENTS = "/__hub/reload"  # Server-Sent Events: the build generation, on connecting and after every build
SCRIPT = "/__hub/reload.js"
SCRIPT_FILE = Path(__file__).with_name("reload.js")
# `path:line: rest`: a finding as the build log prints it (hub_core.findings.Finding.render).
LOCATED = re.compile(r"^(?P<path>[^\s:][^:]*?):(?P<line>\d+):\s*(?P<text>.*)$")
LEVEL_PREFIX = re.compile(r"^(?:ERROR|CRITICAL|WARNING):\s*")
# What a build prints that is no problem: progress, and Pelican's summary.
NOT_A_PROBLEM = re.compile(r"^(?:INFO|DEBUG):|^Done: ")
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One line of a failed build's log: where (a file and line, when the line names them) and what."""

    text: str
    path: str = ""
    line: int = 0

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.path else ""


@dataclass(frozen=True)
class QuickPage:
    """A saved file's quick page (quick.py), served from memory until the rebuild is done."""

    source: Path
    output_file: str  # relative to the output folder, as the build writes it (`2026/beitrag/index.html`)
    html: bytes


def problems(log: Iterable[str]) -> tuple[Problem, ...]:
    """The lines of a build's log worth showing an author, each with its file and line when it names them."""
    found = []
    for raw in log:
        text = raw.rstrip()
        if not text.strip() or NOT_A_PROBLEM.match(text):
            continue
        text = LEVEL_PREFIX.sub("", text)
        located = LOCATED.match(text)
        if located:
            found.append(Problem(located["text"], located["path"], int(located["line"])))
        else:
            found.append(Problem(text))
    return tuple(found)


def script_tag(generation: str) -> bytes:
    """The reload script, told which build the page comes from (it reloads once a newer one is there)."""
    return f'<script src="{SCRIPT}" data-generation="{generation}"></script>'.encode("ascii")


def with_reload(html: bytes, generation: str) -> bytes:
    """`html` with the reload script before its last `</body>` (at its end if it has none)."""
    return _before_body_end(html, script_tag(generation))


def _before_body_end(html: bytes, tag: bytes) -> bytes:
    ends = list(BODY_END.finditer(html))
    if not ends:
        return html + tag
    at = ends[-1].start()
    return html[:at] + tag + html[at:]


def quick_notice() -> bytes:
    """The line a quick page carries (quick.py): the text is new, the rest of the page follows."""
    text = _("Quick preview: the new text is shown; the whole page follows when the rebuild is done.")
    return _templates().get_template("quick_notice.html").render(text=text, language=language()).strip().encode("utf-8")


def with_quick_notice(html: bytes) -> bytes:
    """A quick page as served: the notice before its last `</body>`."""
    return _before_body_end(html, quick_notice())


@cache
def _templates() -> Environment:
    folder = Path(__file__).with_name("templates")
    return Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(default=True))


def failure_page(found: tuple[Problem, ...], generation: str) -> bytes:
    """The page shown instead of every page while the last rebuild failed."""
    html = (
        _templates()
        .get_template("failure.html")
        .render(
            language=language(),
            title=_("The website could not be built"),
            lead=_(
                "Your last change stopped the build. The preview keeps the pages of the last build that"
                " succeeded; nothing was written."
            ),
            fix=_("Correct the following, then save the file: this page reloads by itself."),
            count=ngettext("{count} message of the build", "{count} messages of the build", len(found)).format(
                count=len(found)
            ),
            problems=found,
            silent=_("The build stopped without a message: see the terminal in which the preview runs."),
        )
    )
    return with_reload(html.encode("utf-8"), generation)


def building_page(generation: str) -> bytes:
    """The page shown for a page that is not there yet while the first build runs."""
    html = (
        _templates()
        .get_template("building.html")
        .render(
            language=language(),
            title=_("The website is being built"),
            lead=_("This page appears by itself as soon as the build is done."),
        )
    )
    return with_reload(html.encode("utf-8"), generation)
