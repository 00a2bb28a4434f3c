"""The platform clients against a local server that answers as each platform documents.

No test really sleeps or waits for a platform: the clock and `sleep` are fakes, and only the
read-timeout test spends a fraction of a second on purpose.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hub_core import i18n
from hub_crosspost.channels import LIMITS, ChannelConfig
from hub_crosspost.clients import credentials_from_env, make_client, missing_credentials
from hub_crosspost.clients.webhook import payload
from hub_crosspost.http import DEFAULT_POLICY, Replay, RetryPolicy, redact, send
from hub_crosspost.model import (
    AlreadyPosted,
    Client,
    Credentials,
    Posted,
    PostError,
    PostInfo,
    Teaser,
    TransientError,
    UncertainOutcome,
)
from pytest_httpserver import HTTPServer, RequestHandler
from werkzeug import Request, Response

TOKEN = "tok-S3cr3t-0123456789abcdefghij"
START = 1_800_000_000.0
POST = PostInfo(
    key="de/hallo-welt",
    title="Hallo Welt",
    url="https://blog.example/hallo-welt/",
    date=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    lang="de",
    summary="Worum es geht.",
)
LINK = "https://blog.example/hallo-welt/?utm_source=test&utm_medium=social&utm_campaign=blog"


class FakeClock:
    """`now` and `sleep` for the retry loop: sleeping only moves the clock, and is recorded."""

    def __init__(self) -> None:
        self.time = START
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def base(httpserver: HTTPServer) -> str:
    return httpserver.url_for("/").rstrip("/")


def channel(kind: str, language: str | None = None, **settings: str) -> ChannelConfig:
    return ChannelConfig(
        name=f"test-{kind}",
        type=kind,
        since=datetime(2026, 1, 1, tzinfo=UTC),
        line=1,
        template="{teaser} {link}",
        limit=LIMITS[kind],
        language=language,
        settings=settings,
    )


def teaser(kind: str, text: str = f"Neu im Blog: Hallo Welt (mit KI & <Code>) {LINK} #KI") -> Teaser:
    return Teaser(f"test-{kind}", text, LINK, len(text), LIMITS[kind], hashtags=("KI",))


def client_for(
    kind: str, clock: FakeClock, credentials: dict[str, str] | None = None, policy: RetryPolicy | None = None, **kw: str
) -> Client:
    config = channel(kind, **kw)
    creds = Credentials(credentials if credentials is not None else {"token": TOKEN})
    return make_client(config, creds, sleep=clock.sleep, now=clock.now, policy=policy or DEFAULT_POLICY)


def mastodon(base: str, clock: FakeClock, policy: RetryPolicy | None = None) -> Client:
    return client_for(
        "mastodon", clock, policy=policy, instance=base, token_env="HUB_MASTODON_TOKEN", visibility="unlisted"
    )


def requests(httpserver: HTTPServer) -> list[Request]:
    return [request for request, _ in httpserver.log]


STATUS = {"id": "109876543210", "url": "https://social.example/@blog/109876543210", "uri": "https://x/1"}


# --- Mastodon -----------------------------------------------------------------------------


def test_mastodon_posts_a_status_with_token_idempotency_key_and_language(
    httpserver: HTTPServer, base: str, clock: FakeClock
) -> None:
    httpserver.expect_request("/api/v1/statuses", method="POST").respond_with_json(STATUS)
    posted = mastodon(base, clock).post(teaser("mastodon"), POST, idempotency_key="key-1")

    assert posted == Posted("109876543210", "https://social.example/@blog/109876543210")
    (request,) = requests(httpserver)
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Idempotency-Key"] == "key-1"
    assert request.headers["Content-Type"] == "application/json"
    assert request.get_json() == {"status": teaser("mastodon").text, "visibility": "unlisted", "language": "de"}
    assert clock.sleeps == []


def test_mastodon_language_of_the_channel_wins_over_the_post(httpserver: HTTPServer, base: str) -> None:
    httpserver.expect_request("/api/v1/statuses", method="POST").respond_with_json(STATUS)
    config = channel("mastodon", language="en", instance=base, token_env="HUB_MASTODON_TOKEN")
    make_client(config, Credentials({"token": TOKEN})).post(teaser("mastodon"), POST, idempotency_key="k")
    (request,) = requests(httpserver)
    assert request.get_json()["language"] == "en"
    assert request.get_json()["visibility"] == "public"  # the default when the setting is absent


def test_mastodon_reads_the_instance_limit_once(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    instance = {"configuration": {"statuses": {"max_characters": 1000, "characters_reserved_per_url": 23}}}
    httpserver.expect_request("/api/v2/instance", method="GET").respond_with_json(instance)
    client = mastodon(base, clock)

    assert client.limit() == 1000
    assert client.limit() == 1000
    assert client.characters_reserved_per_url() == 23  # type: ignore[attr-defined]
    (request,) = requests(httpserver)
    assert "Authorization" not in request.headers  # a public endpoint: the token stays home


@pytest.mark.parametrize(
    "respond",
    [
        lambda r: r.respond_with_data("Not Found", status=404),
        lambda r: r.respond_with_data("<html>not json</html>", content_type="text/html"),
        lambda r: r.respond_with_json({"configuration": {}}),
        lambda r: r.respond_with_data("busy", status=503),
    ],
    ids=["404", "html", "no-statuses", "503"],
)
def test_mastodon_limit_falls_back_to_500(
    httpserver: HTTPServer, base: str, clock: FakeClock, respond: Callable[[RequestHandler], None]
) -> None:
    respond(httpserver.expect_request("/api/v2/instance"))
    client = mastodon(base, clock)
    assert client.limit() == 500
    assert len(requests(httpserver)) == 1  # not retried: the default is a safe answer
    assert clock.sleeps == []


# --- Retries ------------------------------------------------------------------------------


def test_429_waits_as_retry_after_says_then_posts(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    statuses = httpserver.expect_ordered_request
    statuses("/api/v1/statuses").respond_with_json(
        {"error": "Too many requests"}, status=429, headers={"Retry-After": "7"}
    )
    statuses("/api/v1/statuses").respond_with_json(STATUS)

    posted = mastodon(base, clock).post(teaser("mastodon"), POST, idempotency_key="k")

    assert posted.remote_id == "109876543210"
    assert clock.sleeps == [7.0]
    assert len(requests(httpserver)) == 2
    # The same request again: same key, so Mastodon could not post it twice.
    assert [r.headers["Idempotency-Key"] for r in requests(httpserver)] == ["k", "k"]


def test_429_retry_after_as_http_date(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    later = formatdate(START + 30, usegmt=True)
    httpserver.expect_ordered_request("/api/v1/statuses").respond_with_data(
        "slow down", status=429, headers={"Retry-After": later}
    )
    httpserver.expect_ordered_request("/api/v1/statuses").respond_with_json(STATUS)
    mastodon(base, clock).post(teaser("mastodon"), POST, idempotency_key="k")
    assert clock.sleeps == [30.0]


@pytest.mark.parametrize(
    "headers",
    [
        {"x-rate-limit-reset": str(int(START + 45)), "x-rate-limit-remaining": "0"},  # X: epoch seconds
        {"X-RateLimit-Reset": datetime.fromtimestamp(START + 45, UTC).isoformat().replace("+00:00", ".000Z")},
        {"ratelimit-reset": str(int(START + 45)), "ratelimit-remaining": "0"},  # Bluesky: epoch seconds
    ],
    ids=["x", "mastodon", "bluesky"],
)
def test_429_waits_until_the_rate_limit_resets(
    httpserver: HTTPServer, clock: FakeClock, headers: dict[str, str]
) -> None:
    httpserver.expect_ordered_request("/limited").respond_with_data("", status=429, headers=headers)
    httpserver.expect_ordered_request("/limited").respond_with_data("ok")
    with httpx.Client() as client:
        request = client.build_request("POST", httpserver.url_for("/limited"), json={})
        response = send(client, request, RetryPolicy(), secrets=(), sleep=clock.sleep, now=clock.now)
    assert response.text == "ok"
    assert clock.sleeps == [45.0]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "de",
            "HTTP 429: Too Many Requests; kein weiterer Versuch: Die Plattform bittet, 50000 s zu warten (Anfragelimit)",
        ),
        ("en", "HTTP 429: Too Many Requests; not retrying: the platform asks to wait 50000 s, beyond the retry budget"),
    ],
)
def test_429_beyond_the_budget_fails_at_once_naming_the_wait(
    httpserver: HTTPServer, base: str, clock: FakeClock, language: str, said: str
) -> None:
    i18n.use_language(language)
    # X's daily cap is exhausted (its 15-minute window is not): the daily reset is what counts.
    headers = {
        "x-rate-limit-reset": str(int(START + 45)),
        "x-rate-limit-remaining": "12",
        "x-user-limit-24hour-reset": str(int(START + 50_000)),
        "x-user-limit-24hour-remaining": "0",
    }
    httpserver.expect_request("/2/tweets").respond_with_json(
        {"title": "Too Many Requests"}, status=429, headers=headers
    )
    with pytest.raises(TransientError) as caught:
        client_for("x", clock, api=base, token_env="HUB_X_TOKEN").post(teaser("x"), POST, idempotency_key="k")
    assert said in str(caught.value)
    assert clock.sleeps == []
    assert len(requests(httpserver)) == 1


def test_500_then_success_backs_off_once(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_ordered_request("/api/v1/statuses").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/api/v1/statuses").respond_with_json(STATUS)
    assert mastodon(base, clock).post(teaser("mastodon"), POST, idempotency_key="k").remote_id == "109876543210"
    assert clock.sleeps == [1.0]


def test_rate_limit_reset_headers_do_not_stretch_a_5xx_backoff(httpserver: HTTPServer, clock: FakeClock) -> None:
    # X sends its reset header on every answer; only a 429 means "wait for it".
    headers = {"x-rate-limit-reset": str(int(START + 600))}
    httpserver.expect_ordered_request("/flaky").respond_with_data("", status=502, headers=headers)
    httpserver.expect_ordered_request("/flaky").respond_with_data("ok")
    with httpx.Client() as client:
        request = client.build_request("POST", httpserver.url_for("/flaky"))
        send(client, request, RetryPolicy(), secrets=(), sleep=clock.sleep, now=clock.now, replay=Replay.DEDUPLICATED)
    assert clock.sleeps == [1.0]


def test_503_until_the_budget_is_spent(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_request("/api/v1/statuses").respond_with_data("Service Unavailable", status=503)
    policy = RetryPolicy(max_attempts=10, base_delay=10.0, max_delay=60.0, total_budget=100.0)

    with pytest.raises(UncertainOutcome) as caught:
        mastodon(base, clock, policy).post(teaser("mastodon"), POST, idempotency_key="k")

    assert clock.sleeps == [10.0, 20.0, 40.0]  # the next 60 s would end past 100 s
    assert len(requests(httpserver)) == 4
    message = str(caught.value)
    assert "HTTP 503" in message and "Wiederholungen von 100 s" in message
    # A gateway's 503 may hide a status that was created: not a failure to send anew, but a
    # pending entry the next run repeats with the same Idempotency-Key.
    assert "vielleicht veröffentlicht" in message and not caught.value.retryable


def test_5xx_until_attempts_run_out(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_request("/api/v1/statuses").respond_with_data("Bad Gateway", status=502)
    with pytest.raises(UncertainOutcome, match=r"aufgegeben \(4 Versuche\)"):
        mastodon(base, clock).post(teaser("mastodon"), POST, idempotency_key="k")
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert len(requests(httpserver)) == 4
    assert {request.headers["Idempotency-Key"] for request in requests(httpserver)} == {"k"}


def test_a_get_that_keeps_failing_is_transient_not_uncertain(httpserver: HTTPServer, clock: FakeClock) -> None:
    httpserver.expect_request("/read").respond_with_data("Bad Gateway", status=502)
    with httpx.Client() as client, pytest.raises(TransientError, match=r"aufgegeben \(4 Versuche\)") as caught:
        request = client.build_request("GET", httpserver.url_for("/read"))
        send(client, request, RetryPolicy(), secrets=(), sleep=clock.sleep, now=clock.now)
    assert type(caught.value) is TransientError and caught.value.retryable


def test_400_is_not_retried_and_says_what_the_platform_said(
    httpserver: HTTPServer, base: str, clock: FakeClock
) -> None:
    httpserver.expect_request("/api/v1/statuses").respond_with_json(
        {"error": "Validation failed: Text character limit of 500 exceeded"}, status=422
    )
    with pytest.raises(PostError) as caught:
        mastodon(base, clock).post(teaser("mastodon"), POST, idempotency_key="k")
    assert type(caught.value) is PostError
    assert "HTTP 422" in str(caught.value) and "character limit of 500 exceeded" in str(caught.value)
    assert len(requests(httpserver)) == 1
    assert clock.sleeps == []


def test_read_timeout_after_sending_is_uncertain_and_never_resent(httpserver: HTTPServer, base: str) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)  # the platform got the post and is still busy when we give up
        return Response("", status=201, headers={"x-restli-id": "urn:li:share:1"})

    httpserver.expect_request("/rest/posts").respond_with_handler(slow)
    clock = FakeClock()
    client = client_for(
        "linkedin",
        clock,
        policy=RetryPolicy(read_timeout=0.1),
        api=base,
        organization=ORGANIZATION,
        token_env="HUB_LINKEDIN_TOKEN",
        version="202611",
    )
    with pytest.raises(UncertainOutcome) as caught:
        client.post(teaser("linkedin"), POST, idempotency_key="k")

    deadline = time.monotonic() + 3
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.05)  # the server logs the request once its handler returns
    assert len(requests(httpserver)) == 1
    assert clock.sleeps == []
    assert "ReadTimeout" in str(caught.value) and "vielleicht" in str(caught.value)


def test_a_dropped_connection_after_sending_is_uncertain(clock: FakeClock) -> None:
    calls: list[httpx.Request] = []

    def drop(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    config = channel("x", api="https://api.x.example", token_env="HUB_X_TOKEN")
    client = make_client(config, Credentials({"token": TOKEN}), transport=httpx.MockTransport(drop), sleep=clock.sleep)
    with pytest.raises(UncertainOutcome):
        client.post(teaser("x"), POST, idempotency_key="k")
    assert len(calls) == 1


def test_a_refused_connection_is_retried(clock: FakeClock) -> None:
    calls: list[httpx.Request] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return httpx.Response(201, json={"data": {"id": "1", "text": "t"}})

    config = channel("x", api="https://api.x.example", token_env="HUB_X_TOKEN")
    client = make_client(
        config, Credentials({"token": TOKEN}), transport=httpx.MockTransport(flaky), sleep=clock.sleep, now=clock.now
    )
    assert client.post(teaser("x"), POST, idempotency_key="k").remote_id == "1"
    assert len(calls) == 2 and clock.sleeps == [1.0]


# --- Ambiguous answers: a 5xx or none, after the request was sent ---------------------------


class DeduplicatingMastodon:
    """Mastodon's statuses endpoint: one status per Idempotency-Key, as Mastodon keeps them."""

    def __init__(self, failures: list[int]) -> None:
        self.statuses: dict[str, dict[str, str]] = {}
        self.failures = failures  # answered (in turn) after the status was created

    def __call__(self, request: Request) -> Response:
        key = request.headers["Idempotency-Key"]
        if key not in self.statuses:
            number = str(109876543210 + len(self.statuses))
            self.statuses[key] = {"id": number, "url": f"https://social.example/@blog/{number}"}
        if self.failures:
            return Response("<html><h1>502 Bad Gateway</h1></html>", status=self.failures.pop(0))
        return Response(json.dumps(self.statuses[key]), content_type="application/json")


