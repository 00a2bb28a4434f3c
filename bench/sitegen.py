"""Generate a realistic site of N posts for benchmarks: team, calendar, plan, approvals, bodies.

Deterministic (seeded), so runs are comparable. Posts are spread over the
weeks before `end`, two or three per week on working-day mornings. `end`
lies four weeks after NOW, the moment the benchmarks review the site as of,
so the newest posts are scheduled, in review or drafts, as on a real blog.

About 95% of the posts carry a real approval: by an editor the calendar
allows to approve them, with the fingerprint `invoke approve` would write.
A few are in review, held (published without approval), stale (edited after
approval) or drafts. The calendar has the cadence, an approval policy, a
plan whose slots are linked both ways (`post:` in the slot, `plan:` in the
post), a freeze and channels.

About one post in ten has a header image (with alt text, credit and
license), one of HEADER_IMAGES generated 1600×1000 photos with a phone's EXIF
in content/images/posts/, so the image pipeline and the social cards of a
production build do real work. The images and who uses them come from their
own seeded generator: the text of every post is the same as without them.

The review moment is NOW unless `generate(now=...)` is given another one:
`anchor()` moves NOW by whole weeks to the real clock's week, so that the
production build, which judges the site by the real clock, sees the newest
posts as recent (same weekdays, same hours, same texts; only the dates move).

`pelican_copy` writes the same content with Pelican's native `Key: value`
metadata, for the plain-Pelican reference build (the images are linked in
as plain static files).
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hub_content.calendar import Calendar, load_calendar, parse_calendar
from hub_content.fields import CheckContext
from hub_content.frontmatter_split import split_document
from hub_content.loader import check_item
from hub_content.model import ApprovalRecord
from hub_core.findings import Level
from hub_review.approval import refusal
from hub_review.approve import render_block
from hub_review.calendar_sections import APPROVAL
from hub_review.fingerprint import file_digest, fingerprint

from bench import images

BERLIN = ZoneInfo("Europe/Berlin")
# The moment benchmarks review the site as of (`invoke review --now`): a Saturday morning.
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN)
NOW_TEXT = f"{NOW:%Y-%m-%d %H:%M}"
END = datetime(2026, 12, 18, 9, 0, tzinfo=BERLIN)  # the newest post: four weeks ahead of NOW
# Header images: a share of the posts shows one of a few generated photos (each used by many posts).
HEADER_IMAGES = 30
HEADER_IMAGE_SIZE = (1600, 1000)
HEADER_IMAGE_SHARE = 0.10
HEADER_IMAGE_DIR = "images/posts"
IMAGES_DIR = "images"  # every image of the site lies below content/images/ (a static path)
CALENDAR = "editorial_calendar.yaml"
PELICAN_CONTENT = "pelican-content"
# Plain Pelican for the reference: its defaults (theme, URLs, feeds, no pagination), no plugins, no cache.
PLAIN_PELICAN: dict[str, Any] = {
    "SITENAME": "Benchmark",
    "TIMEZONE": "Europe/Berlin",
    "PLUGINS": [],
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
}

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
# id, name, rights, approves ("all", a list of categories, or None)
TEAM: list[tuple[str, str, list[str], str | list[str] | None]] = [
    ("ared", "Anna Red", ["author", "editor"], "all"),
    ("bblau", "Bernd Blau", ["author", "editor"], ["Technik & Labor", "Unternehmen"]),
    ("cgruen", "Clara Grün", ["author"], None),
    ("dgelb", "David Gelb", ["author", "editor"], ["Ausbildung & Karriere", "Nachhaltigkeit"]),
    ("eweiss", "Eva Weiß", ["author"], None),
    ("fschwarz", "Felix Schwarz", ["author", "editor"], ["Messen & Events"]),
    ("gkoch", "Greta Koch", ["editor"], "all"),
]
AUTHORS = [member_id for member_id, _, rights, _ in TEAM if "author" in rights]
CHANNELS = ["linkedin", "intranet"]

LEGAL = {
    "pages/impressum.md": "---\ntitle: Impressum\nslug: impressum\n---\nBenchmark GmbH, Musterstraße 1, 12345 Musterstadt.\n",
    "pages/datenschutz.md": "---\ntitle: Datenschutzerklärung\nslug: datenschutz\n---\nKeine Cookies, keine Tracker.\n",
}


@dataclass(frozen=True)
class Picture:
    """A header image as the front matter names it."""

    path: str  # relative to content/
    alt: str


@dataclass
class Post:
    number: int
    when: datetime
    author: str
    category: str
    tags: list[str]
    title: str
    summary: str
    body: str
    status: str = "published"
    approval: str = "valid"  # valid, stale (edited after the approval) or none
    plan: str | None = None  # slot id, written as `plan:` in the post
    image: Picture | None = None  # the header image, if the post has one

    @property
    def slug(self) -> str:
        return f"beitrag-{self.number:05d}"

    @property
    def relative(self) -> str:
        return f"posts/{self.when.year}/{self.slug}.md"


@dataclass(frozen=True)
class Slot:
    id: str
    topic: str
    owner: str
    category: str
    due: date | None = None
    week: str | None = None  # ISO week such as 2026-W50, instead of a due day
    post: str | None = None  # slug of the post, written as `post:` in the slot


def body(rng: random.Random) -> str:
    paragraphs = []
    for section in range(rng.randint(3, 6)):
        if section:
            paragraphs.append("## " + " ".join(rng.choices(WORDS, k=4)).capitalize())
        for _ in range(rng.randint(1, 3)):
            paragraphs.append(" ".join(rng.choices(WORDS, k=rng.randint(60, 120))).capitalize() + ".")
    return "\n\n".join(paragraphs) + "\n"


def anchor(moment: datetime | None = None) -> datetime:
    """NOW moved by whole weeks to within half a week of `moment` (default: the real clock)."""
    moment = moment or datetime.now(BERLIN)
    weeks = round((moment - NOW) / timedelta(weeks=1))
    return NOW + timedelta(weeks=weeks)  # same tzinfo: wall-clock arithmetic, still 10:00 Berlin


def header_image_path(number: int) -> str:
    return f"{HEADER_IMAGE_DIR}/kopfbild-{number:02d}.jpg"


def write_header_images(content: Path, numbers: Iterable[int]) -> None:
    """Seeded 1600×1000 JPEGs with a phone's EXIF (GPS included), as a camera would deliver them."""
    for number in sorted(set(numbers)):
        path = content / header_image_path(number)
        path.parent.mkdir(parents=True, exist_ok=True)
        seed = 7000 + number
        images.photo(seed, HEADER_IMAGE_SIZE).save(path, "JPEG", quality=85, exif=images.phone_exif(seed))


