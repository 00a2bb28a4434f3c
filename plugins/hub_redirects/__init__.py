"""redirects: a post keeps its old addresses when its slug, title, date or category changes.

At `all_generators_finalized` (every address is final) the record of published addresses
(record.py, HUB_URL_RECORD) learns each public post's and page's address in this build; an
address a post had before becomes a redirect to where it lives now (plan.py). At `finalized`,
after Pelican wrote the site, a small page is written at each old address (page.py): it moves the
reader on without JavaScript, names the new address as canonical and is not indexed. `invoke
publish` gives such a page on S3 a WebsiteRedirectLocation as well (hub_publish/redirects.py).

What counts as public: posts the review gate publishes or has scheduled (development builds
render both, production builds only the first), and published pages. Drafts never: their
addresses are not shared yet. Redirect pages are neither in the sitemap nor in the search.

Settings: options.py (HUB_URL_RECORD).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hub_core import build_tracking, state
from hub_core.errors import BuildStopped
from hub_core.files import write_atomically
from hub_core.i18n import translator
from hub_core.options import beside_content, read
from hub_review.slots import REVIEW
from hub_review.states import State
from hub_theme.strings import translate
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from .options import URL_RECORD
from .page import link_to, render_redirect
from .plan import Skip, Target, file_of, plan_redirects
from .record import RecordError, UrlRecord, parse_record, render_record
from .slots import REDIRECTS

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_redirects")
PREFIX = "redirects:"
PUBLIC_STATES = (State.PUBLISHED.value, State.SCHEDULED.value)
ARTICLE_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations")
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")


def record_file(settings: dict[str, Any]) -> Path | None:
    """HUB_URL_RECORD; a relative path counts from the folder holding content/, like HUB_CALENDAR."""
    configured = read(URL_RECORD, settings)
    if not configured:
        return None
    return beside_content(settings, configured)


def load_record(path: Path) -> UrlRecord:
    if not path.is_file():
        return UrlRecord()
    try:
        return parse_record(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecordError) as error:
        raise BuildStopped(
            f"{PREFIX} {path}: "
            + _("cannot read the record of published addresses ({problem}); nothing was written").format(problem=error)
        ) from None


def _first(generators: Iterable[Any], kind: type) -> Any | None:
    return next((g for g in generators if isinstance(g, kind)), None)


def _source(item: Any, content_root: Path) -> str:
    """The record's key: the source file relative to content/ (absolute if it lies elsewhere)."""
    path = Path(item.source_path).resolve()
    return path.relative_to(content_root).as_posix() if path.is_relative_to(content_root) else path.as_posix()


def public_targets(articles: Any, pages: Any, settings: dict[str, Any], content_root: Path) -> dict[str, Target]:
    """Each post and page whose address is public in this build, by source path."""
    default_lang = str(settings.get("DEFAULT_LANG") or "de")
    found: dict[str, Target] = {}
    review = state.of(settings).get(REVIEW)
    judged = review.result.by_source if review is not None else {}
    for item in [*getattr(articles, "articles", ()), *getattr(articles, "translations", ())]:
        verdict = judged.get(Path(item.source_path))
        public = verdict.state.value in PUBLIC_STATES if verdict is not None else item.status == "published"
        if public and item.save_as:
            found[_source(item, content_root)] = Target(item.url, getattr(item, "lang", default_lang))
    for item in [*getattr(pages, "pages", ()), *getattr(pages, "translations", ())]:
        if item.status == "published" and item.save_as:
            found[_source(item, content_root)] = Target(item.url, getattr(item, "lang", default_lang))
    return found


def written_files(generators: Iterable[Any], settings: dict[str, Any]) -> set[str]:
    """The files this build writes for its content: no redirect may take one's place."""
    generators = list(generators)
    files: set[str] = set()
    articles, pages = _first(generators, ArticlesGenerator), _first(generators, PagesGenerator)
    static = _first(generators, StaticGenerator)
    for generator, lists in ((articles, ARTICLE_LISTS), (pages, PAGE_LISTS), (static, ("staticfiles",))):
        for name in lists:
            files |= {item.save_as for item in getattr(generator, name, None) or () if item.save_as}
    if articles is not None:
        listings = [category for category, _posts in articles.categories]
        listings += [tag for tag, _posts in articles.tags.items()] if isinstance(articles.tags, dict) else []
        listings += [author for author, _posts in articles.authors]
        files |= {listing.save_as for listing in listings if getattr(listing, "save_as", "")}
    for template in settings.get("DIRECT_TEMPLATES") or ():
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            files.add(save_as)
    return files


def plan(generators: list[Any]) -> None:
    """Learn this build's addresses, keep the record, decide the redirects."""
    if not generators:
        return
    settings = generators[0].settings
    path = record_file(settings)
    if path is None:
        return
    content_root = Path(settings["PATH"]).resolve()
    before = load_record(path)
    targets = public_targets(
        _first(generators, ArticlesGenerator), _first(generators, PagesGenerator), settings, content_root
    )
    record = before.remember({source: target.url for source, target in targets.items()})
    if record != before:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, render_record(record).encode("utf-8"))
        for source, old, new in record.changed_addresses(before):
            logger.info(
                "%s %s",
                PREFIX,
                _("{source}: address changed; the old address {old} leads to the new one, {new}").format(
                    source=source, old=old or "/", new=new or "/"
                ),
            )
        logger.info(
            "%s %s", PREFIX, _("{file} updated: commit it with your changes, so the redirects stay").format(file=path)
        )
    result = plan_redirects(record, targets, written_files(generators, settings), str(settings.get("DEFAULT_LANG")))
    for skipped in result.skipped:
        if skipped.reason is Skip.LIVE_PAGE:
            message = _("{old} is a page again: no redirect to {new}")
        elif skipped.reason is Skip.NO_TARGET:
            message = _("redirects: {old} → {new}: expected the address of a page of the site, found none")
        else:
            message = _("redirects: {old} → {new}: expected redirects that end somewhere, found a cycle")
        logger.warning("%s %s", PREFIX, message.format(old=skipped.old_url, new=skipped.new_url))
    state.of(settings).put(REDIRECTS, result)


def write_pages(pelican: Any) -> None:
    """A redirect page at each old address, once Pelican has written the site."""
    settings = pelican.settings
    result = state.of(settings).get(REDIRECTS)
    if result is None or not result.redirects:
        return
    output = Path(pelican.output_path)
    siteurl = str(settings.get("SITEURL") or "")
    relative = bool(settings.get("RELATIVE_URLS"))
    for redirect in result.redirects:
        href = link_to(redirect.new_url, from_file=redirect.save_as, siteurl=siteurl, relative=relative)
        page = render_redirect(
            href=href,
            canonical=href,
            lang=redirect.lang,
            title=translate("moved_title", redirect.lang),
            text=translate("moved_text", redirect.lang),
            link=translate("moved_link", redirect.lang),
        )
        write_atomically(output / redirect.save_as, page)
    logger.info(
        "%s %s",
        PREFIX,
        ngettext("{count} old address leads on", "{count} old addresses lead on", len(result.redirects)).format(
            count=len(result.redirects)
        ),
    )


# Pelican's signals outlive a build: tests disconnect these to leave other builds as their PLUGINS say.
CONNECTIONS = (
    (signals.all_generators_finalized, plan),
    (signals.finalized, write_pages),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)


__all__ = ["file_of", "register"]
