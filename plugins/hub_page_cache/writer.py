"""A Pelican Writer that renders a template call only when its inputs changed.

One `write_file` call (a post, a page, or a whole paginated listing) is keyed by everything its
output can depend on: our code and the library versions, the settings, the template and every
template it pulls in, the call's arguments, and the digest of every context value the templates
read (found by parsing them, see templates.py). A post's digest covers its metadata, rendered
content and summary and whatever plugins attached to it. A listing therefore depends on the posts
it lists, not on the rest of the site: editing one post re-renders that post and the listings that
show it. Calls whose inputs cannot be digested are simply rendered.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub_core.files import place
from hub_core.i18n import translator
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .stable import Unstable, digest
from .store import PageStore
from .templates import TemplateInputs, template_inputs

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_page_cache")
PREFIX = "page_cache:"
# Call arguments our page_meta() reads without a template naming them.
READ_BY_CODE = frozenset({"article", "page", "category", "tag", "author", "period"})
# What Pelican paginates when a call does not say (Writer.write_file).
PAGINATED_BY_DEFAULT = frozenset({"articles", "dates"})
# Context functions (pass_context) whose reads are covered by READ_BY_CODE and the settings.
KNOWN_CONTEXT_FUNCTIONS = frozenset({"page_meta"})
# Settings left out of the base key, digested only where a template reads them: where the build
# writes and caches (`invoke publish` builds into a new temporary folder every time). What plugins
# make during a build is not in the settings (hub_core.state); its part that reaches pages is keyed
# separately.
UNDIGESTED_SETTINGS = frozenset({"OUTPUT_PATH", "CACHE_PATH", "HUB_PAGE_CACHE"})
# Attributes of a post that are not its data.
NOT_DATA = frozenset({"settings", "_context", "_content", "_summary"})


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
        if state is None or not name:
            super().write_file(
                name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs
            )
            return
        try:
            key = self._key(
                state, name, template, context, relative_urls, paginated, template_name, override_output, url, kwargs
            )
        except Unstable as reason:
            state.stats.uncacheable += 1
            state.stats.reasons[str(reason)] = state.stats.reasons.get(str(reason), 0) + 1
            key = None
        if key is not None:
            cached = state.store.get(key)
            if cached is not None:
                self._reuse(cached, context, relative_urls, override_output)
                state.stats.reused += 1
                return
        self._captured = []
        try:
            super().write_file(
                name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs
            )
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

    def _key(
        self,
        state: CacheState,
        name: str,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool,
        paginated: dict[str, Any] | None,
        template_name: str | None,
        override_output: bool,
        url: str | None,
        kwargs: dict[str, Any],
    ) -> str:
        inputs = self._inputs_of(template)
        if not inputs.complete:
            raise Unstable(f"{template.name} chooses templates at render time")
        unknown = _unknown_context_functions(template.environment, inputs.names)
        if unknown:
            raise Unstable(f"{template.name} calls {', '.join(sorted(unknown))}, which reads the context")
        key = hashlib.sha256(state.base_key)
        key.update(inputs.source_digest)
        key.update(digest([name, template.name, template_name, relative_urls, override_output, url]))
        settings = self.settings
        if paginated is None:
            paginated = {name: kwargs[name] for name in PAGINATED_BY_DEFAULT & kwargs.keys()}
        # Pagination splits these lists into the pages and names their files; without it they only
        # matter where a template reads them.
        split = set(paginated) if paginated and template_name in settings.get("PAGINATED_TEMPLATES", {}) else set()
        key.update(digest(sorted(split)))
        covered = state.covered
        for variable in sorted(inputs.names | (READ_BY_CODE & kwargs.keys()) | split):
            if variable in split:
                key.update(f"p{variable}".encode())
                key.update(digest(paginated[variable], self._special))
            elif variable in kwargs:
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
        return key.hexdigest()

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


def _unknown_context_functions(environment: Any, names: frozenset[str]) -> set[str]:
    found = set()
    for name in names:
        value = environment.globals.get(name)
        if getattr(value, "jinja_pass_arg", None) is not None and name not in KNOWN_CONTEXT_FUNCTIONS:
            found.add(name)
    return found
