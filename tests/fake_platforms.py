"""Loopback stand-ins for Mastodon and Bluesky that speak the documented read APIs the listener and the
platform counts (hub_stats) use: Mastodon's status and context, Bluesky's createSession and
getPostThread. Tests change their state (a reply deleted, an account blocked, new counts) between
runs, as the platforms would. Besides our teaser, `others` holds more teasers of ours by id or URI."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

MASTODON_TOKEN = "mastodon-listen-token-0123456789"
OUR_ACCOUNT = "1"
TEASER_ID = "110000000000000001"
BSKY_HANDLE = "hub-redaktion.bsky.social"
BSKY_PASSWORD = "abcd-efgh-ijkl-mnop"
BSKY_ACCESS = "eyJhbGciOiJFUzI1NksifQ.listen-access.c2lnbmF0dXJl"
OUR_DID = "did:plc:hubredaktion000000000000"
TEASER_URI = f"at://{OUR_DID}/app.bsky.feed.post/3lteaser22222"


@dataclass
class Failure:
    """How the next answers go wrong: a status code with headers, or a delay (a timeout)."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int = 1_000_000


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json", headers=headers)


def status(
    number: str, account: str, acct: str, content: str, *, reply_to: str, name: str = "", visibility: str = "public"
) -> dict[str, Any]:
    return {
        "id": number,
        "uri": f"https://social.example/users/{acct}/statuses/{number}",
        "url": f"https://social.example/@{acct}/{number}",
        "created_at": f"2026-11-21T10:{int(number[-2:]):02d}:00.000Z",
        "in_reply_to_id": reply_to,
        "in_reply_to_account_id": OUR_ACCOUNT,
        "visibility": visibility,
        "spoiler_text": "",
        "content": content,
        "account": {"id": account, "acct": acct, "username": acct.split("@")[0], "display_name": name},
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
    }


class Mastodon:
    """GET /api/v1/statuses/:id and /api/v1/statuses/:id/context of one instance."""

    def __init__(self, server: HTTPServer) -> None:
        self.teaser = status(TEASER_ID, OUR_ACCOUNT, "redaktion", "<p>Unser Teaser</p>", reply_to="")
        self.teaser.update(replies_count=2, reblogs_count=3, favourites_count=7)
        self.descendants: list[dict[str, Any]] = []
        self.others: dict[str, dict[str, Any]] = {}  # more of our statuses, by id (no replies)
        self.failures: list[Failure] = []
        self.requests: list[str] = []
        server.expect_request(re.compile(r"^/api/v1/statuses/[^/]+(/context)?$"), method="GET").respond_with_handler(
            self
        )

    def __call__(self, request: Request) -> Response:
        self.requests.append(request.path)
        headers = {
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "299",
            "X-RateLimit-Reset": "2026-11-21T10:05:00Z",
        }
        if request.headers.get("Authorization") != f"Bearer {MASTODON_TOKEN}":
            return json_response({"error": "The access token is invalid"}, 401, headers)
        if self.failures:
            failure = self.failures[0]
            failure.times -= 1
            if failure.times <= 0:
                self.failures.pop(0)
            if failure.delay:
                time.sleep(failure.delay)
            if failure.status:
                return json_response({"error": "Too many requests"}, failure.status, {**headers, **failure.headers})
        number = request.path.split("/")[4]
        found = self.teaser if number == TEASER_ID else self.others.get(number)
        if found is None:
            return json_response({"error": "Record not found"}, 404, headers)
        if request.path.endswith("/context"):
            descendants = self.descendants if found is self.teaser else []
            return json_response({"ancestors": [], "descendants": descendants}, headers=headers)
        return json_response(found, headers=headers)


def post_view(uri: str, did: str, handle: str, text: str, minute: int, name: str = "") -> dict[str, Any]:
    return {
        "uri": uri,
        "cid": "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5rlxchzx3vsxdmy",
        "author": {"did": did, "handle": handle, "displayName": name},
        "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": f"2026-11-21T11:{minute:02d}:00.000Z"},
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "indexedAt": f"2026-11-21T11:{minute:02d}:01.000Z",
    }


def node(view: dict[str, Any], *replies: dict[str, Any]) -> dict[str, Any]:
    return {"$type": "app.bsky.feed.defs#threadViewPost", "post": view, "replies": list(replies)}


def not_found(uri: str) -> dict[str, Any]:
    return {"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri, "notFound": True}


def blocked(uri: str, did: str) -> dict[str, Any]:
    return {
        "$type": "app.bsky.feed.defs#blockedPost",
        "uri": uri,
        "blocked": True,
        "author": {"did": did, "viewer": {"blocking": f"at://{OUR_DID}/app.bsky.graph.block/3lblock"}},
    }


class Bluesky:
    """A PDS that logs in and answers getPostThread for our teaser with `replies`."""

    def __init__(self, server: HTTPServer) -> None:
        self.teaser = post_view(TEASER_URI, OUR_DID, BSKY_HANDLE, "Unser Teaser", 0)
        self.teaser.update(replyCount=2, repostCount=1, likeCount=4)
        self.replies: list[dict[str, Any]] = []
        self.others: dict[str, dict[str, Any]] = {}  # more of our post views, by at:// URI (no replies)
        self.failures: list[Failure] = []
        self.queries: list[dict[str, str]] = []
        server.expect_request("/xrpc/com.atproto.server.createSession", method="POST").respond_with_handler(
            self.session
        )
        server.expect_request("/xrpc/app.bsky.feed.getPostThread", method="GET").respond_with_handler(self.thread)

    def session(self, request: Request) -> Response:
        body = request.get_json()
        if (body["identifier"], body["password"]) != (BSKY_HANDLE, BSKY_PASSWORD):
            return json_response({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401)
        return json_response({"did": OUR_DID, "handle": BSKY_HANDLE, "accessJwt": BSKY_ACCESS, "refreshJwt": "r" * 40})

    def thread(self, request: Request) -> Response:
        assert request.headers["Authorization"] == f"Bearer {BSKY_ACCESS}"
        self.queries.append(dict(request.args))
        if self.failures:
            failure = self.failures.pop(0)
            if failure.delay:
                time.sleep(failure.delay)
            if failure.status:
                return json_response(
                    {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, failure.status, failure.headers
                )
        uri = request.args["uri"]
        if uri in self.others:
            return json_response({"thread": node(self.others[uri])})
        if uri != TEASER_URI:
            return json_response({"error": "NotFound", "message": f"Post not found: {uri}"}, 400)
        replies = self.replies if request.args.get("depth", "6") != "0" else []  # depth 0: the post alone
        return json_response({"thread": node(self.teaser, *replies)})
