"""The plugin order and the signal timeline (hub_core.timeline) and the build state (hub_core.state):
checked at start-up on real Pelican objects, and held against what the plugins really connect and fill."""

from __future__ import annotations

import importlib
import importlib.util
import weakref
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Site, valid_post
from hub_content.slots import SITE_CHECK
from hub_core import state
from hub_core.errors import ConfigurationError
from hub_core.timeline import BY_PLUGIN, MOMENTS, ORDER, TIMELINE, check_order, order_problems
from hub_images.slots import SOCIAL_CARDS
from pelican import Pelican
from pelican.plugins import signals
from test_build_log import CI_ENV, Project

from pelicanconf import PLUGINS

# Every slot the plugins declare (hub_<name>/slots.py).
SLOTS = [
    value
    for plugin in ORDER
    if importlib.util.find_spec(f"{plugin}.slots")
    for value in vars(importlib.import_module(f"{plugin}.slots")).values()
    if isinstance(value, state.Slot)
]
PELICAN_SIGNALS = {name: value for name, value in vars(signals).items() if hasattr(value, "receivers")}


def without(name: str) -> list[str]:
    return [plugin for plugin in PLUGINS if plugin != name]


def moved_before(name: str, before: str) -> list[str]:
    names = without(name)
    at = names.index(before)
    return [*names[:at], name, *names[at:]]


@pytest.fixture
def signals_as_they_were() -> Iterator[None]:
    """register() connects handlers that outlive the test: leave other tests' builds as their PLUGINS say."""
    before = {name: set(signal.receivers) for name, signal in PELICAN_SIGNALS.items()}
    yield
    for name, signal in PELICAN_SIGNALS.items():
        for key in set(signal.receivers) - before[name]:
            signal.disconnect(_handler(signal.receivers[key]))


def _handler(receiver: Any) -> Any:
    return receiver() if isinstance(receiver, weakref.ref) else receiver


def connected_by(plugin: str) -> Counter[tuple[str, str]]:
    """(signal, handler) for every receiver from `plugin`'s package, as Pelican's blinker signals hold them."""
    found: Counter[tuple[str, str]] = Counter()
    for name, signal in PELICAN_SIGNALS.items():
        for receiver in signal.receivers.values():
            handler = _handler(receiver)
            module = getattr(handler, "__module__", "") or ""
            if module == plugin or module.startswith(f"{plugin}."):
                found[(name, handler.__name__)] += 1
    return found


# The order, at start-up


def test_the_sample_order_is_the_timeline_and_passes() -> None:
    assert list(ORDER) == PLUGINS
    assert order_problems(PLUGINS) == []
    check_order(PLUGINS)


@pytest.mark.parametrize(
    ("plugins", "expected"),
    [
        (moved_before("hub_review", "hub_content"), "hub_review muss nach hub_content kommen"),
        (moved_before("hub_feeds", "hub_review"), "hub_feeds muss nach hub_review kommen"),
        (moved_before("hub_discovery", "hub_images"), "hub_discovery muss nach hub_images kommen"),
    ],
    ids=["review-before-content", "feeds-before-review", "discovery-before-images"],
)
def test_a_plugin_before_one_it_needs_stops_pelican_naming_the_order(
    site: Site, plugins: list[str], expected: str
) -> None:
    with pytest.raises(ConfigurationError) as stopped:
        Pelican(settings=site.settings(PLUGINS=plugins))
    message = str(stopped.value)
    assert message.startswith(f"PLUGINS: {expected}: "), message
    assert message.endswith(f"Erwartet wird diese Reihenfolge: {', '.join(ORDER)}")
    assert stopped.value.exitcode == 2
    assert not site.output.exists()


def test_a_missing_prerequisite_stops_pelican(site: Site) -> None:
    with pytest.raises(ConfigurationError) as stopped:
        Pelican(settings=site.settings(PLUGINS=["hub_review", "hub_theme"]))
    assert str(stopped.value) == (
        "PLUGINS: hub_review braucht hub_content davor; gefunden: kein hub_content."
        " Erwartet wird diese Reihenfolge: hub_content, hub_review, hub_theme"
    )


def test_other_plugins_and_optional_partners_are_not_judged() -> None:
    assert order_problems(["hub_feeds", "kaputt", "hub_theme"]) == []
    discovery_last = [*without("hub_discovery"), "hub_discovery"]
    assert order_problems(discovery_last) == []


