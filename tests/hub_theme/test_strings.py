"""The theme's catalogue (hub_theme/strings.py): every text in every language, every key the templates use."""

from __future__ import annotations

import re
import string
from pathlib import Path

from hub_theme.strings import STRINGS

TEMPLATES = Path(__file__).resolve().parents[2] / "themes" / "hub" / "templates"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_a_text_in_every_language_with_the_same_placeholders() -> None:
    languages = sorted(STRINGS)
    assert languages == ["de", "en"]
    keys = set().union(*(STRINGS[lang] for lang in languages))
    missing = sorted((lang, key) for lang in languages for key in keys if not STRINGS[lang].get(key, "").strip())
    assert missing == []
    differing = sorted(key for key in keys if placeholders(STRINGS["de"][key]) != placeholders(STRINGS["en"][key]))
    assert differing == []


def test_every_key_the_templates_use_is_in_the_catalogue() -> None:
    used = {
        key
        for path in TEMPLATES.glob("*.html")
        for key in re.findall(r"""\bui\(\s*['"]([a-z_]+)['"]\s*[,)]""", path.read_text(encoding="utf-8"))
    }
    assert used, "no ui('key', …) found in the templates"
    assert sorted(used - STRINGS["de"].keys()) == []
    # The language switch names each language in itself: ui('language_' ~ lang, lang).
    assert sorted(f"language_{lang}" for lang in STRINGS if f"language_{lang}" not in STRINGS[lang]) == []
