"""The text one channel gets for one post: template filled, hashtags chosen, fitted to the limit.

Pure: a PostInfo and a ChannelConfig in, a Teaser out. The platform clients only send
what comes out of here, so what a reader sees is decided (and tested) in one place.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, unquote_plus, urlencode, urlsplit, urlunsplit

import regex
from hub_core.i18n import translator

from .channels import ChannelConfig
from .model import PostInfo, Teaser
from .textlength import Counter, length_for, shorten

_, ngettext = translator("hub_crosspost")

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")
_PLACEHOLDER = regex.compile(r"\{(title|teaser|link|hashtags|author|label)\}")
# Apostrophes join ("Girls' Day" is one word, "GirlsDay"); every other non-letter separates.
_APOSTROPHES = regex.compile(r"['’`´]")
_HASHTAG_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_INLINE_HASHTAG = regex.compile(r"#[\p{L}\p{M}\p{N}_]+")
_SPACES = regex.compile(r"[ \t]+")
_BLANK_LINES = regex.compile(r"\n{3,}")
# LinkedIn's "little text format": these must be escaped to stay plain text, and an
# unescaped one makes LinkedIn cut the post there without an error.
_LITTLE_RESERVED = regex.compile(r"([\\|{}@\[\]()<>#*_~])")


class TeaserTooLong(ValueError):
    """Even without hashtags, teaser and title, the link (and label) exceed the limit."""


def utm_link(url: str, channel_name: str, campaign: str | None) -> str:
    """`url` with utm_source=<channel>, utm_medium=social and utm_campaign=<campaign> added.

    The existing query is kept as written (only earlier utm_source/medium/campaign are
    replaced) and the fragment stays last, where browsers expect it.
    """
    if campaign is None:
        return url
    parts = urlsplit(url)
    kept = [pair for pair in parts.query.split("&") if pair and unquote_plus(pair.split("=", 1)[0]) not in UTM_KEYS]
    utm = urlencode({"utm_source": channel_name, "utm_medium": "social", "utm_campaign": campaign}, quote_via=quote)
    return urlunsplit(parts._replace(query="&".join([*kept, utm])))


def hashtag(tag: str) -> str:
    """ "#" and the tag in CamelCase ("Tag der offenen Tür" → "#TagDerOffenenTür"); "" if unusable.

    Letters (umlauts, ß, any script) and digits stay; punctuation and spaces go, because
    every platform ends a hashtag there. A tag without a letter ("2026", "4.0") gives ""
    since Mastodon and X do not link all-digit hashtags.
    """
    words = _HASHTAG_WORD.findall(_APOSTROPHES.sub("", unicodedata.normalize("NFC", tag)))
    name = "".join(_capitalized(word) for word in words)
    if not regex.search(r"\p{L}", name):
        return ""
    return "#" + name


def _capitalized(word: str) -> str:
    # "iPhone" and "eMobility" are written that way on purpose; "ß".upper() would be "SS".
    if regex.search(r"\p{Lu}", word[1:]) or len(word[0].upper()) != 1:
        return word
    return word[0].upper() + word[1:]


def teaser_text(post: PostInfo, channel_name: str) -> str:
    """The words a channel gets for `post`: its teaser for that channel, else the default
    teaser, else the summary, else the title."""
    teaser = post.teaser
    if isinstance(teaser, dict):
        teaser = teaser.get(channel_name) or teaser.get("default")
    for text in (teaser, post.summary, post.title):
        if text and text.strip():
            return text.strip()
    return ""


def authors(post: PostInfo, channel: ChannelConfig) -> str:
    """Each author's handle on this channel (by channel name, then type), else their name."""
    handles = post.author_handles or tuple({} for _ in post.author_names)
    return ", ".join(
        accounts.get(channel.name) or accounts.get(channel.type) or name
        for name, accounts in zip(post.author_names, handles, strict=False)
    )


