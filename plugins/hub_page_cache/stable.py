"""Stable digests of template inputs: equal data gives equal bytes in every build and process.

Anything whose identity would leak into the digest (a default `repr` with a memory address, a
cycle) raises `Unstable`: the page is then rendered as usual instead of being taken from the cache,
never served from a key that cannot be trusted.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import inspect
import os
import types
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

# Returns the digest of an object it knows (a post, a category, ...) or None for "not mine".
Special = Callable[[Any], "bytes | None"]
MAX_DEPTH = 40


class Unstable(Exception):
    """A value has no representation that is the same in the next build."""


def digest(value: Any, special: Special | None = None) -> bytes:
    parts: list[str] = []
    _feed(parts, value, special, 0, set())
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).digest()


def _feed(parts: list[str], value: Any, special: Special | None, depth: int, active: set[int]) -> None:
    if depth > MAX_DEPTH:
        raise Unstable("nested too deeply")
    # The exact types that make up most of a site's data first: a million calls per large build.
    kind = type(value)
    if kind is str:
        parts.append("s" + value)
        return
    if kind is int or kind is bool or value is None:
        parts.append(repr(value))
        return
    if kind is list or kind is tuple or kind is dict:
        _feed_guarded(parts, value, special, depth, active)
        return
    if value is None or isinstance(value, bool | int | float):
        parts.append(repr(value))
        return
    if isinstance(value, str):  # also Markup
        parts.append("s" + value)
        return
    if isinstance(value, bytes):
        parts.append("b" + value.hex())
        return
    if isinstance(value, datetime | date | time):
        parts.append(f"t{type(value).__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}")
        return
    if isinstance(value, PurePath):
        parts.append("p" + value.as_posix())
        return
    if isinstance(value, enum.Enum):
        parts.append(f"e{type(value).__qualname__}.{value.name}")
        return
    if special is not None:
        known = special(value)
        if known is not None:
            parts.append("x" + known.hex())
            return
    if callable(value) and not dataclasses.is_dataclass(value):
        _feed_callable(parts, value, special, depth, active)
        return
    _feed_guarded(parts, value, special, depth, active)


def _feed_guarded(parts: list[str], value: Any, special: Special | None, depth: int, active: set[int]) -> None:
    """A value that holds others, refused if it holds itself."""
    if id(value) in active:
        raise Unstable(f"a cycle through {type(value).__name__}")
    active.add(id(value))
    try:
        _feed_container(parts, value, special, depth, active)
    finally:
        active.discard(id(value))


def _feed_callable(parts: list[str], value: Any, special: Special | None, depth: int, active: set[int]) -> None:
    """A function, method or class: by name and the source file it comes from (a filter written in
    pelicanconf.py changes with that file), plus what a closure or a bound method holds."""
    function = getattr(value, "__func__", value)
    name = getattr(function, "__qualname__", type(value).__qualname__)
    parts.append(f"f{getattr(function, '__module__', '')}.{name}@{_source_digest(function)}")
    cells = getattr(function, "__closure__", None) or ()
    held = [cell.cell_contents for cell in cells]
    bound = getattr(value, "__self__", None)
    if bound is not None and not isinstance(bound, types.ModuleType):
        held.append(bound)
    if held:
        _feed(parts, held, special, depth + 1, active)


def _source_digest(function: Any) -> str:
    try:
        source = inspect.getsourcefile(function)
    except TypeError:  # built in: its behaviour comes with the Python version
        return ""
    if not source:
        return ""
    try:
        status = os.stat(source)
    except OSError:
        return ""
    return _file_digest(source, status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=256)
def _file_digest(path: str, _mtime_ns: int, _size: int) -> str:
    """Remembered while the file's time and size stay (builds in one process: tests, autoreload)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:16]
    except OSError:
        return ""


def _feed_container(parts: list[str], value: Any, special: Special | None, depth: int, active: set[int]) -> None:
    # Text, the most common item and key, is fed here without a call per item: what _feed and
    # _single would give it, in a fraction of the time (hundreds of thousands of items per build).
    text_here = depth < MAX_DEPTH  # deeper, _feed refuses even text
    if isinstance(value, list | tuple):
        parts.append(f"[{len(value)}")
        for item in value:
            if text_here and type(item) is str:
                parts.append("s" + item)
            else:
                _feed(parts, item, special, depth + 1, active)
        parts.append("]")
    elif isinstance(value, Mapping):
        items = [
            ("s" + key if text_here and type(key) is str else _single(key, special, depth, active), item)
            for key, item in value.items()
        ]
        parts.append(f"{{{len(items)}")
        items.sort(key=_first)
        for key, item in items:
            parts.append(key)
            if text_here and type(item) is str:
                parts.append("s" + item)
            else:
                _feed(parts, item, special, depth + 1, active)
        parts.append("}")
    elif isinstance(value, set | frozenset):
        parts.append(f"<{len(value)}")
        parts.extend(sorted(_single(item, special, depth, active) for item in value))
        parts.append(">")
    elif dataclasses.is_dataclass(value):
        parts.append(f"d{type(value).__qualname__}")
        for field in dataclasses.fields(value):
            parts.append(field.name)
            _feed(parts, getattr(value, field.name), special, depth + 1, active)
    elif isinstance(getattr(value, "__dict__", None), dict) and not isinstance(value, type):
        # A plain object: what it does is in the code digest, what it holds is here.
        parts.append(f"o{type(value).__module__}.{type(value).__qualname__}")
        _feed(parts, vars(value), special, depth + 1, active)
    else:
        text = repr(value)
        if " at 0x" in text or text.startswith("<"):
            raise Unstable(f"{type(value).__qualname__} has no stable representation")
        parts.append(f"r{type(value).__qualname__}:{text}")


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


def _single(value: Any, special: Special | None, depth: int, active: set[int]) -> str:
    parts: list[str] = []
    _feed(parts, value, special, depth + 1, active)
    return "\x1e".join(parts)
