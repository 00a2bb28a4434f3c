"""HUB_* settings: each declared once by its plugin (hub_<name>/options.py), judged together before the
build and by `invoke check`, and listed in the README's table as declared."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Site, valid_post
from hub_core.options import Derived
from hub_core.settings_check import SettingsInvalid, every_option

# HUB_* names that are not settings: environment variables, and a template context key.
NOT_SETTINGS = {
    "HUB_CRISIS_STOP": "environment (hub_review/freeze.py)",
    "HUB_CRISIS_SINCE": "environment (hub_review/freeze.py)",
    "HUB_CRISIS_ALLOW": "environment (hub_review/freeze.py)",
    "HUB_WORKERS": "environment (hub_content/loader.py, hub_stats/collect.py)",
    "HUB_HTTP_READ_TIMEOUT": "environment (tasks.py crosspost)",
    "HUB_DIALOGUE_SMTP_PASSWORD": "environment only, never a setting (hub_dialogue/options.py, invoke inbox-notify)",
    "HUB_RSYNC_DEST": "environment, named in HUB_DEPLOY's examples",
    "HUB_S3_ENDPOINT": "environment, named in HUB_DEPLOY's examples and by `invoke publish --to s3://`",
    "HUB_SITEURL": "environment (publishconf.py)",
    "HUB_FEED_LINKS": "hub_feeds' key in the template context, not a setting",
    "HUB_INBOX_SECRET": "environment: signs the writers' delete links (a secret, never a setting)",
    "HUB_INBOX_SETTINGS": "environment of the WSGI server: which settings file hub_dialogue.wsgi reads",
    "HUB_INBOX_BEHIND_PROXY": "environment of the WSGI server (hub_dialogue.wsgi)",
    "HUB_INBOX_DATABASE_PASSWORD": "environment: the PostgreSQL password (a secret, never a setting)",
}
NAME = re.compile(r"""["'](HUB_[A-Z0-9_]+)["']""")
ASSIGNED = re.compile(r"^(HUB_[A-Z0-9_]+)\s*[:=]", re.MULTILINE)
WRONG = {"HUB_STRICT": "ja", "HUB_IMAGE_QUALITY": "hoch"}  # two plugins: hub_content, hub_images
WRONG_LINES = [
    "HUB_STRICT: erwartet: True oder False; gefunden: str 'ja'",
    "HUB_IMAGE_QUALITY: erwartet: eine ganze Zahl von 1 bis 100; gefunden: str 'hoch'",
]


def declared() -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for plugin, options in every_option().items():
        for option in options:
            owners.setdefault(option.name, []).append(plugin)
    return owners


def test_every_hub_name_the_code_reads_is_declared_by_exactly_one_plugin() -> None:
    sources = [*sorted((ROOT / "plugins").rglob("*.py")), ROOT / "tasks.py"]
    read = {
        name: path.relative_to(ROOT).as_posix()
        for path in sources
        for name in NAME.findall(path.read_text(encoding="utf-8"))
        if name not in NOT_SETTINGS
    }
    for conf in ("pelicanconf.py", "publishconf.py"):
        read |= {name: conf for name in ASSIGNED.findall((ROOT / conf).read_text(encoding="utf-8"))}
    owners = declared()
    undeclared = sorted(f"{name} ({where})" for name, where in read.items() if name not in owners)
    assert not undeclared, f"read but declared in no plugin's options.py OPTIONS: {undeclared}"
    twice = {name: plugins for name, plugins in owners.items() if len(plugins) != 1}
    assert not twice, f"declared by more than one plugin: {twice}"
    assert not set(NOT_SETTINGS) & set(owners), "a name listed as no setting is declared"


def test_the_readme_lists_every_setting_as_declared() -> None:
    readme = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    missing = []
    for plugin, options in every_option().items():
        for option in options:
            default = option.default.shown if isinstance(option.default, Derived) else f"`{option.default!r}`"
            row = f"| `{option.name}` | {default} | {option.doc} | `{plugin}` |"
            if row not in readme.splitlines():
                missing.append(row)
    assert not missing, "docs/reference.md ## Settings: add or correct these rows:\n" + "\n".join(missing)


def test_wrong_values_of_two_plugins_stop_the_build_together_before_anything_is_written(site: Site) -> None:
    site.write("posts/a.md", valid_post())
    with pytest.raises(SettingsInvalid) as stopped:
        site.build(**WRONG)
    assert str(stopped.value).splitlines() == WRONG_LINES
    assert stopped.value.exitcode == 2
    assert not site.output.exists()


def test_a_typo_is_a_warning_naming_the_setting_meant(site: Site, log_warnings) -> None:
    site.write("posts/a.md", valid_post())
    site.build(HUB_IMAGE_WIDTH=(320, 640))
    [warning] = [r.getMessage() for r in log_warnings if "HUB_IMAGE_WIDTH" in r.getMessage()]
    assert warning == (
        "settings: HUB_IMAGE_WIDTH: keine Einstellung von Hub, wird ignoriert (Meinten Sie „HUB_IMAGE_WIDTHS“?)"
    )


def test_a_setting_of_a_plugin_not_in_plugins_is_no_typo(site: Site, log_warnings) -> None:
    site.write("posts/a.md", valid_post())
    site.build(HUB_DEPLOY={"target": "directory", "path": "public"})  # hub_publish: a library, never in PLUGINS
    assert not [r for r in log_warnings if "HUB_DEPLOY" in r.getMessage()]


# The real commands, as CI runs them


def project(site: Site) -> Path:
    """The site as a project folder like the repository, with the wrong settings in pelicanconf.py."""
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, site.root / name)
    for name in ("plugins", "themes"):
        (site.root / name).symlink_to(ROOT / name, target_is_directory=True)
    conf = site.root / "pelicanconf.py"
    wrong = "".join(f"{name} = {value!r}\n" for name, value in WRONG.items())
    conf.write_text(conf.read_text(encoding="utf-8") + "\n" + wrong + "HUB_IMAGE_WIDTH = (320,)\n", encoding="utf-8")
    return site.root


