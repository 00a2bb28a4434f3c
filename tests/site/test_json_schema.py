"""The JSON Schemas in schemas/ (completion and red underlines in editors) agree with the checks.

The sample content and calendar validate; known mistakes are refused by the schema and by our
checks alike; and every key the checks declare is in the schema and the other way round, so the
schema cannot fall behind when a field is added to the code.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from hub_content.calendar import MEMBER_FIELDS, RIGHTS, ROOT_KEYS, parse_calendar, plugin_sections
from hub_content.fields import (
    APPROVAL_KEYS,
    IMAGE_KEYS,
    KEY_ALIASES,
    KNOWN_KEYS,
    SPONSORED_KEYS,
    CheckContext,
    check_document,
)
from hub_content.frontmatter_split import split_document
from hub_content.model import STATUSES
from hub_content.options import LANGUAGES
from hub_core.schema import Field
from hub_core.yamlsource import Entry, load_located
from hub_crosspost.channels import FIELDS as CHANNEL_FIELDS
from hub_crosspost.channels import VISIBILITIES, WEBHOOK_FORMATS
from hub_crosspost.platforms import CHANNEL_TYPES
from hub_dialogue.calendar_sections import DIALOGUE_FIELDS, ROUTE_FIELDS
from hub_review.calendar_sections import (
    APPROVAL_FIELDS,
    CADENCE_FIELDS,
    CATEGORY_RULE_FIELDS,
    FREEZE_FIELDS,
    SLOT_FIELDS,
    WEEKDAY_NAMES,
    WEEKDAYS,
)
from hub_stats.calendar_sections import DEPARTMENT_FIELDS, KPI_FIELDS, TARGET_FIELDS
from jsonschema import Draft7Validator

SCHEMAS = ROOT / "schemas"
FRONT_MATTER = json.loads((SCHEMAS / "front-matter.schema.json").read_text(encoding="utf-8"))
CALENDAR = json.loads((SCHEMAS / "editorial-calendar.schema.json").read_text(encoding="utf-8"))
CALENDAR_FILE = ROOT / "editorial_calendar.yaml"
SAMPLE_FILES = sorted((ROOT / "content" / "posts").rglob("*.md")) + sorted((ROOT / "content" / "pages").rglob("*.md"))


def as_editor_reads(entry: Entry) -> Any:
    """The YAML as the editor's language server reads it (YAML 1.2): a date stays the text written."""
    if entry.children:
        return {key: as_editor_reads(child) for key, child in entry.children.items()}
    if entry.items:
        return [as_editor_reads(item) for item in entry.items]
    return entry.raw if isinstance(entry.value, date) else entry.value


def front_matter(text: str, path: str = "content/posts/x.md") -> dict[str, Any]:
    document = split_document(text, path)
    assert not document.findings, document.findings
    return {key: as_editor_reads(entry) for key, entry in document.fields.items()}


def calendar_data(text: str) -> Any:
    loaded = load_located(text, path="editorial_calendar.yaml")
    assert loaded.root is not None and not loaded.findings
    return as_editor_reads(loaded.root)


def schema_errors(schema: dict[str, Any], data: Any) -> list[str]:
    return [error.message for error in Draft7Validator(schema).iter_errors(data)]


