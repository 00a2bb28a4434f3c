"""The moderators' passwords: scrypt (hashlib, a standard memory-hard algorithm) with a random salt
per password, compared in constant time. Only the hash is stored, in the inbox's database (never in
git or the settings); `invoke inbox-password --as <id>` sets it.

    scrypt$16384$8$1$<salt, base64>$<hash, base64>

The parameters are stored with the hash, so stronger ones later still verify the old hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
COST = 2**14  # n: about 16 MiB and a few dozen milliseconds per login
BLOCK_SIZE = 8  # r
PARALLEL = 1  # p
SALT_BYTES = 16
HASH_BYTES = 32
MIN_LENGTH = 10


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, COST, BLOCK_SIZE, PARALLEL)
    encoded = (base64.b64encode(part).decode("ascii") for part in (salt, digest))
    return "$".join((SCHEME, str(COST), str(BLOCK_SIZE), str(PARALLEL), *encoded))


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash; False for an empty or unreadable one."""
    try:
        scheme, cost, block_size, parallel, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(digest, validate=True)
        found = _scrypt(password, base64.b64decode(salt, validate=True), int(cost), int(block_size), int(parallel))
    except ValueError:
        return False
    return hmac.compare_digest(found, expected)


def _scrypt(password: str, salt: bytes, cost: int, block_size: int, parallel: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=cost,
        r=block_size,
        p=parallel,
        maxmem=256 * block_size * cost + 2**20,  # 128·r·n bytes and some room: the default (32 MiB) is tight
        dklen=HASH_BYTES,
    )


# A stand-in compared against when a member has no password: a login for an unknown id takes as
# long as one with a wrong password, so the time does not tell who is in the team.
DUMMY_HASH = hash_password(secrets.token_hex(16))
