"""What Hub's plugins hand each other during one build: a typed state, not Pelican's settings dict.

Each build (one `Pelican.run()`) gets a fresh `BuildState`. A producer puts what it made into its
slot once (`put`); a consumer asks for it (`get` when it can do without, `need` when it cannot, which
names the plugin to add or to move before it in PLUGINS). The slots below are the whole list of what
crosses from one plugin to another; hub_core/timeline.py says which plugin fills which slot at which
Pelican signal.

Why not the settings: they are the user's configuration, which hub_page_cache digests and Pelican
copies into every template context; a build's objects there outlive the build (`pelican
--autoreload` runs many builds with one settings dict) and leak into the next.

Lookup: every Pelican signal hands over something with the build's settings dict (the Pelican
object, a generator, a post), and a reader gets nothing else, so a running build is found by the
identity of its settings dict. The state of a finished build stays reachable from its Pelican object
(`finished`) for tests and tools, and is dropped with it.

The slot types are the producers' own pure types, named for the type checker only: hub_core
imports no plugin at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from weakref import WeakKeyDictionary

from .errors import ConfigurationError

if TYPE_CHECKING:
    from hub_content.loader import SiteCheck
    from hub_discovery.sitemap import Entry
    from hub_feeds.settings import FeedSettings
    from hub_images.process import Processed
    from hub_images.responsive import Responsive
    from hub_review.gate import GateResult
    from hub_search.documents import SearchPage

    from .findings import Report
    from .render_cache import RenderCache

T = TypeVar("T")


@dataclass(frozen=True)
class Slot(Generic[T]):
    """One kind of thing a plugin hands on: filled once per build by `producer`."""

    name: str
    producer: str  # the plugin (package name in PLUGINS) that fills it
    what: str  # in words, for the error a consumer gets when it is missing


@dataclass(frozen=True)
class Images:
    """hub_images' processed files: what the feeds, the Markdown reader and the theme show."""

    processed: Mapping[str, Processed]  # by content-relative path
    staging: Path  # the folder the variants are linked from into the output
    picture_of: Callable[[str], Responsive | None]  # content-relative path -> its <picture> sources


@dataclass(frozen=True)
class Review:
    """hub_review's judgement of every post, and its findings."""

    result: GateResult
    report: Report


@dataclass(frozen=True)
class SearchContent:
    """hub_search: what may be searched (Pelican posts and pages) and where the search pages are."""

    documents: Sequence[Any]
    pages: Sequence[SearchPage]


SITE_CHECK: Slot[SiteCheck] = Slot("site_check", "hub_content", "the checked content and calendar")
MARKDOWN_CACHE: Slot[RenderCache] = Slot("markdown_cache", "hub_content", "the rendered-Markdown cache")
IMAGES: Slot[Images] = Slot("images", "hub_images", "the processed images")
SOCIAL_CARDS: Slot[Mapping[str, Path]] = Slot("social_cards", "hub_images", "the social cards")
REVIEW: Slot[Review] = Slot("review", "hub_review", "the review gate's result")
FEED_SETTINGS: Slot[FeedSettings] = Slot("feed_settings", "hub_feeds", "the checked HUB_FEEDS")
# Filled only when SITEURL is absolute (production): development writes no sitemap.
SITEMAP_ENTRIES: Slot[Sequence[Entry]] = Slot("sitemap_entries", "hub_discovery", "the sitemap's URLs")
SEARCH: Slot[SearchContent] = Slot("search", "hub_search", "the searchable content")

SLOTS: tuple[Slot[Any], ...] = (
    SITE_CHECK,
    MARKDOWN_CACHE,
    IMAGES,
    SOCIAL_CARDS,
    REVIEW,
    FEED_SETTINGS,
    SITEMAP_ENTRIES,
    SEARCH,
)


def plugin_names(plugins: Any) -> list[str]:
    """PLUGINS as names: a string as written, a module by its name."""
    return [item if isinstance(item, str) else getattr(item, "__name__", str(item)) for item in plugins or ()]


class BuildState:
    """One build's shared objects, each slot filled once by its producer."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings  # the build's own dict: its identity finds this state
        self.plugins = tuple(plugin_names(settings.get("PLUGINS")))
        self._values: dict[str, object] = {}
        self._at_end: list[Callable[[], None]] = []

    def put(self, slot: Slot[T], value: T) -> None:
        if slot.name in self._values:
            raise RuntimeError(f"{slot.producer} filled the build state's {slot.name} twice in one build")
        self._values[slot.name] = value

    def get(self, slot: Slot[T]) -> T | None:
        """What the producer put there; None if it is not in PLUGINS, has not run yet, or made nothing."""
        return cast("T | None", self._values.get(slot.name))

    def need(self, slot: Slot[T], consumer: str) -> T:
        """What the producer put there; a ConfigurationError naming the order if it is missing."""
        if slot.name in self._values:
            return cast(T, self._values[slot.name])
        if slot.producer not in self.plugins:
            raise ConfigurationError(
                f"{consumer} needs the {slot.producer} plugin before it in PLUGINS ({slot.what}), found none"
            )
        raise ConfigurationError(
            f"{consumer} needs {slot.what} from {slot.producer}, which had not made it yet:"
            f" put {slot.producer} before it in PLUGINS"
        )

    def filled(self) -> frozenset[str]:
        """The names of the slots filled so far."""
        return frozenset(self._values)

    def at_end(self, action: Callable[[], None]) -> None:
        """Run `action` when the build ends, failed or not (close a database, end a process)."""
        self._at_end.append(action)

    def end(self) -> None:
        actions, self._at_end = self._at_end, []
        for action in reversed(actions):
            action()

    def page_inputs(self) -> dict[str, Any]:
        """What of the state reaches pages outside the posts' own data (hub_page_cache keys pages by it):
        image variants, social cards, the feed and search pages; the gate's result and the check reach
        pages through the posts they are attached to."""
        images = self.get(IMAGES)
        search = self.get(SEARCH)
        return {
            "images": (images.processed, images.staging) if images else None,
            "social_cards": self.get(SOCIAL_CARDS),
            "feed_settings": self.get(FEED_SETTINGS),
            "sitemap_entries": self.get(SITEMAP_ENTRIES),
            "search_pages": search.pages if search else None,
        }


_RUNNING: list[BuildState] = []
# The last build of each Pelican object; dropped with the object.
_FINISHED: WeakKeyDictionary[Any, BuildState] = WeakKeyDictionary()


def begin(pelican: Any) -> BuildState:
    """A fresh state for the build `pelican.run()` is starting."""
    state = BuildState(pelican.settings)
    _FINISHED.pop(pelican, None)
    _RUNNING.append(state)
    return state


def finish(pelican: Any, state: BuildState) -> None:
    """The build ended (failed or not): it can no longer be found by its settings."""
    try:
        state.end()
    finally:
        if state in _RUNNING:
            _RUNNING.remove(state)
        _FINISHED[pelican] = state


def running(settings: Mapping[str, Any]) -> BuildState | None:
    """The running build with this settings dict; None outside a build (a reader used on its own)."""
    for state in reversed(_RUNNING):
        if state.settings is settings:
            return state
    return None


def of(settings: Mapping[str, Any]) -> BuildState:
    """The running build's state, from a handler of one of its signals."""
    state = running(settings)
    if state is None:
        raise RuntimeError("no Hub build is running with these settings (hub_core.timeline.track_builds not called)")
    return state


def finished(pelican: Any) -> BuildState | None:
    """The state of the last build `pelican` ran (tests and tools looking at a finished build)."""
    return _FINISHED.get(pelican)