def test_invoke_build_with_a_wrong_order_is_one_line_and_exit_2(tmp_path: Path) -> None:
    project = Project(tmp_path / "projekt")
    settings = project.root / "pelicanconf.py"
    order = ", ".join(f'"{name}"' for name in moved_before("hub_review", "hub_content"))
    settings.write_text(settings.read_text(encoding="utf-8") + f"\nPLUGINS = [{order}]\n", encoding="utf-8")

    result = project.invoke("build", **CI_ENV)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    [error] = [line for line in result.stdout.splitlines() if line.startswith("ERROR")]
    assert error.startswith("ERROR: PLUGINS: hub_review muss nach hub_content kommen: "), error


# The timeline against the code


@pytest.mark.parametrize("plugin", ORDER)
def test_the_timeline_lists_every_signal_a_plugin_connects(plugin: str, signals_as_they_were: None) -> None:
    module = importlib.import_module(plugin)
    module.register()
    assert connected_by(plugin) == Counter(BY_PLUGIN[plugin].connects)


def test_every_moment_of_the_timeline_is_one_of_pelicans() -> None:
    for step in TIMELINE:
        for signal, _ in step.connects:
            assert signal in PELICAN_SIGNALS and signal in MOMENTS, (step.plugin, signal)
        for use in (*step.produces, *step.consumes):
            assert use.moment in MOMENTS, (step.plugin, use)


def test_each_slot_has_one_producer_and_is_read_after_it_is_made() -> None:
    made = {use.slot: (step.plugin, use.moment) for step in TIMELINE for use in step.produces}
    assert sorted(made) == sorted(slot.name for slot in SLOTS)
    for slot in SLOTS:
        assert made[slot.name][0] == slot.producer, slot
    for step in TIMELINE:
        for use in step.consumes:
            producer, moment = made[use.slot]
            assert MOMENTS.index(use.moment) >= MOMENTS.index(moment), (step.plugin, use)
            if producer != step.plugin and use.moment == moment:
                assert producer in dict(step.after), (step.plugin, use)
        for earlier, _ in step.after:
            assert ORDER.index(earlier) < ORDER.index(step.plugin), (step.plugin, earlier)


def test_a_production_build_fills_every_slot_and_leaves_none_behind(site: Site, make_image: Any) -> None:
    make_image("images/hof.jpg")
    site.write(
        "posts/a.md",
        valid_post(image="{path: images/hof.jpg, alt: Der Hof, credit: 'Foto: Jana', license: Werksfoto}"),
    )
    site.approve("posts/a.md")
    settings = site.settings(True)
    pelican = Pelican(settings=settings)
    pelican.run()

    build = state.finished(pelican)
    assert build is not None and state.running(settings) is None
    assert build.filled() == frozenset(slot.name for slot in SLOTS)
    assert not any(name.startswith("HUB_") and name not in site.settings(True) for name in settings)

    pelican.run()  # a second run of the same Pelican (autoreload): a fresh state
    again = state.finished(pelican)
    assert again is not None and again is not build
    assert again.need(SITE_CHECK, "test") is not build.need(SITE_CHECK, "test")


def test_a_failed_build_ends_its_state(site: Site) -> None:
    site.write("posts/a.md", valid_post(authors="[jdo]"))
    settings = site.settings()
    pelican = Pelican(settings=settings)
    with pytest.raises(Exception, match="nichts wurde geschrieben; die bisherige Ausgabe bleibt unverändert"):
        pelican.run()
    assert state.running(settings) is None
    build = state.finished(pelican)
    assert build is not None and build.filled() == {"site_check"}  # the check stopped the build


# The build state on its own


def test_a_consumer_is_told_which_plugin_to_add_or_move() -> None:
    build = state.BuildState({"PLUGINS": ["hub_review"]})
    with pytest.raises(ConfigurationError, match=r"^review_gate: braucht das Plugin hub_content vor sich in PLUGINS"):
        build.need(SITE_CHECK, "review_gate:")
    build = state.BuildState({"PLUGINS": ["hub_review", "hub_content"]})
    with pytest.raises(ConfigurationError, match="Setzen Sie hub_content in PLUGINS davor"):
        build.need(SITE_CHECK, "review_gate:")
    assert build.get(SITE_CHECK) is None


def test_a_slot_is_filled_once() -> None:
    build = state.BuildState({})
    build.put(SOCIAL_CARDS, {})
    with pytest.raises(RuntimeError, match="twice"):
        build.put(SOCIAL_CARDS, {})
