"""The Bluesky client against a fake PDS (pytest-httpserver): every request as Bluesky expects it."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hub_crosspost import clients, compose_for
from hub_crosspost.channels import TEMPLATES, ChannelConfig
from hub_crosspost.clients.bluesky import MAX_BLOB, BlueskyClient, facets, record_key
from hub_crosspost.http import DEFAULT_POLICY, RetryPolicy
from hub_crosspost.ledger import Ledger, Status
from hub_crosspost.model import Credentials, PostError, PostInfo, Teaser, TransientError, UncertainOutcome
from hub_crosspost.runner import RunReport, Services, run_channels
from PIL import Image
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

HANDLE = "hub-redaktion.bsky.social"
PASSWORD = "abcd-efgh-ijkl-mnop"
ACCESS = "eyJhbGciOiJFUzI1NksifQ.access-token-one.c2lnbmF0dXJl"
REFRESH = "eyJhbGciOiJFUzI1NksifQ.refresh-token-one.c2lnbmF0dXJl"
ACCESS_2 = "eyJhbGciOiJFUzI1NksifQ.access-token-two.c2lnbmF0dXJl"
REFRESH_2 = "eyJhbGciOiJFUzI1NksifQ.refresh-token-two.c2lnbmF0dXJl"
SECRETS = (PASSWORD, ACCESS, REFRESH, ACCESS_2, REFRESH_2)
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
BLOB = {
    "$type": "blob",
    "ref": {"$link": "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"},
    "mimeType": "image/png",
    "size": 0,
}
NOW = datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=UTC).timestamp()
LINK = "https://hub.example.com/de/kaelte-im-buero/?utm_source=bsky&utm_medium=social&utm_campaign=blog"
TEXT = f"Kälte 🥶 im Büro? So heizen wir klüger.\n\n{LINK}\n\n#Energie #Büro"

SESSION = "/xrpc/com.atproto.server.createSession"
REFRESH_SESSION = "/xrpc/com.atproto.server.refreshSession"
UPLOAD = "/xrpc/com.atproto.repo.uploadBlob"
CREATE = "/xrpc/com.atproto.repo.createRecord"
GET = "/xrpc/com.atproto.repo.getRecord"
TID = re.compile(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}")


def channel(service: str, language: str | None = None) -> ChannelConfig:
    return ChannelConfig(
        "bsky",
        "bluesky",
        datetime(2026, 11, 1, tzinfo=UTC),
        1,
        TEMPLATES["bluesky"],
        300,
        language=language,
        settings={"service": service, "handle_env": "HUB_BSKY_HANDLE", "password_env": "HUB_BSKY_PASSWORD"},
    )


def post_info(image: Path | None = None, summary: str | None = "Wie wir im Winter Energie sparen.") -> PostInfo:
    return PostInfo(
        key="de/kaelte-im-buero",
        title="Kälte im Büro",
        url="https://hub.example.com/de/kaelte-im-buero/",
        date=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        lang="de",
        summary=summary,
        image=image,
    )


def rkey(idempotency_key: str) -> str:
    """The record key the client uses for `post_info()` and the runner's `idempotency_key`."""
    return record_key(post_info().date, idempotency_key)


