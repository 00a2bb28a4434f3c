"""The Hub plugins in build order: which Pelican signals each one connects, what it puts into the
build state (hub_core.state) and what it takes from it, and which plugins must come before it.

Pelican calls the handlers of one signal in the order of PLUGINS, so the order matters where two
plugins act at the same signal or one builds on another's work. `check_order` enforces the `after`
rules below when Pelican starts (a wrong PLUGINS list stops with a ConfigurationError naming the
order); tests/hub_core/test_timeline.py checks this table against the handlers the plugins really
connect, the slots they declare (hub_<name>/slots.py) and the slots a build really fills.

A build, as Pelican runs it (MOMENTS): `initialized` once per Pelican object; then per run
`get_generators`, each generator's `readers_init`, `generator_init` and `*_generator_init`, the
files read (`reading`: the readers, `content_object_init` per post), the articles'
`article_generator_pretaxonomy` and `_finalized`, the pages' and static files' `_finalized`,
`all_generators_finalized`, `get_writer`, the pages written (`article_writer_finalized`), and
`finalized`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import state
from .errors import ConfigurationError
from .i18n import translator

_, ngettext = translator("hub_core")

MOMENTS = (
    "initialized",
    "get_generators",
    "readers_init",
    "generator_init",
    "article_generator_init",
    "reading",
    "content_object_init",
    "article_generator_pretaxonomy",
    "article_generator_finalized",
    "page_generator_finalized",
    "static_generator_finalized",
    "all_generators_finalized",
    "get_writer",
    "article_writer_finalized",
    "finalized",
)


@dataclass(frozen=True)
class Use:
    """A slot of the build state (by name: hub_<producer>/slots.py declares it) filled or read at a moment."""

    slot: str
    moment: str
    required: bool = False  # read: the plugin cannot work without it


@dataclass(frozen=True)
class Step:
    """One Hub plugin in the build."""

    plugin: str
    connects: tuple[tuple[str, str], ...]  # (Pelican signal, handler)
    produces: tuple[Use, ...] = ()
    consumes: tuple[Use, ...] = ()
    after: tuple[tuple[str, str], ...] = ()  # (plugin that must come before it, why)


TIMELINE: tuple[Step, ...] = (
    Step(
        "hub_url_memo",
        connects=(("initialized", "stop"), ("all_generators_finalized", "start"), ("finalized", "stop")),
    ),
    Step(
        "hub_content",
        connects=(
            ("readers_init", "use_our_reader"),
            ("get_generators", "check_before_build"),
            ("get_generators", "start_markdown_cache"),
            ("all_generators_finalized", "save_markdown_cache"),
            ("generator_init", "share_team"),
            ("content_object_init", "complete_content"),
        ),
        produces=(Use("site_check", "get_generators"), Use("markdown_cache", "get_generators")),
        # The readers: each file's checked item, and <picture> for body images if the pipeline runs.
        consumes=(
            Use("site_check", "reading"),
            Use("markdown_cache", "reading"),
            Use("images", "reading"),
        ),
    ),
    Step(
        "hub_review",
        connects=(
            ("article_generator_init", "review_before_build"),
            ("article_generator_pretaxonomy", "leave_out_withheld"),
            ("content_object_init", "attach_review"),
            ("finalized", "write_dashboard"),
        ),
        produces=(Use("review", "article_generator_init"),),
        consumes=(
            Use("site_check", "article_generator_init", required=True),
            Use("overdue_comments", "finalized"),  # the dashboard lists them (hub_dialogue fills it)
            Use("kpi_section", "finalized"),  # the dashboard places it (hub_stats fills it)
        ),
        after=(("hub_content", "it judges the posts hub_content has checked"),),
    ),
    Step(
        "hub_crosspost",
        connects=(("finalized", "write_feed_channels"),),
        consumes=(Use("review", "finalized"),),
        after=(("hub_review", "its teaser feeds carry the posts the review gate publishes"),),
    ),
    Step(
        "hub_dialogue",
        connects=(("article_generator_finalized", "attach_threads"), ("finalized", "write_posts_index")),
        produces=(
            Use("dialogue", "article_generator_finalized"),
            Use("overdue_comments", "article_generator_finalized"),
        ),
        consumes=(Use("review", "article_generator_finalized"), Use("dialogue", "finalized")),
        after=(("hub_review", "a crisis stop or a freeze (the review gate's judgement) closes every comment form"),),
    ),
    Step(
        "hub_stats",
        connects=(("get_generators", "check_privacy_page"), ("article_generator_finalized", "add_kpi_section")),
        # The KPI section: the gate's result (not judged again), before hub_review writes the dashboard.
        produces=(Use("kpi_section", "article_generator_finalized"),),
        consumes=(Use("site_check", "get_generators", required=True), Use("review", "article_generator_finalized")),
        after=(
            ("hub_content", "it finds the privacy page among the pages hub_content has checked, at the same signal"),
        ),
    ),
    Step(
        "hub_images",
        connects=(
            ("get_generators", "prepare_images"),
            ("generator_init", "add_filters"),
            ("static_generator_finalized", "skip_raw_copies"),
            ("article_generator_finalized", "make_cards"),
            ("finalized", "publish_images"),
        ),
        produces=(
            Use("images", "get_generators"),
            Use("image_work", "get_generators"),
            Use("social_cards", "article_generator_finalized"),
        ),
        consumes=(
            Use("images", "generator_init"),
            Use("image_work", "article_generator_finalized"),
            Use("image_work", "finalized"),
            Use("social_cards", "finalized"),
        ),
        after=(("hub_content", "a content error stops the build before any image is processed"),),
    ),
    Step(
        "hub_feeds",
        connects=(
            ("article_generator_init", "check_settings"),
            ("article_generator_finalized", "plan"),
            ("article_writer_finalized", "keep_articles"),
            ("finalized", "write_feeds_at_end"),
        ),
        produces=(
            Use("feed_settings", "article_generator_init"),
            Use("feed_plan", "article_generator_finalized"),
            Use("feed_articles", "article_writer_finalized"),
        ),
        consumes=(
            Use("feed_settings", "article_generator_finalized"),
            Use("review", "article_generator_finalized"),
            Use("feed_plan", "finalized"),
            Use("feed_articles", "finalized"),
            Use("images", "finalized"),
        ),
        after=(
            ("hub_review", "feeds carry the posts the review gate publishes"),
            (
                "hub_images",
                "an entry's enclosure is the pipeline's image (its size known once hub_images waited for its work at "
                "`finalized`), the feed's logo the site's social card",
            ),
        ),
    ),
    Step(
        "hub_theme",
        connects=(
            ("generator_init", "add_filters"),
            ("page_generator_finalized", "collect_legal_pages"),
            ("article_generator_finalized", "collect_nav_categories"),
            ("article_generator_finalized", "plan"),
            ("article_writer_finalized", "write"),
        ),
        produces=(Use("language_pages", "article_generator_finalized"),),
        consumes=(Use("language_pages", "article_writer_finalized"),),
        after=(("hub_review", "the listings of each language show what the review gate publishes"),),
    ),
    Step(
        "hub_search",
        connects=(
            ("initialized", "guard_build"),
            ("all_generators_finalized", "collect_content"),
            ("get_writer", "start_indexing"),
            ("article_writer_finalized", "write_language_pages"),
            ("finalized", "index_site"),
        ),
        produces=(Use("search", "all_generators_finalized"),),
        consumes=(Use("search", "get_writer"),),
        after=(("hub_review", "it indexes what the review gate publishes, never a held post"),),
    ),
    Step(
        "hub_discovery",
        connects=(
            ("generator_init", "add_globals"),
            ("all_generators_finalized", "collect_urls"),
            ("finalized", "write_files"),
        ),
        produces=(Use("sitemap_entries", "all_generators_finalized"),),
        consumes=(Use("sitemap_entries", "finalized"), Use("language_pages", "all_generators_finalized")),
        after=(
            ("hub_review", "the sitemap lists what the review gate publishes"),
            ("hub_images", "at `finalized` it looks for the publisher logo (a social card) hub_images has written"),
            ("hub_theme", "the sitemap lists the listings of every language hub_theme plans"),
        ),
    ),
    Step(
        "hub_redirects",
        connects=(("all_generators_finalized", "plan"), ("finalized", "write_pages")),
        produces=(Use("redirects", "all_generators_finalized"),),
        consumes=(Use("review", "all_generators_finalized"), Use("redirects", "finalized")),
        after=(("hub_review", "an old address leads on only to a post the review gate publishes"),),
    ),
    Step(
        "hub_page_cache",
        connects=(
            ("get_writer", "provide_writer"),
            ("finalized", "save_cache"),
        ),
        # A page's key covers what of the state reaches pages (BuildState.page_inputs).
        consumes=(
            Use("images", "get_writer"),
            Use("feed_settings", "get_writer"),
            Use("search", "get_writer"),
            Use("language_pages", "get_writer"),
        ),
    ),
    Step(
        "hub_fast_clean",
        connects=(("initialized", "guard_build"), ("generator_init", "move_output_aside")),
    ),
)

ORDER = tuple(step.plugin for step in TIMELINE)
BY_PLUGIN = {step.plugin: step for step in TIMELINE}
PRODUCER = {use.slot: step.plugin for step in TIMELINE for use in step.produces}


def order_problems(plugins: Sequence[Any]) -> list[str]:
    """What is wrong with the Hub plugins' order in PLUGINS (other plugins are not judged)."""
    names = state.plugin_names(plugins)
    position: dict[str, int] = {}
    for index, name in enumerate(names):
        position.setdefault(name, index)
    problems = []
    for step in TIMELINE:
        if step.plugin not in position:
            continue
        for use in step.consumes:
            producer = PRODUCER[use.slot]
            if use.required and producer not in position:
                problems.append(
                    _("{plugin} needs {producer} before it, found no {producer}").format(
                        plugin=step.plugin, producer=producer
                    )
                )
        for earlier, why in step.after:
            if earlier in position and position[earlier] > position[step.plugin]:
                problems.append(
                    _("{plugin} must come after {earlier}: {why}").format(plugin=step.plugin, earlier=earlier, why=why)
                )
    return problems


def check_order(plugins: Sequence[Any]) -> None:
    """Stop before anything is built if PLUGINS lists Hub plugins in an order they cannot work in."""
    problems = order_problems(plugins)
    if problems:
        names = set(state.plugin_names(plugins))
        needed = {
            PRODUCER[use.slot] for step in TIMELINE if step.plugin in names for use in step.consumes if use.required
        }
        expected = [plugin for plugin in ORDER if plugin in names | needed]
        raise ConfigurationError(
            _("PLUGINS: {problems}. Expected this order: {order}").format(
                problems="; ".join(problems), order=", ".join(expected)
            )
        )