def test_mastodon_asks_again_with_the_same_key_after_a_502_that_created_the_status(
    httpserver: HTTPServer, base: str, clock: FakeClock
) -> None:
    server = DeduplicatingMastodon([502, 504])
    httpserver.expect_request("/api/v1/statuses", method="POST").respond_with_handler(server)

    posted = mastodon(base, clock).post(teaser("mastodon"), POST, idempotency_key="k")

    assert len(server.statuses) == 1
    assert posted == Posted(server.statuses["k"]["id"], server.statuses["k"]["url"])
    assert [r.headers["Idempotency-Key"] for r in requests(httpserver)] == ["k", "k", "k"]
    assert clock.sleeps == [1.0, 2.0]


def test_mastodon_asks_again_with_the_same_key_after_a_lost_answer(clock: FakeClock) -> None:
    keys: list[str] = []

    def lose_first(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) == 1:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(200, json=STATUS)

    config = channel("mastodon", instance="https://social.example", token_env="HUB_MASTODON_TOKEN")
    client = make_client(
        config, Credentials({"token": TOKEN}), transport=httpx.MockTransport(lose_first), sleep=clock.sleep
    )
    assert client.post(teaser("mastodon"), POST, idempotency_key="k").remote_id == STATUS["id"]
    assert keys == ["k", "k"]


