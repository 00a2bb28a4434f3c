"""The rule behind `stats-privacy-notice` on plain texts: the privacy page mentions the counting and
names the days the raw logs live, as digits or as a German number word, where it speaks of log files."""

from __future__ import annotations

import pytest
from hub_core import i18n
from hub_stats.privacy import WORDS, number_word, paragraphs, privacy_notice_problems

HEADER = "---\ntitle: Datenschutz\nslug: datenschutz\n---\n\n"
COUNTING = "## 5. Reichweitenmessung ohne Cookies\n\nWir zählen Seitenaufrufe aus den Server-Logfiles.\n\n"


def page(retention: str) -> str:
    """A privacy page: the counting section, then the retention sentence on line 10."""
    return HEADER + COUNTING + f"**Speicherdauer:** Die Logfiles löschen wir nach {retention} automatisch.\n"


@pytest.mark.parametrize("written", ["7 Tagen", "sieben Tagen", "Sieben Tagen", "7\u00a0Tagen", "7&nbsp;Tagen"])
def test_the_days_as_digits_or_as_a_number_word_pass(written: str) -> None:
    assert privacy_notice_problems(page(written), 7) == []


def test_a_long_retention_as_a_compound_word_passes() -> None:
    assert privacy_notice_problems(page("einunddreißig Tagen"), 31) == []
    assert privacy_notice_problems(page("einunddreissig Tagen"), 31) == []
    assert privacy_notice_problems(page("dreihundertfünfundsechzig Tagen"), 365) == []


def test_the_wrong_number_is_named_with_its_line() -> None:
    [problem] = privacy_notice_problems(page("30 Tagen"), 7)
    assert problem.line == 10
    assert problem.message == (
        "erwartet: die Anzahl der Tage, nach der die Server-Logfiles gelöscht werden, wie"
        " HUB_STATS_KEEP_RAW_DAYS sie festlegt: „7 Tagen“ oder „sieben Tagen“; gefunden: „30 Tagen“."
        " Passen Sie den Text oder die Einstellung an."
    )


def test_a_wrong_number_beside_the_right_one_is_still_wrong() -> None:
    text = page("sieben Tagen") + "\nAuch die Zugriffsprotokolle löschen wir nach dreißig Tagen.\n"
    [problem] = privacy_notice_problems(text, 7)
    assert problem.line == 12 and "gefunden: „dreißig Tagen“" in problem.message


def test_days_outside_the_paragraphs_about_log_files_do_not_count() -> None:
    # The double opt-in's seven days are not the logs' (the sample page has both).
    text = HEADER + COUNTING + "Nach 7 Tagen ohne Bestätigung löschen wir die Adresse.\n\nDie Logfiles bleiben.\n"
    [problem] = privacy_notice_problems(text, 7)
    assert problem.line == 8  # the first paragraph about log files
    assert problem.message.endswith("gefunden: keine Anzahl von Tagen dort, wo die Seite von Logfiles spricht")


def test_a_page_without_the_counting_section_gets_both_problems() -> None:
    [counting, days] = privacy_notice_problems(HEADER + "Wir setzen keine Cookies.\n", 7)
    assert counting.line == days.line == 1
    assert counting.message.startswith("erwartet: einen Abschnitt zur Reichweitenmessung aus den Server-Logfiles")
    assert "weil HUB_STATS_LOGS gesetzt ist; gefunden: keinen." in counting.message
    assert "„7 Tagen“ oder „sieben Tagen“" in days.message


def test_the_counting_without_days_is_one_problem() -> None:
    [problem] = privacy_notice_problems(HEADER + COUNTING, 7)
    assert problem.line == 8 and "gefunden: keine Anzahl von Tagen" in problem.message


def test_blog_and_dialog_are_not_log_files() -> None:
    text = HEADER + COUNTING + "Im Blog und im Dialog antworten wir binnen 30 Tagen.\n\nLogfiles: 7 Tage.\n"
    assert privacy_notice_problems(text, 7) == []


def test_an_article_is_the_number_one_only_where_one_day_is_meant() -> None:
    one_day = HEADER + COUNTING + "Die Logfiles löschen wir nach einem Tag.\n"
    assert privacy_notice_problems(one_day, 1) == []
    article = HEADER + COUNTING + "Die Logfiles eines Tages zählen wir an einem Tag; gelöscht nach 7 Tagen.\n"
    assert privacy_notice_problems(article, 7) == []
    [problem] = privacy_notice_problems(one_day, 7)
    assert "gefunden: keine Anzahl von Tagen" in problem.message


def test_english_messages_on_request() -> None:
    i18n.use_language("en")
    [problem] = privacy_notice_problems(page("30 Tagen"), 7)
    assert problem.message.startswith("expected the days after which raw log files are deleted")
    assert "„7 Tagen“ or „sieben Tagen“; found „30 Tagen“" in problem.message


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (1, "ein"),
        (7, "sieben"),
        (12, "zwölf"),
        (16, "sechzehn"),
        (17, "siebzehn"),
        (21, "einundzwanzig"),
        (30, "dreißig"),
        (90, "neunzig"),
        (100, "hundert"),
        (101, "hunderteins"),
        (365, "dreihundertfünfundsechzig"),
    ],
)
def test_german_number_words(number: int, word: str) -> None:
    assert number_word(number) == word
    assert WORDS[word] == number


def test_no_word_beyond_999_and_every_word_is_one_number() -> None:
    assert number_word(1000) is None and number_word(0) is None
    assert WORDS["einhundert"] == 100 and WORDS["dreissig"] == 30
    assert len({number_word(n) for n in range(1, 1000)}) == 999


def test_paragraphs_know_their_first_line() -> None:
    found = paragraphs("a\nb\n\n\nc\n")
    assert [(p.line, p.text) for p in found] == [(1, "a\nb"), (5, "c")]
