"""Which post a counted path belongs to: every address it ever had, as the logs write them.

A log names the path as the reader's browser asked for it: with or without SITEURL's path prefix (a
CDN in front of a bucket folder, or not), percent-encoded or not, `…/slug/` or `…/slug/index.html`,
sometimes `…/slug` without the slash. Pelican's URLs (and the record of published addresses,
hub_redirects) are relative to SITEURL, without a leading slash. `address_of` brings both to one
form; `AddressBook` maps that form to a post's key.

The record (data/published-urls.yaml) lists, per source file, every address the post was public
under, oldest first: views at an old address count for the post. An editor's hand-written redirect
(`redirects:`) is followed to its post too. Where one address is a post's address today, it is that
post's, whatever the record says of older owners; an old address that two posts both had counts
for neither (we cannot tell whose readers they were).

Pure: paths and mappings in, keys out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

INDEX_FILES = ("index.html", "index.htm")


def site_prefix(siteurl: str) -> str:
    """SITEURL's path as logged paths may start with it: "https://x.example/blog" → "blog/"; "" for none."""
    path = urlsplit(siteurl).path.strip("/")
    return f"{path}/" if path else ""


def address_of(path: str) -> str:
    """A URL path or a Pelican URL in one form: decoded, no leading slash, `index.html` dropped,
    a folder with its trailing slash (`2026/slug` and `2026/slug/index.html` are `2026/slug/`)."""
    address = unquote(path.split("?", 1)[0].split("#", 1)[0]).lstrip("/")
    folder, _, last = address.rpartition("/")
    if last.lower() in INDEX_FILES:
        return f"{folder}/" if folder else ""
    if last and "." not in last:
        return f"{address}/"  # a static server answers `slug` with `slug/index.html`
    return address


@dataclass(frozen=True)
class AddressBook:
    """Address (address_of form) → post key; `prefix`: SITEURL's path (site_prefix form)."""

    owners: Mapping[str, str] = field(default_factory=dict)
    prefix: str = ""

    def post_of(self, path: str) -> str | None:
        """The key of the post a logged path shows, or None (a listing, a page, an asset, unknown)."""
        address = address_of(path)
        key = self.owners.get(address)
        if key is None and self.prefix and address.startswith(self.prefix):
            key = self.owners.get(address[len(self.prefix) :])
        return key

    @classmethod
    def build(
        cls,
        current: Mapping[str, tuple[str, str]],
        published: Mapping[str, Iterable[str]],
        redirects: Mapping[str, str] | None = None,
        *,
        prefix: str = "",
    ) -> AddressBook:
        """`current`: source file (relative to content/) → (post key, its URL today); `published` and
        `redirects`: the record's two parts (hub_redirects.record.UrlRecord). Sources that are not
        posts (pages, deleted posts) are left out."""
        owners = {address_of(url): key for key, url in current.values()}
        claims: dict[str, set[str]] = {}
        for source, urls in published.items():
            if source in current:
                for url in urls:
                    claims.setdefault(address_of(url), set()).add(current[source][0])
        old = {address: keys.pop() for address, keys in claims.items() if len(keys) == 1 and address not in owners}
        owners = {**old, **owners}
        redirects = redirects or {}
        for start in redirects:
            key = _follow(start, redirects, owners)
            if key is not None and address_of(start) not in owners:
                owners[address_of(start)] = key
        return cls(owners, prefix)


def _follow(start: str, redirects: Mapping[str, str], owners: Mapping[str, str]) -> str | None:
    """The post an editor's redirect leads to, through further redirects; None for a loop or no post."""
    seen = {start}
    url = redirects[start]
    while url not in seen:
        key = owners.get(address_of(url))
        if key is not None:
            return key
        if url not in redirects:
            return None
        seen.add(url)
        url = redirects[url]
    return None
