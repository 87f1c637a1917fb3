"""Checkpoints as signed notes (c2sp.org/tlog-checkpoint, c2sp.org/signed-note).

The known answer is the example of golang.org/x/mod/sumdb/note, the reference
implementation of the note format (its package documentation and note_test.go): the
key PeterNeumann, its text and its exact signature line. Ed25519 signatures are
deterministic (RFC 8032), so signing that text with that key must give that line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import InvalidArgumentError
from engine.app.notes import (
    Checkpoint,
    NoteError,
    parse_checkpoint,
    read_public_key,
    sign,
    sign_note,
    verify_note,
    verify_signature,
    write_keypair,
)

GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = ("If you think cryptography is the answer to your problem,\n"
           "then you don't know what your problem is.\n")
GO_SIG = ("\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNX"
          "gKvqfqdngotpRZb6KE6RyyBwJnAM=\n")


def test_signing_reproduces_the_reference_note_byte_for_byte(tmp_path: Path) -> None:
    (tmp_path / "peter").write_text(GO_SKEY + "\n")
    (tmp_path / "peter.pub").write_text(GO_VKEY + "\n")
    note = sign_note(GO_TEXT, tmp_path / "peter")
    assert note == GO_TEXT + "\n" + GO_SIG
    assert verify_note(note, tmp_path / "peter.pub") == GO_TEXT
    name, key_id, _ = read_public_key(tmp_path / "peter.pub")
    assert (name, key_id.hex()) == ("PeterNeumann", "c74f20a3")


def test_a_changed_note_or_another_key_is_refused(tmp_path: Path) -> None:
    write_keypair(tmp_path / "log", "procedura.example/log")
    write_keypair(tmp_path / "other", "procedura.example/other")
    note = sign(Checkpoint("procedura.example/log", 25, bytes(range(32))), tmp_path / "log")
    assert verify_signature(note, tmp_path / "log.pub").size == 25
    with pytest.raises(NoteError, match="does not verify"):
        verify_signature(note.replace("\n25\n", "\n26\n"), tmp_path / "log.pub")
    with pytest.raises(NoteError, match=r"no signature by the key procedura\.example/other"):
        verify_signature(note, tmp_path / "other.pub")
    with pytest.raises(NoteError, match=r"give its \.pub file"):
        verify_signature(note, tmp_path / "log")


def test_keygen_never_overwrites_and_keeps_the_secret_private(tmp_path: Path) -> None:
    write_keypair(tmp_path / "k", "procedura.example/k")
    assert (tmp_path / "k").stat().st_mode & 0o077 == 0
    before = (tmp_path / "k").read_bytes()
    with pytest.raises(InvalidArgumentError, match="exists"):
        write_keypair(tmp_path / "k", "procedura.example/k")
    assert (tmp_path / "k").read_bytes() == before


@pytest.mark.parametrize("note, message", [
    ("", "needs an origin line"),
    ("o\n-1\nAAAA\n", "tree size must be a decimal"),
    ("o\n01\n" + "A" * 44 + "\n", "tree size must be a decimal"),
    ("o\n1\nnot base64\n", "root hash must be 32 bytes"),
    ("o\n1\n" + "A" * 43 + "=\n\nno dash here\n", "signature line must read"),
    ("o\x1b[2J\n1\n" + "A" * 43 + "=\n", "control characters"),
])
def test_malformed_checkpoints_are_refused_with_the_reason(note: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        parse_checkpoint(note)


def test_a_bom_before_the_checkpoint_is_accepted() -> None:
    cp = Checkpoint("o", 3, bytes(32))
    assert parse_checkpoint("\ufeff" + cp.text())[0] == cp
