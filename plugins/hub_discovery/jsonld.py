"""schema.org BlogPosting for a post, as a dict: the template serialises it with `|tojson`.

Built as data, never as text, so it is always well-formed JSON; Jinja's tojson escapes
'<', '>', '&' and "'", so no title can close the <script> element it stands in.
"""

from __future__ import annotations

from typing import Any

from .content import Site, lang_of, last_modified, plain_text, published, shorten


def person(name: str, role: str = "", url: str = "") -> dict[str, Any]:
    result: dict[str, Any] = {"@type": "Person", "name": name}
    if role:
        result["jobTitle"] = role
    if url:
        result["url"] = url
    return result


def authors(article: Any, site: Site) -> list[dict[str, Any]]:
    """Every byline author: name and job title from the team, the author page as url."""
    pages = {a.name: site.absolute(a.url) for a in getattr(article, "authors", None) or []}
    roles = {m.name: m.role for m in getattr(article, "team_authors", None) or []}
    names = list(pages) or list(roles)
    return [person(name, roles.get(name, ""), pages.get(name, "")) for name in names]


def publisher(site: Site) -> dict[str, Any]:
    result: dict[str, Any] = {"@type": "Organization", "name": site.company_name or site.name}
    if site.company_url:
        result["url"] = site.company_url
    if site.publisher_logo:
        logo: dict[str, Any] = {"@type": "ImageObject", "url": site.absolute(site.publisher_logo)}
        if site.publisher_logo_size:
            logo["width"], logo["height"] = site.publisher_logo_size
        result["logo"] = logo
    return result


def images(article: Any, site: Site) -> list[str]:
    """The header photo (the real picture) first, then the post's 1200×630 social card."""
    found = []
    image = getattr(article, "image", None)
    if image is not None and getattr(image, "path", None):
        found.append(site.absolute(image.path))
    card = getattr(article, "social_card", None)
    if card:
        found.append(site.absolute(card))
    return found


def blog_posting(article: Any, site: Site, url: str) -> dict[str, Any]:
    """BlogPosting with what Google's Article guidelines ask for; `url` is the canonical URL."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": str(article.title),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": lang_of(article, site.default_lang),
    }
    description = shorten(plain_text(getattr(article, "summary", None)))
    if description:
        data["description"] = description
    date, modified = published(article), last_modified(article)
    if date is not None:
        data["datePublished"] = date.isoformat()
    if modified is not None:
        data["dateModified"] = modified.isoformat()
    pictures = images(article, site)
    if pictures:
        data["image"] = pictures
    people = authors(article, site)
    if people:
        data["author"] = people[0] if len(people) == 1 else people
    data["publisher"] = publisher(site)
    data["isPartOf"] = {"@type": "Blog", "name": site.name, "url": site.absolute("")}
    category = getattr(article, "category", None)
    if category is not None:
        data["articleSection"] = category.name
    tags = [tag.name for tag in getattr(article, "tags", None) or []]
    if tags:
        data["keywords"] = tags
    partner = str(getattr(getattr(article, "sponsored", None), "partner", "") or "")
    if partner:
        data["sponsor"] = {"@type": "Organization", "name": partner}
    return data
