"""The privacy page says what `invoke stats` does: a rule on its text, and where to find the page.

When HUB_STATS_LOGS is set, page views are counted from the server's log files, and the raw logs
are deleted after HUB_STATS_KEEP_RAW_DAYS days. Readers learn both from the privacy page only, so
the build holds the page against the settings (check `stats-privacy-notice`, in the adapter,
hub_stats/__init__.py): the page must mention the counting, and wherever it speaks of the log
files, the number of days must be the setting's, as digits ("7 Tagen") or as a German number word
("sieben Tagen"). A page that promises seven days while the logs live thirty is the mistake this
catches; so is a page that never mentions the counting at all.

Pure: text and numbers in, problems out (German by default, through the hub_stats catalogue).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from hub_content.model import ContentItem
from hub_content.site import effective_slug
from hub_core.i18n import translator

_, ngettext = translator("hub_stats")

CHECK = "stats-privacy-notice"

# A page that mentions the counting uses one of these (the sample's heading is "Reichweitenmessung
# ohne Cookies"; the data-protection authorities write "Reichweitenmessung" and "Seitenabrufe").
COUNTING = re.compile(
    r"Reichweite|Seitena(?:uf|b)ruf|Zugriffsstatistik|Besucherstatistik|Nutzungsstatistik", re.IGNORECASE
)
# A paragraph about the server's log files. "Log" only at the start of a word and capitalised, so
# that "Blog" and "Dialog" are not log files; "Protokoll" covers "Protokolldateien", "Zugriffsprotokolle".
LOG_FILES = re.compile(r"(?<![A-Za-zÄÖÜäöüß])Log|[Pp]rotokoll")
# A number of days: digits or one word, then "Tag", "Tage", "Tagen" or "Tages" (a no-break space too).
DAYS = re.compile(r"(?P<number>\d{1,5}|[A-Za-zÄÖÜäöüß]+)(?:\s|&nbsp;|\u00a0|\u202f)+Tag(?:e|en|es)?\b")
# "ein Tag", "einem Tag": German writes the number one like the article, so these count as the
# number one only where one day is the setting; otherwise they are articles ("an einem Tag").
ONE = frozenset({"ein", "eine", "einem", "einen", "einer", "eines"})

_UNITS = ("", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
_TEENS = ("zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn")
_TENS = ("", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig")
LARGEST_WORD = 999


def number_word(number: int) -> str | None:
    """The German word for 1 to 999 as written before "Tagen" ("sieben", "einunddreißig"); None beyond."""
    if not 1 <= number <= LARGEST_WORD:
        return None
    hundreds, rest = divmod(number, 100)
    word = f"{_UNITS[hundreds] if hundreds > 1 else ''}hundert" if hundreds else ""
    if rest == 0:
        return word
    if rest == 1:
        return word + ("eins" if hundreds else "ein")
    if rest < 10:
        return word + _UNITS[rest]
    if rest < 20:
        return word + _TEENS[rest - 10]
    tens, unit = divmod(rest, 10)
    return word + (f"{_UNITS[unit]}und" if unit else "") + _TENS[tens]


def _spellings(number: int) -> Iterator[str]:
    word = number_word(number)
    if word is None:
        return
    for variant in (word, f"ein{word}" if word.startswith("hundert") else word):
        yield variant
        yield variant.replace("ß", "ss")  # Swiss spelling, and keyboards without ß


WORDS: dict[str, int] = {spelling: n for n in range(1, LARGEST_WORD + 1) for spelling in _spellings(n)}


@dataclass(frozen=True)
class Paragraph:
    line: int  # where it starts in the file
    text: str


@dataclass(frozen=True)
class DaysMention:
    line: int
    written: str  # as on the page: "30 Tagen", "sieben Tagen"
    days: int
    article: bool  # "einem Tag": maybe the number one, maybe an article


@dataclass(frozen=True)
class NoticeProblem:
    line: int
    message: str


def paragraphs(text: str) -> list[Paragraph]:
    """Blocks separated by blank lines, with the line each starts on (1-based)."""
    found: list[Paragraph] = []
    lines: list[str] = []
    start = 1
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line)
        elif lines:
            found.append(Paragraph(start, "\n".join(lines)))
            lines = []
    return found


def days_mentioned(paragraph: Paragraph) -> list[DaysMention]:
    mentions = []
    for match in DAYS.finditer(paragraph.text):
        number = match["number"]
        word = number.lower()
        if number.isdigit():
            days = int(number)
        elif word in WORDS:
            days = WORDS[word]
        elif word in ONE:
            days = 1
        else:
            continue  # "pro Tag", "je Tag", "am Tag": no number
        line = paragraph.line + paragraph.text.count("\n", 0, match.start())
        written = " ".join(match[0].replace("&nbsp;", " ").split())
        mentions.append(DaysMention(line, written, days, article=word in ONE))
    return mentions


def expected_days(days: int) -> str:
    """„7 Tagen“ oder „sieben Tagen“, as the messages name what the page should say."""
    word = number_word(days)
    if word is None:
        return _("„{days} Tagen“").format(days=days)
    return _("„{days} Tagen“ or „{word} Tagen“").format(days=days, word=word)


def privacy_notice_problems(text: str, keep_raw_days: int) -> list[NoticeProblem]:
    """What the privacy page (its whole file, so lines are the file's) fails to say about the counting."""
    problems: list[NoticeProblem] = []
    about_logs = [paragraph for paragraph in paragraphs(text) if LOG_FILES.search(paragraph.text)]
    first_line = about_logs[0].line if about_logs else 1
    if not COUNTING.search(text):
        problems.append(
            NoticeProblem(
                first_line,
                _(
                    "expected a section on counting page views from the server log files (such as"
                    " „Reichweitenmessung ohne Cookies“), because HUB_STATS_LOGS is set; found none."
                    " Describe what is counted, from what, and how long the log files are kept."
                ),
            )
        )
    mentions = [mention for paragraph in about_logs for mention in days_mentioned(paragraph)]
    stated = [m for m in mentions if m.days == keep_raw_days]
    wrong = [m for m in mentions if m.days != keep_raw_days and not m.article]
    expected = expected_days(keep_raw_days)
    for mention in wrong:
        problems.append(
            NoticeProblem(
                mention.line,
                _(
                    "expected the days after which raw log files are deleted as HUB_STATS_KEEP_RAW_DAYS"
                    " says: {expected}; found „{found}“. Change the text or the setting."
                ).format(expected=expected, found=mention.written),
            )
        )
    if not stated and not wrong:
        problems.append(
            NoticeProblem(
                first_line,
                _(
                    "expected the days after which raw log files are deleted as HUB_STATS_KEEP_RAW_DAYS"
                    " says: {expected}; found no number of days where the page speaks of log files"
                ).format(expected=expected),
            )
        )
    return sorted(problems, key=lambda problem: problem.line)


def privacy_page(
    items: Iterable[ContentItem], slug: str, slugify: Callable[[str], str], default_lang: str
) -> ContentItem | None:
    """The privacy page in the site's language: a page (not a draft) with `slug`, as hub_content checked it."""
    for item in items:
        if item.kind != "page" or item.status == "draft" or (item.lang or default_lang) != default_lang:
            continue
        if effective_slug(item, slugify) == slug:
            return item
    return None


def missing_page(slug: str) -> str:
    return _(
        "expected a privacy page with the slug '{slug}' that describes counting page views from the server"
        " log files, because HUB_STATS_LOGS is set; found none"
    ).format(slug=slug)
