"""A Pelican Writer that renders a file only when its inputs changed.

Each file a `write_file` call writes (a post, a page, one page of a paginated listing) is keyed by
everything its output can depend on: our code and the library versions, the settings, the template
and every template it pulls in, the call's arguments, and the digest of every context value the
templates read (found by parsing them, see templates.py). A post's digest covers its metadata,
rendered content and summary and whatever plugins attached to it.

A paginated listing is keyed page by page (Pelican's pagination loop is run here, a page at a
time): where its templates read the list's names only as a page shows them (uses.py,
pagination.py), a page depends on its own posts, its paginator's numbers and the list's length, not
on the rest of the list, so editing one post re-renders that post and the one page of each listing
that shows it. A template that reads more of the list (loops over it, prints a paginator) makes
each page depend on the whole list, as before. Files whose inputs cannot be digested are simply
rendered.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub_core.files import place
from hub_core.i18n import translator
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.tests import TESTS as DEFAULT_TESTS
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .pagination import NEIGHBOUR, PAGE, PAGINATOR, WHOLE, family, read_parts, true_pages
from .stable import Unstable, digest
from .store import PageStore
from .templates import TemplateInputs, template_inputs
from .uses import DEFINED_TESTS, LENGTH_FILTERS, merge

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_page_cache")
PREFIX = "page_cache:"
# Call arguments our page_meta() reads without a template naming them.
READ_BY_CODE = frozenset({"article", "page", "category", "tag", "author", "period"})
# What Pelican paginates when a call does not say (Writer.write_file).
PAGINATED_BY_DEFAULT = frozenset({"articles", "dates"})
# Context functions (pass_context) whose reads are covered by READ_BY_CODE, the settings and
# CONTEXT_FUNCTION_READS.
KNOWN_CONTEXT_FUNCTIONS = frozenset({"page_meta"})
# What they read of a listing's pagination (hub_discovery.templating: the title and the direct template).
CONTEXT_FUNCTION_READS = {
    "page_meta": {
        "articles_page": {"defined", "attr:number"},
        "articles_paginator": {"defined", "attr:num_pages", "attr:name"},
    }
}
_MISSING = object()
# Settings left out of the base key, digested only where a template reads them: where the build
# writes and caches (`invoke publish` builds into a new temporary folder every time). What plugins
# make during a build is not in the settings (hub_core.state); its part that reaches pages is keyed
# separately.
UNDIGESTED_SETTINGS = frozenset({"OUTPUT_PATH", "CACHE_PATH", "HUB_PAGE_CACHE"})
# Attributes of a post that are not its data.
NOT_DATA = frozenset({"settings", "_context", "_content", "_summary"})


@dataclass(frozen=True)
class _Plan:
    """A call's key so far (every file of it shares this part) and, per paginated list whose names
    the templates read only as a page shows them, those names and their roles (pagination.py)."""

    shared: Any  # hashlib's sha256 object, copied for each file
    parts: dict[str, dict[str, str]]


@dataclass
class Stats:
    reused: int = 0
    rendered: int = 0
    uncacheable: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    rendered_names: list[str] = field(default_factory=list)  # first file of each rendered call


@dataclass
class CacheState:
    """What the build shares with the writer: the store and the digest of code and settings."""

    store: PageStore
    base_key: bytes
    covered: frozenset[str]  # settings in the base key: a template reading them needs nothing more
    stats: Stats = field(default_factory=Stats)


class CachingWriter(Writer):
    state: CacheState | None = None  # set by the plugin for the build about to write
    last_stats: Stats | None = None  # of the last finished build, for the log and for tests

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings)
        self._captured: list[str] | None = None
        self._content_digests: dict[int, bytes] = {}
        self._context_digests: dict[tuple[str, int], bytes] = {}
        self._template_inputs: dict[tuple[int, str], TemplateInputs] = {}
        self._wrapper_digests: dict[int, bytes | None] = {}
        self._folders: set[str] = set()

    def _claim(self, filename: str, override: bool) -> bool:
        """Pelican's overwrite rules (Writer._open_w) without opening the file; False: skip it."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            # Pelican's Writer says the same, in English; ours speaks the team's language
            logger.info(_('Skipping "{file}", not overwriting').format(file=filename))
            return False
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                    "(set `override=True` if intended)"
                )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return True

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        if not self._claim(filename, override):
            return open(os.devnull, "w", encoding=encoding)
        if self._captured is not None:
            self._captured.append(filename)
        # The file may be a link into the cache (an earlier build without DELETE_OUTPUT_DIRECTORY):
        # writing into it would change the cached copy, so it goes first.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(filename)
        return open(filename, "w", encoding=encoding)

    def write_file(
        self,
        name: Any,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool = False,
        paginated: dict[str, Any] | None = None,
        template_name: str | None = None,
        override_output: bool = False,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        state = self.state
        render = super().write_file
        if state is None or not name:
            render(name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs)
            return
        lists = paginated
        if lists is None:
            lists = {key: value for key, value in kwargs.items() if key in PAGINATED_BY_DEFAULT}
        split = lists if lists and template_name in self.settings["PAGINATED_TEMPLATES"] else {}
        try:
            plan: _Plan | Unstable = self._plan(
                state, name, template, context, relative_urls, split, template_name, override_output, url, kwargs
            )
        except Unstable as reason:
            plan = reason
        if not split:
            self._write(
                state,
                plan,
                name,
                None,
                kwargs,
                lambda: render(
                    name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs
                ),
                context,
                relative_urls,
                override_output,
            )
            return
        # Pelican's pagination (Writer.write_file), a page at a time: each is keyed by what it shows.
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, value, self.settings, per_page) for key, value in split.items()}
        for page_num in range(next(iter(paginators.values())).num_pages):
            page_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(page_num + 1)
                page_kwargs.update(
                    {
                        f"{key}_paginator": paginator,
                        f"{key}_page": page,
                        f"{key}_previous_page": paginator.page(page_num) if page_num > 0 else None,
                        f"{key}_next_page": paginator.page(page_num + 2)
                        if page_num + 1 < paginator.num_pages
                        else None,
                    }
                )
            save_as = page.save_as

            def render_page(save_as: str = save_as, page_kwargs: dict[str, Any] = page_kwargs) -> None:
                # One page, unpaginated: what Pelican's loop does for it.
                render(
                    save_as, template, context, relative_urls, {}, template_name, override_output, url, **page_kwargs
                )

            self._write(
                state, plan, save_as, page.number, page_kwargs, render_page, context, relative_urls, override_output
            )

    def _write(
        self,
        state: CacheState,
        plan: _Plan | Unstable,
        name: str,
        number: int | None,
        values: dict[str, Any],
        render: Callable[[], None],
        context: dict[str, Any],
        relative_urls: bool,
        override_output: bool,
    ) -> None:
        """One file: linked from the cache if its key is known, else rendered (and kept)."""
        key = None
        try:
            if isinstance(plan, Unstable):
                raise plan
            key = self._file_key(plan, name, number, values, context)
        except Unstable as reason:
            state.stats.uncacheable += 1
            state.stats.reasons[str(reason)] = state.stats.reasons.get(str(reason), 0) + 1
        if key is not None:
            cached = state.store.get(key)
            if cached is not None:
                self._reuse(cached, context, relative_urls, override_output)
                state.stats.reused += 1
                return
        self._captured = []
        try:
            render()
            written = self._captured
        finally:
            self._captured = None
        if key is not None:
            output = os.path.abspath(self.output_path)
            state.store.put(
                key, [(os.path.relpath(os.path.abspath(p), output).replace(os.sep, "/"), Path(p)) for p in written]
            )
        state.stats.rendered += 1
        state.stats.rendered_names.append(str(name))

    def _reuse(self, cached: list[Any], context: dict[str, Any], relative_urls: bool, override: bool) -> None:
        for rendered in cached:
            path = sanitised_join(self.output_path, rendered.relative)
            if not self._claim(path, override):
                continue
            folder = os.path.dirname(path)
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            place(rendered.blob, Path(path))
        if relative_urls and cached:
            # Rendering leaves the last page's relative SITEURL in the shared context (see Writer.write_file).
            context["localsiteurl"] = path_to_url(get_relative_path(cached[-1].relative))

    def _plan(
        self,
        state: CacheState,
        name: str,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool,
        split: dict[str, Any],
        template_name: str | None,
        override_output: bool,
        url: str | None,
        kwargs: dict[str, Any],
    ) -> _Plan:
        """What every file of the call shares in its key, and what the templates read of each paginated list."""
        inputs = self._inputs_of(template)
        if not inputs.complete:
            raise Unstable(f"{template.name} chooses templates at render time")
        environment = template.environment
        unknown = _unknown_context_functions(environment, inputs)
        if unknown:
            raise Unstable(f"{template.name} calls {', '.join(sorted(unknown))}, which reads the context")
        key = hashlib.sha256(state.base_key)
        key.update(inputs.source_digest)
        key.update(digest([name, template.name, template_name, relative_urls, override_output, url]))
        # Pagination splits these lists into the pages and names their files.
        key.update(digest(sorted(split)))
        uses = dict(inputs.uses)
        names = set(inputs.names) | (READ_BY_CODE & kwargs.keys())
        for function, reads in CONTEXT_FUNCTION_READS.items():
            if function in inputs.names:
                names.update(reads)
                merge(uses, reads)  # type: ignore[arg-type]
        frozen = {name: frozenset(used) for name, used in uses.items()}
        lists = set(split) or _paginated_by_caller(kwargs)
        true_names = true_pages(frozenset(lists), frozen)
        parts: dict[str, dict[str, str]] = {}
        for prefix in sorted(lists):
            read = read_parts(prefix, frozen, true_names) if _plain_basics(environment) else None
            if read is not None:
                parts[prefix] = read
            elif prefix in split:
                # The page can show any post of the list: it depends on all of them.
                key.update(f"p{prefix}".encode())
                key.update(digest(split[prefix], self._special))
        projected = {name for prefix in parts for name in family(prefix)}
        settings = self.settings
        covered = state.covered
        for variable in sorted(names - projected):
            if variable in split and kwargs.get(variable) is split[variable]:
                continue  # digested whole just above
            if variable in kwargs:
                key.update(f"k{variable}".encode())
                key.update(digest(kwargs[variable], self._special))
            elif variable in context and not (variable in covered and context[variable] is settings[variable]):
                # From the shared context, the same object for every call: digest it once.
                value = context[variable]
                memo = (variable, id(value))
                if memo not in self._context_digests:
                    self._context_digests[memo] = digest(value, self._special)
                key.update(f"c{variable}".encode())
                key.update(self._context_digests[memo])
        return _Plan(key, parts)

    def _file_key(
        self, plan: _Plan, name: str, number: int | None, values: dict[str, Any], context: dict[str, Any]
    ) -> str:
        """The call's shared key, the file, and what it shows of each paginated list."""
        key = plan.shared.copy()
        key.update(digest([name, number]))
        for prefix, read in sorted(plan.parts.items()):
            shown = []
            for variable, role in sorted(read.items()):
                value = values[variable] if variable in values else context.get(variable, _MISSING)
                shown.append([variable, self._part(role, value)])
            key.update(f"v{prefix}".encode())
            key.update(digest(shown))
        return key.hexdigest()

    def _part(self, role: str, value: Any) -> Any:
        """What the templates can see of one paginated name in the uses pagination.ALLOWED permits."""
        if value is _MISSING:
            return "absent"
        if role == WHOLE and isinstance(value, list | tuple):
            return ["length", len(value)]
        if role == PAGINATOR and isinstance(value, Paginator):
            return _paginator_facts(value)
        if role == NEIGHBOUR and value is None:
            return None
        if role == NEIGHBOUR and isinstance(value, Page):
            return _page_facts(value)
        if role == PAGE and isinstance(value, Page):
            return [_page_facts(value), digest(list(value.object_list), self._special)]
        raise Unstable(f"a paginated {type(value).__name__} where Pelican gives a {role}")

    def _inputs_of(self, template: Any) -> TemplateInputs:
        memo = (id(template.environment), template.name)
        if memo not in self._template_inputs:
            facts = self.state.store.template_facts if self.state else None
            self._template_inputs[memo] = template_inputs(template.environment, template.name, facts)
        return self._template_inputs[memo]

    def _special(self, value: Any) -> bytes | None:
        if isinstance(value, Content):
            known = self._content_digests.get(id(value))
            if known is None:
                known = self._content_digests[id(value)] = _content_digest(value, self._nested)
            return known
        return self._wrapper(value)

    def _nested(self, value: Any) -> bytes | None:
        """Inside a post: another post (a translation) by what links to it show."""
        if isinstance(value, Content):
            return _shallow(value)
        return self._wrapper(value)

    def _wrapper(self, value: Any) -> bytes | None:
        # Categories, tags and authors: their URLs come from the settings on every access, so once.
        wrapper = id(value)
        if wrapper not in self._wrapper_digests:
            self._wrapper_digests[wrapper] = _wrapper_digest(value)
        return self._wrapper_digests[wrapper]


