"""The HUB_* settings judged together, before anything is built: by the build at start-up
(build_tracking) and by `invoke check`, over the same plugins, with the same messages.

Each Hub plugin in PLUGINS declares its settings in `hub_<name>/options.py` (OPTIONS, see
hub_core/options.py); it is found by name, as hub_core imports no plugin. Every wrong value stops
with one ConfigurationError (exit code 2) naming all of them, one line each; a HUB_* key that
no plugin declares is a warning naming the closest known setting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import state
from .errors import ConfigurationError
from .options import Option, problems, warnings
from .plugin_modules import declarations_of, hub_packages_with

OPTIONS_MODULE = "options"  # where a plugin declares its settings, as OPTIONS


class SettingsInvalid(ConfigurationError):
    """HUB_* settings with values their plugins refuse (every one, one line each)."""


def plugin_options(plugins: Any) -> dict[str, tuple[Option, ...]]:
    """The declarations of the Hub plugins in PLUGINS (as Pelican has it: names or modules), by plugin."""
    modules = declarations_of(state.plugin_names(plugins), OPTIONS_MODULE)
    return {plugin: tuple(module.OPTIONS) for plugin, module in modules.items()}


def every_option() -> dict[str, tuple[Option, ...]]:
    """The declarations of every installed Hub package, in PLUGINS or not (hub_publish never is)."""
    return plugin_options(hub_packages_with(OPTIONS_MODULE))


def check_settings(settings: Mapping[str, Any], warn: Callable[[str], None]) -> None:
    """Stop on every wrong value of the enabled plugins' settings; warn about HUB_* keys nobody declares."""
    enabled = [option for options in plugin_options(settings.get("PLUGINS")).values() for option in options]
    known: set[str] = {option.name for option in enabled}
    if any(key.startswith("HUB_") and key not in known for key in settings):
        # Only now every package: a setting of a plugin that is not enabled is no typo.
        known |= {option.name for options in every_option().values() for option in options}
    for warning in warnings(enabled, settings, known):
        warn(warning)
    found = problems(enabled, settings)
    if found:
        raise SettingsInvalid("\n".join(found))