def test_the_schemas_are_valid_json_schemas() -> None:
    Draft7Validator.check_schema(FRONT_MATTER)
    Draft7Validator.check_schema(CALENDAR)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_sample_front_matter_validates(path: Path) -> None:
    fields = front_matter(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert schema_errors(FRONT_MATTER, fields) == []


def test_the_sample_calendar_validates() -> None:
    assert schema_errors(CALENDAR, calendar_data(CALENDAR_FILE.read_text(encoding="utf-8"))) == []


# Known mistakes: the schema underlines them, and the checks report them.

POST = """---
title: "Prüfstand: so geht es"
date: 2026-11-18 09:00 +01:00
authors: [jweber]
{extra}
---
Text.
"""


def calendar_for_checks(tmp_path: Path) -> CheckContext:
    calendar, _ = parse_calendar(
        CALENDAR_FILE.read_text(encoding="utf-8"), display_path="editorial_calendar.yaml", content_root=tmp_path
    )
    return CheckContext(content_root=tmp_path, calendar=calendar)


@pytest.mark.parametrize(
    ("extra", "field", "check"),
    [
        ("status: publshed", "status", "type"),
        ("catgory: Technik & Labor", "catgory", "key-typo"),
        ("subtitle: Ein eigener Schlüssel", "subtitle", "unknown-key"),
        ("lang: fr", "lang", "unknown-language"),
        ("slug: ../ausbruch", "slug", "unsafe-path"),
        ("image:\n  path: images/x.jpg\n  shows_people: ja", "image.shows_people", "type"),
        ("approvals:\n  - by: sroth\n    at: 2026-11-17 10:00 +01:00", "approvals[0].fingerprint", "required"),
        ("canonical_url: www.example.com/post", "canonical_url", "canonical-url"),
    ],
)
def test_a_bad_front_matter_is_refused_by_schema_and_checks(tmp_path: Path, extra: str, field: str, check: str) -> None:
    text = POST.format(extra=extra)
    assert schema_errors(FRONT_MATTER, front_matter(text)) != []
    _, findings = check_document(split_document(text, "content/posts/x.md"), "article", calendar_for_checks(tmp_path))
    assert (field, check) in {(f.field, f.check) for f in findings}


def test_the_good_post_used_above_passes_both(tmp_path: Path) -> None:
    text = POST.format(extra="status: published")
    assert schema_errors(FRONT_MATTER, front_matter(text)) == []
    _, findings = check_document(split_document(text, "content/posts/x.md"), "article", calendar_for_checks(tmp_path))
    assert [f for f in findings if f.level.name == "ERROR"] == []


def test_a_page_needs_only_a_title_in_both(tmp_path: Path) -> None:
    """The schema serves posts and pages, so it asks only for what both need; the checks ask posts for more."""
    text = "---\ntitle: Impressum\n---\nText.\n"
    assert schema_errors(FRONT_MATTER, front_matter(text)) == []
    _, findings = check_document(split_document(text, "content/pages/x.md"), "page", calendar_for_checks(tmp_path))
    assert findings == []


CALENDAR_HEAD = "timezone: Europe/Berlin\n"
MEMBER = "team:\n  - id: jweber\n    name: Jonas Weber\n    role: Azubi\n    rights: [author]\n"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("team:\n  - id: jweber\n    name: Jonas Weber\n    role: Azubi\n", "team[0].rights"),
        ("team:\n  - id: jweber\n    name: Jonas Weber\n    role: Azubi\n    rights: [chef]\n", "team[0].rights"),
        ("team:\n  - id: J Weber\n    name: Jonas Weber\n    role: Azubi\n    rights: [author]\n", "team[0].id"),
        (MEMBER + "cadence:\n  weekdays: [montag]\n", "cadence.weekdays"),
        (MEMBER + "cadence:\n  max_posts_per_day: 0\n", "cadence.max_posts_per_day"),
        (MEMBER + "plan:\n  - id: w1\n    topic: Thema\n", "plan[0].due"),
        (MEMBER + "freeze:\n  - from: 2026-12-23\n", "freeze[0].reason"),
        (
            MEMBER + "channels:\n  m:\n    type: mastodon\n    instance: https://s.example\n    token_env: T\n",
            "channels.m.since",
        ),
        (MEMBER + "channels:\n  m:\n    type: feed\n    token: geheim\n", "channels.m.token"),
        (MEMBER + "channels:\n  m:\n    type: facebook\n", "channels.m.type"),
        (MEMBER + "channels:\n  m:\n    type: webhook\n    url_env: HOOK\n    format: slack2\n", "channels.m.format"),
        (MEMBER + "cadance:\n  min_posts_per_week: 2\n", "cadance"),
        (MEMBER + "dialogue:\n  respond_within: 8 Stunden\n", "dialogue.respond_within"),
        (MEMBER + "dialogue:\n  routes:\n    - {categories: [Produkte]}\n", "dialogue.routes[0].to"),
        (MEMBER + "kpi:\n  targets:\n    answered_in_time: neunzig\n", "kpi.targets.answered_in_time"),
        (MEMBER + "kpi:\n  departments:\n    - {name: PM, categories: [Technik]}\n", "kpi.departments[0].to"),
    ],
)
def test_a_bad_calendar_is_refused_by_schema_and_checks(tmp_path: Path, text: str, field: str) -> None:
    assert schema_errors(CALENDAR, calendar_data(CALENDAR_HEAD + text)) != []
    _, findings = parse_calendar(CALENDAR_HEAD + text, display_path="editorial_calendar.yaml", content_root=tmp_path)
    assert field in {f.field for f in findings}, findings


# Drift: the schema lists exactly the keys and values the checks know.


def properties(schema: dict[str, Any]) -> set[str]:
    return set(schema["properties"])


def names(fields: tuple[Field[Any], ...]) -> set[str]:
    return {f.name for f in fields}


def required(fields: tuple[Field[Any], ...]) -> set[str]:
    return {f.name for f in fields if f.required}