def teaser(text: str = TEXT, link: str = LINK, hashtags: tuple[str, ...] = ("#Energie", "#Büro")) -> Teaser:
    return Teaser("bsky", text, link, len(text), 300, hashtags=hashtags)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(httpserver: HTTPServer, sleeps: list[float]) -> Iterator[Callable[..., BlueskyClient]]:
    made: list[BlueskyClient] = []

    def make(language: str | None = None, **keywords: Any) -> BlueskyClient:
        client = BlueskyClient(
            channel(httpserver.url_for("/").rstrip("/"), language),
            Credentials({"handle": HANDLE, "password": PASSWORD}),
            sleep=sleeps.append,
            now=lambda: NOW,
            **keywords,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


class Pds:
    """A PDS's repository as the real one keeps it: records under their record keys.

    A post's key must be a TID; a key that is taken already is refused the way the PDS does
    it today (500, the repository refuses the write), or with `taken` instead. getRecord reads
    the repository; a missing record is 400 RecordNotFound.
    """

    def __init__(self, taken: tuple[int, str] = (500, "InternalServerError")) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.taken = taken
        self.readable = True  # False: getRecord answers 503 (the PDS is overloaded)

    def uri(self, rkey: str) -> str:
        return f"at://{DID}/app.bsky.feed.post/{rkey}"

    def cid(self, rkey: str) -> str:
        return "bafyrei" + hashlib.sha256(rkey.encode()).hexdigest()[:52]

    def create(self, request: Request) -> Response:
        body = request.get_json()
        rkey = body.get("rkey") or record_key(datetime.now(UTC), str(len(self.records)))  # the PDS picks one
        if not TID.fullmatch(rkey):
            message = f"Invalid record key for app.bsky.feed.post: {rkey}"
            return Response(error_json("InvalidRequest", message), status=400, content_type="application/json")
        if rkey in self.records:
            status, error = self.taken
            message = "Internal Server Error" if status == 500 else f"Record already exists: {self.uri(rkey)}"
            return Response(error_json(error, message), status=status, content_type="application/json")
        self.records[rkey] = body["record"]
        return Response(json.dumps({"uri": self.uri(rkey), "cid": self.cid(rkey)}), content_type="application/json")

    def get(self, request: Request) -> Response:
        assert request.args["repo"] == DID and request.args["collection"] == "app.bsky.feed.post"
        if not self.readable:
            return Response(error_json("InternalServerError", "upstream unavailable"), status=503)
        rkey = request.args["rkey"]
        if rkey not in self.records:
            message = f"Could not locate record: {self.uri(rkey)}"
            return Response(error_json("RecordNotFound", message), status=400, content_type="application/json")
        answer = {"uri": self.uri(rkey), "cid": self.cid(rkey), "value": self.records[rkey]}
        return Response(json.dumps(answer), content_type="application/json")


def pds(httpserver: HTTPServer, repository: Pds | None = None) -> Pds:
    """A PDS that logs in, stores blobs and records; tests add one-shot answers in front of it."""
    repository = repository or Pds()
    httpserver.expect_request(SESSION, method="POST").respond_with_json(
        {"did": DID, "handle": HANDLE, "accessJwt": ACCESS, "refreshJwt": REFRESH, "active": True}
    )
    httpserver.expect_request(UPLOAD, method="POST").respond_with_json({"blob": BLOB})
    httpserver.expect_request(CREATE, method="POST").respond_with_handler(repository.create)
    httpserver.expect_request(GET, method="GET").respond_with_handler(repository.get)
    return repository


def sent(httpserver: HTTPServer) -> list[Request]:
    return [request for request, _ in httpserver.log]


def error_json(error: str, message: str) -> str:
    return json.dumps({"error": error, "message": message})


def png(path: Path) -> Path:
    Image.new("RGB", (600, 315), "steelblue").save(path)
    return path


def test_post_sends_session_blob_and_record_as_bluesky_expects(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient], tmp_path: Path
) -> None:
    pds(httpserver)
    image = png(tmp_path / "header.png")

    posted = make_client().post(teaser(), post_info(image), idempotency_key="k1")

    assert posted.remote_id == f"at://{DID}/app.bsky.feed.post/{rkey('k1')}"
    assert posted.url == f"https://bsky.app/profile/{DID}/post/{rkey('k1')}"
    login, upload, create = sent(httpserver)
    assert login.path == SESSION
    assert "Authorization" not in login.headers
    assert login.get_json() == {"identifier": HANDLE, "password": PASSWORD}

    assert upload.path == UPLOAD
    assert upload.headers["Authorization"] == f"Bearer {ACCESS}"
    assert upload.headers["Content-Type"] == "image/png"
    assert upload.get_data() == image.read_bytes()  # small enough: sent as it is

    assert create.path == CREATE
    assert create.headers["Authorization"] == f"Bearer {ACCESS}"
    assert create.headers["Content-Type"] == "application/json"
    body = create.get_json()
    assert body["repo"] == DID
    assert body["collection"] == "app.bsky.feed.post"
    assert body["rkey"] == rkey("k1")
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == TEXT
    assert record["createdAt"] == "2026-11-21T09:30:15.123Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["createdAt"])
    assert record["langs"] == ["de"]
    assert record["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {
            "uri": LINK,
            "title": "Kälte im Büro",
            "description": "Wie wir im Winter Energie sparen.",
            "thumb": BLOB,
        },
    }
    # Byte offsets found by searching the encoded text, independently of the client's arithmetic.
    encoded = TEXT.encode("utf-8")
    link_start = encoded.index(LINK.encode())
    assert link_start == TEXT.index(LINK) + 6  # ä, ü, ü (one byte more each) and 🥶 (three more) precede it
    energie = encoded.index(b"#Energie")
    buero = encoded.index("#Büro".encode())
    assert record["facets"] == [
        {
            "index": {"byteStart": link_start, "byteEnd": link_start + len(LINK)},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}],
        },
        {
            "index": {"byteStart": energie, "byteEnd": energie + len(b"#Energie")},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Energie"}],
        },
        {
            "index": {"byteStart": buero, "byteEnd": buero + len("#Büro".encode())},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Büro"}],
        },
    ]
    assert encoded[buero : buero + len("#Büro".encode())].decode() == "#Büro"


