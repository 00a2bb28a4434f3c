"""The spam rules as plain functions: which rule a submission breaks, and networks for the rate limit."""

from __future__ import annotations

from hub_inbox.spam import RateLimiter, Reason, SpamRules, Submission, links_in, network_of, verdict

RULES = SpamRules(minimum_seconds=3, first_time_links=1, words=("Casino", "billige Uhren"))


def submission(text: str = "Guter Beitrag", **fields: object) -> Submission:
    values: dict[str, object] = {"name": "", "honeypot": "", "seconds_open": 30.0, "first_time": True}
    values.update(fields)
    return Submission(text=text, **values)  # type: ignore[arg-type]


def test_the_first_broken_rule_is_named() -> None:
    assert verdict(submission(), RULES) is None
    assert verdict(submission(honeypot="x", seconds_open=0.1), RULES) is Reason.HONEYPOT
    assert verdict(submission(honeypot="   "), RULES) is None  # browsers may keep whitespace
    assert verdict(submission(seconds_open=2.9), RULES) is Reason.TOO_FAST
    assert verdict(submission(seconds_open=None), RULES) is Reason.TOO_FAST
    assert verdict(submission("http://a.example http://b.example"), RULES) is Reason.LINKS
    assert verdict(submission("http://a.example http://b.example", first_time=False), RULES) is None
    assert verdict(submission("Billige Uhren hier"), RULES) is Reason.WORDS
    assert verdict(submission("Hallo", name="Casino Royal"), RULES) is Reason.WORDS
    assert verdict(submission("Casinos"), RULES) is None
    assert verdict(submission("Casino"), SpamRules(words=())) is None


def test_links_are_counted_in_their_usual_spellings() -> None:
    text = 'https://a.example, HTTP://b.example, www.c.example, [url=x]y[/url], <a href="z">'
    assert links_in(text) == 5
    assert links_in("eine E-Mail an info@example.com") == 0


def test_networks_are_slash_24_and_slash_64() -> None:
    assert network_of("192.0.2.17") == network_of("192.0.2.200") == "192.0.2.0/24"
    assert network_of("192.0.3.1") != network_of("192.0.2.1")
    assert network_of("2001:db8:1:2:aaaa::1") == network_of("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert network_of("2001:db8:1:3::1") != network_of("2001:db8:1:2::1")
    assert network_of("::ffff:192.0.2.5") == "192.0.2.0/24"
    assert network_of("fe80::1%eth0") == "fe80::/64"
    assert network_of("unknown") == "unknown"


def test_the_rate_limiter_slides_per_network_and_forgets() -> None:
    limiter = RateLimiter(limit=2, window_seconds=10)
    assert limiter.allow("192.0.2.1", 0)
    assert limiter.allow("192.0.2.2", 1)
    assert not limiter.allow("192.0.2.3", 2)  # same /24
    assert limiter.allow("198.51.100.1", 2)  # another network
    assert limiter.allow("192.0.2.1", 10.5)  # the first one left the window
    assert not limiter.allow("192.0.2.1", 10.6)
    assert limiter.networks() == 2
    assert limiter.allow("192.0.2.1", 30)
    assert limiter.networks() == 1  # 198.51.100.0/24 left the window: forgotten
