"""robots.txt: every crawler welcome, except in the editors' folders; where the sitemap is."""

from __future__ import annotations

from collections.abc import Iterable


def render_robots(sitemap_url: str | None, disallow: Iterable[str], prefix: str = "") -> str:
    """`disallow` are site-relative folders ('/redaktion/'); `prefix` is SITEURL's path ('/blog')."""
    lines = ["User-agent: *"]
    rules = [f"{prefix}/{path.strip('/')}/" for path in disallow if path.strip("/")]
    lines += [f"Disallow: {rule}" for rule in rules] or ["Disallow:"]  # an empty Disallow allows everything
    if sitemap_url:
        lines += ["", f"Sitemap: {sitemap_url}"]
    return "\n".join(lines) + "\n"