def test_without_image_or_summary_the_card_has_no_thumb_and_the_channel_language_wins(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient], tmp_path: Path
) -> None:
    pds(httpserver)

    make_client(language="en").post(teaser(), post_info(image=None, summary=None), idempotency_key="k1")
    make_client().post(teaser(), post_info(image=tmp_path / "gone.png"), idempotency_key="k2")

    creates = [request for request in sent(httpserver) if request.path == CREATE]
    assert creates[0].get_json()["record"]["langs"] == ["en"]
    assert creates[0].get_json()["record"]["embed"]["external"] == {
        "uri": LINK,
        "title": "Kälte im Büro",
        "description": "",
    }
    assert "thumb" not in creates[1].get_json()["record"]["embed"]["external"]  # a missing file: card without image
    assert UPLOAD not in [request.path for request in sent(httpserver)]


def test_two_posts_share_one_session(httpserver: HTTPServer, make_client: Callable[..., BlueskyClient]) -> None:
    pds(httpserver)
    client = make_client()

    first = client.post(teaser(), post_info(), idempotency_key="k1")
    second = client.post(teaser(), post_info(), idempotency_key="k2")

    assert [request.path for request in sent(httpserver)] == [SESSION, CREATE, CREATE]
    assert {request.headers["Authorization"] for request in sent(httpserver)[1:]} == {f"Bearer {ACCESS}"}
    assert first.url.endswith(f"/{rkey('k1')}") and second.url.endswith(f"/{rkey('k2')}")


def test_an_expired_token_is_refreshed_once_and_the_request_sent_again(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient]
) -> None:
    httpserver.expect_oneshot_request(CREATE, method="POST").respond_with_data(
        error_json("ExpiredToken", "Token has expired"), status=400, content_type="application/json"
    )
    httpserver.expect_request(REFRESH_SESSION, method="POST").respond_with_json(
        {"did": DID, "handle": HANDLE, "accessJwt": ACCESS_2, "refreshJwt": REFRESH_2}
    )
    pds(httpserver)
    client = make_client()

    posted = client.post(teaser(), post_info(), idempotency_key="k1")
    client.post(teaser(), post_info(), idempotency_key="k2")

    requests = sent(httpserver)
    assert [request.path for request in requests] == [SESSION, CREATE, REFRESH_SESSION, CREATE, CREATE]
    assert requests[1].headers["Authorization"] == f"Bearer {ACCESS}"
    assert requests[2].headers["Authorization"] == f"Bearer {REFRESH}"
    assert requests[2].get_data() == b""
    assert requests[3].headers["Authorization"] == f"Bearer {ACCESS_2}"
    assert requests[4].headers["Authorization"] == f"Bearer {ACCESS_2}"  # the renewed session is kept
    assert requests[3].get_json() == requests[1].get_json()
    assert posted.url == f"https://bsky.app/profile/{DID}/post/{rkey('k1')}"


def test_a_token_expired_again_after_the_refresh_is_an_error_not_a_loop(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient]
) -> None:
    httpserver.expect_request(CREATE, method="POST").respond_with_data(
        error_json("ExpiredToken", "Token has expired"), status=400, content_type="application/json"
    )
    httpserver.expect_request(REFRESH_SESSION, method="POST").respond_with_json(
        {"did": DID, "accessJwt": ACCESS_2, "refreshJwt": REFRESH_2}
    )
    pds(httpserver)

    with pytest.raises(PostError, match="ExpiredToken"):
        make_client().post(teaser(), post_info(), idempotency_key="k1")

    assert [request.path for request in sent(httpserver)] == [SESSION, CREATE, REFRESH_SESSION, CREATE]


