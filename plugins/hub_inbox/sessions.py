"""Moderators' sessions, kept in memory: a random id in a cookie (HttpOnly, SameSite=Strict, Secure
over https), a CSRF token per session that every form carries. A restart of the inbox logs everyone
out, which is the safe direction; nothing about a session is written to disk.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass

IDLE_SECONDS = 8 * 3600  # a working day without a click logs out


@dataclass(frozen=True)
class Session:
    id: str
    member: str  # the team id from the editorial calendar
    csrf: str
    last_seen: float

    def token_matches(self, sent: str) -> bool:
        return bool(sent) and hmac.compare_digest(sent.encode(), self.csrf.encode())


class Sessions:
    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, member: str, now: float) -> Session:
        session = Session(secrets.token_urlsafe(32), member, secrets.token_urlsafe(32), now)
        with self._lock:
            self._forget_idle(now)
            self._by_id[session.id] = session
        return session

    def get(self, session_id: str, now: float) -> Session | None:
        """The live session with this id, its idle time renewed; None if unknown or expired."""
        with self._lock:
            session = self._by_id.get(session_id)
            if session is None:
                return None
            if now - session.last_seen > self.idle_seconds:
                del self._by_id[session_id]
                return None
            renewed = Session(session.id, session.member, session.csrf, now)
            self._by_id[session_id] = renewed
            return renewed

    def end(self, session_id: str) -> None:
        with self._lock:
            self._by_id.pop(session_id, None)

    def _forget_idle(self, now: float) -> None:
        for key in [key for key, s in self._by_id.items() if now - s.last_seen > self.idle_seconds]:
            del self._by_id[key]
