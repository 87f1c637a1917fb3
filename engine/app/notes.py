"""Checkpoints as signed notes: the C2SP tlog-checkpoint and signed-note formats.

A checkpoint is three lines, the log's origin, its tree size and the base64 root hash of
the RFC 6962 Merkle tree over its first `size` events, then a blank line and one
signature line per key: an em dash, the key name and base64(key ID || Ed25519
signature over the note text) (c2sp.org/tlog-checkpoint, c2sp.org/signed-note). An
unsigned checkpoint is the note text alone: it still lets a log be checked against it,
but proves nothing about who took it.

Keys are written in the text forms of golang.org/x/mod/sumdb/note: the signer key
`PRIVATE+KEY+<name>+<key ID, 8 hex digits>+<base64(0x01 || 32-byte seed)>` and the
verifier key `<name>+<key ID>+<base64(0x01 || 32-byte public key)>`, where the key ID is
SHA-256(name || 0x0A || 0x01 || public key)[:4] (c2sp.org/signed-note, "Ed25519
signatures").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from pathlib import Path

import attrs

from engine.procedure.errors import InvalidArgumentError

__all__ = [
    "Checkpoint", "KeyPair", "NoteError", "generate_key", "parse_checkpoint", "read_private_key",
    "read_public_key", "read_small", "sign", "sign_note", "verify_note", "verify_signature",
    "write_keypair",
]

_ED25519 = b"\x01"  # the signature type byte of Ed25519 in c2sp.org/signed-note
_DASH = "\u2014"
_NAME = re.compile(r"[^\s+]+")  # key names: non-empty, no Unicode spaces, no plus
_MAX_NOTE = 1 << 16  # a checkpoint is a few hundred bytes; refuse anything far larger


class NoteError(InvalidArgumentError):
    """A checkpoint, a signature or a key that is malformed or does not verify."""


@attrs.frozen(slots=True)
class Checkpoint:
    """The head of a log's Merkle tree at `size` events, as a checkpoint states it."""

    origin: str
    size: int
    root: bytes
    signed_by: tuple[str, ...] = ()  # key names of the signature lines (not yet verified)

    def text(self) -> str:
        """The note text: origin, size and base64 root, each ending in a newline."""
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


@attrs.frozen(slots=True)
class KeyPair:
    """An Ed25519 signer key and its verifier key, in their note text forms."""

    name: str
    private: str
    public: str


def _key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + _ED25519 + public).digest()[:4]


def _check_name(name: str, what: str = "a key name") -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise NoteError(f"{what} must be non-empty, with no spaces and no '+': {name!r:.80}")
    return name


def generate_key(name: str) -> KeyPair:
    """A new Ed25519 key pair named `name` (a schema-less URL is recommended)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _check_name(name)
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    key_id = _key_id(name, public).hex()
    encoded = [base64.b64encode(_ED25519 + raw).decode() for raw in (seed, public)]
    return KeyPair(name, f"PRIVATE+KEY+{name}+{key_id}+{encoded[0]}",
                   f"{name}+{key_id}+{encoded[1]}")


def write_keypair(out: str | Path, name: str) -> KeyPair:
    """Write a new key pair to `out` (the signer key, readable by its owner only) and
    `out`.pub; refuses to overwrite either file."""
    if "\x00" in str(out):
        raise InvalidArgumentError("--out: a file name cannot hold a NUL character")
    keys = generate_key(name)
    private, public = Path(out), Path(f"{out}.pub")
    for path in (private, public):
        if path.exists() or path.is_symlink():
            raise InvalidArgumentError(f"{path} exists; keygen writes new files only")
    # O_EXCL: never follow or replace a file that appeared meanwhile; 0600 for the secret.
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(keys.private + "\n")
    fd = os.open(public, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(keys.public + "\n")
    return keys


def read_small(path: str | Path, what: str, limit: int) -> bytes:
    """The bytes of a small file the user names (a key, a checkpoint, a bundle), or one
    clear InvalidArgumentError: missing, not a regular file (a FIFO would block), too big."""
    if "\x00" in str(path):
        raise InvalidArgumentError(f"{what}: a file name cannot hold a NUL character")
    file = Path(path)
    if file.exists() and not file.is_file():
        raise InvalidArgumentError(f"{what} {path} is not a file")
    try:
        with file.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as err:
        raise InvalidArgumentError(f"{what} {path}: {err.strerror or err}") from None
    if len(data) > limit:
        raise InvalidArgumentError(f"{what} {path} is larger than {limit} bytes")
    return data


def _read_key_file(path: str | Path, what: str) -> str:
    data = read_small(path, what, 4096)
    try:
        return data.decode("ascii").strip()
    except UnicodeDecodeError:
        raise NoteError(f"{what} {path} is not a key written by procedura keygen") from None


def _decode_key(text: str, where: str) -> tuple[str, bytes, bytes]:
    """(name, key ID, raw key) of a key's text form (without the PRIVATE+KEY+ prefix)."""
    parts = text.split("+", 2)  # base64 may hold "+"; the name and the ID do not
    if len(parts) != 3:
        raise NoteError(f"{where} is not a key written by procedura keygen")
    name, key_id, encoded = parts
    _check_name(name, f"the name in {where}")
    try:
        raw, key_hash = base64.b64decode(encoded, validate=True), bytes.fromhex(key_id)
    except (binascii.Error, ValueError):
        raise NoteError(f"{where} is not a key written by procedura keygen") from None
    if len(raw) != 33 or raw[:1] != _ED25519 or len(key_hash) != 4:
        raise NoteError(f"{where} is not an Ed25519 key (c2sp.org/signed-note type 0x01)")
    return name, key_hash, raw[1:]