def _workflow(when: datetime, rng: random.Random, now: datetime = NOW) -> tuple[str, str]:
    """Status and approval of a post, by how far its date is from `now`."""
    ahead = when - now
    if ahead > timedelta(days=14):
        return rng.choice((("draft", "none"), ("review", "none")))
    if ahead > timedelta(0):
        return rng.choices((("published", "valid"), ("review", "none")), weights=(7, 3))[0]
    roll = rng.random()
    if roll < 0.965:
        return "published", "valid"
    if roll < 0.975:
        return "published", "stale"
    if roll < 0.99:
        return "review", "none"
    return "published", "none"  # held back: nobody approved it


def make_posts(count: int, rng: random.Random, end: datetime, now: datetime = NOW) -> list[Post]:
    """`count` posts without images, newest (number 0, dated `end`) first."""
    posts = []
    when = end + timedelta(days=3)
    for number in range(count):
        # Two or three posts a week, working days, mornings.
        when -= timedelta(days=rng.choice((2, 3, 3, 4)) if number else 3)
        while when.weekday() > 4:
            when -= timedelta(days=1)
        title = " ".join(rng.choices(WORDS, k=rng.randint(4, 9))).capitalize() + f" ({number})"
        post = Post(
            number=number,
            when=when,
            author=rng.choice(AUTHORS),
            category=rng.choice(CATEGORIES),
            tags=rng.sample(TAGS, k=rng.randint(1, 4)),
            title=title,
            summary=" ".join(rng.choices(WORDS, k=25)).capitalize() + ".",
            body=body(rng),
        )
        post.status, post.approval = _workflow(when, rng, now)
        posts.append(post)
    return posts


# Puts images into the posts (header, body) and writes their files under the content folder, before
# the approvals are written: an approval's fingerprint covers the bytes of the post's images.
Illustrate = Callable[[list[Post], Path, int], None]


def header_images(posts: list[Post], content: Path, seed: int) -> None:
    """One post in ten shows one of HEADER_IMAGES generated photos as its header image."""
    pictures = random.Random(f"header-images-{seed}")  # its own stream: the texts stay the same
    used = set()
    for post in posts:
        if pictures.random() < HEADER_IMAGE_SHARE:
            number = pictures.randrange(HEADER_IMAGES)
            alt = f"Foto {number + 1}: Landschaft mit Hügeln, Gebäuden und Bäumen unter einem weiten Himmel"
            post.image = Picture(header_image_path(number), alt)
            used.add(number)
    write_header_images(content, used)


