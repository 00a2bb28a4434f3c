"""The reader's side of the theme on the sample site: the phone navigation and the 404 page.

The sample site is built with production settings and served from 127.0.0.1; the phone
checks run in headless Chromium (tests/chromium.py) at 390 px, the width of a common phone.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from chromium import Chromium, Tab

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
NAV_ITEMS = ["Start", "Kategorien", "Archiv", "Suche", "Über uns"]
# The start page, a post, the search page and the about page (each marks its own item as current).
PAGES = ["/", "/2026/dauerlauf-pruefstand/", "/suche/", "/ueber-uns/"]


def on_phone(browser: Chromium, url: str) -> Tab:
    tab = browser.open(url)
    tab.call("Emulation.setDeviceMetricsOverride", PHONE)
    return tab


# Each link of the main navigation: its text, whether its whole box is inside the viewport, and
# whether the point in its middle shows the link itself (not clipped, not covered by something else).
NAV_BOXES = """Array.from(document.querySelectorAll('.main-nav a'), (a) => {
  const box = a.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {
    text: a.textContent.trim(),
    inside: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0
      && box.right <= innerWidth && box.bottom <= innerHeight,
    shown: hit !== null && a.contains(hit),
  };
})"""


@pytest.mark.parametrize("path", PAGES)
def test_every_nav_item_is_visible_on_a_phone(served: tuple[Path, str], browser: Chromium, path: str) -> None:
    _, base = served
    tab = on_phone(browser, base + path)
    assert tab.evaluate("innerWidth") == 390
    boxes = tab.evaluate(NAV_BOXES)
    assert [box["text"] for box in boxes] == NAV_ITEMS
    assert [box for box in boxes if not (box["inside"] and box["shown"])] == []
    # Nothing pushes the page sideways either.
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_nav_is_reachable_by_keyboard_with_a_visible_focus(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    tab = on_phone(browser, base + "/")
    focused = []
    for _ in range(30):  # skip link, legal bar, logo, then the navigation
        for kind in ("keyDown", "keyUp"):
            tab.call("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9})
        focused.append(
            tab.evaluate(
                """(() => {
                  const a = document.activeElement;
                  if (!a.closest('.main-nav')) return null;
                  const box = a.getBoundingClientRect();
                  return {text: a.textContent.trim(), outline: getComputedStyle(a).outlineStyle,
                          visible: a.matches(':focus-visible'),
                          inside: box.left >= 0 && box.right <= innerWidth};
                })()"""
            )
        )
        if focused[-1] and focused[-1]["text"] == NAV_ITEMS[-1]:
            break
    in_nav = [item for item in focused if item]
    assert [item["text"] for item in in_nav] == NAV_ITEMS
    assert all(item["visible"] and item["outline"] == "solid" and item["inside"] for item in in_nav), in_nav
    assert browser.requests_leaving(base) == []


def sentences(element: Tag) -> list[str]:
    """Every sentence the element shows: each piece of text, split after a full stop, ! or ?."""
    return [part for text in element.stripped_strings for part in re.split(r"(?<=[.!?])\s+", " ".join(text.split()))]


def test_the_404_page_has_one_search_form_and_says_nothing_twice(served: tuple[Path, str]) -> None:
    output, base = served
    page = BeautifulSoup((output / "404.html").read_text(encoding="utf-8"), "html.parser")
    forms = page.select("main form")
    assert len(forms) == 1
    form = forms[0]
    assert (form["role"], form["method"], form["action"]) == ("search", "get", f"{base}/suche/")
    field = form.select_one('input[type="search"][name="q"]')
    assert form.select_one(f'label[for="{field["id"]}"]').get_text() == "Im Blog suchen"
    assert form.select_one('button[type="submit"]').get_text() == "Suchen"
    said = sentences(page.select_one("main"))
    assert "Diese Seite gibt es nicht (mehr)." in said
    assert [sentence for sentence, count in Counter(said).items() if count > 1] == []


def test_searching_from_the_404_page_opens_the_results(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    tab = on_phone(browser, f"{base}/404.html")
    tab.evaluate("document.querySelector('main input[name=q]').focus()")
    tab.type("Ausbildung")
    enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
    tab.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **enter})  # the text makes it submit
    tab.call("Input.dispatchKeyEvent", {"type": "keyUp", **enter})
    tab.wait_for(f"location.href === {json.dumps(base + '/suche/?q=Ausbildung')} && document.readyState === 'complete'")
    found = tab.results("Ausbildung")
    assert found["results"] and found["status"].endswith("Treffer für „Ausbildung“")
