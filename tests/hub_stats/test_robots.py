"""Bots by the maintained pattern list, our health checks by the settings; browsers pass."""

from __future__ import annotations

from hub_stats.robots import Robots

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
