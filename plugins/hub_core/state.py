"""What Hub's plugins hand each other during one build: a typed state, not Pelican's settings dict.

Each build (one `Pelican.run()`) gets a fresh `BuildState`. A producer puts what it made into its
slot once (`put`); a consumer asks for it (`get` when it can do without, `need` when it cannot, which
names the plugin to add or to move before it in PLUGINS). Each producer declares its slots, typed
with its own types, in `hub_<name>/slots.py`; hub_core/timeline.py lists them all: which plugin
fills which slot at which Pelican signal, and who reads it.

Why not the settings: they are the user's configuration, which hub_page_cache digests and Pelican
copies into every template context; a build's objects there outlive the build (`pelican
--autoreload` runs many builds with one settings dict) and leak into the next.

Lookup: every Pelican signal hands over something with the build's settings dict (the Pelican
object, a generator, a post), and a reader gets nothing else, so a running build is found by the
identity of its settings dict. The state of a finished build stays reachable from its Pelican object
(`finished`) for tests and tools, and is dropped with it.

hub_core imports no plugin: the state knows its slots only by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast
from weakref import WeakKeyDictionary

from .errors import ConfigurationError
from .i18n import translator

_, ngettext = translator("hub_core")

T = TypeVar("T")


@dataclass(frozen=True)
class Slot(Generic[T]):
    """One kind of thing a plugin hands on, filled once per build by `producer`.

    Declared by the producer in its own pure module (`hub_<name>/slots.py`), typed with its own
    types; a consumer imports it from there.
    """

    name: str
    producer: str  # the plugin (package name in PLUGINS) that fills it
    what: str  # in words, for the error a consumer gets when it is missing
    # The part of the value that reaches pages beyond the posts' own data (hub_page_cache keys every
    # page by it); None: nothing does, or it reaches them through the posts it is attached to.
    on_pages: Callable[[T], object] | None = None


def plugin_names(plugins: Any) -> list[str]:
    """PLUGINS as names: a string as written, a module by its name."""
    return [item if isinstance(item, str) else getattr(item, "__name__", str(item)) for item in plugins or ()]


class BuildState:
    """One build's shared objects, each slot filled once by its producer."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings  # the build's own dict: its identity finds this state
        self.plugins = tuple(plugin_names(settings.get("PLUGINS")))
        self._values: dict[str, tuple[Slot[Any], object]] = {}
        self._at_end: list[Callable[[], None]] = []

    def put(self, slot: Slot[T], value: T) -> None:
        if slot.name in self._values:
            raise RuntimeError(f"{slot.producer} filled the build state's {slot.name} twice in one build")
        self._values[slot.name] = (slot, value)

    def get(self, slot: Slot[T]) -> T | None:
        """What the producer put there; None if it is not in PLUGINS, has not run yet, or made nothing."""
        found = self._values.get(slot.name)
        return cast(T, found[1]) if found is not None else None

    def need(self, slot: Slot[T], consumer: str) -> T:
        """What the producer put there; a ConfigurationError naming the order if it is missing."""
        if slot.name in self._values:
            return cast(T, self._values[slot.name][1])
        if slot.producer not in self.plugins:
            raise ConfigurationError(
                _("{consumer} needs the {producer} plugin before it in PLUGINS ({what}), found none").format(
                    consumer=consumer, producer=slot.producer, what=slot.what
                )
            )
        raise ConfigurationError(
            _(
                "{consumer} needs {what} from {producer}, which had not made it yet: put {producer} before it in PLUGINS"
            ).format(consumer=consumer, producer=slot.producer, what=slot.what)
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

    def page_inputs(self) -> dict[str, object]:
        """What of the state reaches pages beyond the posts (image variants, social cards, the feed and
        search pages; Slot.on_pages), by slot name: hub_page_cache keys pages by it."""
        return {
            name: slot.on_pages(value)
            for name, (slot, value) in sorted(self._values.items())
            if slot.on_pages is not None
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
        raise RuntimeError(
            "no Hub build is running with these settings (hub_core.build_tracking.track_builds not called)"
        )
    return state


def finished(pelican: Any) -> BuildState | None:
    """The state of the last build `pelican` ran (tests and tools looking at a finished build)."""
    return _FINISHED.get(pelican)
