"""One HTTP request to a platform, sent with a retry policy that never posts twice by accident.

Retried: 429 (the platform did not take the request) and connection failures before the
request left (connect errors and timeouts). Never retried: any other 4xx (the platform said
no; asking again changes nothing). Retried only where a repeat is harmless: the ambiguous
answers, a 5xx (a gateway's 502/504 may hide a post that went through) or a failure while or
after the request was sent (write or read timeout, dropped connection). The request's `Replay`
says which: a GET, a login or an upload does nothing twice; a POST the platform deduplicates
(Mastodon's Idempotency-Key) is answered with the first result; any other POST could publish
twice, so after such an answer we raise AmbiguousAnswer (an UncertainOutcome) at once and let
the client reconcile (Bluesky looks the record up by its key) or an editor look.

Waits follow the platform's hints when it gives one, else a deterministic exponential
backoff (no jitter: one process posts a handful of teasers, there is no herd to spread,
and tests can assert the exact waits). No wait ever ends beyond the total budget.

Every message raised here passes through `redact`, so it is safe to print and log.
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import NoReturn
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import httpx
from hub_core.i18n import translator

from .model import PostError, TransientError, UncertainOutcome

_, ngettext = translator("hub_crosspost")

Sleep = Callable[[float], None]
Clock = Callable[[], float]
# Turns a refused (non-retryable 4xx) answer into a more specific error, e.g. X's duplicate refusal.
Refusal = Callable[[httpx.Response, str], PostError | None]

MASK = "***"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MESSAGE_LIMIT = 300
# Rate-limit reset headers, each with the "remaining" header of the same window. Formats differ:
# X sends epoch seconds, Mastodon an ISO-8601 time, Bluesky's PDS epoch seconds; `_moment`
# accepts all of them for any name, since other servers reuse the names with other formats.
RESET_HEADERS = (
    ("x-rate-limit-reset", "x-rate-limit-remaining"),  # X, 15-minute window
    ("x-user-limit-24hour-reset", "x-user-limit-24hour-remaining"),  # X, daily cap per user
    ("x-app-limit-24hour-reset", "x-app-limit-24hour-remaining"),  # X, daily cap per app
    ("x-ratelimit-reset", "x-ratelimit-remaining"),  # Mastodon (and Discord, as epoch)
    ("ratelimit-reset", "ratelimit-remaining"),  # Bluesky
)


class Replay(StrEnum):
    """What sending a request once more can do, when its first answer left the outcome open."""

    HARMLESS = "harmless"  # reads, logins, uploads: nothing is published, repeat freely
    DEDUPLICATED = "deduplicated"  # the platform answers a repeat with the first result (Idempotency-Key)
    UNSAFE = "unsafe"  # a repeat could publish twice: never repeated after an ambiguous answer


class AmbiguousAnswer(UncertainOutcome):
    """The request was sent and its answer (a 5xx, or none) does not say whether it took effect.
    `problem` is that answer in a few words ("HTTP 502: Bad Gateway"), redacted, for a client
    that can find out on its own (Bluesky looks the record up by its key)."""

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 1.0  # seconds before the 2nd attempt; doubled for each further one
    max_delay: float = 60.0  # cap for our own backoff (a platform's hint may ask for longer)
    total_budget: float = 120.0  # seconds from the first attempt after which we stop waiting
    connect_timeout: float = 5.0
    read_timeout: float = 20.0

    def backoff(self, failures: int) -> float:
        return min(self.max_delay, self.base_delay * 2 ** (failures - 1))

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.read_timeout, connect=self.connect_timeout, pool=self.connect_timeout)


DEFAULT_POLICY = RetryPolicy()


@dataclass
class Session:
    """What every client needs to talk to its platform: the connection pool, the policy, the
    secrets to hide, and the clock (injected so tests never really sleep)."""

    client: httpx.Client
    policy: RetryPolicy = DEFAULT_POLICY
    secrets: tuple[str, ...] = field(default=(), repr=False)
    sleep: Sleep = time.sleep
    now: Clock = time.time

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        json: object = None,
        refusal: Refusal | None = None,
        policy: RetryPolicy | None = None,
        replay: Replay | None = None,
    ) -> httpx.Response:
        try:
            request = self.client.build_request(method, url, headers=headers, json=json)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError, TypeError) as exc:
            # A malformed secret URL ends up in httpx's message: hide it.
            message = _("cannot build the request to {url}: {error}").format(url=url, error=exc)
            raise PostError(redact(message, self.secrets)) from None
        return send(
            self.client,
            request,
            policy or self.policy,
            secrets=self.secrets,
            sleep=self.sleep,
            now=self.now,
            refusal=refusal,
            replay=replay,
        )

    def close(self) -> None:
        self.client.close()


def send(
    client: httpx.Client,
    request: httpx.Request,
    policy: RetryPolicy = DEFAULT_POLICY,
    *,
    secrets: Sequence[str],
    sleep: Sleep = time.sleep,
    now: Clock = time.time,
    refusal: Refusal | None = None,
    replay: Replay | None = None,
) -> httpx.Response:
    """Send `request` until it succeeds (2xx), per `policy`; raise a PostError subclass otherwise.

    `replay` says what a repeat could do (see Replay); by default a GET, HEAD or OPTIONS is
    harmless and anything else unsafe.
    """
    if replay is None:
        replay = Replay.HARMLESS if request.method in SAFE_METHODS else Replay.UNSAFE
    # The policy's timeouts win over whatever the client was built with.
    request.extensions["timeout"] = policy.timeout().as_dict()
    where = redact(f"{request.method} {request.url}", secrets)
    start = now()
    ambiguous = ""  # the first answer that left open whether a deduplicated request took effect
    for attempt in range(1, policy.max_attempts + 1):
        hint: float | None = None
        try:
            response = client.send(request)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError) as exc:
            problem = _("could not connect ({error})").format(error=_describe(exc))  # nothing left: safe to repeat
        except (httpx.UnsupportedProtocol, httpx.LocalProtocolError) as exc:
            message = _("{where}: cannot send ({error})").format(where=where, error=_describe(exc))
            raise PostError(redact(message, secrets)) from None
        except httpx.TransportError as exc:
            problem = _("no answer after the request was sent ({error})").format(error=_describe(exc))
            if replay is not Replay.HARMLESS:
                ambiguous = ambiguous or problem
        else:
            if response.is_success:
                return response
            message = platform_message(response, secrets)
            status = response.status_code
            if status != 429 and status < 500:
                specific = refusal(response, message) if refusal else None
                raise specific or PostError(f"{where}: HTTP {status}: {message}")
            problem = f"HTTP {status}: {message}"
            hint = server_delay(response, now())
            if status >= 500 and replay is not Replay.HARMLESS:
                ambiguous = ambiguous or problem

        if ambiguous and replay is Replay.UNSAFE:
            message = _("{where}: {problem}; the platform may have published it, so it is not sent again")
            raise AmbiguousAnswer(
                redact(message.format(where=where, problem=problem), secrets), redact(problem, secrets)
            )
        if attempt == policy.max_attempts:
            message = _("{where}: {problem}; gave up ({attempts})")
            _give_up(message.format(where=where, problem=problem, attempts=_attempts(attempt)), ambiguous, secrets)
        delay = max(policy.backoff(attempt), hint or 0.0)
        used = now() - start
        if used + delay > policy.total_budget:
            if hint is not None and hint >= delay:  # a 429 (rate limit) or 503 with Retry-After or a reset time
                message = _(
                    "{where}: {problem}; not retrying: the platform asks to wait {delay} s, beyond the retry budget "
                    "of {budget} s ({used} s used, {attempts}); the next run tries again"
                )
            else:
                message = _(
                    "{where}: {problem}; not retrying: the next try would be {delay} s from now, beyond the retry "
                    "budget of {budget} s ({used} s used, {attempts}); the next run tries again"
                )
            values = {"delay": f"{delay:.0f}", "budget": f"{policy.total_budget:.0f}", "used": f"{used:.0f}"}
            _give_up(
                message.format(where=where, problem=problem, attempts=_attempts(attempt), **values), ambiguous, secrets
            )
        sleep(delay)
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


def _give_up(message: str, ambiguous: str, secrets: Sequence[str]) -> NoReturn:
    if ambiguous:
        # Every attempt carried the same key, so the platform holds the post at most once, but
        # maybe once: that is for the next run (same key) or an editor to settle, not a failure.
        told = _("{message}; an attempt answered {answer}, so the post may have been published")
        raise AmbiguousAnswer(
            redact(told.format(message=message, answer=ambiguous), secrets), redact(ambiguous, secrets)
        )
    raise TransientError(redact(message, secrets))


def server_delay(response: httpx.Response, now: float) -> float | None:
    """Seconds the platform asks us to wait, from Retry-After or (on 429) a rate-limit reset."""
    retry_after = response.headers.get("retry-after")
    if retry_after is not None:
        moment = _moment(retry_after.strip(), now, relative=True)
        if moment is not None:
            return max(0.0, moment - now)
    if response.status_code != 429:
        return None  # reset headers come with every answer; only a 429 means "wait for it"
    present = [(reset, remaining) for reset, remaining in RESET_HEADERS if reset in response.headers]
    exhausted = [pair for pair in present if response.headers.get(pair[1], "").strip() == "0"]
    moments = [_moment(response.headers[reset].strip(), now) for reset, _ in exhausted or present]
    known = [m for m in moments if m is not None]
    return max(0.0, max(known) - now) if known else None


def _moment(value: str, now: float, *, relative: bool = False) -> float | None:
    """The epoch time `value` means: delay seconds, epoch seconds, ISO-8601 or an HTTP-date."""
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        if not math.isfinite(number):
            return None
        # Retry-After is always a delay; a reset header is a delay when it is too small to be
        # an epoch time (the IETF RateLimit draft uses delays, X and Bluesky epochs).
        return now + number if relative or number < 1_000_000_000 else number
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def platform_message(response: httpx.Response, secrets: Sequence[str]) -> str:
    """The platform's own words for an error, redacted, on one line, of reasonable length."""
    try:
        data = response.json()
    except ValueError:
        data = None
    parts: list[str] = []
    if isinstance(data, dict):
        # Mastodon: error; Bluesky: error + message; LinkedIn and Discord: message;
        # X: title + detail (or errors[].message); OAuth servers: error_description.
        for key in ("error", "title", "message", "detail", "error_description"):
            value = data.get(key)
            if isinstance(value, str) and value.strip() and value.strip() not in parts:
                parts.append(value.strip())
        errors = data.get("errors")
        if isinstance(errors, list):
            for item in errors:
                text = (item.get("message") or item.get("detail")) if isinstance(item, dict) else item
                if isinstance(text, str) and text.strip() and text.strip() not in parts:
                    parts.append(text.strip())
    text = "; ".join(parts) if parts else re.sub(r"<[^>]*>", " ", response.text)
    text = " ".join(redact(text, secrets).split())  # before cutting, so no secret is cut in half
    if len(text) > MESSAGE_LIMIT:
        text = text[: MESSAGE_LIMIT - 1] + "…"
    return text or response.reason_phrase or _("no details")


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret, and the telling parts of secret URLs, replaced by ***."""
    replacements: dict[str, str] = {}
    for secret in secrets:
        if secret:
            replacements.update(_variants(secret))
    # Longest first, so a secret containing another is masked whole.
    for needle in sorted(replacements, key=len, reverse=True):
        text = text.replace(needle, replacements[needle])
    return text


def _variants(secret: str) -> dict[str, str]:
    """How a secret may show up in an echo, each with its mask: as is, %-encoded, JSON-escaped,
    as httpx spells it, and for a URL (webhooks: the URL is the credential) its path, its query
    and their telling pieces. A whole secret URL keeps its host, so a message still says where."""
    whole = {secret}
    pieces: set[str] = set()
    mask = MASK
    parts = urlsplit(secret)
    if parts.scheme in ("http", "https") and parts.hostname:
        mask = f"{parts.scheme}://{parts.hostname}/{MASK}"
        with contextlib.suppress(httpx.InvalidURL):
            whole.add(str(httpx.URL(secret)))  # normalised: default port dropped, host lower-cased
        path = parts.path.strip("/")
        if len(path) >= 8:
            pieces.update({parts.path, path})
        if parts.query:
            pieces.add(parts.query)
            pieces.update(value for _, value in parse_qsl(parts.query) if _telling(value))
        pieces.update(segment for segment in path.split("/") if _telling(segment))
    found: dict[str, str] = {}
    for group, replacement in ((pieces, MASK), (whole, mask)):
        for item in group:
            for variant in (item, quote(item, safe=""), quote(item), unquote(item), item.replace("/", "\\/")):
                if variant:
                    found[variant] = replacement
    return found


def _telling(piece: str) -> bool:
    """Whether a URL piece could be (part of) a key: long, or with digits, unlike 'services'."""
    return len(piece) >= 20 or (len(piece) >= 8 and any(char.isdigit() for char in piece))


def _attempts(count: int) -> str:
    return ngettext("{count} attempt", "{count} attempts", count).format(count=count)


def _describe(exc: Exception) -> str:
    detail = str(exc).strip()
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
