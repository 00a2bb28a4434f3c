"""How each platform counts the length of a post, and how to shorten text to fit.

A teaser the platform counts as too long is refused after we have already decided to
post it, so every counter errs on the side of counting more, never less.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import regex

Counter = Callable[[str], int]

ELLIPSIS = "…"
# Mastodon and X replace every link by a t.co-sized placeholder before counting.
URL_LENGTH = 23

# Trailing punctuation is not part of a link in running text ("siehe https://x.de/a.").
_URL = regex.compile(r"""https?://[^\s<>"]*[^\s<>".,;:!?'")\]}…]""", regex.IGNORECASE)
# X also links bare domains ("firma.de"). twitter-text checks the TLD against its list;
# without that list any word.letters counts as a link, which can only overcount.
_BARE_DOMAIN = regex.compile(
    r"(?<![\w@./:-])(?:[\p{L}\p{N}][\p{L}\p{N}-]*\.)+\p{L}{2,}(?:[/?#][^\s<>\"]*[^\s<>\".,;:!?'\")\]}…])?(?![\w@])"
)
# One emoji as twitter-text's emoji regex sees it: flags, keycaps, and pictographs with
# skin tones, presentation selectors, tag sequences (🏴 of Scotland) and ZWJ joins.
_EMOJI = regex.compile(
    r"\p{Regional_Indicator}{2}"
    r"|[#*0-9]\uFE0F?\u20E3"
    r"|\p{Extended_Pictographic}(?:[\U0001F3FB-\U0001F3FF]|\uFE0F|[\U000E0020-\U000E007F])*"
    r"(?:\u200D\p{Extended_Pictographic}(?:[\U0001F3FB-\U0001F3FF]|\uFE0F)*)*"
)
_CLUSTER = regex.compile(r"\X")
_WORD = regex.compile(r"\S+")

# twitter-text config v3: weights at scale 100; code points outside these ranges weigh 200.
X_SCALE = 100
X_DEFAULT_WEIGHT = 200
X_RANGES = ((0, 4351, 100), (8192, 8205, 100), (8208, 8223, 100), (8242, 8247, 100))


def graphemes(text: str) -> int:
    """User-perceived characters: 👩🏽‍🔧, 🇩🇪 and "e\u0301" each count 1."""
    return len(_CLUSTER.findall(text))


def code_points(text: str) -> int:
    return len(text)


def utf16_units(text: str) -> int:
    """What Java and JavaScript call the length: characters beyond the BMP (most emoji) count 2."""
    return len(text.encode("utf-16-le")) // 2


def mastodon_length(text: str) -> int:
    """Mastodon's StatusLengthValidator: graphemes, with every http(s) link counting 23.

    Mastodon counts `@user@domain` mentions by their local part only; we count them in
    full, which can only overcount, and our teasers carry no mentions.
    """
    return graphemes(_URL.sub("x" * URL_LENGTH, text))


def bluesky_length(text: str) -> int:
    """Bluesky counts graphemes over the whole text; links count as written."""
    return graphemes(text)


def x_length(text: str) -> int:
    """twitter-text v3 weighted length in characters (the limit is 280).

    Each link counts 23, each emoji sequence 2, code points in the Latin, General
    Punctuation, … ranges 1 and everything else (CJK, most symbols) 2, after NFC.
    """
    text = unicodedata.normalize("NFC", text)
    weight = 0
    position = 0
    for link in _URL.finditer(text):
        weight += _x_plain(text[position : link.start()]) + URL_LENGTH * X_SCALE
        position = link.end()
    weight += _x_plain(text[position:])
    return weight // X_SCALE


def _x_plain(text: str) -> int:
    weight = 0
    position = 0
    for domain in _BARE_DOMAIN.finditer(text):
        weight += _x_weight(text[position : domain.start()])
        # Counted as a link (23) if X links it, as text if not: take the larger.
        weight += max(_x_weight(domain.group()), URL_LENGTH * X_SCALE)
        position = domain.end()
    return weight + _x_weight(text[position:])


def _x_weight(text: str) -> int:
    weight = 0
    for cluster in _CLUSTER.findall(text):
        emoji = _EMOJI.match(cluster)
        rest = cluster
        if emoji:
            weight += X_DEFAULT_WEIGHT
            rest = cluster[emoji.end() :]
        weight += sum(_x_code_point(ord(char)) for char in rest)
    return weight


def _x_code_point(code: int) -> int:
    for start, end, weight in X_RANGES:
        if start <= code <= end:
            return weight
    return X_DEFAULT_WEIGHT


COUNTERS: dict[str, Counter] = {
    "mastodon": mastodon_length,
    "bluesky": bluesky_length,
    "x": x_length,
    # LinkedIn documents "characters" without saying which; its API is Java, and UTF-16
    # units are never fewer than code points, so an emoji costs 2 here.
    "linkedin": utf16_units,
    # Chat webhooks and our own feeds: nobody refuses, the limit is editorial.
    "webhook": code_points,
    "feed": code_points,
}


def length_for(kind: str, text: str) -> int:
    """The length of `text` as a channel of type `kind` counts it."""
    try:
        counter = COUNTERS[kind]
    except KeyError:
        raise ValueError(f"no length rule for channel type '{kind}'; known: {', '.join(COUNTERS)}") from None
    return counter(text)


def shorten(text: str, budget: int, count: Counter = graphemes) -> str:
    """The longest run of whole words of `text` that, with "…" appended, fits `budget`.

    Cuts only between whitespace-separated words, so a word, grapheme cluster, hashtag
    or link is kept whole or dropped whole; a word too long to fit ends the text there.
    Text that fits as it is comes back unchanged; "" when not even the first word fits.
    """
    text = text.strip()
    if count(text) <= budget:
        return text
    # Every prefix that ends a word, except the whole text, which does not fit.
    candidates = [cut for cut in (_cut(text, word.end()) for word in _WORD.finditer(text)) if cut][:-1]
    # Longer prefixes never count less, so search for the last one that fits.
    best = ""
    low, high = 0, len(candidates) - 1
    while low <= high:
        middle = (low + high) // 2
        if count(candidates[middle]) <= budget:
            best = candidates[middle]
            low = middle + 1
        else:
            high = middle - 1
    return best


def _cut(text: str, end: int) -> str:
    """text[:end] ending in "…", without a comma, colon or dash dangling before it."""
    prefix = text[:end]
    while True:
        stripped = prefix.rstrip(" \t\n,;:–—")
        if stripped.endswith((" -", "\n-")):
            stripped = stripped[:-1]
        if stripped == prefix:
            break
        prefix = stripped
    return prefix + ELLIPSIS if prefix else ""
