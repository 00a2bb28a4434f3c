"""The team in editorial_calendar.yaml: validated like front matter."""

from __future__ import annotations

from pathlib import Path

from hub_content.calendar import load_calendar, parse_calendar


def parse(text: str, tmp_path: Path):
    return parse_calendar(text, display_path="editorial_calendar.yaml", content_root=tmp_path)


def test_team_members_and_rights(tmp_path: Path) -> None:
    calendar, findings = parse(
        "timezone: Europe/Vienna\nteam:\n  - id: a\n    name: Anna A\n    role: Chefin\n    rights: [author, editor]\n"
        "    approves: [Finanzen]\n  - id: b\n    name: Ben B\n    role: Azubi\n    rights: [author]\n",
        tmp_path,
    )
    assert findings == []
    assert calendar.timezone.key == "Europe/Vienna"
    assert calendar.team["a"].may_approve("Finanzen") and not calendar.team["a"].may_approve("Technik")
    assert not calendar.team["b"].may_approve("Finanzen") and calendar.team["b"].is_author


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        "timezone: Europe/Berlln\n"  # 1
        "teams: []\n"  # 2
        "team:\n"  # 3
        "  - id: Anna A\n"  # 4
        "    name: Anna\n"  # 5
        "    rights: [author, boss]\n"  # 6
        "  - id: ben\n"  # 7
        "    name: Ben\n"  # 8
        "    role: Azubi\n"  # 9
        "    rights: [author]\n"  # 10
        "    approves: all\n"  # 11
        "    emial: ben@example.com\n"  # 12
        "  - id: ben\n"  # 13
        "    name: Ben 2\n"  # 14
        "    role: Azubi\n"  # 15
        "    rights: [author]\n"  # 16
    )
    _, findings = parse(text, tmp_path)
    got = {(f.line, f.field, f.check) for f in findings}
    assert got == {
        (1, "timezone", "calendar"),
        (2, "teams", "unknown-key"),
        (4, "team[0].id", "calendar"),
        (4, "team[0].role", "calendar"),
        (6, "team[0].rights", "calendar"),
        (11, "team[1].approves", "calendar"),
        (12, "team[1].emial", "unknown-key"),
        (13, "team[2].id", "calendar"),
    }
    emial = next(f for f in findings if f.field.endswith("emial"))
    assert "(Meinten Sie „email“?)" in emial.message


def test_broken_yaml_and_missing_file(tmp_path: Path) -> None:
    _, findings = parse("team:\n  - id: a\n   name: x\n", tmp_path)
    assert [f.check for f in findings] == ["yaml-syntax"] and findings[0].line == 3
    _, findings = load_calendar(tmp_path / "nope.yaml", display_path="nope.yaml", content_root=tmp_path)
    assert [f.check for f in findings] == ["calendar"] and "gefunden: keine Datei" in findings[0].message


def test_photo_must_exist(tmp_path: Path) -> None:
    _, findings = parse(
        "team:\n  - id: a\n    name: A\n    role: R\n    rights: [author]\n    photo: images/a.jpg\n", tmp_path
    )
    assert [(f.line, f.check) for f in findings] == [(6, "image-missing")]
