"""A reader in headless Chromium sees the approved comment and the form under a post of the sample
site's production build, served from loopback, with JavaScript off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from chromium import Chromium, local_server
from conftest import build_sample
from hub_inbox.model import Item, PostDialogue, Source, Status, export

POST = "/2026/dauerlauf-pruefstand/"


@pytest.fixture(scope="module")
def commented(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dialogue")
    export_file = folder / "export.json"
    comment = Item(
        "web:1",
        "de/dauerlauf-pruefstand",
        Source.WEB,
        "Wie laut ist der Prüfstand?",
        datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        Status.APPROVED,
        author="Karla K.",
    )
    pending = Item(
        "web:2", "de/dauerlauf-pruefstand", Source.WEB, "Noch in Prüfung", datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    )
    dialogue = PostDialogue("de/dauerlauf-pruefstand", (comment, pending))
    export_file.write_text(export([dialogue], datetime(2026, 11, 21, tzinfo=UTC)), encoding="utf-8")
    output = folder / "out"
    with local_server(output) as base:
        build_sample(output, prod=True, SITEURL=base, HUB_DIALOGUE_EXPORT=str(export_file))
        yield base


def test_the_reader_sees_the_approved_comment_and_the_form_without_javascript(
    commented: str, browser: Chromium
) -> None:
    tab = browser.open(commented + "/")
    tab.call("Emulation.setScriptExecutionDisabled", {"value": True})
    tab.call("Page.navigate", {"url": commented + POST})
    tab.wait_for(f"location.href === '{commented}{POST}' && document.readyState === 'complete'")
    # Evaluations run as DevTools, not as the page: they work with the page's scripts off.
    texts = tab.evaluate("Array.from(document.querySelectorAll('.comment__text'), (p) => p.innerText.trim())")
    assert texts == ["Wie laut ist der Prüfstand?"]
    assert tab.evaluate("document.querySelector('.comment__author').innerText") == "Karla K."
    assert tab.evaluate("document.body.innerText.includes('Noch in Prüfung')") is False
    form = tab.evaluate(
        "(() => { const f = document.querySelector('form.dialogue__form');"
        " return f && {action: f.action, method: f.method, post: f.elements.post.value,"
        " visible: f.elements.text.getBoundingClientRect().height > 0,"
        " trap: f.elements.website.closest('div').getBoundingClientRect().width}; })()"
    )
    assert form == {
        "action": commented + "/dialog/",
        "method": "post",
        "post": "de/dauerlauf-pruefstand",
        "visible": True,
        "trap": 1,
    }
    assert tab.evaluate("document.querySelector('.comment__report').innerText") == "Melden"