def linkedin_client(base: str, clock: FakeClock) -> Client:
    return client_for(
        "linkedin", clock, api=base, organization=ORGANIZATION, token_env="HUB_LINKEDIN_TOKEN", version="202611"
    )


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("kind", ["linkedin", "webhook", "x"])
def test_a_5xx_to_a_post_without_deduplication_is_uncertain_at_once(
    httpserver: HTTPServer, base: str, clock: FakeClock, kind: str, status: int
) -> None:
    for path in ("/rest/posts", HOOK_PATH, "/2/tweets"):
        httpserver.expect_request(path, method="POST").respond_with_data("upstream timed out", status=status)
    if kind == "linkedin":
        client = linkedin_client(base, clock)
    elif kind == "webhook":
        client = webhook(httpserver.url_for(HOOK_PATH), clock, "teams")
    else:
        client = client_for("x", clock, api=base, token_env="HUB_X_TOKEN")

    with pytest.raises(UncertainOutcome) as caught:
        client.post(teaser(kind), POST, idempotency_key="k")

    assert len(requests(httpserver)) == 1 and clock.sleeps == []  # never sent blindly again
    message = str(caught.value)
    assert f"HTTP {status}: upstream timed out" in message and "vielleicht veröffentlicht" in message
    assert HOOK_KEY not in message


