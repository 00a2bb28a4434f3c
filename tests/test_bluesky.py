"""The Bluesky client against a fake PDS (pytest-httpserver): every request as Bluesky expects it."""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from content_model.channels import TEMPLATES, ChannelConfig
from crosspost import clients
from crosspost.clients.bluesky import MAX_BLOB, BlueskyClient, facets
from crosspost.http import RetryPolicy
from crosspost.model import Credentials, PostError, PostInfo, Teaser, TransientError, UncertainOutcome
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


def pds(httpserver: HTTPServer) -> None:
    """A PDS that logs in, stores blobs and records; tests add one-shot answers in front of it."""
    rkeys = iter(f"3lbkey{n}" for n in range(1, 100))
    httpserver.expect_request(SESSION, method="POST").respond_with_json(
        {"did": DID, "handle": HANDLE, "accessJwt": ACCESS, "refreshJwt": REFRESH, "active": True}
    )
    httpserver.expect_request(UPLOAD, method="POST").respond_with_json({"blob": BLOB})

    def create(request: Request) -> Response:
        uri = f"at://{DID}/app.bsky.feed.post/{next(rkeys)}"
        return Response(json.dumps({"uri": uri, "cid": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"}))

    httpserver.expect_request(CREATE, method="POST").respond_with_handler(create)


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

    assert posted.remote_id == f"at://{DID}/app.bsky.feed.post/3lbkey1"
    assert posted.url == f"https://bsky.app/profile/{DID}/post/3lbkey1"
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
    assert first.url.endswith("/3lbkey1") and second.url.endswith("/3lbkey2")


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
    assert posted.url == f"https://bsky.app/profile/{DID}/post/3lbkey1"


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
    assert posted.remote_id.endswith("/3lbkey1")


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
        (refused_login, PostError, "HUB_BSKY_HANDLE and HUB_BSKY_PASSWORD"),
        (refused_record, PostError, "HTTP 400: InvalidRequest"),
        (failing_server, TransientError, "gave up after 4 attempts"),
        (failed_refresh, TransientError, "could not be renewed"),
        (unreadable_answer, UncertainOutcome, "probably published"),
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
        with pytest.raises(PostError, match="app password"):
            client.post(teaser(), post_info(), idempotency_key=key)

    assert [request.path for request in sent(httpserver)] == [SESSION]  # createSession is rate-limited


def test_a_lost_answer_is_uncertain_only_for_the_post_itself(tmp_path: Path) -> None:
    def lose(path: str) -> Callable[[httpx.Request], httpx.Response]:
        def handle(request: httpx.Request) -> httpx.Response:
            if request.url.path == path:
                raise httpx.ReadTimeout("timed out", request=request)
            if request.url.path == SESSION:
                return httpx.Response(200, json={"did": DID, "accessJwt": ACCESS, "refreshJwt": REFRESH})
            return httpx.Response(200, json={"blob": BLOB})

        return handle

    config = channel("https://bsky.example")
    credentials = Credentials({"handle": HANDLE, "password": PASSWORD})
    image = png(tmp_path / "header.png")
    for path, expected in ((UPLOAD, TransientError), (CREATE, UncertainOutcome), (SESSION, TransientError)):
        client = BlueskyClient(config, credentials, transport=httpx.MockTransport(lose(path)), sleep=lambda _: None)
        with pytest.raises(expected) as raised:
            client.post(teaser(), post_info(image), idempotency_key="k1")
        client.close()
        assert type(raised.value) is expected, path
        if expected is TransientError:
            assert "may have published" not in str(raised.value)


def test_missing_credentials_name_the_variables() -> None:
    with pytest.raises(PostError, match="HUB_BSKY_HANDLE and HUB_BSKY_PASSWORD"):
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

    assert posted.url == f"https://bsky.app/profile/{DID}/post/3lbkey1"
    assert sent(httpserver)[0].headers["User-Agent"].startswith("hub-crosspost/")
