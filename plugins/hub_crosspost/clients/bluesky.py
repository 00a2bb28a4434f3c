"""Bluesky: one `app.bsky.feed.post` per teaser, with its link, hashtags and a link card.

A small httpx client rather than the `atproto` SDK: we need five XRPC calls and facets,
which are only UTF-8 byte offsets (a dozen lines here), while the SDK pulls in pydantic and
a large generated model, is still at 0.0.x, and brings its own HTTP client, session handling
and exceptions, bypassing the retry policy and secret redaction every other client shares.

XRPC as documented at docs.bsky.app (assumed stable, since it is how every app talks to a PDS):
- `com.atproto.server.createSession` with handle and app password → `accessJwt`, `refreshJwt`,
  `did`. Rate-limited to 30 per 5 minutes, so one session per client serves every post.
- An expired access token is a 400 `{"error": "ExpiredToken"}`; `com.atproto.server.refreshSession`
  (Bearer refreshJwt) gives new tokens, and the request is sent once more.
- `com.atproto.repo.uploadBlob` (raw bytes, at most 1,000,000 for a link card's thumb)
  → `{"blob": {...}}`, referenced from the record as is.
- `com.atproto.repo.createRecord` with `rkey` → `{"uri": "at://<did>/app.bsky.feed.post/<rkey>", "cid"}`.
  A post's record key must be a TID (`record_key`); the PDS refuses any other with 400.
  A record key that exists already is answered with 500 InternalServerError (the repository
  refuses the write; atproto issues #3718, PR #4728 proposes a named 4xx instead).
- `com.atproto.repo.getRecord?repo=&collection=&rkey=` → `{"uri", "cid", "value"}`, or 400
  `{"error": "RecordNotFound", "message": "Could not locate record: at://…"}` (older PDS
  versions: "InvalidRequest" with the same message). The PDS reads its own repository, so a
  record it has just written is there.
- 429 comes with `ratelimit-reset` (epoch seconds), which hub_crosspost.http honours.

Bluesky has no idempotency header; the record key is ours instead. It is derived from the
post and the runner's key (`record_key`), so every attempt at one teaser names the same
record, and the repository holds at most one record under it. When createRecord's answer
leaves the outcome open (a 5xx, a timeout, a dropped connection) or refuses, getRecord asks
for that key: there means posted (with the real URI), absent means nothing was published and
the same create may go out again.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import regex
from hub_core.i18n import translator
from PIL import Image, ImageOps, UnidentifiedImageError

from ..channels import ChannelConfig
from ..http import DEFAULT_POLICY, AmbiguousAnswer, Clock, Replay, RetryPolicy, Session, Sleep, redact, send
from ..model import Credentials, Posted, PostError, PostInfo, Teaser, TransientError, UncertainOutcome
from ..platforms import PLATFORMS
from .common import open_session

_, ngettext = translator("hub_crosspost")
logger = logging.getLogger(__name__)

DEFAULT_SERVICE = "https://bsky.social"
LIMIT = PLATFORMS["bluesky"].limit  # graphemes
MAX_BLOB = 1_000_000  # bytes: the lexicon's maxSize for app.bsky.embed.external's thumb
THUMB_SIDE = 1200  # pixels: link cards are shown far smaller; this stays sharp on any screen
# Re-encoding tries these (longest side, JPEG quality) until the image fits MAX_BLOB.
THUMB_STEPS = ((THUMB_SIDE, 80), (THUMB_SIDE, 65), (900, 65), (600, 60), (400, 50))
MIME_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
COLLECTION = "app.bsky.feed.post"
# atproto's base32-sortable alphabet: record keys sort as their timestamps do.
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TAG_EDGE = r"\p{L}\p{M}\p{N}_"


@dataclass
class _Login:
    did: str
    access: str = field(repr=False)
    refresh: str = field(repr=False)


class _ExpiredToken(PostError):
    """The access (or refresh) token has expired: refresh once, then send again."""


class _RecordNotFound(PostError):
    """getRecord: the repository has no record under that key."""


class BlueskyClient:
    def __init__(
        self,
        config: ChannelConfig,
        credentials: Credentials,
        session: Session | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Sleep = time.sleep,
        now: Clock = time.time,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        """`session` as clients.make_client builds it; without one, the keywords build it."""
        self.config = config
        self.service = (config.settings.get("service") or DEFAULT_SERVICE).rstrip("/")
        try:
            self._handle = credentials["handle"]
            self._password = credentials["password"]
        except KeyError:
            names = _(" and ").join(config.settings.get(key, key) for key in ("handle_env", "password_env"))
            raise PostError(
                _("channel {channel}: expected a handle and an app password from {names}").format(
                    channel=config.name, names=names
                )
            ) from None
        if session is None:
            session = open_session(credentials, transport, policy, sleep, now)
        self.session = session
        self._login: _Login | None = None
        self._login_refused: PostError | None = None

    def __repr__(self) -> str:
        return f"BlueskyClient(channel={self.config.name!r}, service={self.service!r})"

    def limit(self) -> int:
        return LIMIT

    def post(self, teaser: Teaser, post: PostInfo, *, idempotency_key: str) -> Posted:
        login = self._session()
        external: dict[str, Any] = {"uri": teaser.link, "title": post.title, "description": post.summary or ""}
        thumb = self._thumb(post)
        if thumb is not None:
            external["thumb"] = thumb
        record = {
            "$type": COLLECTION,
            "text": teaser.text,
            "createdAt": created_at(self.session.now()),
            "langs": [self.config.language or post.lang],
            "facets": facets(teaser.text, teaser.link, teaser.hashtags),
            "embed": {"$type": "app.bsky.embed.external", "external": external},
        }
        rkey = record_key(post.date, idempotency_key)
        return self._create({"repo": login.did, "collection": COLLECTION, "rkey": rkey, "record": record}, rkey)

    def _create(self, body: dict[str, Any], rkey: str) -> Posted:
        """createRecord, and getRecord whenever its answer leaves open whether the post exists."""
        policy = self.session.policy
        problem = ""
        for attempt in range(1, policy.max_attempts + 1):
            try:
                response = self._authorized("com.atproto.repo.createRecord", json=body, publishes=True)
            except AmbiguousAnswer as lost:
                problem = lost.problem
                found = self._existing(rkey, problem)
                if found is not None:
                    return found
                # Not there: that attempt did nothing, and the same record key keeps a
                # second one from ever doubling the post.
            except TransientError:
                raise  # 429 beyond the budget, or no connection: nothing was created
            except PostError as refused:
                # This attempt did nothing. Was the post created by an earlier run? A PDS that
                # names a taken record key (a 4xx, once atproto#4728 is out) says so this way.
                if isinstance(refused, _ExpiredToken):
                    raise
                try:
                    found = self._existing(rkey, str(refused))
                except UncertainOutcome:
                    raise refused from None
                if found is not None:
                    return found
                raise
            else:
                posted = _posted(response)
                if posted is not None:
                    return posted
                problem = _("HTTP {status} without the post's at:// URI").format(status=response.status_code)
                found = self._existing(rkey, problem)
                if found is not None:
                    return found
                raise UncertainOutcome(
                    _(
                        "channel {channel}: Bluesky answered HTTP {status} without the new post's at:// URI; the "
                        "post was probably published: check the account"
                    ).format(channel=self.config.name, status=response.status_code)
                )
            if attempt < policy.max_attempts:
                self.session.sleep(policy.backoff(attempt))
        raise TransientError(
            ngettext(
                "channel {channel}: createRecord answered {problem} once; getRecord finds no post under its record "
                "key {rkey}, so nothing was published and the next run tries again",
                "channel {channel}: createRecord answered {problem} {count} times; getRecord finds no post under its "
                "record key {rkey}, so nothing was published and the next run tries again",
                policy.max_attempts,
            ).format(channel=self.config.name, problem=problem, count=policy.max_attempts, rkey=rkey)
        )

    def _existing(self, rkey: str, problem: str) -> Posted | None:
        """The post under `rkey` if the repository has it, None if not; UncertainOutcome if the
        PDS cannot tell (the runner then sends it again next run, under the same record key)."""
        login = self._session()
        try:
            response = self._authorized(
                "com.atproto.repo.getRecord",
                params={"repo": login.did, "collection": COLLECTION, "rkey": rkey},
            )
        except _RecordNotFound:
            return None
        except PostError as error:
            raise UncertainOutcome(
                _(
                    "channel {channel}: createRecord answered {problem}, and looking the post up by its record key "
                    "{rkey} failed as well ({error})"
                ).format(channel=self.config.name, problem=problem, rkey=rkey, error=error)
            ) from None
        posted = _posted(response)
        if posted is None:
            raise UncertainOutcome(
                _(
                    "channel {channel}: createRecord answered {problem}, and getRecord for record key {rkey} "
                    "answered without its at:// URI"
                ).format(channel=self.config.name, problem=problem, rkey=rkey)
            )
        logger.info(
            "crosspost: %s",
            _("{channel}: {url} was published already (found by its record key)").format(
                channel=self.config.name, url=posted.url
            ),
        )
        return posted

    def query(self, method: str, params: dict[str, str]) -> httpx.Response:
        """An XRPC query (GET) as the channel's account, through the same login, retries and
        redaction as posting: hub_inbox's listener reads the replies to our teasers with it."""
        return self._authorized(method, params=params)

    def close(self) -> None:
        self.session.close()

    # -- session ---------------------------------------------------------------------------

    def _session(self) -> _Login:
        if self._login is not None:
            return self._login
        if self._login_refused is not None:
            raise self._login_refused  # a wrong password stays wrong; do not spend the login limit
        try:
            response = self._send(
                "com.atproto.server.createSession", json={"identifier": self._handle, "password": self._password}
            )
        except TransientError:
            raise
        except PostError as refused:
            names = _(" and ").join(self.config.settings.get(key, key) for key in ("handle_env", "password_env"))
            self._login_refused = PostError(
                _(
                    "channel {channel}: Bluesky refused the login with {names} (use an app password, not the "
                    "account's own): {refused}"
                ).format(channel=self.config.name, names=names, refused=refused)
            )
            raise self._login_refused from None
        self._login = self._keep(response, "createSession")
        return self._login

    def _refresh(self, login: _Login) -> _Login:
        self._login = None
        try:
            response = self._send("com.atproto.server.refreshSession", headers=_bearer(login.refresh))
        except PostError as error:
            # An expired refresh token is no lasting problem: the next post logs in afresh.
            kind = TransientError if isinstance(error, _ExpiredToken | TransientError) else PostError
            raise kind(
                _("channel {channel}: the Bluesky session could not be renewed: {error}").format(
                    channel=self.config.name, error=error
                )
            ) from None
        self._login = self._keep(response, "refreshSession")
        return self._login

    def _keep(self, response: httpx.Response, method: str) -> _Login:
        try:
            data = response.json()
            login = _Login(str(data["did"]), str(data["accessJwt"]), str(data["refreshJwt"]))
        except (ValueError, KeyError, TypeError):
            raise PostError(
                _("channel {channel}: {method} answered without did and tokens").format(
                    channel=self.config.name, method=method
                )
            ) from None
        self.session.secrets = (*self.session.secrets, login.access, login.refresh)
        if data.get("active") is False:
            status = data.get("status") or "inactive"
            raise PostError(
                _("channel {channel}: the Bluesky account {did} is {status}").format(
                    channel=self.config.name, did=login.did, status=status
                )
            )
        return login

    # -- requests ----------------------------------------------------------------------------

    def _authorized(
        self,
        method: str,
        *,
        json: object = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        publishes: bool = False,
    ) -> httpx.Response:
        def attempt(login: _Login) -> httpx.Response:
            with_token = {**(headers or {}), **_bearer(login.access)}
            return self._send(
                method, json=json, content=content, headers=with_token, params=params, publishes=publishes
            )

        login = self._session()
        try:
            return attempt(login)
        except _ExpiredToken:
            pass  # refused before anything was done: renew the session and ask once more
        return attempt(self._refresh(login))

    def _send(
        self,
        method: str,
        *,
        json: object = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        publishes: bool = False,
    ) -> httpx.Response:
        """One XRPC call: a query (GET) when it has `params`, else a procedure (POST). Only a
        request that `publishes` is never repeated after an ambiguous answer; a login, an upload
        or a lookup may be, since it publishes nothing."""
        http = self.session
        request = http.client.build_request(
            "GET" if params is not None else "POST",
            f"{self.service}/xrpc/{method}",
            json=json,
            content=content,
            headers=headers,
            params=params,
        )
        return send(
            http.client,
            request,
            http.policy,
            secrets=http.secrets,
            sleep=http.sleep,
            now=http.now,
            refusal=_refusal,
            replay=Replay.UNSAFE if publishes else Replay.HARMLESS,
        )

    # -- link card image ---------------------------------------------------------------------

    def _thumb(self, post: PostInfo) -> dict[str, Any] | None:
        """The uploaded blob for the link card, or None (the card then shows no image)."""
        if post.image is None:
            return None
        try:
            data, mime = thumbnail(post.image)
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as error:
            reason = _("no image on the link card of {post}: {error}").format(post=post.key, error=error)
            logger.warning("crosspost: %s: %s", self.config.name, reason)
            return None
        try:
            response = self._authorized("com.atproto.repo.uploadBlob", content=data, headers={"Content-Type": mime})
            blob = response.json()["blob"]
            if not isinstance(blob, dict):
                raise TypeError(blob)
        except TransientError:
            raise  # try the whole post later, with its image
        except (PostError, ValueError, KeyError, TypeError) as error:
            # Refused (too large, unknown format): the card without an image beats no post.
            logger.warning(
                "crosspost: %s",
                _("{channel}: no image on the link card of {post}: upload failed: {error}").format(
                    channel=self.config.name, post=post.key, error=redact(str(error), self.session.secrets)
                ),
            )
            return None
        return blob


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _refusal(response: httpx.Response, message: str) -> PostError | None:
    """The refusals the client acts on: an expired token, a record that is not there."""
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    where = f"{response.request.method} {response.request.url}: HTTP {response.status_code}: {message}"
    if data.get("error") == "ExpiredToken":
        return _ExpiredToken(where)
    if response.request.method == "GET" and (
        data.get("error") == "RecordNotFound" or str(data.get("message", "")).startswith("Could not locate record")
    ):
        return _RecordNotFound(where)
    return None