@pytest.mark.parametrize("kind", ["linkedin", "webhook"])
def test_a_dropped_connection_after_a_post_without_deduplication_is_uncertain(clock: FakeClock, kind: str) -> None:
    calls: list[httpx.Request] = []

    def drop(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)

    if kind == "linkedin":
        config = channel(
            kind, api="https://api.linkedin.example", organization=ORGANIZATION, token_env="T", version="202611"
        )
        credentials = Credentials({"token": TOKEN})
    else:
        config = channel(kind, url_env="HUB_WEBHOOK_URL", format="slack")
        credentials = Credentials({"url": f"https://hooks.example{HOOK_PATH}"})
    client = make_client(config, credentials, transport=httpx.MockTransport(drop), sleep=clock.sleep)
    with pytest.raises(UncertainOutcome, match="ReadError"):
        client.post(teaser(kind), POST, idempotency_key="k")
    assert len(calls) == 1


def test_429_is_not_ambiguous_and_retried_even_where_nothing_deduplicates(
    httpserver: HTTPServer, base: str, clock: FakeClock
) -> None:
    urn = "urn:li:share:7260000000000000001"
    httpserver.expect_ordered_request("/rest/posts").respond_with_json(
        {"status": 429, "message": "Resource level throttle limit reached"}, status=429, headers={"Retry-After": "3"}
    )
    httpserver.expect_ordered_request("/rest/posts").respond_with_data("", status=201, headers={"x-restli-id": urn})
    assert linkedin_client(base, clock).post(teaser("linkedin"), POST, idempotency_key="k").remote_id == urn
    assert clock.sleeps == [3.0] and len(requests(httpserver)) == 2