def compose(
    post: PostInfo, channel: ChannelConfig, limit: int | None = None, *, count: Counter | None = None
) -> Teaser:
    """Fill the channel's template for `post` and fit it to `limit` (default: the channel's).

    Too long, it gives way in this order: hashtags from the last, then the teaser's last
    words, then the title's. The link and a sponsored post's label are never dropped;
    if they alone do not fit, TeaserTooLong. `count` overrides the platform's counting.
    """
    budget = channel.limit if limit is None else limit
    measure: Counter = count if count is not None else (lambda text: length_for(channel.type, text))
    link = utm_link(post.url, channel.name, channel.utm_campaign)
    label = channel.sponsored_label if post.sponsored_label else ""
    title = post.title.strip()
    teaser = teaser_text(post, channel.name)
    if "{title}" in channel.template and teaser == title:
        teaser = ""  # no summary: the title would appear twice
    tags = _hashtags(post, channel, already=f"{title} {teaser}")

    def build(title: str, teaser: str, tags: tuple[str, ...]) -> str:
        values = {
            "title": title,
            "teaser": teaser,
            "link": link,
            "hashtags": " ".join(tags),
            "author": authors(post, channel),
            "label": label,
        }
        text = _tidy(_PLACEHOLDER.sub(lambda match: values[match.group(1)], channel.template))
        if label and "{label}" not in channel.template:
            text = _label_prefix(label) + text
        return text

    text = build(title, teaser, tags)
    shortened = False
    while measure(text) > budget and tags:
        tags = tags[:-1]
        shortened = True
        text = build(title, teaser, tags)
    if measure(text) > budget:
        shortened = True
        teaser = shorten(teaser, budget, lambda candidate: measure(build(title, candidate, tags)))
        text = build(title, teaser, tags)
    if measure(text) > budget:
        title = shorten(title, budget, lambda candidate: measure(build(candidate, teaser, tags)))
        text = build(title, teaser, tags)
    length = measure(text)
    if length > budget:
        if label:
            message = _(
                "channel '{channel}': the teaser for post {post} is {length} characters long with only the link "
                "and the sponsored label left, over the limit of {limit}; shorten the sponsored_label of the channel"
            )
        else:
            message = _(
                "channel '{channel}': the teaser for post {post} is {length} characters long with only the link "
                "left, over the limit of {limit}"
            )
        raise TeaserTooLong(message.format(channel=channel.name, post=post.key, length=length, limit=budget))
    return Teaser(channel.name, text, link, length, budget, shortened, tags)


def _hashtags(post: PostInfo, channel: ChannelConfig, already: str) -> tuple[str, ...]:
    """The channel's fixed hashtags, then the post's tags: unique ignoring case, at most `max`."""
    config = channel.hashtags
    sources = [*config.always, *(post.tags if config.from_tags else ())]
    # A hashtag the editor already wrote into the teaser is not repeated below it.
    seen = {found.casefold() for found in _INLINE_HASHTAG.findall(already)}
    chosen: list[str] = []
    for source in sources:
        tag = hashtag(source)
        if tag and tag.casefold() not in seen and len(chosen) < config.max:
            seen.add(tag.casefold())
            chosen.append(tag)
    return tuple(chosen)


def _tidy(text: str) -> str:
    """Collapse the spaces and blank lines an empty placeholder leaves behind."""
    lines = [_SPACES.sub(" ", line).strip(" \t") for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _label_prefix(label: str) -> str:
    # "Anzeige: …", but "#ad …" and "Werbung: …" (a label that brings its own colon).
    if label.startswith("#") or label.endswith((":", "|", "–", "-")):
        return label + " "
    return label + ": "


def linkedin_little_text(text: str) -> str:
    r"""`text` escaped for the commentary of LinkedIn's Posts API: \ | { } @ [ ] ( ) < > # * _ ~
    each get a backslash, so LinkedIn shows them instead of reading mentions or templates."""
    return _LITTLE_RESERVED.sub(r"\\\1", text)


def linkedin_commentary(teaser: Teaser) -> str:
    r"""The teaser as LinkedIn commentary: all escaped, its hashtags as {hashtag|\#|Name} templates.

    Only the hashtags we chose become LinkedIn hashtags; any other "#" stays plain text.
    """
    text = linkedin_little_text(teaser.text)
    for tag in teaser.hashtags:
        name = tag.lstrip("#")
        # Whole words only: "#KI" must not turn the start of "#KIStrategie" or a URL's #fragment into a hashtag.
        pattern = regex.compile(r"(?<!\S)\\#" + regex.escape(name) + r"(?![\p{L}\p{M}\p{N}_])")
        text = pattern.sub(lambda _match, name=name: "{hashtag|\\#|" + name + "}", text)
    return text