def test_an_image_over_a_megabyte_is_downscaled_to_a_jpeg_without_metadata(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient], tmp_path: Path
) -> None:
    pds(httpserver)
    noise = Image.frombytes("RGB", (3000, 2000), random.Random(7).randbytes(3000 * 2000 * 3))
    exif = Image.Exif()
    exif[0x013B] = "Jana Döring"  # Artist
    exif[0x010F] = "Kamerahersteller"  # Make
    image = tmp_path / "header.jpg"
    noise.save(image, "JPEG", quality=90, exif=exif)
    assert image.stat().st_size > MAX_BLOB

    make_client().post(teaser(), post_info(image), idempotency_key="k1")

    upload = next(request for request in sent(httpserver) if request.path == UPLOAD)
    assert upload.headers["Content-Type"] == "image/jpeg"
    data = upload.get_data()
    assert len(data) <= MAX_BLOB
    with Image.open(io.BytesIO(data)) as small:
        assert small.format == "JPEG"
        assert small.size == (1200, 800)
        assert not small.getexif()
        assert "exif" not in small.info
    assert b"Jana" not in data and b"Kamerahersteller" not in data


def test_an_image_in_another_format_is_sent_as_jpeg(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient], tmp_path: Path
) -> None:
    pds(httpserver)
    image = tmp_path / "header.gif"
    Image.new("P", (400, 200), 3).save(image)

    make_client().post(teaser(), post_info(image), idempotency_key="k1")

    upload = next(request for request in sent(httpserver) if request.path == UPLOAD)
    assert upload.headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(upload.get_data())) as sent_image:
        assert (sent_image.format, sent_image.size) == ("JPEG", (400, 200))


def test_429_waits_until_ratelimit_reset_then_posts(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient], sleeps: list[float]
) -> None:
    reset = int(NOW) + 7
    httpserver.expect_oneshot_request(CREATE, method="POST").respond_with_data(
        error_json("RateLimitExceeded", "Rate Limit Exceeded"),
        status=429,
        headers={"ratelimit-limit": "5000", "ratelimit-remaining": "0", "ratelimit-reset": str(reset)},
        content_type="application/json",
    )
    pds(httpserver)

    posted = make_client().post(teaser(), post_info(), idempotency_key="k1")

    assert sleeps == [pytest.approx(reset - NOW)]
    assert sleeps[0] > RetryPolicy().backoff(1)  # the platform's hint, not our own backoff
    assert [request.path for request in sent(httpserver)] == [SESSION, CREATE, CREATE]
    assert posted.remote_id.endswith(f"/{rkey('k1')}")


def echo(*secrets: str) -> str:
    return "echoing " + " ".join(secrets)


def refused_login(httpserver: HTTPServer) -> None:
    httpserver.expect_request(SESSION, method="POST").respond_with_data(
        error_json("AuthenticationRequired", echo(HANDLE, PASSWORD)), status=401, content_type="application/json"
    )


def refused_record(httpserver: HTTPServer) -> None:
    httpserver.expect_request(CREATE, method="POST").respond_with_data(
        error_json("InvalidRequest", echo(ACCESS, REFRESH)), status=400, content_type="application/json"
    )
    pds(httpserver)


def failing_server(httpserver: HTTPServer) -> None:
    httpserver.expect_request(CREATE, method="POST").respond_with_data(f"<h1>500</h1> {echo(ACCESS)}", status=500)
    pds(httpserver)


def failed_refresh(httpserver: HTTPServer) -> None:
    httpserver.expect_request(CREATE, method="POST").respond_with_data(
        error_json("ExpiredToken", echo(ACCESS)), status=400, content_type="application/json"
    )
    httpserver.expect_request(REFRESH_SESSION, method="POST").respond_with_data(
        error_json("ExpiredToken", echo(REFRESH, PASSWORD)), status=400, content_type="application/json"
    )
    pds(httpserver)


def unreadable_answer(httpserver: HTTPServer) -> None:
    httpserver.expect_request(CREATE, method="POST").respond_with_data(f"ok {echo(ACCESS)}", status=200)
    pds(httpserver)


