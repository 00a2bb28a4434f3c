"""The record of published addresses: every URL each post or page has been public under (pure).

Kept in a file in the repository (HUB_URL_RECORD, default `data/published-urls.yaml`), which every
build, development or production, brings up to date and the editors commit with their change. So
an address a post once had is still known in a fresh checkout, and a later build can send readers
from it to where the post lives now. A post is known by its source file (relative to `content/`):
its slug, title, date or category may change, its file usually does not.

The file also holds the redirects an editor writes by hand (`redirects:`, old address: new
address), e.g. for a post whose file was renamed or merged into another. The build rewrites the
file only when a post got a new address, keeping that section as it reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml
from hub_core.i18n import translator
from hub_core.yamlsource import SafeLoader

_, _ngettext = translator("hub_redirects")
HEADER = """\
# Adressen veröffentlichter Beiträge und Seiten: beim Erzeugen der Website gepflegt.
# Ändert sich die Adresse eines Beitrags (Slug, Titel, Datum, Kategorie), leitet die alte Adresse
# auf die neue weiter. Diese Datei gehört zu Ihren Änderungen: bitte mit einchecken.
# Eigene Weiterleitungen unter `redirects:` als „alte/adresse/: neue/adresse/“ eintragen.
"""


class RecordError(ValueError):
    """The file is not a record this module wrote or an editor extended in its format."""


@dataclass(frozen=True)
class UrlRecord:
    """`published`: source path → its URLs, oldest first, the newest last. `redirects`: the editors' own."""

    published: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    redirects: Mapping[str, str] = field(default_factory=dict)

    def remember(self, current: Mapping[str, str]) -> UrlRecord:
        """The record after a build in which each source of `current` was public at its URL.

        A URL that comes back moves to the end: it is the post's address again, not an old one."""
        published = dict(self.published)
        for source, url in current.items():
            known = published.get(source, ())
            if known[-1:] != (url,):
                published[source] = (*(old for old in known if old != url), url)
        return UrlRecord(published, self.redirects)

    def changed_addresses(self, before: UrlRecord) -> list[tuple[str, str, str]]:
        """(source, old URL, new URL) for every post whose newest URL differs from `before`'s."""
        changes = []
        for source, urls in sorted(self.published.items()):
            earlier = before.published.get(source, ())
            if earlier and earlier[-1] != urls[-1]:
                changes.append((source, earlier[-1], urls[-1]))
        return changes


def normalize_url(url: str) -> str:
    """As Pelican writes a content URL: relative to SITEURL, without a leading slash."""
    return url.strip().lstrip("/")


def parse_record(text: str) -> UrlRecord:
    """The record in `text`; RecordError says what does not fit."""
    try:
        data = yaml.load(
            text, Loader=SafeLoader
        )  # libyaml's where installed: the build reads it, so does the dashboard
    except yaml.YAMLError as error:
        raise RecordError(_("not readable as YAML: {error}").format(error=error)) from None
    if data is None:
        return UrlRecord()
    if not isinstance(data, dict):
        raise RecordError(_("expected the keys published and redirects"))
    unknown = sorted(str(key) for key in data if key not in ("published", "redirects"))
    if unknown:
        raise RecordError(_("expected the keys published and redirects, found {keys}").format(keys=", ".join(unknown)))
    published: dict[str, tuple[str, ...]] = {}
    for source, urls in (data.get("published") or {}).items():
        if not isinstance(urls, list) or not urls or not all(isinstance(url, str) for url in urls):
            raise RecordError(_("published: {source}: expected a list of addresses").format(source=source))
        published[str(source)] = tuple(normalize_url(url) for url in urls)
    redirects: dict[str, str] = {}
    for old, new in (data.get("redirects") or {}).items():
        if not isinstance(old, str) or not isinstance(new, str) or not new.strip():
            raise RecordError(_("redirects: {old}: expected an old address and a new one").format(old=old))
        redirects[normalize_url(old)] = normalize_url(new)
    return UrlRecord(published, redirects)


def render_record(record: UrlRecord) -> str:
    """The file's text: sorted, so two builds of the same site write the same bytes."""
    body: dict[str, object] = {"published": {source: list(urls) for source, urls in sorted(record.published.items())}}
    if record.redirects:
        body["redirects"] = dict(sorted(record.redirects.items()))
    dumped = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, default_flow_style=False, width=200)
    return HEADER + dumped
