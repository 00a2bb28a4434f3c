"""The split of the search index into shards: plain names from languages and dates."""

from __future__ import annotations

from hub_search.shards import by_language, main_shards, shard_name


def test_a_post_goes_to_its_language_and_year_and_a_page_to_its_languages_pages() -> None:
    assert shard_name("de", "2026-11-18") == "de-2026"
    assert shard_name("en", "2019-01-02") == "en-2019"
    assert shard_name("de", "") == "de-pages"
    # A language code becomes a safe folder name; nothing reaches outside pagefind/.
    assert shard_name("pt_BR", "2024-05-01") == "pt-br-2024"
    assert shard_name("../x", "") == "x-pages"
    assert shard_name("", "2024-05-01") == "unknown-2024"


def test_each_language_lists_its_shards_newest_year_first_pages_last() -> None:
    pairs = [("de", "de-2024"), ("de", "de-pages"), ("en", "en-2026"), ("de", "de-2026"), ("de", "de-2024")]
    assert by_language(pairs) == {"de": ["de-2026", "de-2024", "de-pages"], "en": ["en-2026"]}
    assert main_shards(pairs) == {"de-2026", "en-2026"}
    # A language with pages only: the pages are its main shard.
    assert by_language([("fr", "fr-pages")]) == {"fr": ["fr-pages"]}