@pytest.mark.parametrize(
    ("scenario", "error", "words"),
    [
        (refused_login, PostError, "HUB_BSKY_HANDLE und HUB_BSKY_PASSWORD"),
        (refused_record, PostError, "HTTP 400: InvalidRequest"),
        (failing_server, TransientError, "findet keinen Beitrag unter dem Datensatzschlüssel"),
        (failed_refresh, TransientError, "konnte nicht erneuert werden"),
        (unreadable_answer, UncertainOutcome, "wahrscheinlich veröffentlicht"),
    ],
    ids=["login-refused", "record-refused", "server-error", "refresh-expired", "unreadable-answer"],
)
def test_no_password_or_token_in_any_error(
    httpserver: HTTPServer,
    make_client: Callable[..., BlueskyClient],
    scenario: Callable[[HTTPServer], None],
    error: type[PostError],
    words: str,
) -> None:
    scenario(httpserver)
    client = make_client()

    with pytest.raises(error) as raised:
        client.post(teaser(), post_info(), idempotency_key="k1")

    assert type(raised.value) is error
    assert words in str(raised.value)
    for shown in (str(raised.value), repr(raised.value), repr(client), repr(client.session)):
        assert not [secret for secret in SECRETS if secret in shown], shown


def test_a_refused_login_is_not_tried_again_for_the_next_post(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient]
) -> None:
    refused_login(httpserver)
    client = make_client()

    for key in ("k1", "k2"):
        with pytest.raises(PostError, match="App-Passwort"):
            client.post(teaser(), post_info(), idempotency_key=key)

    assert [request.path for request in sent(httpserver)] == [SESSION]  # createSession is rate-limited


@pytest.mark.parametrize(
    ("lost", "expected", "calls"),
    [
        ((UPLOAD,), TransientError, {UPLOAD: 4}),  # publishes nothing: asked again, then given up
        ((SESSION,), TransientError, {SESSION: 4}),
        ((CREATE, GET), UncertainOutcome, {CREATE: 1, GET: 4}),  # the lookup cannot tell either
        ((CREATE,), TransientError, {CREATE: 4, GET: 4}),  # every lookup: not there, nothing published
    ],
    ids=["upload", "login", "post-and-lookup", "post-only"],
)
def test_a_lost_answer_is_uncertain_only_while_nobody_can_tell(
    tmp_path: Path, lost: tuple[str, ...], expected: type[PostError], calls: dict[str, int]
) -> None:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path in lost:
            raise httpx.ReadTimeout("timed out", request=request)
        if request.url.path == SESSION:
            return httpx.Response(200, json={"did": DID, "accessJwt": ACCESS, "refreshJwt": REFRESH})
        if request.url.path == GET:
            return httpx.Response(400, json={"error": "RecordNotFound", "message": "Could not locate record"})
        return httpx.Response(200, json={"blob": BLOB})

    config = channel("https://bsky.example")
    credentials = Credentials({"handle": HANDLE, "password": PASSWORD})
    client = BlueskyClient(config, credentials, transport=httpx.MockTransport(handle), sleep=lambda _: None)
    with pytest.raises(expected) as raised:
        client.post(teaser(), post_info(png(tmp_path / "header.png")), idempotency_key="k1")
    client.close()

    assert type(raised.value) is expected
    assert {path: seen.count(path) for path in calls} == calls
    if expected is TransientError:
        assert "vielleicht veröffentlicht" not in str(raised.value)
    else:
        assert "auch die Suche nach dem Beitrag über seinen Datensatzschlüssel" in str(raised.value)


# --- Ambiguous answers: the record key decides ---------------------------------------------


def test_the_record_key_is_a_tid_of_the_publication_second_and_the_same_on_every_attempt() -> None:
    published = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    key = record_key(published, "k1")

    assert TID.fullmatch(key) and len(key) == 13
    value = 0
    for char in key:
        value = value * 32 + "234567abcdefghijklmnopqrstuvwxyz".index(char)
    assert value < 2**63  # the top bit stays 0
    micros = value >> 10
    assert published.timestamp() <= micros / 1_000_000 < published.timestamp() + 1
    assert record_key(published, "k1") == key  # a retry, even in another run, names the same record
    assert record_key(published, "k2") != key  # another channel, or a fresh key after --resolve …=retry
    assert record_key(published.replace(tzinfo=None), "k1") == key  # a naive time counts as UTC


def answer_lost_after_creating(httpserver: HTTPServer, repository: Pds, how: str) -> None:
    """createRecord takes effect on the PDS, and then its answer goes wrong on the way back."""

    def handle(request: Request) -> Response:
        created = repository.create(request)
        if how == "502":
            return Response("<html><center><h1>502 Bad Gateway</h1></center></html>", status=502)
        if how == "timeout":
            time.sleep(1.0)  # longer than the client waits
        if how == "dropped":
            request.environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)  # connection reset
        return created

    httpserver.expect_oneshot_request(CREATE, method="POST").respond_with_handler(handle)


