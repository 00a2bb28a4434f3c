"""The page written at an old address: it sends the reader on, without JavaScript (pure).

`<meta http-equiv="refresh">` with no delay moves every browser on at once; the link is there for
whatever does not follow it; `rel=canonical` and `noindex` tell search engines to keep the new
address and forget the old one. hub_publish recognises the page by its refresh and, on S3, gives
the object the same target as WebsiteRedirectLocation, so the storage answers with a real 301.
"""

from __future__ import annotations

import posixpath
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _template() -> Template:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), keep_trailing_newline=True
    )
    return environment.get_template("redirect.html")


def link_to(new_url: str, *, from_file: str, siteurl: str, relative: bool) -> str:
    """The new address as the page at `from_file` names it: absolute under an absolute SITEURL,
    else relative to the page's folder (a development build opened from any server or folder)."""
    if siteurl and not relative:
        return f"{siteurl.rstrip('/')}/{new_url}"
    folder = posixpath.dirname(from_file) or "."
    path = posixpath.relpath(new_url or ".", folder)
    if new_url.endswith("/") or not new_url:
        path = path.rstrip("/") + "/"
    return path


def render_redirect(*, href: str, canonical: str, lang: str, title: str, text: str, link: str) -> bytes:
    page = _template().render(href=href, canonical=canonical, lang=lang, title=title, text=text, link=link)
    return page.encode("utf-8")