def make_plan(posts: list[Post], now: datetime = NOW) -> list[Slot]:
    """Slots for every other post from three weeks before `now` on, linked alternately from the
    slot (`post:`) and from the post (`plan:`); plus a missed, an at-risk and an open slot."""
    slots = []
    shift = now.date() - NOW.date()
    recent = [p for p in posts if p.when >= now - timedelta(weeks=3) and p.status != "draft"]
    for index, post in enumerate(recent[::2]):
        slot_id = f"w{post.when.isocalendar().week:02d}-{post.slug}"
        topic = post.title.rsplit(" (", 1)[0]
        if index % 2:
            post.plan = slot_id
            slots.append(Slot(slot_id, topic, post.author, post.category, due=post.when.date()))
        else:
            slots.append(Slot(slot_id, topic, post.author, post.category, due=post.when.date(), post=post.slug))
    slots += [
        Slot(
            "kundenbericht-service",
            "Unterwegs mit dem Service",
            "cgruen",
            "Unternehmen",
            due=date(2026, 11, 16) + shift,
        ),
        Slot(
            "bewerbungsphase-2027",
            "Start der Bewerbungsphase 2027",
            "dgelb",
            "Ausbildung & Karriere",
            due=date(2026, 11, 24) + shift,
        ),
        Slot(
            "jahresrueckblick",
            "Jahresrückblick der Geschäftsführung",
            "ared",
            "Unternehmen",
            week=_week(date(2026, 12, 14) + shift),
        ),
    ]
    return slots


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def calendar_yaml(slots: list[Slot] | None = None, now: datetime = NOW) -> str:
    shift = now.date() - NOW.date()
    lines = ["# Benchmark calendar (bench/sitegen.py)", "timezone: Europe/Berlin", "team:"]
    for member_id, name, rights, approves in TEAM:
        lines += [
            f"  - id: {member_id}",
            f"    name: {name}",
            "    role: Redaktion",
            f"    email: {member_id}@benchmark.example",
            f"    rights: [{', '.join(rights)}]",
        ]
        if approves == "all":
            lines.append("    approves: all")
        elif approves:
            lines.append("    approves: [" + ", ".join(f'"{c}"' for c in approves) + "]")
    lines += [
        "cadence:",
        "  min_posts_per_week: 2",
        "  max_posts_per_day: 1",
        "  weekdays: [mon, tue, wed, thu, fri]",
        '  hours: "08:00-18:00"',
        "  stale_after_days: 14",
        "  lookahead_weeks: 4",
        "approval:",
        "  required: 1",
        "  categories:",
        "    Unternehmen:",
        "      approvers: [ared, bblau]",
        "    Nachhaltigkeit:",
        "      required: 2",
        "channels:",
        *(f"  {name}:\n    type: feed" for name in CHANNELS),
        "freeze:",
        f"  - from: {date(2026, 12, 23) + shift}",
        f"    to: {date(2027, 1, 4) + shift}",
        "    reason: Betriebsferien zwischen den Jahren",
    ]
    if slots:
        lines.append("plan:")
        for slot in slots:
            lines += [f"  - id: {slot.id}", f"    due: {slot.due}" if slot.due else f"    week: {slot.week}"]
            lines += [
                f'    topic: "{slot.topic}"',
                f"    owner: {slot.owner}",
                f'    category: "{slot.category}"',
                f"    channels: [{', '.join(CHANNELS)}]",
            ]
            if slot.post:
                lines.append(f"    post: {slot.post}")
    return "\n".join(lines) + "\n"


def front_matter(post: Post) -> list[str]:
    lines = [
        "---",
        f'title: "{post.title}"',
        f"date: {post.when:%Y-%m-%d %H:%M %z}",
        f"authors: [{post.author}]",
        f'category: "{post.category}"',
        "tags: [" + ", ".join(post.tags) + "]",
        f'summary: "{post.summary}"',
        f"slug: {post.slug}",
    ]
    if post.status != "published":
        lines.append(f"status: {post.status}")
    if post.plan:
        lines.append(f"plan: {post.plan}")
    if post.image is not None:
        lines += [
            "image:",
            f"  path: {post.image.path}",
            f'  alt: "{post.image.alt}"',
            '  credit: "Foto: Redaktion Hellwig"',
            "  license: Werksfoto, alle Rechte vorbehalten",
        ]
    return lines