@pytest.fixture
def threaded_httpserver() -> Iterator[HTTPServer]:
    """A PDS that answers getRecord while a slow createRecord is still busy."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_a_502_after_the_record_was_created_is_looked_up_not_sent_again(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient], sleeps: list[float]
) -> None:
    repository = Pds()
    answer_lost_after_creating(httpserver, repository, "502")
    pds(httpserver, repository)

    posted = make_client().post(teaser(), post_info(), idempotency_key="k1")

    assert list(repository.records) == [rkey("k1")]
    assert posted.remote_id == f"at://{DID}/app.bsky.feed.post/{rkey('k1')}"
    assert [request.path for request in sent(httpserver)] == [SESSION, CREATE, GET]
    lookup = sent(httpserver)[2]
    assert lookup.args["rkey"] == rkey("k1") and lookup.headers["Authorization"] == f"Bearer {ACCESS}"
    assert sleeps == []


def test_a_502_that_created_nothing_is_sent_again_under_the_same_record_key(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient], sleeps: list[float]
) -> None:
    httpserver.expect_oneshot_request(CREATE, method="POST").respond_with_data("Bad Gateway", status=502)
    repository = pds(httpserver)

    posted = make_client().post(teaser(), post_info(), idempotency_key="k1")

    assert [request.path for request in sent(httpserver)] == [SESSION, CREATE, GET, CREATE]
    first, again = (request.get_json() for request in sent(httpserver) if request.path == CREATE)
    assert first["rkey"] == again["rkey"] == rkey("k1")
    assert list(repository.records) == [rkey("k1")] and posted.remote_id.endswith(rkey("k1"))
    assert sleeps == [RetryPolicy().backoff(1)]


@pytest.mark.parametrize(
    "taken",
    [(500, "InternalServerError"), (400, "RecordAlreadyExists")],
    ids=["as-the-pds-answers-today", "as-a-named-error"],
)
def test_a_post_an_earlier_run_created_is_found_by_its_record_key(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient], taken: tuple[int, str]
) -> None:
    repository = pds(httpserver, Pds(taken))
    first = make_client().post(teaser(), post_info(), idempotency_key="k1")  # its answer never reached the ledger

    again = make_client().post(teaser(), post_info(), idempotency_key="k1")

    assert again == first and list(repository.records) == [rkey("k1")]
    assert [request.path for request in sent(httpserver)] == [SESSION, CREATE, SESSION, CREATE, GET]


def test_a_plain_refusal_stays_a_refusal_after_the_lookup(
    httpserver: HTTPServer, make_client: Callable[..., BlueskyClient]
) -> None:
    httpserver.expect_request(CREATE, method="POST").respond_with_data(
        error_json("InvalidRequest", "Invalid app.bsky.feed.post record: Record/text must not be longer than 300"),
        status=400,
        content_type="application/json",
    )
    repository = pds(httpserver)

    with pytest.raises(PostError, match="HTTP 400: InvalidRequest") as raised:
        make_client().post(teaser(), post_info(), idempotency_key="k1")

    assert type(raised.value) is PostError and repository.records == {}
    assert [request.path for request in sent(httpserver)] == [SESSION, CREATE, GET]


def run_once(server: HTTPServer, ledger: Ledger, at: datetime, policy: RetryPolicy = DEFAULT_POLICY) -> RunReport:
    """One `invoke crosspost` for the Bluesky channel, in process (fake sleeps, real HTTP)."""
    services = Services(
        compose=compose_for,
        make_client=lambda config, credentials: clients.make_client(
            config, credentials, sleep=lambda _: None, now=lambda: NOW, policy=policy
        ),
        read_credentials=clients.credentials_from_env,
        environ={"HUB_BSKY_HANDLE": HANDLE, "HUB_BSKY_PASSWORD": PASSWORD},
    )
    return run_channels([channel(server.url_for("/").rstrip("/"))], [post_info()], ledger, at, services)


@pytest.mark.parametrize("how", ["502", "timeout", "dropped"])
def test_an_answer_lost_after_the_record_was_created_gives_one_post_and_its_uri_in_the_ledger(
    threaded_httpserver: HTTPServer, tmp_path: Path, how: str
) -> None:
    repository = Pds()
    answer_lost_after_creating(threaded_httpserver, repository, how)
    pds(threaded_httpserver, repository)
    ledger = Ledger.load(tmp_path / "ledger.jsonl")

    report = run_once(
        threaded_httpserver, ledger, datetime(2026, 11, 21, 10, 0, tzinfo=UTC), RetryPolicy(read_timeout=0.3)
    )

    (run,) = report.channels
    assert report.ok, run
    (record,) = repository.records  # exactly one post on Bluesky
    entry = ledger.current()[("de/kaelte-im-buero", "bsky")]
    assert entry.status is Status.POSTED
    assert entry.remote_id == f"at://{DID}/app.bsky.feed.post/{record}"
    assert entry.url == f"https://bsky.app/profile/{DID}/post/{record}"
    assert run.posted == [("de/kaelte-im-buero", entry.url)]
    assert GET in [request.path for request in sent(threaded_httpserver)]  # the answer was lost: looked up


def test_when_even_the_lookup_fails_the_next_run_settles_it_without_a_second_post(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    repository = Pds()
    answer_lost_after_creating(httpserver, repository, "502")
    pds(httpserver, repository)
    repository.readable = False
    ledger = Ledger.load(tmp_path / "ledger.jsonl")

    first = run_once(httpserver, ledger, datetime(2026, 11, 21, 10, 0, tzinfo=UTC))

    (run,) = first.channels
    assert not first.ok and [key for key, _ in run.waiting] == ["de/kaelte-im-buero"]
    assert "der nächste Lauf sendet ihn mit demselben Schlüssel erneut" in run.waiting[0][1]
    assert [entry.status for entry in ledger.entries] == [Status.PENDING]

    repository.readable = True
    second = run_once(httpserver, ledger, datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # days later: no time limit

    assert second.ok, second.channels
    (record,) = repository.records
    assert [entry.status for entry in ledger.entries] == [Status.PENDING, Status.PENDING, Status.POSTED]
    assert ledger.entries[0].idempotency_key == ledger.entries[-1].idempotency_key
    assert ledger.entries[-1].remote_id == f"at://{DID}/app.bsky.feed.post/{record}"
    creates = [request for request in sent(httpserver) if request.path == CREATE]
    assert len(creates) == 2 and {request.get_json()["rkey"] for request in creates} == {record}


def test_missing_credentials_name_the_variables() -> None:
    with pytest.raises(PostError, match="HUB_BSKY_HANDLE und HUB_BSKY_PASSWORD"):
        BlueskyClient(channel("https://bsky.social"), Credentials({"handle": HANDLE}))


def test_limit_is_bluesky_s_300(make_client: Callable[..., BlueskyClient], httpserver: HTTPServer) -> None:
    assert make_client().limit() == 300
    assert sent(httpserver) == []  # no login just to tell the limit


def test_facets_skip_hashtags_inside_the_link_and_longer_hashtags() -> None:
    link = "https://hub.example.com/de/a/?utm_source=bsky#Energie"
    text = f"Grüße 👋🏽 zur #Energiewende!\n\n{link}\n\n#Energie"
    encoded = text.encode("utf-8")
    tag = encoded.rindex(b"#Energie")
    start = encoded.index(link.encode())

    found = facets(text, link, ("#Energie", "#Fehlt", "Energie"))

    assert found == [
        {
            "index": {"byteStart": start, "byteEnd": start + len(link)},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
        },
        {
            "index": {"byteStart": tag, "byteEnd": tag + len(b"#Energie")},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Energie"}],
        },
    ]


def test_make_client_builds_it_with_the_shared_session(httpserver: HTTPServer, sleeps: list[float]) -> None:
    pds(httpserver)
    client = clients.make_client(
        channel(httpserver.url_for("/").rstrip("/")),
        Credentials({"handle": HANDLE, "password": PASSWORD}),
        sleep=sleeps.append,
        now=lambda: NOW,
    )
    try:
        assert isinstance(client, BlueskyClient)
        posted = client.post(teaser(), post_info(), idempotency_key="k1")
    finally:
        client.close()

    assert posted.url == f"https://bsky.app/profile/{DID}/post/{rkey('k1')}"
    assert sent(httpserver)[0].headers["User-Agent"].startswith("hub-crosspost/")
