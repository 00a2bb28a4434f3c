"""Generate a realistic site of N posts for benchmarks: team, calendar, categories, tags, bodies.

Deterministic (seeded), so runs are comparable. Posts are spread over the
weeks before `end`, two or three per week as the guidance asks.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
CATEGORIES = ["Technik & Labor", "Ausbildung & Karriere", "Unternehmen", "Nachhaltigkeit", "Messen & Events"]
TAGS = [
    "Prüflabor",
    "Getriebe",
    "Energieeffizienz",
    "Ausbildung",
    "Messe",
    "Nachhaltigkeit",
    "Lüdenscheid",
    "Fertigung",
    "Qualität",
    "Digitalisierung",
    "Service",
    "Karriere",
    "Familienunternehmen",
    "Export",
]
WORDS = [
    "Antrieb",
    "Getriebe",
    "Motor",
    "Prüfstand",
    "Messung",
    "Drehmoment",
    "Wirkungsgrad",
    "Lebensdauer",
    "Kunde",
    "Projekt",
    "Team",
    "Ausbildung",
    "Fertigung",
    "Qualität",
    "Energie",
    "Nachhaltigkeit",
    "Standort",
    "Entwicklung",
    "Versuch",
    "Ergebnis",
    "Serie",
    "und",
    "der",
    "die",
    "das",
    "mit",
    "für",
    "auf",
    "im",
    "bei",
    "nach",
    "über",
    "unter",
    "zwischen",
    "wir",
    "unsere",
    "haben",
    "werden",
    "können",
]
TEAM = [
    ("ared", "Anna Red", ["author", "editor"], "all"),
    ("bblau", "Bernd Blau", ["author", "editor"], ["Technik & Labor", "Unternehmen"]),
    ("cgruen", "Clara Grün", ["author"], None),
    ("dgelb", "David Gelb", ["author", "editor"], ["Ausbildung & Karriere", "Nachhaltigkeit"]),
    ("eweiss", "Eva Weiß", ["author"], None),
    ("fschwarz", "Felix Schwarz", ["author", "editor"], ["Messen & Events"]),
]

LEGAL = {
    "pages/impressum.md": "---\ntitle: Impressum\nslug: impressum\n---\nBenchmark GmbH, Musterstraße 1, 12345 Musterstadt.\n",
    "pages/datenschutz.md": "---\ntitle: Datenschutzerklärung\nslug: datenschutz\n---\nKeine Cookies, keine Tracker.\n",
}


def calendar_yaml() -> str:
    lines = ["timezone: Europe/Berlin", "team:"]
    for member_id, name, rights, approves in TEAM:
        lines += [
            f"  - id: {member_id}",
            f"    name: {name}",
            "    role: Redaktion",
            f"    rights: [{', '.join(rights)}]",
        ]
        if approves == "all":
            lines.append("    approves: all")
        elif approves:
            lines.append("    approves: [" + ", ".join(f'"{c}"' for c in approves) + "]")
    return "\n".join(lines) + "\n"


def body(rng: random.Random) -> str:
    paragraphs = []
    for section in range(rng.randint(3, 6)):
        if section:
            paragraphs.append("## " + " ".join(rng.choices(WORDS, k=4)).capitalize())
        for _ in range(rng.randint(1, 3)):
            paragraphs.append(" ".join(rng.choices(WORDS, k=rng.randint(60, 120))).capitalize() + ".")
    return "\n\n".join(paragraphs) + "\n"


def generate(root: Path, posts: int, *, end: datetime | None = None, seed: int = 1) -> Path:
    """Write content/ and editorial_calendar.yaml under `root`; return the content folder."""
    rng = random.Random(seed)
    end = end or datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN)
    content = root / "content"
    for relative, text in LEGAL.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(text, encoding="utf-8")
    (root / "editorial_calendar.yaml").write_text(calendar_yaml(), encoding="utf-8")
    authors = [m for m in TEAM if "author" in m[2]]
    when = end
    for number in range(posts):
        # Two or three posts a week, working days, mornings.
        when -= timedelta(days=rng.choice((2, 3, 3, 4)))
        while when.weekday() > 4:
            when -= timedelta(days=1)
        author = rng.choice(authors)[0]
        category = rng.choice(CATEGORIES)
        tags = rng.sample(TAGS, k=rng.randint(1, 4))
        title = " ".join(rng.choices(WORDS, k=rng.randint(4, 9))).capitalize() + f" ({number})"
        summary = " ".join(rng.choices(WORDS, k=25)).capitalize() + "."
        folder = content / "posts" / str(when.year)
        folder.mkdir(parents=True, exist_ok=True)
        front = [
            "---",
            f'title: "{title}"',
            f"date: {when:%Y-%m-%d %H:%M %z}",
            f"authors: [{author}]",
            f'category: "{category}"',
            "tags: [" + ", ".join(tags) + "]",
            f'summary: "{summary}"',
            f"slug: beitrag-{number:05d}",
            "---",
            "",
        ]
        (folder / f"beitrag-{number:05d}.md").write_text("\n".join(front) + body(rng), encoding="utf-8")
    return content
