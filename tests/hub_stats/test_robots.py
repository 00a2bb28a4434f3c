"""Bots by the maintained pattern list (tried by the texts its patterns need, with the list's own verdicts), our
health checks by the settings; browsers pass."""

from __future__ import annotations

import re

import crawleruseragents
from hub_stats import robots
from hub_stats.robots import Robots

from bench import logsgen

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_crawlers_and_empty_agents_are_bots_browsers_are_not():
    robots = Robots()
    assert robots.is_bot(GOOGLEBOT)
    assert robots.is_bot("python-requests/2.32.3")
    assert robots.is_bot("-") and robots.is_bot("")
    assert not robots.is_bot(FIREFOX)


def test_health_checks_come_from_the_settings():
    robots = Robots(["Hub-Healthcheck"])
    assert robots.is_health_check("Hub-Healthcheck/1.0 (+ops)")
    assert not robots.is_health_check(FIREFOX)
    assert not Robots().is_health_check("Hub-Healthcheck/1.0")


def test_trying_only_the_patterns_whose_text_is_there_gives_the_lists_own_verdicts():
    # Every example the list keeps for its patterns, and the generator's browsers,
    # phones, in-app browsers and Mastodon instances: the same verdict as the list's is_crawler.
    examples = [agent for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA for agent in entry.get("instances", ())]
    pools = logsgen._pools(logsgen.site_from(), logsgen.SEED)
    agents = [*examples, *pools.browsers[::4], *pools.mastodon[::4], FIREFOX, "Kein Bot", "a", ""]
    crawlers = robots.crawlers()
    assert len(examples) > 1000 and len(agents) > 5000
    assert [crawlers.match(agent) for agent in agents] == [crawleruseragents.is_crawler(agent) for agent in agents]
    assert sum(crawlers.match(agent) for agent in agents) > len(examples) / 2  # not a filter that passes nothing


def test_the_text_a_pattern_needs_is_certain_or_empty():
    assert robots.required_text(r"Googlebot\/") == "Googlebot/"
    assert robots.required_text(r"AdsBot-Google([^-]|$)") == "AdsBot-Google"
    assert robots.required_text(r"S[eE][mM]rushBot") == "rushBot"
    assert robots.required_text(r"(sistrix|SISTRIX) [cC]rawler") == "rawler"
    assert robots.required_text(r"^Mozilla\/5\.0$") == "Mozilla/5.0"
    assert robots.required_text(r"x\.?yz") == "yz"  # the optional dot, and the x before it, may be missing
    assert robots.required_text(r"ab+c") == "ab"
    assert robots.required_text(r"bot\d+spider") == "spider"
    assert robots.required_text(r"Automaton|Newsify Feed Fetcher") == ""  # either one: no text is certain
    assert robots.required_text(r"(?i)googlebot") == ""  # any case
    # Each pattern's text is in every example it matches.
    for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA:
        for agent in entry.get("instances", ()):
            if re.search(entry["pattern"], agent):
                assert robots.required_text(entry["pattern"]) in agent, entry["pattern"]
