"""The small exception tree every part of Hub raises (after MkDocs' exceptions.py).

Caught once at the top (hub_core.build_log for `pelican`, tasks.py for the invoke tasks) and
printed as one line without a traceback; Pelican exits with the exception's `exitcode`.
"""

from __future__ import annotations

from .i18n import translator

_, ngettext = translator("hub_core")


class HubError(Exception):
    """Anything Hub stops for on purpose, with a message meant for the person running it."""

    exitcode = 1
    # What an invoke task prints before the message ("configuration: ..."); the build log prints it alone.
    topic = ""


class ConfigurationError(HubError):
    """A setting in pelicanconf.py/publishconf.py or a section of editorial_calendar.yaml is wrong."""

    exitcode = 2


class BuildStopped(HubError):
    """The build stopped before writing anything: content, images or the search index failed."""

    exitcode = 1


def nothing_written(reason: str) -> str:
    """The last line of a build a step stopped: why, and that the output folder is as it was."""
    return _("{reason}; nothing was written").format(reason=reason)