def read_private_key(path: str | Path) -> tuple[str, object]:
    """The key name and the Ed25519 signer key in the file `path`."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    text = _read_key_file(path, "the key")
    if not text.startswith("PRIVATE+KEY+"):
        raise NoteError(f"the key {path} is not a signer key (PRIVATE+KEY+...); "
                        "a .pub file verifies, it does not sign")
    name, key_id, seed = _decode_key(text.removeprefix("PRIVATE+KEY+"), f"the key {path}")
    key = Ed25519PrivateKey.from_private_bytes(seed)
    from cryptography.hazmat.primitives import serialization

    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    if _key_id(name, public) != key_id:
        raise NoteError(f"the key {path} is damaged: its key ID does not match the key")
    return name, key


def read_public_key(path: str | Path) -> tuple[str, bytes, bytes]:
    """The key name, key ID and 32-byte Ed25519 public key in the file `path`."""
    text = _read_key_file(path, "the public key")
    if text.startswith("PRIVATE+KEY+"):
        raise NoteError(f"{path} is a signer key; give its .pub file, which is safe to share")
    name, key_id, public = _decode_key(text, f"the public key {path}")
    if _key_id(name, public) != key_id:
        raise NoteError(f"the public key {path} is damaged: its key ID does not match the key")
    return name, key_id, public


def sign(checkpoint: Checkpoint, key_path: str | Path | None) -> str:
    """The checkpoint as a signed note (unsigned, its note text alone, without a key)."""
    text = checkpoint.text()
    return text if key_path is None else sign_note(text, key_path)


def sign_note(text: str, key_path: str | Path) -> str:
    """`text` (ending in a newline) signed by the key in `key_path`, as a signed note."""
    name, key = read_private_key(key_path)
    signature = key.sign(text.encode())  # type: ignore[attr-defined]
    public = key.public_key().public_bytes_raw()  # type: ignore[attr-defined]
    line = base64.b64encode(_key_id(name, public) + signature).decode()
    return f"{text}\n{_DASH} {name} {line}\n"


def _split(note: str, where: str) -> tuple[str, list[str]]:
    if len(note) > _MAX_NOTE:
        raise NoteError(f"{where} is {len(note)} characters long; a checkpoint is a few lines")
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError(f"{where} holds control characters; a signed note holds none but "
                        "newlines (c2sp.org/signed-note)")
    text, sep, signatures = note.partition("\n\n")
    if not sep:
        return (note if note.endswith("\n") else note + "\n"), []
    return text + "\n", [s for s in signatures.split("\n") if s]


def parse_checkpoint(note: str, where: str = "the checkpoint") -> tuple[Checkpoint, str]:
    """The checkpoint a note states, and its note text (what the signatures sign).

    Raises NoteError, naming `where`, for anything that is not a checkpoint.
    """
    if note.startswith("\ufeff"):
        note = note[1:]
    text, lines = _split(note, where)
    head = text.rstrip("\n").split("\n")
    if len(head) < 3 or not all(head):
        raise NoteError(f"{where} is not a checkpoint: it needs an origin line, a tree size "
                        "line and a root hash line (c2sp.org/tlog-checkpoint)")
    origin, size, root = head[:3]
    if not re.fullmatch(r"0|[1-9][0-9]{0,17}", size):
        raise NoteError(f"{where}: the tree size must be a decimal number, not {size!r:.40}")
    try:
        digest = base64.b64decode(root, validate=True)
    except binascii.Error:
        digest = b""
    if len(digest) != 32:
        raise NoteError(f"{where}: the root hash must be 32 bytes in base64, not {root!r:.60}")
    names = []
    for line in lines:
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != _DASH:
            raise NoteError(f"{where}: a signature line must read '{_DASH} NAME SIGNATURE', "
                            f"not {line!r:.60}")
        names.append(parts[1])
    return Checkpoint(origin, int(size), digest, tuple(names)), text


def verify_signature(note: str, public_key_path: str | Path, where: str = "the checkpoint",
                     ) -> Checkpoint:
    """The checkpoint of `note`, once a signature by the key in `public_key_path` verifies.

    Raises NoteError if no line is signed by that key or its signature fails: a note
    whose signature by a known key fails is rejected whole (c2sp.org/signed-note).
    """
    checkpoint, _ = parse_checkpoint(note, where)
    verify_note(note, public_key_path, where, checkpoint.signed_by)
    return checkpoint


def verify_note(note: str, public_key_path: str | Path, where: str = "the note",
                signed_by: tuple[str, ...] = ()) -> str:
    """The text of a signed note, once its signature by the key in `public_key_path`
    verifies; raises NoteError otherwise."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    name, key_id, public = read_public_key(public_key_path)
    text, lines = _split(note.removeprefix("\ufeff"), where)
    verifier = Ed25519PublicKey.from_public_bytes(public)
    found = False
    for line in lines:
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != _DASH:
            raise NoteError(f"{where}: a signature line must read '{_DASH} NAME SIGNATURE', "
                            f"not {line!r:.60}")
        _, signer, encoded = parts
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError(f"{where}: the signature of {signer!r:.60} is not base64") from None
        if signer != name or raw[:4] != key_id:
            continue  # another key's signature: ignored, as the note format requires
        found = True
        try:
            verifier.verify(raw[4:], text.encode())
        except InvalidSignature:
            raise NoteError(f"{where}: the signature by {name} does not verify: the note was "
                            "changed after it was signed, or signed by another key") from None
    if not found:
        others = signed_by or tuple(line.split(" ")[1] for line in lines)
        raise NoteError(f"{where} carries no signature by the key {name} "
                        f"(signed by: {', '.join(others) or 'no one'})")
    return text