def enum_of(schema: dict[str, Any]) -> set[str]:
    """The values of an enum, also where the schema takes one of them alone or a list of them."""
    if "enum" in schema:
        return set(schema["enum"])
    return set().union(*(enum_of(choice.get("items", choice)) for choice in schema["anyOf"]))


def object_in(schema: dict[str, Any]) -> dict[str, Any]:
    """The map form of a value that may also be written otherwise (sponsored: true)."""
    return next(choice for choice in schema.get("anyOf", [schema]) if choice.get("type") == "object")


def test_front_matter_keys_match_the_checks() -> None:
    fields = FRONT_MATTER["properties"]
    assert properties(FRONT_MATTER) == set(KNOWN_KEYS) | set(KEY_ALIASES)
    assert properties(fields["image"]) == set(IMAGE_KEYS)
    assert properties(object_in(fields["sponsored"])) == set(SPONSORED_KEYS)
    assert properties(fields["approvals"]["items"]) == set(APPROVAL_KEYS)
    assert set(fields["approvals"]["items"]["required"]) == set(APPROVAL_KEYS)


def test_front_matter_values_match_the_checks() -> None:
    fields = FRONT_MATTER["properties"]
    assert enum_of(fields["status"]) == set(STATUSES)
    assert enum_of(fields["lang"]) == set(LANGUAGES.default)


def test_calendar_keys_match_the_sections_the_plugins_declare() -> None:
    assert properties(CALENDAR) == set(ROOT_KEYS) | {section.key for section in plugin_sections()}


@pytest.mark.parametrize(
    ("pointer", "fields"),
    [
        ("team/items", MEMBER_FIELDS),
        ("cadence", CADENCE_FIELDS),
        ("approval", APPROVAL_FIELDS),
        ("approval/properties/categories/additionalProperties", CATEGORY_RULE_FIELDS),
        ("plan/items", SLOT_FIELDS),
        ("freeze/items", FREEZE_FIELDS),
        ("dialogue", DIALOGUE_FIELDS),
        ("dialogue/properties/routes/items", ROUTE_FIELDS),
        ("kpi", KPI_FIELDS),
        ("kpi/properties/targets", TARGET_FIELDS),
        ("kpi/properties/departments/items", DEPARTMENT_FIELDS),
    ],
)
def test_calendar_fields_match_their_declarations(pointer: str, fields: tuple[Field[Any], ...]) -> None:
    schema: dict[str, Any] = CALENDAR["properties"]
    for part in pointer.split("/"):
        schema = schema[part]
    assert properties(schema) == names(fields)
    assert set(schema.get("required", ())) == required(fields)


@pytest.mark.parametrize("kind", CHANNEL_TYPES)
def test_each_channel_type_takes_the_fields_its_platform_declares(kind: str) -> None:
    schema = CALENDAR["definitions"][f"channel-{kind}"]
    assert properties(schema) == names(CHANNEL_FIELDS[kind])
    assert set(schema["required"]) == required(CHANNEL_FIELDS[kind])
    assert schema["additionalProperties"] is False


def test_calendar_values_match_the_checks() -> None:
    fields = CALENDAR["properties"]
    platform = CALENDAR["definitions"]["platform"]["properties"]
    assert enum_of(fields["team"]["items"]["properties"]["rights"]) == set(RIGHTS)
    assert enum_of(fields["cadence"]["properties"]["weekdays"]) == set(WEEKDAYS + WEEKDAY_NAMES)
    assert enum_of(fields["channels"]["additionalProperties"]["properties"]["type"]) == set(CHANNEL_TYPES)
    assert enum_of(platform["format"]) == set(WEBHOOK_FORMATS)
    assert enum_of(platform["visibility"]) == set(VISIBILITIES)
    assert set(CALENDAR["definitions"]) - {"common", "platform"} == {f"channel-{kind}" for kind in CHANNEL_TYPES}


def test_every_description_is_german_help_text() -> None:
    """Each key shows a hover text in the editor; an empty one would show nothing."""

    def walk(schema: Any, where: str) -> list[str]:
        missing = []
        if isinstance(schema, dict):
            for key, child in schema.get("properties", {}).items():
                if not (isinstance(child, dict) and (child.get("description") or "$ref" in child or "const" in child)):
                    missing.append(f"{where}.{key}")
            for key, child in schema.items():
                missing += walk(child, f"{where}.{key}")
        elif isinstance(schema, list):
            for index, child in enumerate(schema):
                missing += walk(child, f"{where}[{index}]")
        return missing

    assert walk(FRONT_MATTER, "front-matter") == []
    assert walk(CALENDAR, "calendar") == []


def test_vscode_maps_the_calendar_to_its_schema_and_recommends_the_yaml_extension() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/editorial-calendar.schema.json"] == "editorial_calendar.yaml"
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