def _posted(response: httpx.Response) -> Posted | None:
    """The post a createRecord or getRecord answer names, or None if it names none."""
    try:
        uri = response.json()["uri"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(uri, str) or not uri.startswith("at://") or uri.count("/") != 4:
        return None
    did, rkey = uri.removeprefix("at://").split("/")[0], uri.rsplit("/", 1)[1]
    return Posted(uri, f"https://bsky.app/profile/{did}/post/{rkey}")


def record_key(published: datetime, idempotency_key: str) -> str:
    """The TID under which one teaser's post is created, the same on every attempt.

    A TID is 64 bits, the top one 0: microseconds since the epoch (53 bits), then a 10-bit
    clock id, written as 13 characters of TID_ALPHABET. The timestamp is the post's
    publication second (a time of that post, not of the run) plus microseconds taken from a
    hash of the runner's key, which stands for post and channel; the clock id comes from the
    same hash. Two teasers published in the same second thus share a key only with a chance
    of one in 10^9. An editor's `--resolve …=retry` gives a new runner key and so a new record.
    """
    moment = published if published.tzinfo is not None else published.replace(tzinfo=UTC)
    seconds = int(moment.timestamp())
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    micros = seconds * 1_000_000 + digest % 1_000_000
    clock_id = (digest // 1_000_000) % 1024
    value = (micros << 10) | clock_id
    return "".join(TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def created_at(moment: float) -> str:
    """`moment` (epoch seconds) as atproto's datetime: UTC, milliseconds, 'Z'."""
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def facets(text: str, link: str, hashtags: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rich-text facets: every occurrence of `link`, and of each hashtag outside the links.

    Bluesky indexes facets by UTF-8 bytes, not characters: "Kälte 🥶 " is 8 characters, 12 bytes.
    """
    found: list[tuple[int, int, dict[str, str]]] = []
    links: list[tuple[int, int]] = []
    start = text.find(link) if link else -1
    while start >= 0:
        links.append((start, start + len(link)))
        found.append((start, start + len(link), {"$type": "app.bsky.richtext.facet#link", "uri": link}))
        start = text.find(link, start + len(link))
    for tag in dict.fromkeys(tag.lstrip("#") for tag in hashtags):
        if not tag:
            continue
        pattern = regex.compile(rf"(?<![{_TAG_EDGE}#])#{regex.escape(tag)}(?![{_TAG_EDGE}])")
        for match in pattern.finditer(text):
            if not any(begin < match.end() and match.start() < end for begin, end in links):
                found.append((match.start(), match.end(), {"$type": "app.bsky.richtext.facet#tag", "tag": tag}))
    return [
        {"index": {"byteStart": _bytes(text, begin), "byteEnd": _bytes(text, end)}, "features": [feature]}
        for begin, end, feature in sorted(found, key=lambda item: item[0])
    ]


def _bytes(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def thumbnail(path: Path) -> tuple[bytes, str]:
    """The image's bytes and MIME type, re-encoded as a smaller JPEG without metadata if it is
    over MAX_BLOB or not a JPEG or PNG. A JPEG or PNG that fits goes as it is, metadata and
    all: it is the same file the site already serves."""
    data = path.read_bytes()
    mime = MIME_TYPES.get(path.suffix.lower())
    if mime is not None and len(data) <= MAX_BLOB:
        return data, mime
    with Image.open(io.BytesIO(data)) as original:
        image = ImageOps.exif_transpose(original)  # before the EXIF (and its orientation) goes
        if image.mode != "RGB":
            image = _on_white(image)
    for side, quality in THUMB_STEPS:
        small = image.copy()
        small.thumbnail((side, side))
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=quality, optimize=True)  # no exif=…: metadata stays behind
        if buffer.tell() <= MAX_BLOB:
            return buffer.getvalue(), "image/jpeg"
    raise ValueError(
        _("{path} stays over {limit} bytes even at {side} px and JPEG quality {quality}").format(
            path=path, limit=MAX_BLOB, side=side, quality=quality
        )
    )


def _on_white(image: Image.Image) -> Image.Image:
    """RGB for JPEG; transparent parts become white, as on the page, not black."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