def invoke(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "COLUMNS", "PYTHONPATH")}
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(root), *args],
        capture_output=True,
        text=True,
        cwd=root,
        env={**environ, "CI": "true"},
        timeout=300,
    )


def test_invoke_build_and_check_report_the_same_problems_with_exit_2(site: Site) -> None:
    site.write("posts/a.md", valid_post())
    root = project(site)

    built = invoke(root, "build")
    assert built.returncode == 2, built.stdout + built.stderr
    assert "Traceback" not in built.stdout + built.stderr
    [error] = [line for line in built.stdout.splitlines() if line.startswith("ERROR")]
    assert error == "ERROR: " + " ".join(WRONG_LINES)
    assert (
        "WARNING: settings: HUB_IMAGE_WIDTH: keine Einstellung von Hub, wird ignoriert (Meinten Sie „HUB_IMAGE_WIDTHS“?)"
        in built.stdout
    )
    assert not (root / "output").exists()

    checked = invoke(root, "check")
    assert checked.returncode == 2, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    assert checked.stderr.splitlines() == [
        "warning: settings: HUB_IMAGE_WIDTH: keine Einstellung von Hub, wird ignoriert (Meinten Sie „HUB_IMAGE_WIDTHS“?)",
        *WRONG_LINES,
    ]


def test_the_settings_problems_are_english_when_the_settings_say_so(site: Site) -> None:
    site.write("posts/a.md", valid_post())
    root = project(site)
    conf = root / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + 'HUB_LANG = "en"\n', encoding="utf-8")

    checked = invoke(root, "check")

    assert checked.returncode == 2, checked.stdout + checked.stderr
    assert checked.stderr.splitlines() == [
        "warning: settings: HUB_IMAGE_WIDTH: not a Hub setting, ignored (did you mean 'HUB_IMAGE_WIDTHS'?)",
        "HUB_STRICT: expected True or False, found str 'ja'",
        "HUB_IMAGE_QUALITY: expected a whole number from 1 to 100, found str 'hoch'",
    ]
