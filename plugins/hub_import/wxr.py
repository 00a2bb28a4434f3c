"""A WordPress export (WXR 1.0–1.2, Tools → Export) as SourcePost values.

Posts and pages become posts and pages; attachments are the files posts use (found in
`--media`, a copy of `wp-content/uploads`); menus, revisions, blocks and other types are
skipped and listed. Links to the old site's own posts (its host, or root-relative) are
resolved to the imported posts. Only reads files.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from hub_core.i18n import translator

from .dates import wordpress_date
from .model import HeaderImage, ImportInputError, LinkTarget, Skipped, SourceAuthor, SourcePost, ToDo
from .plain import html_to_text
from .wp_html import clean

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
STATUSES = {"publish": "published", "draft": "draft", "pending": "review", "private": "review", "future": "review"}
SIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
CREDIT = re.compile(r's:6:"credit";s:\d+:"([^"]*)"')

_, ngettext = translator("hub_import")


@dataclass(frozen=True)
class Attachment:
    id: str
    url: str
    file: str  # relative to wp-content/uploads
    alt: str
    credit: str


@dataclass
class WordPressSource:
    export: Path
    media: Path | None
    host: str = ""
    language: str | None = None
    posts: list[SourcePost] = field(default_factory=list)
    errors: list[ImportInputError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    by_link: dict[str, str] = field(default_factory=dict)  # normalised old address → post key
    comments: int = 0

    label = "WordPress"

    def resolve(self, reference: str, post: SourcePost, is_image: bool) -> LinkTarget | None:
        parts = urlsplit(reference)
        if parts.scheme not in ("", "http", "https") or (parts.netloc and not self._own(parts.netloc)):
            return None
        if not parts.netloc and not reference.startswith("/"):
            return None  # relative addresses and #fragments stay
        if "/wp-content/uploads/" in parts.path:
            return self._upload(unquote(parts.path.split("/wp-content/uploads/", 1)[1]))
        key = self.by_link.get(_normal(parts.path, parts.query))
        if key is not None:
            return LinkTarget(post_key=key)
        return LinkTarget(
            missing=_("Link to the old website {address}: no imported post, check the target").format(address=reference)
        )

    def _own(self, netloc: str) -> bool:
        return netloc.lower().removeprefix("www.") == self.host

    def _upload(self, relative: str) -> LinkTarget:
        """The file in the media folder; a resized copy (name-1024x683.jpg) falls back to its original."""
        if self.media is not None:
            for candidate in (relative, SIZED.sub("", relative)):
                path = self.media / candidate
                if path.is_file():
                    return LinkTarget(asset=path)
        if self.media is not None:
            missing = _(
                "File wp-content/uploads/{file} not in the media folder (--media): get the file or change the link"
            )
        else:
            missing = _(
                "File wp-content/uploads/{file} only on the old website (no --media): get the file or change the link"
            )
        return LinkTarget(missing=missing.format(file=relative))


def _normal(path: str, query: str = "") -> str:
    if query:
        match = re.search(r"(?:^|&)(p|page_id)=(\d+)", query)
        if match:
            return f"?id={match.group(2)}"
    return "/" + unquote(path).strip("/")


def read_export(export: Path, media: Path | None, zone: ZoneInfo) -> WordPressSource:
    source = WordPressSource(export, media)
    display = export.name
    try:
        text = export.read_text(encoding="utf-8")
        root = ET.fromstring(text)
    except UnicodeDecodeError as error:
        raise ImportInputError(
            display, 1, _("not a UTF-8 file (byte {position})").format(position=error.start)
        ) from None
    except ET.ParseError as error:
        line, column = error.position
        raise ImportInputError(
            display, line, _("not valid XML (column {column}): {problem}").format(column=column + 1, problem=error.msg)
        ) from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ImportInputError(display, 1, _("not a WordPress export file (WXR): no <rss><channel>"))
    wp = _namespace(root, text)
    source.host = urlsplit((channel.findtext("link") or "").strip()).netloc.lower().removeprefix("www.")
    language = (channel.findtext("language") or "").strip()
    source.language = language.split("-")[0].lower() or None
    lines = {
        m.group(1): text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<wp:post_id>(\d+)</wp:post_id>", text)
    }
    authors = {(a.findtext(f"{wp}author_login") or "").strip(): a for a in channel.findall(f"{wp}author")}
    items = channel.findall("item")
    for item in items:
        if (item.findtext(f"{wp}post_type") or "").strip() == "attachment":
            attachment = _attachment(item, wp)
            source.attachments[attachment.id] = attachment
    for item in items:
        kind = (item.findtext(f"{wp}post_type") or "").strip()
        post_id = (item.findtext(f"{wp}post_id") or "").strip()
        origin = (_("{file}, page {id}") if kind == "page" else _("{file}, post {id}")).format(file=display, id=post_id)
        if kind == "attachment":
            continue
        if kind not in ("post", "page"):
            source.skipped.append(
                Skipped(
                    _("{file}, item {id}").format(file=display, id=post_id),
                    _("Type “{kind}” is neither a post nor a page").format(kind=kind),
                )
            )
            continue
        status = (item.findtext(f"{wp}status") or "").strip()
        if status not in STATUSES:
            source.skipped.append(
                Skipped(origin, _("Status “{status}” (trash or automatic draft)").format(status=status))
            )
            continue
        post = _post(item, wp, origin, lines.get(post_id, 1), authors, source, zone)
        source.posts.append(post)
        for link in post.links:
            source.by_link[link] = post.key
    return source


def _namespace(root: ET.Element, text: str) -> str:
    match = re.search(r'xmlns:wp="(http://wordpress\.org/export/[0-9.]+/)"', text)
    return "{" + (match.group(1) if match else "http://wordpress.org/export/1.2/") + "}"


def _meta(item: ET.Element, wp: str) -> dict[str, str]:
    return {
        (m.findtext(f"{wp}meta_key") or ""): (m.findtext(f"{wp}meta_value") or "")
        for m in item.findall(f"{wp}postmeta")
    }


def _attachment(item: ET.Element, wp: str) -> Attachment:
    meta = _meta(item, wp)
    url = (item.findtext(f"{wp}attachment_url") or "").strip()
    credit = CREDIT.search(meta.get("_wp_attachment_metadata", ""))
    return Attachment(
        id=(item.findtext(f"{wp}post_id") or "").strip(),
        url=url,
        file=meta.get("_wp_attached_file", url.split("/wp-content/uploads/")[-1]),
        alt=meta.get("_wp_attachment_image_alt", "").strip(),
        credit=credit.group(1) if credit else "",
    )


def _post(
    item: ET.Element,
    wp: str,
    origin: str,
    line: int,
    authors: dict[str, ET.Element],
    source: WordPressSource,
    zone: ZoneInfo,
) -> SourcePost:
    post_id = (item.findtext(f"{wp}post_id") or "").strip()
    status = (item.findtext(f"{wp}status") or "").strip()
    todos: list[ToDo] = []
    notes: list[str] = []
    title = html.unescape((item.findtext("title") or "").strip())
    if not title:
        title = _("Untitled ({id})").format(id=post_id)  # in the post, beside its to-do
        todos.append(ToDo(origin, line, "title", _("No title in WordPress: enter a title")))
    date = wordpress_date(item.findtext(f"{wp}post_date_gmt") or "", item.findtext(f"{wp}post_date") or "", zone)
    if status == "private":
        notes.append(_("Was private in WordPress: before an approval, check whether it should be public"))
    elif status == "future":
        notes.append(_("Was scheduled in WordPress: the date stays, needs an approval"))
    if (item.findtext(f"{wp}post_password") or "").strip():
        todos.append(
            ToDo(origin, line, "access", _("Was password-protected: clarify whether the text may become public"))
        )
    login = (item.findtext(f"{DC}creator") or "").strip()
    comments = len(item.findall(f"{wp}comment"))
    if comments:
        source.comments += comments
        notes.append(
            ngettext(
                "{count} comment not imported (the blog has no comments)",
                "{count} comments not imported (the blog has no comments)",
                comments,
            ).format(count=comments)
        )
    categories = [
        html.unescape(c.text.strip()) for c in item.findall("category") if c.get("domain") == "category" and c.text
    ]
    categories = [c for c in categories if c.lower() not in ("uncategorized", "allgemein")] or categories[:0]
    if len(categories) > 1:
        notes.append(
            _("Several categories ({names}): only “{first}” imported").format(
                names=", ".join(categories), first=categories[0]
            )
        )
    body = clean(item.findtext(f"{CONTENT}encoded") or "")
    notes += body.notes
    todos += [ToDo(origin, line, "markup", problem) for problem in body.problems]
    image = None
    meta = _meta(item, wp)
    thumbnail = source.attachments.get(meta.get("_thumbnail_id", ""))
    if thumbnail is not None:
        image = HeaderImage(thumbnail.url, thumbnail.alt, thumbnail.credit)
    link = (item.findtext("link") or "").strip()
    links = {f"?id={post_id}"}
    if link and "?" not in link:
        links.add(_normal(urlsplit(link).path))
    slug = unquote((item.findtext(f"{wp}post_name") or "").strip()) or None
    return SourcePost(
        key=post_id,
        origin=origin,
        line=line,
        kind="page" if (item.findtext(f"{wp}post_type") or "").strip() == "page" else "article",
        title=title,
        date=date.moment if date else None,
        date_naive=bool(date and date.naive),
        date_has_time=bool(date and date.has_time),
        authors=(_author(login, authors.get(login), wp),) if login else (),
        status=STATUSES[status],  # type: ignore[arg-type]
        body=body.markdown,
        markup="markdown",
        body_line=0,
        category=categories[0] if categories else None,
        tags=tuple(
            html.unescape(c.text.strip()) for c in item.findall("category") if c.get("domain") == "post_tag" and c.text
        ),
        summary=html_to_text(item.findtext("{http://wordpress.org/export/1.2/excerpt/}encoded") or _excerpt(item)),
        slug=slug,
        lang=source.language,
        image=image,
        source_status=status,
        links=tuple(sorted(links)),
        notes=notes,
        todos=todos,
    )


def _excerpt(item: ET.Element) -> str:
    """The excerpt, whatever version of the export namespace it is in."""
    for child in item:
        if child.tag.endswith("}encoded") and "excerpt" in child.tag:
            return child.text or ""
    return ""


def _author(login: str, entry: ET.Element | None, wp: str) -> SourceAuthor:
    if entry is None:
        return SourceAuthor(login, login)
    first = (entry.findtext(f"{wp}author_first_name") or "").strip()
    last = (entry.findtext(f"{wp}author_last_name") or "").strip()
    display = (entry.findtext(f"{wp}author_display_name") or "").strip()
    full = f"{first} {last}".strip()
    name = full if len(full.split()) > 1 else (display or full or login)
    return SourceAuthor(name, login, (entry.findtext(f"{wp}author_email") or "").strip())
