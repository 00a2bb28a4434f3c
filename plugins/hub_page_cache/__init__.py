"""page_cache: render a page only when something it shows has changed.

Pelican renders every page of the site on every build. This plugin gives Pelican a Writer
(`get_writer` signal) that keys each template call by its inputs (see writer.py) and, when the
key is known from an earlier build, copies the file rendered then instead of rendering again.
The output is byte for byte what rendering would write. A warm build of an unchanged site renders
nothing; editing one post re-renders that post and the page of each listing that shows it.

Calls are always rendered when their inputs cannot be known for sure: a template that picks
another template at render time, a function, filter or test reading the context that this plugin
does not know, a value without a stable representation, or another plugin listening to
`content_written` (it expects rendering).

Settings: options.py (HUB_PAGE_CACHE).
"""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path
from typing import Any

import jinja2
import markdown
import pelican
from hub_core import build_tracking, state
from hub_core.i18n import translator
from hub_core.options import read
from pelican import signals

from .options import PAGE_CACHE
from .stable import Unstable, digest
from .store import PageStore
from .writer import PREFIX, UNDIGESTED_SETTINGS, CacheState, CachingWriter

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_page_cache")
FORMAT = b"hub_page_cache 1"


def cache_folder(settings: dict[str, Any]) -> Path | None:
    configured = read(PAGE_CACHE, settings)
    return Path(configured) if configured else None


def code_digest(settings: dict[str, Any]) -> bytes:
    """Our plugins' code and the versions of what renders: a change to either renders everything."""
    code = hashlib.sha256(FORMAT)
    code.update(f"{sys.version}|{pelican.__version__}|{jinja2.__version__}|{markdown.__version__}".encode())
    for folder in settings.get("PLUGIN_PATHS", ()):
        for path in sorted(Path(folder).rglob("*.py")):
            code.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return code.digest()


def settings_digest(settings: dict[str, Any], made: dict[str, Any] | None = None) -> tuple[bytes, frozenset[str]]:
    """Every setting (a value without a stable form turns the cache off: since plugins hand each other
    their objects in the build state, every setting is the user's or Pelican's), and what plugins
    made during the build that reaches pages (`made`: image variants, social cards, see
    BuildState.page_inputs) where it can be compared; what has no stable form is skipped."""
    stable = {}
    for name, value in settings.items():
        if name in UNDIGESTED_SETTINGS:
            continue
        try:
            stable[name] = digest(value)
        except Unstable:
            raise Unstable(f"setting {name}") from None
    covered = frozenset(stable)
    built = {}
    for name, value in (made or {}).items():
        try:
            built[name] = digest(value)
        except Unstable:
            logger.debug("%s the build's %s is left out of the key: no stable form", PREFIX, name)
    return digest([stable, built]), covered


def provide_writer(pelican_object: Any) -> type[CachingWriter] | None:
    settings = pelican_object.settings
    CachingWriter.state = CachingWriter.last_stats = None
    folder = cache_folder(settings)
    if folder is None:
        return None
    if signals.content_written.receivers:
        logger.info("%s %s", PREFIX, _("off: a plugin listens to content_written and expects every page rendered"))
        return None
    if settings.get("WRITE_SELECTED"):
        return None
    try:
        settings_key, covered = settings_digest(settings, state.of(settings).page_inputs())
    except Unstable as reason:
        off = _("off for this build: a setting cannot be compared between builds ({reason})").format(reason=reason)
        logger.info("%s %s", PREFIX, off)
        return None
    store = PageStore(folder)
    if store.problem:
        logger.warning("%s %s", PREFIX, store.problem)
    CachingWriter.state = CacheState(store, hashlib.sha256(code_digest(settings) + settings_key).digest(), covered)
    return CachingWriter


def save_cache(pelican_object: Any) -> None:
    state = CachingWriter.state
    CachingWriter.state = None
    if state is None:
        return
    try:
        state.store.save()
    except OSError as error:
        unsaved = _("could not save the cache in {folder}: {reason}").format(folder=state.store.folder, reason=error)
        logger.warning("%s %s", PREFIX, unsaved)
    stats = CachingWriter.last_stats = state.stats
    reused = ngettext(
        "{count} template call reused, {rendered} rendered, {uncacheable} not cacheable",
        "{count} template calls reused, {rendered} rendered, {uncacheable} not cacheable",
        stats.reused,
    )
    logger.info(
        "%s %s", PREFIX, reused.format(count=stats.reused, rendered=stats.rendered, uncacheable=stats.uncacheable)
    )
    for reason, count in sorted(stats.reasons.items()):
        logger.debug("%s not cacheable (%d×): %s", PREFIX, count, reason)


CONNECTIONS = (
    (signals.get_writer, provide_writer),
    (signals.finalized, save_cache),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