class Approver:
    """Writes the approvals block `invoke approve` would write: same check, fingerprint and format."""

    def __init__(self, content: Path, calendar: Calendar, rng: random.Random, now: datetime = NOW) -> None:
        self.now = now
        self.content = content
        self.calendar = calendar
        self.context = CheckContext(content, calendar)
        self.digest = file_digest(content)
        self.rng = rng

    def block(self, post: Post, text: str) -> list[str]:
        document = split_document(text, post.relative)
        item, findings = check_item(document, self.content / post.relative, "article", self.context)
        errors = [f for f in findings if f.level is Level.ERROR]
        if errors:
            raise ValueError(f"generated an invalid post: {errors[0].render()}")
        current = fingerprint(item, document.body, self.digest)
        if post.approval == "stale":  # approved, then edited: the approval names the earlier text
            current = fingerprint(item, document.body + "\nEin Absatz, der später gestrichen wurde.\n", self.digest)
        eligible = [m for m in self.calendar.team if refusal(self.calendar.team[m], m, item, self.calendar) is None]
        required = self.calendar.section(APPROVAL).required_for(item.category)
        approvers = self.rng.sample(eligible, k=min(required, len(eligible)))
        at = min(post.when - timedelta(days=self.rng.randint(1, 6)), self.now - timedelta(hours=20))
        at = datetime.combine(at.date(), time(14, 30 + 5 * self.rng.randint(0, 5)), tzinfo=BERLIN)
        records = [ApprovalRecord(by, at + timedelta(minutes=7 * i), current, 0) for i, by in enumerate(approvers)]
        return [line.rstrip("\n") for line in render_block(records, self.calendar)]


def generate(
    root: Path,
    posts: int,
    *,
    end: datetime | None = None,
    seed: int = 1,
    now: datetime | None = None,
    illustrate: Illustrate = header_images,
) -> Path:
    """Write content/ and editorial_calendar.yaml under `root`; return the content folder.

    `now`: the review moment the site is made for (default NOW); the newest post lies four weeks
    after it unless `end` is given. Give `anchor()` for a site the real clock sees as current.
    `illustrate` gives posts their images and writes the files (default: `header_images`).
    """
    rng = random.Random(seed)
    now = now or NOW
    content = root / "content"
    for relative, text in LEGAL.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(text, encoding="utf-8")
    generated = make_posts(posts, rng, end or END + (now - NOW), now)
    illustrate(generated, content, seed)
    calendar_text = calendar_yaml(make_plan(generated, now), now)
    (root / CALENDAR).write_text(calendar_text, encoding="utf-8")
    calendar, problems = parse_calendar(calendar_text, display_path=CALENDAR, content_root=content)
    if problems:
        raise ValueError(f"generated an invalid calendar: {problems[0].render()}")
    approver = Approver(content, calendar, rng, now)
    for post in generated:
        lines = front_matter(post)
        text = "\n".join([*lines, "---", "", post.body])
        if post.approval != "none":
            text = "\n".join([*lines, *approver.block(post, text), "---", "", post.body])
        file = content / post.relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return content


def link_or_copy(source: Path, target: Path) -> None:
    """`target` as a hard link to `source` (the same bytes, no disk), a copy where links are impossible."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _pelican_value(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def pelican_metadata(fields: dict[str, Any], names: dict[str, str]) -> list[str]:
    """Our YAML front matter (entries by key) as Pelican's `Key: value` header lines."""
    values = {key: entry.value for key, entry in fields.items() if entry.value is not None}
    lines = []
    for key in ("title", "date", "modified", "category", "tags", "summary", "slug", "lang"):
        if key in values:
            lines.append(f"{key.capitalize()}: {_pelican_value(values[key])}")
    if "authors" in values:
        authors = values["authors"] if isinstance(values["authors"], list) else [values["authors"]]
        lines.append("Authors: " + ", ".join(names.get(str(a), str(a)) for a in authors))
    status = values.get("status")
    if status in ("draft", "review"):  # not live: Pelican's drafts
        lines.append("Status: draft")
    elif status == "hidden":
        lines.append("Status: hidden")
    return lines


def pelican_copy(root: Path) -> Path:
    """Write root/content again as root/pelican-content with Pelican's native metadata; return it."""
    content, target = root / "content", root / PELICAN_CONTENT
    calendar, _ = load_calendar(root / CALENDAR, display_path=CALENDAR, content_root=content)
    names = {member.id: member.name for member in calendar.team.values()}
    for picture in sorted(p for p in (content / IMAGES_DIR).rglob("*") if p.is_file()):
        link_or_copy(picture, target / picture.relative_to(content))
    for source in sorted(content.rglob("*.md")):
        relative = source.relative_to(content)
        text = source.read_text(encoding="utf-8")
        document = split_document(text, relative.as_posix())
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        if document.has_front_matter:
            text = "\n".join(pelican_metadata(document.fields, names)) + "\n\n" + document.body.lstrip("\r\n")
        out.write_text(text, encoding="utf-8")
    return target
