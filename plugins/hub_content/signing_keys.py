"""SSH public keys as the team lists them (`signing_keys:`), and git's allowed-signers format.

Pure: a key line such as "ssh-ed25519 AAAAC3Nz… sroth@laptop" in, a SigningKey
out (or the reason it is not one). The review gate uses the fingerprint to tell
whose key signed an approval, and `allowed_signers` to let `git verify-commit`
check signatures against the team instead of this machine's configuration.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from hub_core.i18n import N_, translator

_, ngettext = translator("hub_content")

SSH_KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
EXAMPLE = N_("'ssh-ed25519 AAAAC3Nz… name@laptop' (the line in ~/.ssh/id_ed25519.pub)")  # shown through _()


@dataclass(frozen=True)
class SigningKey:
    type: str
    blob: str  # base64, as written
    comment: str = ""

    @property
    def fingerprint(self) -> str:
        """As ssh-keygen -l and git (%GF) show it: SHA256:<base64 without padding>."""
        digest = hashlib.sha256(base64.b64decode(self.blob)).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")

    def line(self) -> str:
        return f"{self.type} {self.blob}"


def parse_key(text: str) -> SigningKey | str:
    """The key written in `text`, or what is wrong with it (a message for 'expected …, found …')."""
    parts = text.split(maxsplit=2)
    if len(parts) < 2 or parts[0] not in SSH_KEY_TYPES:
        if text.startswith("-----BEGIN"):
            return _("found a private key or certificate: list the public key (.pub) only")
        return _("found '{text}'").format(text=_short(text))
    kind, blob = parts[0], parts[1]
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        return _("found '{text}', which is not base64").format(text=_short(blob))
    # The blob starts with its own type name (RFC 4253, 6.6): a pasted key of another type is caught here.
    length = int.from_bytes(raw[:4], "big") if len(raw) >= 4 else -1
    if raw[4 : 4 + length].decode("ascii", "replace") != kind or len(raw) <= 4 + length:
        return _("found a {type} line whose key data is damaged or of another type").format(type=kind)
    return SigningKey(kind, blob, parts[2].strip() if len(parts) > 2 else "")


def allowed_signers(keys: Iterable[tuple[str, SigningKey]]) -> str:
    """git's gpg.ssh.allowedSignersFile: one line per (principal e-mail, key), valid for git signatures only."""
    return "".join(f'{principal} namespaces="git" {key.line()}\n' for principal, key in keys)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"
