"""HUB_DEPLOY in publishconf.py → the target a deploy goes to.

    HUB_DEPLOY = {"target": "s3", "bucket": "blog-example", "prefix": "",
                  "region": "eu-central-1", "endpoint_url_env": "HUB_S3_ENDPOINT"}
    HUB_DEPLOY = {"target": "rsync", "destination_env": "HUB_RSYNC_DEST"}
    HUB_DEPLOY = {"target": "directory", "path": "public"}

Without HUB_DEPLOY the site goes to the folder deploy/ beside the project. Any value
that differs between environments can instead be named by an environment variable:
"<key>_env" holds the variable's name. Secrets never: S3 credentials are
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN in the environment, and
rsync authenticates with the CI job's SSH key. Every problem is collected before one
error is raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hub_core.i18n import N_, translator
from hub_core.suggest import did_you_mean

from .deploy import Target
from .directory import DirectoryTarget
from .errors import DeployConfigError
from .rsync import RsyncTarget
from .s3 import S3Target

_, ngettext = translator("hub_publish")

SETTING = "HUB_DEPLOY"
DEFAULT_FOLDER = "deploy"
TARGETS = ("s3", "rsync", "directory")
FIELDS: dict[str, tuple[str, ...]] = {
    "s3": ("bucket", "prefix", "region", "endpoint_url"),
    "rsync": ("destination",),
    "directory": ("path",),
}
REQUIRED = {"s3": "bucket", "rsync": "destination", "directory": "path"}
# A key containing one of these would put a secret into the repository.
SECRET_WORDS = ("secret", "password", "token", "access_key", "credential")
SECRETS_GO = {
    "s3": N_(
        "S3 credentials belong in the environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY "
        "and AWS_SESSION_TOKEN"
    ),
    "rsync": N_("rsync authenticates with the SSH key or agent of the job that deploys"),
    "directory": N_("a folder target needs none"),
}
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
# S3's rules for bucket names, which MinIO, Ceph and R2 follow too.
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
REGION = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True)
class Given:
    value: str
    key: str  # the key it came from: "bucket" or "bucket_env"
    shown: str  # how an error message quotes it: a value from the environment is not echoed


def target_from_settings(
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    base: Path | None = None,
    source: str = "publishconf.py",
) -> Target:
    """The target HUB_DEPLOY describes; relative folder paths count from `base` (the project;
    by default the current folder). Raises DeployConfigError listing every problem."""
    base = Path.cwd() if base is None else base
    config = settings.get(SETTING)  # None: the declared default (options.py)
    if config is None:
        return DirectoryTarget(base / DEFAULT_FOLDER)
    kind, given, problems = _judge(config, environ, source)
    if problems:
        raise DeployConfigError("\n".join(problems))

    values = {field: item.value for field, item in given.items()}
    if kind == "s3":
        return S3Target(
            values["bucket"],
            prefix=values.get("prefix", ""),
            endpoint_url=values.get("endpoint_url"),
            region=values.get("region"),
            environ=environ,
        )
    if kind == "rsync":
        return RsyncTarget(values["destination"])
    return DirectoryTarget(base / values["path"])


def config_problems(config: Any) -> list[str]:
    """What is wrong with HUB_DEPLOY itself, judged with every other setting (hub_publish/options.py):
    the environment variables it names are known only where the deploy runs, so only their names are."""
    return [] if config is None else _judge(config, None, "")[2]


def _judge(config: Any, environ: Mapping[str, str] | None, source: str) -> tuple[str, dict[str, Given], list[str]]:
    """(target kind, the values given, every problem) of HUB_DEPLOY; environ None: not known here."""
    problems: list[str] = []

    def bad(key: str, message: str) -> None:
        problems.append(f"{source + ': ' if source else ''}{SETTING}{'.' + key if key else ''}: {message}")

    if not isinstance(config, Mapping):
        bad(
            "",
            _("expected a dict such as {{'target': 'directory', 'path': 'public'}}, found {found}").format(
                found=_describe(config)
            ),
        )
        return "", {}, problems
    kind = config.get("target")
    if kind not in TARGETS:
        found = _("the key missing") if "target" not in config else _quote(kind)
        bad(
            "target",
            _("expected one of {targets}{hint}, found {found}").format(
                targets=", ".join(TARGETS), hint=did_you_mean(str(kind), TARGETS), found=found
            ),
        )
        return "", {}, problems

    fields = FIELDS[kind]
    known = ("target", *fields, *(f"{field}_env" for field in fields))
    for key in config:
        name = str(key)
        if not name.endswith("_env") and any(word in name.lower() for word in SECRET_WORDS):
            # The value is never repeated: it is a secret that must now be revoked.
            bad(
                name,
                _("expected no secret in the settings ({where}), found the key '{key}'").format(
                    where=_(SECRETS_GO[kind]), key=name
                ),
            )
        elif name not in known:
            bad(
                name,
                _("unknown key{hint} for a {kind} target; known keys: {known}").format(
                    hint=did_you_mean(name, known), kind=kind, known=", ".join(known)
                ),
            )

    given: dict[str, Given] = {}
    for field in fields:
        item = _read(field, config, environ, bad)
        if item is not None:
            given[field] = item
        elif field == REQUIRED[kind] and field not in config and f"{field}_env" not in config:
            bad(field, _("expected '{field}' or '{env}', found neither").format(field=field, env=f"{field}_env"))
    for field, item in given.items():
        expected = CHECKS[field](item.value)
        if expected:
            bad(item.key, _("expected {expected}, found {found}").format(expected=expected, found=item.shown))
    return str(kind), given, problems


def _read(
    field: str, config: Mapping[str, Any], environ: Mapping[str, str] | None, bad: Callable[[str, str], None]
) -> Given | None:
    """The value of `field`, given directly or through the variable named in `<field>_env`."""
    env_key = f"{field}_env"
    if field in config and env_key in config:
        bad(field, _("expected either '{field}' or '{env}', found both").format(field=field, env=env_key))
        return None
    if env_key in config:
        variable = config[env_key]
        if not isinstance(variable, str) or not ENV_NAME.match(variable):
            bad(
                env_key,
                _("expected the name of an environment variable such as HUB_DEPLOY_BUCKET, found {found}").format(
                    found=_describe(variable)
                ),
            )
            return None
        if environ is None:
            return None
        value = environ.get(variable, "").strip()
        if not value:
            bad(
                env_key,
                _("expected the environment variable {variable} to be set, found it unset or empty").format(
                    variable=variable
                ),
            )
            return None
        return Given(value, env_key, _("the value of {variable}").format(variable=variable))
    if field in config:
        value = config[field]
        if not isinstance(value, str):
            bad(field, _("expected text, found {found}").format(found=_describe(value)))
            return None
        return Given(value.strip(), field, _quote(value))
    return None


def _bucket(value: str) -> str | None:
    return None if BUCKET_NAME.match(value) else _("a bucket name of 3 to 63 lower-case letters, digits, '.' and '-'")


def _prefix(value: str) -> str | None:
    inner = value.strip("/")
    if inner and any(part in ("", ".", "..") for part in inner.split("/")):
        return _("a folder inside the bucket such as 'blog' (or '' for all of it)")
    return None


def _region(value: str) -> str | None:
    return None if REGION.match(value) else _("a region such as eu-central-1")


def _endpoint_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return _("an http(s):// address such as https://s3.example.com")
    if parts.username or parts.password:
        return _("an address without user or password (S3 credentials belong in the environment)")
    return None


def _destination(value: str) -> str | None:
    folder = value.rstrip("/")
    if value.startswith("-") or folder in ("", "~", ".") or folder.endswith(":"):
        return _("the site's own folder such as user@host:/var/www/blog (everything else there is deleted)")
    return None


def _path(value: str) -> str | None:
    return _("a folder such as 'public'") if value.strip("/") in ("", ".") else None


CHECKS: dict[str, Callable[[str], str | None]] = {
    "bucket": _bucket,
    "prefix": _prefix,
    "region": _region,
    "endpoint_url": _endpoint_url,
    "destination": _destination,
    "path": _path,
}


def _quote(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else _describe(value)


def _describe(value: object) -> str:
    return _("nothing") if value is None else f"{type(value).__name__} {value!r}"