def _content_digest(content: Content, nested: Callable[[Any], bytes | None]) -> bytes:
    """Everything a template could show of a post or page: its data, what plugins attached to it,
    and its rendered content and summary (which include the URLs of the posts it links to)."""
    data = {name: value for name, value in vars(content).items() if name not in NOT_DATA}
    siteurl = content.settings.get("SITEURL", "")
    data["__content__"] = content.get_content(siteurl)
    data["__summary__"] = content.get_summary(siteurl)
    data["__url__"] = (content.url, content.save_as)
    return digest([type(content).__qualname__, data], nested)


def _shallow(value: Content) -> bytes:
    return digest(
        [
            type(value).__qualname__,
            value.source_path,
            value.url,
            getattr(value, "title", None),
            getattr(value, "lang", None),
            getattr(value, "date", None),
        ]
    )


def _wrapper_digest(value: Any) -> bytes | None:
    if isinstance(value, URLWrapper):
        return digest([type(value).__qualname__, value.name, value.slug, value.url, value.save_as])
    return None


def _unknown_context_functions(environment: Any, inputs: TemplateInputs) -> set[str]:
    """Functions, filters and tests that read the template context themselves (pass_context), other
    than Jinja's own (which only take the environment from it) and the ones whose reads we know."""
    found = set()
    for kind, table, builtin, used in (
        ("", environment.globals, {}, inputs.names),
        ("|", environment.filters, DEFAULT_FILTERS, inputs.filters),
        ("is ", environment.tests, DEFAULT_TESTS, inputs.tests),
    ):
        for name in used:
            value = table.get(name)
            if value is None or builtin.get(name) is value or (not kind and name in KNOWN_CONTEXT_FUNCTIONS):
                continue
            if getattr(getattr(value, "jinja_pass_arg", None), "name", None) == "context":
                found.add(kind + name)
    return found


def _paginated_by_caller(kwargs: dict[str, Any]) -> set[str]:
    """Lists a plugin paginated itself, handing a page the names Pelican would (hub_theme's listings)."""
    return {
        key[: -len("_page")]
        for key, value in kwargs.items()
        if key.endswith("_page")
        and isinstance(value, Page)
        and isinstance(kwargs.get(key[: -len("_page")] + "_paginator"), Paginator)
    }


@functools.lru_cache(maxsize=8)
def _plain_basics(environment: Any) -> bool:
    """Whether `|length`, `|count` and the tests `defined`, `undefined` and `none` are Jinja's own."""
    return all(environment.filters.get(name) is DEFAULT_FILTERS[name] for name in LENGTH_FILTERS) and all(
        environment.tests.get(name) is DEFAULT_TESTS[name] for name in DEFINED_TESTS
    )


def _paginator_facts(paginator: Paginator) -> list[Any]:
    return [paginator.name, paginator.url, paginator.count, paginator.num_pages, paginator.per_page, paginator.orphans]


def _page_facts(page: Page) -> list[Any]:
    return [page.number, page.full_name, page.base_url, page.url, page.save_as, _paginator_facts(page.paginator)]