# --- X ------------------------------------------------------------------------------------


def test_x_posts_the_text(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_request("/2/tweets", method="POST").respond_with_json(
        {"data": {"id": "1445880548472328192", "text": "…"}}, status=201
    )
    client = client_for("x", clock, api=base, token_env="HUB_X_TOKEN")
    posted = client.post(teaser("x"), POST, idempotency_key="k")

    assert posted == Posted("1445880548472328192", "https://x.com/i/web/status/1445880548472328192")
    (request,) = requests(httpserver)
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.get_json() == {"text": teaser("x").text}
    assert client.limit() == 280


def test_x_duplicate_refusal_means_already_posted(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_request("/2/tweets").respond_with_json(
        {
            "detail": "You are not allowed to create a Tweet with duplicate content.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        },
        status=403,
    )
    with pytest.raises(AlreadyPosted, match="duplicate content"):
        client_for("x", clock, api=base, token_env="HUB_X_TOKEN").post(teaser("x"), POST, idempotency_key="k")
    assert len(requests(httpserver)) == 1


def test_x_other_403_is_a_plain_refusal(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_request("/2/tweets").respond_with_json(
        {"detail": "You are not permitted to perform this action.", "title": "Forbidden", "status": 403}, status=403
    )
    with pytest.raises(PostError) as caught:
        client_for("x", clock, api=base, token_env="HUB_X_TOKEN").post(teaser("x"), POST, idempotency_key="k")
    assert not isinstance(caught.value, AlreadyPosted)
    assert "HTTP 403" in str(caught.value) and "not permitted" in str(caught.value)


# --- LinkedIn -----------------------------------------------------------------------------

ORGANIZATION = "urn:li:organization:5515715"


def linkedin(base: str, clock: FakeClock) -> Client:
    return client_for(
        "linkedin", clock, api=base, organization=ORGANIZATION, token_env="HUB_LINKEDIN_TOKEN", version="202611"
    )


def test_linkedin_posts_an_article_for_the_organization(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    from hub_crosspost.teaser import linkedin_commentary

    urn = "urn:li:share:7260000000000000000"
    httpserver.expect_request("/rest/posts", method="POST").respond_with_data(
        "", status=201, headers={"x-restli-id": urn}
    )
    text = teaser("linkedin")
    posted = linkedin(base, clock).post(text, POST, idempotency_key="k")

    assert posted == Posted(urn, f"https://www.linkedin.com/feed/update/{urn}")
    (request,) = requests(httpserver)
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["LinkedIn-Version"] == "202611"
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert request.headers["Content-Type"] == "application/json"
    assert request.get_json() == {
        "author": ORGANIZATION,
        "commentary": linkedin_commentary(text),
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "content": {"article": {"source": LINK, "title": "Hallo Welt", "description": "Worum es geht."}},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    assert "\\(" in request.get_json()["commentary"]  # little text: reserved characters escaped


def test_linkedin_without_the_urn_is_uncertain(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_request("/rest/posts").respond_with_data("", status=201)
    with pytest.raises(UncertainOutcome, match="x-restli-id"):
        linkedin(base, clock).post(teaser("linkedin"), POST, idempotency_key="k")


def test_linkedin_refusal_carries_its_message(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_request("/rest/posts").respond_with_json(
        {"status": 426, "code": "NONEXISTENT_VERSION", "message": "Requested version 20231101 is not active"},
        status=426,
    )
    with pytest.raises(PostError, match="HTTP 426: Requested version 20231101 is not active"):
        linkedin(base, clock).post(teaser("linkedin"), POST, idempotency_key="k")
    assert len(requests(httpserver)) == 1


# --- Webhooks -----------------------------------------------------------------------------

HOOK_PATH = "/services/T0AB12CD3/B0EF45GH6/abcdefghijklmnopqrstuvwx"
HOOK_KEY = "abcdefghijklmnopqrstuvwx"


def webhook(url: str, clock: FakeClock, format: str, policy: RetryPolicy | None = None) -> Client:
    return client_for("webhook", clock, {"url": url}, policy, url_env="HUB_WEBHOOK_URL", format=format)


@pytest.mark.parametrize(
    ("format", "status", "check"),
    [
        (
            "slack",
            200,
            lambda body: (
                body == {"text": teaser("webhook").text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}
            ),
        ),
        ("mattermost", 200, lambda body: body == {"text": teaser("webhook").text}),
        ("discord", 204, lambda body: body == {"content": teaser("webhook").text, "allowed_mentions": {"parse": []}}),
        ("teams", 202, lambda body: body["type"] == "message"),
    ],
)
def test_webhook_posts_the_format_the_product_expects(
    httpserver: HTTPServer, clock: FakeClock, format: str, status: int, check: Callable[[Any], bool]
) -> None:
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("ok" if status == 200 else "", status=status)
    client = webhook(httpserver.url_for(HOOK_PATH), clock, format)
    posted = client.post(teaser("webhook"), POST, idempotency_key="k")
    again = client.post(teaser("webhook"), POST, idempotency_key="k")

    assert posted.url == "" and len(posted.remote_id) == 16 and posted == again
    request = requests(httpserver)[0]
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Idempotency-Key"] == "k"  # for a relay of one's own to drop a repeat
    assert check(request.get_json())
    assert client.limit() == (2000 if format == "discord" else 3000)


def test_teams_gets_an_adaptive_card_with_title_text_and_button() -> None:
    body = payload("teams", teaser("webhook"), POST, "de")
    attachments: Any = body["attachments"]
    (attachment,) = attachments
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert [block["text"] for block in card["body"]] == ["Hallo Welt", teaser("webhook").text]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Beitrag lesen", "url": LINK}]


# --- Secrets ------------------------------------------------------------------------------


def echo(request: Request) -> str:
    return f"no such hook: {request.url} ({request.path}, {quote(request.url, safe='')}, token {HOOK_KEY})"


@pytest.mark.parametrize("status", [404, 500])
def test_webhook_url_never_shows_in_errors_even_when_echoed(
    httpserver: HTTPServer, clock: FakeClock, status: int
) -> None:
    httpserver.expect_request(HOOK_PATH).respond_with_handler(lambda r: Response(echo(r), status=status))
    url = httpserver.url_for(HOOK_PATH)
    with pytest.raises(PostError) as caught:
        webhook(url, clock, "slack").post(teaser("webhook"), POST, idempotency_key="k")
    message = str(caught.value)
    assert f"HTTP {status}" in message and "no such hook" in message
    for secret in (url, HOOK_PATH, HOOK_KEY, "T0AB12CD3", quote(url, safe="")):
        assert secret not in message


def test_webhook_url_never_shows_when_the_connection_fails(clock: FakeClock) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}{HOOK_PATH}"
    with pytest.raises(TransientError) as caught:
        webhook(url, clock, "discord").post(teaser("webhook"), POST, idempotency_key="k")
    assert "keine Verbindung" in str(caught.value)
    assert HOOK_KEY not in str(caught.value) and HOOK_PATH not in str(caught.value)


def test_webhook_url_never_shows_when_the_answer_is_lost(httpserver: HTTPServer, clock: FakeClock) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.4)
        return Response("ok")

    httpserver.expect_request(HOOK_PATH).respond_with_handler(slow)
    with pytest.raises(UncertainOutcome) as caught:
        webhook(httpserver.url_for(HOOK_PATH), clock, "teams", RetryPolicy(read_timeout=0.1)).post(
            teaser("webhook"), POST, idempotency_key="k"
        )
    assert HOOK_KEY not in str(caught.value)


def test_malformed_webhook_url_is_hidden_too(clock: FakeClock) -> None:
    url = f"http://hooks.example:port{HOOK_PATH}"  # httpx refuses it before any lookup
    with pytest.raises(PostError) as caught:
        webhook(url, clock, "slack").post(teaser("webhook"), POST, idempotency_key="k")
    assert HOOK_KEY not in str(caught.value)


def test_token_echoed_by_the_platform_is_redacted(httpserver: HTTPServer, base: str, clock: FakeClock) -> None:
    httpserver.expect_request("/api/v1/statuses").respond_with_json(
        {"error": f"The access token {TOKEN} is invalid"}, status=401
    )
    with pytest.raises(PostError) as caught:
        mastodon(base, clock).post(teaser("mastodon"), POST, idempotency_key="k")
    assert TOKEN not in str(caught.value)
    assert "The access token *** is invalid" in str(caught.value)


@pytest.mark.parametrize("kind", ["mastodon", "x"])
def test_token_echoed_in_a_5xx_is_redacted(httpserver: HTTPServer, base: str, clock: FakeClock, kind: str) -> None:
    echo = f"upstream rejected Authorization: Bearer {TOKEN}"
    httpserver.expect_request("/api/v1/statuses").respond_with_data(echo, 503)  # asked 4 times, then given up
    httpserver.expect_request("/2/tweets").respond_with_data(echo, 503)  # not asked again at all
    client = mastodon(base, clock) if kind == "mastodon" else client_for("x", clock, api=base, token_env="HUB_X_TOKEN")
    with pytest.raises(UncertainOutcome) as caught:
        client.post(teaser(kind), POST, idempotency_key="k")
    assert TOKEN not in str(caught.value) and "Bearer ***" in str(caught.value)


def test_redact_hides_secret_urls_whole_and_in_pieces() -> None:
    url = f"https://hooks.slack.com{HOOK_PATH}"
    teams = "https://prod-12.westeurope.logic.azure.com:443/workflows/0a1b2c3d4e/triggers/manual/paths/invoke?api-version=2016-06-01&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    text = (
        f"{url} | {HOOK_PATH} | {HOOK_KEY} | {quote(url, safe='')} | sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 | {TOKEN}"
    )
    masked = redact(text, [url, teams, TOKEN])
    assert masked == "https://hooks.slack.com/*** | *** | *** | https://hooks.slack.com/*** | sig=*** | ***"
    assert redact("services and hooks.slack.com stay readable", [url]) == "services and hooks.slack.com stay readable"
    # httpx drops the default port Teams URLs carry: its spelling is hidden as well.
    assert redact(f"POST {httpx.URL(teams)}", [teams]) == "POST https://prod-12.westeurope.logic.azure.com/***"


# --- Credentials and construction ---------------------------------------------------------


def test_credentials_come_from_the_named_variables() -> None:
    config = channel("bluesky", handle_env="HUB_BSKY_HANDLE", password_env="HUB_BSKY_PASSWORD")
    environ = {"HUB_BSKY_HANDLE": "blog.example", "HUB_BSKY_PASSWORD": "app-pass-1234"}
    credentials = credentials_from_env(config, environ)
    assert credentials["handle"] == "blog.example" and credentials["password"] == "app-pass-1234"
    assert missing_credentials(config, environ) == []
    hook = channel("webhook", url_env="HUB_TEAMS_URL", format="teams")
    assert credentials_from_env(hook, {"HUB_TEAMS_URL": "https://h.example/x"})["url"] == "https://h.example/x"


def test_missing_token_names_the_variable_and_no_value() -> None:
    config = channel("bluesky", handle_env="HUB_BSKY_HANDLE", password_env="HUB_BSKY_PASSWORD")
    environ = {"HUB_BSKY_HANDLE": "secret-handle.example", "HUB_BSKY_PASSWORD": ""}
    assert missing_credentials(config, environ) == ["HUB_BSKY_PASSWORD"]
    with pytest.raises(PostError) as caught:
        credentials_from_env(config, environ)
    assert str(caught.value) == "Kanal test-bluesky: Umgebungsvariable HUB_BSKY_PASSWORD ist leer"
    i18n.use_language("en")
    with pytest.raises(PostError) as caught:
        credentials_from_env(config, environ)
    assert str(caught.value) == "channel test-bluesky: environment variable HUB_BSKY_PASSWORD is empty"
    i18n.use_language("de")

    mastodon_config = channel("mastodon", instance="https://social.example", token_env="HUB_MASTODON_TOKEN")
    with pytest.raises(
        PostError, match=r"^Kanal test-mastodon: Umgebungsvariable HUB_MASTODON_TOKEN ist nicht gesetzt$"
    ):
        credentials_from_env(mastodon_config, {})


def test_feed_channels_have_no_client() -> None:
    with pytest.raises(ValueError, match="feed"):
        make_client(channel("feed", path="teaser/feed.xml"), Credentials())


@pytest.mark.parametrize(
    ("kind", "settings", "credentials", "expected"),
    [
        ("mastodon", {"instance": "https://social.example"}, {"token": TOKEN}, "MastodonClient"),
        (
            "linkedin",
            {"api": "https://api.linkedin.com", "organization": ORGANIZATION, "version": "202611"},
            {"token": TOKEN},
            "LinkedInClient",
        ),
        ("x", {"api": "https://api.x.com"}, {"token": TOKEN}, "XClient"),
        ("webhook", {"format": "slack"}, {"url": "https://hooks.example/x"}, "WebhookClient"),
        (
            "bluesky",
            {"service": "https://bsky.social"},
            {"handle": "blog.example", "password": "app-pass"},
            "BlueskyClient",
        ),
    ],
)
def test_make_client_dispatches_on_the_type(
    kind: str, settings: dict[str, str], credentials: dict[str, str], expected: str
) -> None:
    client = make_client(channel(kind, **settings), Credentials(credentials))
    try:
        assert type(client).__name__ == expected
    finally:
        client.close()
