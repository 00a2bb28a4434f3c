"""`make messages`: the message catalogues, from the code.

For every package under plugins/ whose code uses hub_core.i18n (and for tasks.py, whose catalogue is
`locale/` at the repository's root), the English message ids are extracted with Babel, merged into
the German `.po` (new ids get an empty translation, vanished ones are dropped) and the `.mo` that
gettext reads is compiled from it. Run it after changing a message; fill in the empty `msgstr`
(tests/site/test_messages.py names each one); run it again to compile.

A developer's tool: Babel is in the test group, never needed to build the site.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract as babel_extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = ("de",)
HEADER = """\
# {language} messages of Hub's {domain}: edit the msgstr lines, then run `make messages`.
# The msgid lines come from the code (English); tests/site/test_messages.py checks this file."""
# Dates in the header would change the file on every run; git knows when it changed.
STABLE_DATE = datetime(2026, 12, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Domain:
    """One catalogue: the code it is extracted from and where its files are."""

    name: str
    sources: tuple[Path, ...]  # the Python files
    locale: Path

    def po(self, language: str) -> Path:
        return self.locale / language / "LC_MESSAGES" / f"{self.name}.po"

    def mo(self, language: str) -> Path:
        return self.po(language).with_suffix(".mo")


def _uses_messages(path: Path) -> bool:
    return path.name != "i18n.py" and "translator(" in path.read_text(encoding="utf-8")


def domains() -> Iterator[Domain]:
    """Every package whose code asks for a translator, and tasks.py."""
    for package in sorted((ROOT / "plugins").glob("hub_*/__init__.py")):
        folder = package.parent
        if (folder / "locale").is_dir() or any(_uses_messages(path) for path in folder.rglob("*.py")):
            yield Domain(folder.name, tuple(sorted(folder.rglob("*.py"))), folder / "locale")
    yield Domain("tasks", (ROOT / "tasks.py",), ROOT / "locale")


def extract(domain: Domain) -> Catalog:
    """The English ids the code of `domain` uses, with the places they are used."""
    catalog = Catalog(domain=domain.name, project="Hub", charset="utf-8", creation_date=STABLE_DATE)
    for source in domain.sources:
        with source.open("rb") as handle:
            for line, message, comments, context in extract_python_messages(handle):
                where = source.relative_to(ROOT).as_posix()
                catalog.add(message, None, [(where, line)], auto_comments=comments, context=context)
    return catalog


def extract_python_messages(handle: BinaryIO) -> Iterator[tuple[int, str | tuple[str, ...], list[str], str | None]]:
    yield from babel_extract("python", handle, keywords=DEFAULT_KEYWORDS, strip_comment_tags=True)


def read(path: Path, language: str, domain: str) -> Catalog:
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=domain)
    else:
        catalog = Catalog(locale=language, domain=domain, charset="utf-8")
    catalog.header_comment = HEADER.format(
        language=catalog.locale.english_name if catalog.locale else language, domain=domain
    )
    catalog.project, catalog.version = "Hub", "1"
    catalog.msgid_bugs_address = catalog.last_translator = catalog.language_team = ""
    catalog.fuzzy = False
    return catalog


def merged(template: Catalog, existing: Catalog) -> Catalog:
    """`existing` brought up to `template`: ids in the code kept or added (empty), others dropped.

    No fuzzy matching: a changed English text is a new message and needs a translator's eye.
    """
    existing.update(template, no_fuzzy_matching=True)
    existing.obsolete.clear()
    return existing


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=120, omit_header=False, sort_output=True, include_lineno=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def translated(message: Message) -> bool:
    """Every form of the message has a translation, and no translator left it marked as unsure."""
    forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return all(forms) and not message.fuzzy


def main() -> int:
    for domain in domains():
        template = extract(domain)
        if not len(template) and not domain.locale.is_dir():
            continue
        for language in TRANSLATED:
            catalog = merged(template, read(domain.po(language), language, domain.name))
            catalog.creation_date = catalog.revision_date = STABLE_DATE
            domain.po(language).parent.mkdir(parents=True, exist_ok=True)
            domain.po(language).write_bytes(po_bytes(catalog))
            compiled = read(domain.po(language), language, domain.name)
            domain.mo(language).write_bytes(mo_bytes(compiled))
            missing = sum(1 for message in compiled if message.id and not translated(message))
            print(f"{domain.po(language).relative_to(ROOT)}: {len(compiled)} messages, {missing} without translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
