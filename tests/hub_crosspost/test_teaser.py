"""Teaser composition and each platform's way of counting: pure functions, no network."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from hub_crosspost.channels import LIMITS, MAX_HASHTAGS, TEMPLATES, ChannelConfig, Hashtags
from hub_crosspost.model import PostInfo, Teaser
from hub_crosspost.teaser import (
    TeaserTooLong,
    compose,
    hashtag,
    linkedin_commentary,
    linkedin_little_text,
    teaser_text,
    utm_link,
)
from hub_crosspost.textlength import (
    Counter,
    bluesky_length,
    code_points,
    graphemes,
    length_for,
    mastodon_length,
    shorten,
    utf16_units,
    x_length,
)

BERLIN = ZoneInfo("Europe/Berlin")
URL = "https://blog.example.de/2026/tag-der-offenen-tuer.html"
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenhersteller"
WORKER = "👩🏽‍🔧"  # woman, skin tone, ZWJ, wrench: 4 code points, one character
FLAG = "🇩🇪"  # two regional indicators


def make_channel(kind: str = "mastodon", **changes: Any) -> ChannelConfig:
    channel = ChannelConfig(
        name=kind,
        type=kind,
        since=None,
        line=1,
        template=TEMPLATES[kind],
        limit=LIMITS[kind],
        hashtags=Hashtags(max=MAX_HASHTAGS[kind]),
    )
    return replace(channel, **changes)


def make_post(**changes: Any) -> PostInfo:
    post = PostInfo(
        key="de/tag-der-offenen-tuer",
        title="Tag der offenen Tür im Prüflabor",
        url=URL,
        date=datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN),
        summary="Am Samstag öffnen wir das Prüflabor für Familien: Führungen, Versuche zum Mitmachen und Kuchen.",
        tags=("Prüflabor", "Tag der offenen Tür", "Ausbildung"),
        author_names=("Jana Döring",),
    )
    return replace(post, **changes)


# --- counting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (WORKER, 1),
        (FLAG, 1),
        ("e\u0301", 1),  # e + combining acute
        ("1️⃣", 1),  # keycap
        ("Straße", 6),
        ("Übergrößenträger", 16),
        (f"{WORKER} {FLAG} Café", 8),
        ("", 0),
    ],
)
def test_graphemes_count_what_a_reader_sees(text: str, expected: int) -> None:
    assert graphemes(text) == expected


def test_mastodon_counts_every_link_as_23_and_the_rest_as_graphemes() -> None:
    long_link = "https://blog.example.de/" + "a" * 200
    assert mastodon_length(long_link) == 23
    assert mastodon_length("http://t.co") == 23  # short links too
    assert mastodon_length(f"Schön {WORKER} {long_link}") == 5 + 1 + 1 + 1 + 23
    assert mastodon_length(f"Zwei: {long_link} und {URL}") == len("Zwei: ") + 23 + len(" und ") + 23


def test_a_full_stop_after_a_link_is_not_part_of_it() -> None:
    assert mastodon_length(f"Mehr unter {URL}.") == len("Mehr unter ") + 23 + 1
    assert mastodon_length(f"(siehe {URL})") == 1 + len("siehe ") + 23 + 1


def test_bluesky_counts_links_as_written() -> None:
    assert bluesky_length(URL) == len(URL)
    assert bluesky_length(f"{WORKER} {FLAG} {URL}") == 4 + len(URL)
    assert bluesky_length("Schöne Grüße") == 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Cases from twitter-text's conformance suite (validate.yml, with discounted emoji).
        ("Hi http://test.co", 26),
        ("http://test.co", 23),
        ("😷👾😡🔥💩", 10),
        ("🙋🏽👨‍🎤", 4),
        ("H🐱☺👨‍👩‍👧‍👦", 7),
        ("ÁB", 2),
        ("the故人西辞黄鹤楼", 3 + 2 * 7),
        # Ours.
        ("Straße Übergrößen", 17),  # Latin-1 and Latin Extended weigh 1
        ("e\u0301", 1),  # NFC makes it one é
        (WORKER, 2),  # one emoji sequence, however many code points
        (FLAG, 2),
        ("日本語", 6),  # CJK weighs 2
        ("한국어", 6),
        ("a–b", 3),  # en dash: General Punctuation weighs 1
        ("…", 2),  # the ellipsis is outside the light ranges
        (f"Neu: {URL}", 5 + 23),
    ],
)
def test_x_weighted_length(text: str, expected: int) -> None:
    assert x_length(text) == expected


def test_x_counts_cjk_twice_as_heavy_as_latin() -> None:
    assert x_length("日" * 140) == 280
    assert x_length("a" * 280) == 280
    assert x_length("日" * 141) > 280


def test_x_counts_a_bare_domain_at_least_as_a_link() -> None:
    # X links "firma.de" and counts it 23; counting less would get the post refused.
    assert x_length("Mehr auf firma.de") >= len("Mehr auf ") + 23
    assert x_length("Mail an info@firma.de") == len("Mail an info@firma.de")  # an address is no link
    assert x_length("z.B. und d.h. bleiben Text") == len("z.B. und d.h. bleiben Text")


def test_linkedin_webhook_and_feed_counts() -> None:
    assert utf16_units("😀") == 2
    assert length_for("linkedin", f"Hallo {WORKER}") == 6 + 7  # surrogate pairs count 2, ZWJ 1
    assert code_points("e\u0301") == 2
    assert length_for("webhook", "e\u0301") == 2
    assert length_for("feed", URL) == len(URL)


def test_length_for_dispatches_on_the_channel_type() -> None:
    text = f"Schön {URL}"
    assert length_for("mastodon", text) == mastodon_length(text)
    assert length_for("bluesky", text) == bluesky_length(text)
    assert length_for("x", text) == x_length(text)
    with pytest.raises(ValueError, match="'myspace'"):
        length_for("myspace", text)


# --- shortening ---------------------------------------------------------------------------


def test_shorten_cuts_at_a_word_boundary_and_appends_an_ellipsis() -> None:
    text = "Am Samstag öffnen wir das Prüflabor für Familien"
    assert shorten(text, 20) == "Am Samstag öffnen…"
    assert shorten(text, 19) == "Am Samstag öffnen…"
    assert shorten(text, 17) == "Am Samstag…"


def test_shorten_leaves_text_that_fits_alone() -> None:
    assert shorten("  Kurz und gut. ", 20) == "Kurz und gut."


def test_shorten_drops_a_long_word_whole() -> None:
    text = f"Die {LONG_WORD} kommt"
    for budget in range(5, len(f"Die {LONG_WORD}") + 1):
        assert shorten(text, budget) == "Die…"
    assert shorten(text, len(f"Die {LONG_WORD}…")) == f"Die {LONG_WORD}…"
    assert shorten(f"{LONG_WORD} kommt", 40) == ""


def test_shorten_returns_nothing_when_not_even_one_word_fits() -> None:
    assert shorten("Prüflabor offen", 3) == ""
    assert shorten("Prüflabor offen", 10) == "Prüflabor…"


def test_shorten_leaves_no_comma_or_dash_before_the_ellipsis() -> None:
    assert shorten("Führungen, Versuche und Kuchen", 12) == "Führungen…"
    assert shorten("Führungen – Versuche und Kuchen", 12) == "Führungen…"
    assert shorten("Samstag: Führungen und Kuchen", 10) == "Samstag…"


def test_shorten_never_splits_a_link_or_a_hashtag() -> None:
    text = f"Alles unter {URL} #Prüflabor #TagDerOffenenTür"
    for budget in range(1, len(text)):
        result = shorten(text, budget, bluesky_length)
        assert result == "" or text.startswith(result.removesuffix("…"))
        words = result.removesuffix("…").split()
        assert all(word in text.split() for word in words)
        assert bluesky_length(result) <= budget


def test_shorten_never_splits_a_grapheme_cluster() -> None:
    text = f"{WORKER}{WORKER}{WORKER} {FLAG}{FLAG} e\u0301e\u0301e\u0301"
    results = {shorten(text, budget) for budget in range(1, 12)}
    assert results == {"", f"{WORKER}{WORKER}{WORKER}…", f"{WORKER}{WORKER}{WORKER} {FLAG}{FLAG}…", text}


@pytest.mark.parametrize("count", [graphemes, mastodon_length, x_length, utf16_units])
def test_shorten_takes_the_longest_prefix_that_fits(count: Counter) -> None:
    text = f"Große Neuigkeit {WORKER}: 日本語 Gäste, {URL} und ein {LONG_WORD} am Ende #Prüflabor"
    words = text.split()
    for budget in range(0, count(text) + 2):
        result = shorten(text, budget, count)
        assert count(result) <= budget
        if result == text:
            continue
        kept = len(result.removesuffix("…").split())
        # One word more would not fit.
        if result and kept < len(words):
            longer = " ".join(words[: kept + 1]).rstrip(",:") + "…"
            assert count(longer) > budget


def test_shorten_counts_the_ellipsis_as_the_platform_does() -> None:
    # On X "…" weighs 2: "Hallo…" is 7, so a budget of 6 leaves nothing.
    assert shorten("Hallo Welt", 7, x_length) == "Hallo…"
    assert shorten("Hallo Welt", 6, x_length) == ""
    assert shorten("Hallo Welt", 6, graphemes) == "Hallo…"


# --- links, hashtags, teaser text ---------------------------------------------------------


def test_utm_parameters_parse_back() -> None:
    link = utm_link(URL, "mastodon-firma", "herbst 2026")
    parts = urlsplit(link)
    assert parts._replace(query="").geturl() == URL
    assert parse_qs(parts.query) == {
        "utm_source": ["mastodon-firma"],
        "utm_medium": ["social"],
        "utm_campaign": ["herbst 2026"],
    }


def test_utm_keeps_the_existing_query_and_fragment() -> None:
    link = utm_link("https://blog.example.de/post.html?lang=de&ref=a%20b#kommentare", "x", "blog")
    parts = urlsplit(link)
    assert parts.fragment == "kommentare"
    assert parts.query.startswith("lang=de&ref=a%20b&")
    query = parse_qs(parts.query)
    assert query["lang"] == ["de"]
    assert query["ref"] == ["a b"]
    assert query["utm_source"] == ["x"]
    assert query["utm_campaign"] == ["blog"]


def test_utm_replaces_earlier_utm_parameters() -> None:
    link = utm_link("https://blog.example.de/p.html?utm_source=old&utm_medium=mail&id=7", "bluesky", "blog")
    query = parse_qs(urlsplit(link).query)
    assert query == {"id": ["7"], "utm_source": ["bluesky"], "utm_medium": ["social"], "utm_campaign": ["blog"]}


def test_utm_none_leaves_the_url_alone() -> None:
    assert utm_link(URL, "mastodon", None) == URL


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("Girls' Day", "#GirlsDay"),
        ("Girls’ Day", "#GirlsDay"),
        ("Tag der offenen Tür", "#TagDerOffenenTür"),
        ("Prüflabor", "#Prüflabor"),
        ("Straßenbau", "#Straßenbau"),
        ("Industrie 4.0", "#Industrie40"),
        ("3D-Druck", "#3DDruck"),
        ("E-Mobilität", "#EMobilität"),
        ("künstliche Intelligenz", "#KünstlicheIntelligenz"),
        ("iPhone", "#iPhone"),
        ("#Ausbildung", "#Ausbildung"),
        ("Cafe\u0301", "#Café"),
        ("2026", ""),
        ("4.0", ""),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_hashtag_camel_case(tag: str, expected: str) -> None:
    assert hashtag(tag) == expected


def test_teaser_text_per_channel_then_default_then_summary_then_title() -> None:
    override = {"mastodon": "Für das Fediverse.", "default": "Für alle."}
    assert teaser_text(make_post(teaser=override), "mastodon") == "Für das Fediverse."
    assert teaser_text(make_post(teaser=override), "bluesky") == "Für alle."
    assert teaser_text(make_post(teaser={"x": "Nur X."}), "bluesky") == make_post().summary
    assert teaser_text(make_post(teaser="  Für alle Kanäle.  "), "x") == "Für alle Kanäle."
    assert teaser_text(make_post(teaser="   ", summary=None), "x") == "Tag der offenen Tür im Prüflabor"


# --- compose ------------------------------------------------------------------------------


def test_compose_fills_the_template() -> None:
    teaser = compose(make_post(), make_channel("mastodon"))
    link = utm_link(URL, "mastodon", "blog")
    assert teaser == Teaser(
        channel="mastodon",
        text=f"{make_post().summary}\n\n{link}\n\n#Prüflabor #TagDerOffenenTür #Ausbildung",
        link=link,
        length=mastodon_length(teaser.text),
        limit=500,
        shortened=False,
        hashtags=("#Prüflabor", "#TagDerOffenenTür", "#Ausbildung"),
    )


def test_compose_fills_author_and_label_placeholders() -> None:
    channel = make_channel("webhook", template="{label} {title} ({author})\n{link}")
    post = make_post(author_names=("Jana Döring", "Max Muster"), sponsored_label="Anzeige")
    teaser = compose(post, channel)
    assert teaser.text.splitlines()[0] == "Anzeige Tag der offenen Tür im Prüflabor (Jana Döring, Max Muster)"


def test_empty_placeholders_leave_no_gaps() -> None:
    channel = make_channel("linkedin", template="{label} {title} {author}\n\n\n{teaser}\n\n{hashtags}\n\n{link}")
    post = make_post(author_names=(), tags=(), summary=None)
    teaser = compose(post, channel)
    assert teaser.text == f"Tag der offenen Tür im Prüflabor\n\n{teaser.link}"


def test_title_is_not_repeated_as_teaser_when_there_is_no_summary() -> None:
    teaser = compose(make_post(summary=None), make_channel("linkedin"))
    assert teaser.text.count("Tag der offenen Tür im Prüflabor") == 1


def test_hashtags_always_first_then_tags_unique_ignoring_case_at_most_max() -> None:
    channel = make_channel("mastodon", hashtags=Hashtags(from_tags=True, max=3, always=("prüflabor", "Firma")))
    teaser = compose(make_post(tags=("Prüflabor", "Firma", "Ausbildung", "Karriere")), channel)
    assert teaser.hashtags == ("#Prüflabor", "#Firma", "#Ausbildung")


def test_hashtags_from_tags_can_be_switched_off() -> None:
    channel = make_channel("mastodon", hashtags=Hashtags(from_tags=False, max=3, always=("Firma",)))
    assert compose(make_post(), channel).hashtags == ("#Firma",)
    assert compose(make_post(), make_channel("mastodon", hashtags=Hashtags(False, 0))).hashtags == ()


def test_a_hashtag_already_in_the_teaser_is_not_repeated() -> None:
    post = make_post(teaser="Besuchen Sie unser #Prüflabor am Samstag!")
    teaser = compose(post, make_channel("mastodon"))
    assert teaser.text.count("#Prüflabor") == 1
    assert teaser.hashtags == ("#TagDerOffenenTür", "#Ausbildung")


def test_tags_without_letters_give_no_hashtag() -> None:
    assert compose(make_post(tags=("2026", "Ausbildung")), make_channel("mastodon")).hashtags == ("#Ausbildung",)


def test_hashtags_are_dropped_from_the_end_before_any_teaser_word() -> None:
    channel = make_channel("mastodon")
    full = compose(make_post(), channel)
    teaser = compose(make_post(), channel, limit=full.length - 1)
    assert teaser.shortened
    assert teaser.hashtags == full.hashtags[:-1]
    assert str(make_post().summary) in teaser.text
    assert teaser.length <= full.length - 1


def test_the_teaser_is_shortened_once_all_hashtags_are_gone() -> None:
    channel = make_channel("mastodon")
    bare = compose(make_post(tags=()), channel)
    teaser = compose(make_post(), channel, limit=bare.length - 1)
    assert teaser.hashtags == ()
    first_line = teaser.text.split("\n\n")[0]
    assert first_line.endswith("…")
    assert str(make_post().summary).startswith(first_line.removesuffix("…"))
    assert teaser.link in teaser.text
    assert teaser.length <= bare.length - 1
    assert teaser.length == mastodon_length(teaser.text)


def test_the_title_is_shortened_last() -> None:
    channel = make_channel("linkedin", template="{title}\n\n{teaser}\n\n{link}")
    post = make_post(title=f"Tag der offenen Tür: {LONG_WORD} und mehr")
    link = utm_link(URL, "linkedin", "blog")
    teaser = compose(post, channel, 60 + len(link), count=len)
    assert teaser.text == f"Tag der offenen Tür…\n\n{link}"
    assert teaser.shortened


def test_the_link_is_never_dropped() -> None:
    channel = make_channel("bluesky")
    link = utm_link(URL, "bluesky", "blog")
    for limit in range(len(link), len(link) + 120, 7):
        teaser = compose(make_post(), channel, limit=limit)
        assert teaser.link == link
        assert teaser.text.endswith(link)
        assert teaser.length <= limit


def test_too_long_even_with_only_the_link_raises() -> None:
    with pytest.raises(TeaserTooLong) as raised:
        compose(make_post(), make_channel("bluesky"), limit=30)
    message = str(raised.value)
    assert "'bluesky'" in message
    assert "de/tag-der-offenen-tuer" in message
    assert str(len(utm_link(URL, "bluesky", "blog"))) in message
    assert "30" in message
    assert isinstance(raised.value, ValueError)  # the runner skips the post on ValueError


def test_links_count_23_on_mastodon_and_x_but_fully_on_bluesky() -> None:
    post = make_post(url="https://blog.example.de/" + "sehr-langer-pfad/" * 6 + "post.html")
    limit = 250
    mastodon = compose(post, make_channel("mastodon"), limit=limit)
    x = compose(post, make_channel("x"), limit=limit)
    bluesky = compose(post, make_channel("bluesky"), limit=limit)
    assert not mastodon.shortened
    assert not x.shortened
    assert bluesky.shortened  # the link alone takes more than half
    assert bluesky.length <= limit
    assert len(bluesky.text) < len(mastodon.text)


def test_x_shortens_cjk_twice_as_early_as_latin() -> None:
    cjk = make_post(summary="日本語のテキスト " * 30, tags=())
    latin = make_post(summary="Lateinische Worte " * 30, tags=())
    cjk_teaser = compose(cjk, make_channel("x"))
    latin_teaser = compose(latin, make_channel("x"))
    assert cjk_teaser.length <= 280
    assert latin_teaser.length <= 280
    assert x_length(cjk_teaser.text) == cjk_teaser.length
    teaser_chars = len(cjk_teaser.text.split(" https://")[0])
    assert teaser_chars < len(latin_teaser.text.split(" https://")[0]) * 0.6


def test_emoji_and_umlauts_in_a_shortened_teaser_stay_whole() -> None:
    summary = f"{WORKER} Prüfingenieurinnen zeigen {FLAG} Messgeräte für Größe, Maß und Gewicht e\u0301 " * 10
    for kind in ("mastodon", "bluesky", "x"):
        teaser = compose(make_post(summary=summary), make_channel(kind))
        assert teaser.shortened
        assert teaser.length <= LIMITS[kind]
        body = teaser.text.split("\n\n")[0].split(" https://")[0].removesuffix("…")
        assert summary.startswith(body)
        assert summary[len(body)] in " ,"  # cut between words, never inside one


def test_sponsored_label_goes_first_and_is_never_dropped() -> None:
    post = make_post(sponsored_label="Anzeige")
    channel = make_channel("bluesky", sponsored_label="Anzeige")
    teaser = compose(post, channel)
    assert teaser.text.startswith("Anzeige: Am Samstag")
    link = utm_link(URL, "bluesky", "blog")
    tight = compose(post, channel, limit=len("Anzeige: ") + len(link) + 2)
    assert tight.text == f"Anzeige: {link}"
    with pytest.raises(TeaserTooLong, match="label"):
        compose(post, channel, limit=len(link) + 3)


def test_sponsored_label_uses_the_channels_wording() -> None:
    post = make_post(sponsored_label="In Kooperation mit Beispiel AG")
    assert compose(post, make_channel("x", sponsored_label="#ad")).text.startswith("#ad Am Samstag")
    assert compose(post, make_channel("mastodon", sponsored_label="Werbung:")).text.startswith("Werbung: Am")


def test_sponsored_label_goes_where_the_template_says() -> None:
    channel = make_channel("mastodon", template="{teaser}\n\n{link}\n\n{label}")
    teaser = compose(make_post(sponsored_label="Anzeige"), channel)
    assert teaser.text.endswith("\n\nAnzeige")
    assert teaser.text.count("Anzeige") == 1
    assert compose(make_post(), channel).text.endswith(teaser.link)


def test_per_channel_teaser_override() -> None:
    post = make_post(teaser={"mastodon": "Tröt: wir öffnen!", "default": "Wir öffnen das Labor."})
    assert compose(post, make_channel("mastodon")).text.startswith("Tröt: wir öffnen!")
    assert compose(post, make_channel("bluesky")).text.startswith("Wir öffnen das Labor.")
    assert compose(post, make_channel("mastodon", name="mastodon-azubis")).text.startswith("Wir öffnen")


def test_count_and_positional_limit_override_the_platform() -> None:
    channel = make_channel("mastodon")
    teaser = compose(make_post(), channel, 200, count=len)
    assert teaser.limit == 200
    assert teaser.length == len(teaser.text) <= 200


def test_no_utm_when_the_channel_says_so() -> None:
    teaser = compose(make_post(), make_channel("mastodon", utm_campaign=None))
    assert teaser.link == URL
    assert URL in teaser.text


# --- LinkedIn -----------------------------------------------------------------------------


@pytest.mark.parametrize("char", list("\\|{}@[]()<>#*_~"))
def test_linkedin_little_text_escapes_each_reserved_character(char: str) -> None:
    assert linkedin_little_text(f"a{char}b") == f"a\\{char}b"


def test_linkedin_little_text_leaves_other_text_alone() -> None:
    text = f"Schöne Grüße, 50 % & mehr! {WORKER} „Zitat“ – Ende."
    assert linkedin_little_text(text) == text


def test_linkedin_commentary_turns_chosen_hashtags_into_templates() -> None:
    teaser = Teaser(
        channel="linkedin",
        text="Tag der offenen Tür (Samstag) bei #Firma\n\nhttps://x.de/a_b#top\n\n#Prüflabor #GirlsDay",
        link="https://x.de/a_b#top",
        length=0,
        limit=3000,
        hashtags=("#Prüflabor", "#GirlsDay", "#top"),
    )
    assert linkedin_commentary(teaser) == (
        "Tag der offenen Tür \\(Samstag\\) bei \\#Firma\n\n"
        "https://x.de/a\\_b\\#top\n\n"
        "{hashtag|\\#|Prüflabor} {hashtag|\\#|GirlsDay}"
    )


def test_linkedin_commentary_matches_whole_hashtags_only() -> None:
    teaser = Teaser("linkedin", "#KIStrategie und #KI", "https://x.de", 0, 3000, hashtags=("#KI",))
    assert linkedin_commentary(teaser) == "\\#KIStrategie und {hashtag|\\#|KI}"


def test_linkedin_commentary_of_a_composed_teaser() -> None:
    teaser = compose(make_post(), make_channel("linkedin"))
    commentary = linkedin_commentary(teaser)
    assert "{hashtag|\\#|TagDerOffenenTür}" in commentary
    assert "utm\\_source=linkedin" in commentary
    # Nothing reserved is left unescaped outside the templates.
    plain = re.sub(r"\{hashtag\|\\#\|[^}]+\}", "", commentary)
    assert not re.search(r"(?<!\\)[|{}@\[\]()<>#*_~]", plain)


def test_author_placeholder_uses_the_handle_for_the_channel() -> None:
    from hub_crosspost.teaser import authors

    post = PostInfo(
        key="de/x",
        title="T",
        url="https://blog.example/x/",
        date=datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("UTC")),
        author_names=("Martin Hellwig", "Jonas Weber"),
        author_handles=({"mastodon": "@mhellwig@social.example", "x": "@mhellwig"}, {}),
    )
    channel = ChannelConfig("mastodon", "mastodon", None, 1, "{teaser} {link} {author}", 500)
    assert authors(post, channel) == "@mhellwig@social.example, Jonas Weber"
    assert authors(post, replace(channel, name="company-x", type="x")) == "@mhellwig, Jonas Weber"
    assert authors(post, replace(channel, name="intranet", type="webhook")) == "Martin Hellwig, Jonas Weber"
