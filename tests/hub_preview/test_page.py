"""What the preview adds to a page, and the page shown for a failed build (pure: bytes and lines)."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hub_core import i18n
from hub_preview.page import Problem, building_page, failure_page, problems, with_reload

FAILED_BUILD = [
    "content/posts/a.md:4: authors: erwartet: eine Team-ID; gefunden: 'niemand' [Fehler: unknown-author]",
    "content/posts/b.md:2: title: Doppelpunkt im Wert [Warnung: yaml-colon]",
    "INFO: Writing content/posts",
    "",
    "ERROR: content_model: 1 Fehler, 1 Warnung in 5 geprüften Dateien; nothing was written",
    "Done: Processed 1 article",
]


def test_the_problems_of_a_failed_build_keep_their_file_and_line() -> None:
    assert problems(FAILED_BUILD) == (
        Problem(
            "authors: erwartet: eine Team-ID; gefunden: 'niemand' [Fehler: unknown-author]", "content/posts/a.md", 4
        ),
        Problem("title: Doppelpunkt im Wert [Warnung: yaml-colon]", "content/posts/b.md", 2),
        Problem("content_model: 1 Fehler, 1 Warnung in 5 geprüften Dateien; nothing was written"),
    )
    assert problems(FAILED_BUILD)[0].location == "content/posts/a.md:4"
    assert problems(FAILED_BUILD)[2].location == ""


def test_a_crash_is_shown_as_it_was_printed() -> None:
    crash = ["CRITICAL: interner Fehler: KeyError: 'x'.", "Traceback (most recent call last):", '  File "x.py", line 1']
    assert [p.text for p in problems(crash)] == [
        "interner Fehler: KeyError: 'x'.",
        "Traceback (most recent call last):",
        '  File "x.py", line 1',
    ]


def test_the_reload_script_goes_before_the_last_body_end() -> None:
    html = b"<html><body><p>&lt;/body&gt;</p><script>'</BODY>'</script>\n</BODY >\n</html>"
    result = with_reload(html, "g-1")
    assert result.count(b"/__hub/reload.js") == 1
    assert result.endswith(b'<script src="/__hub/reload.js" data-generation="g-1"></script></BODY >\n</html>')
    assert result.replace(b'<script src="/__hub/reload.js" data-generation="g-1"></script>', b"") == html


def test_a_fragment_without_body_gets_the_script_at_its_end() -> None:
    assert (
        with_reload(b"<p>Hallo</p>", "g-2")
        == b'<p>Hallo</p><script src="/__hub/reload.js" data-generation="g-2"></script>'
    )


def test_the_failure_page_says_in_german_what_to_fix_and_where() -> None:
    page = BeautifulSoup(failure_page(problems(FAILED_BUILD), "g-3"), "html.parser")
    assert page.html["lang"] == "de"
    assert page.h1.get_text() == "Die Website konnte nicht erzeugt werden"
    assert "Beheben Sie die folgenden Fehler und speichern Sie die Datei" in page.get_text()
    assert page.h2.get_text() == "3 Meldungen beim Erzeugen"
    locations = [code.get_text() for code in page.select(".hub-problem-location")]
    assert locations == ["content/posts/a.md:4", "content/posts/b.md:2"]
    assert page.select_one("script[src='/__hub/reload.js']")["data-generation"] == "g-3"


def test_the_failure_page_escapes_what_the_build_printed() -> None:
    page = failure_page((Problem("title: <script>alert(1)</script>", "a.md", 1),), "g")
    assert b"<script>alert(1)" not in page and b"&lt;script&gt;alert(1)" in page


def test_a_failure_without_a_message_points_to_the_terminal() -> None:
    page = BeautifulSoup(failure_page((), "g"), "html.parser")
    assert "Sehen Sie im Terminal nach" in page.get_text() and not page.select(".hub-problems")


def test_the_pages_in_english_on_request() -> None:
    i18n.use_language("en")
    page = BeautifulSoup(failure_page(problems(FAILED_BUILD[:1]), "g"), "html.parser")
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "The website could not be built"
    assert page.h2.get_text() == "1 message of the build"
    assert BeautifulSoup(building_page("g"), "html.parser").h1.get_text() == "The website is being built"
