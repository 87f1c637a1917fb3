"""events.merkle, the RFC 6962 tree as pure functions, against a reference implementation.

The known answers come from transparency-dev/merkle (Go), Apache License 2.0:
- testonly/constants.go: `LeafInputs` (the 8 leaves), `RootHashes` (the root of every
  prefix, sizes 0 to 8) and `NodeHashes` (every complete subtree), copied below;
- cmd/proofgen/main.go: `inclusionProofs` and `consistencyProofs` (proofs over those
  leaves; its leaf indices count from 1), copied below;
- testdata/inclusion/**/*.json and testdata/consistency/**/*.json, the probes that
  proof/verify_test.go runs (written by cmd/proofgen), bundled in rfc6962_probes.json
  beside this file: the good proofs must verify and every corrupted one must fail.
The repository's commit is in that file's "source".
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events import merkle
from events.merkle import (
    consistency_proof,
    empty_root,
    inclusion_proof,
    leaf_hash,
    node_hash,
    nodes_of,
    root,
    verify_consistency,
    verify_inclusion,
)

PROBES = json.loads((Path(__file__).parent / "rfc6962_probes.json").read_text())

# testonly/constants.go, LeafInputs()
LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
# testonly/constants.go, RootHashes(): sizes 0 to 8
ROOTS = [bytes.fromhex(h) for h in (
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
# testonly/constants.go, NodeHashes(): [level][index]
NODES = [[bytes.fromhex(h) for h in level] for level in (
    ("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
     "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
     "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
     "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
     "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
     "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
     "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
    ("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
     "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
    ("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",),
)]
_h = bytes.fromhex
# cmd/proofgen/main.go, inclusionProofs: (leaf index from 1, size, proof)
INCLUSION = [
    (1, 1, []),
    (1, 8, [_h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            _h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            _h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [_h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            _h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            _h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (3, 3, [_h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (2, 5, [_h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            _h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            _h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
]
# cmd/proofgen/main.go, consistencyProofs: (size1, size2, proof)
CONSISTENCY = [
    (1, 1, []),
    (1, 8, [_h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            _h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            _h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [_h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            _h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            _h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 5, [_h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            _h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (6, 7, [_h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            _h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            _h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
]
HASHES = [leaf_hash(d) for d in LEAVES]


def _b64(text: str | None) -> bytes:
    return base64.b64decode(text) if text else b""


# --- the reference's known answers ---------------------------------------------------------


def test_the_roots_of_every_prefix_are_the_reference_s() -> None:
    assert empty_root() == ROOTS[0] == root([])
    for size in range(1, 9):
        assert root(HASHES[:size]) == ROOTS[size], size


def test_every_complete_subtree_is_the_reference_s() -> None:
    node = nodes_of(HASHES)
    for level, hashes in enumerate(NODES):
        for index, expected in enumerate(hashes):
            assert node(index << level, level) == expected, (level, index)


@pytest.mark.parametrize(("leaf", "size", "expected"), INCLUSION)
def test_inclusion_proofs_are_the_reference_s(leaf: int, size: int, expected: list) -> None:
    proof = inclusion_proof(leaf - 1, size, nodes_of(HASHES[:size]))
    assert proof == expected
    assert verify_inclusion(HASHES[leaf - 1], leaf - 1, size, proof, ROOTS[size])


@pytest.mark.parametrize(("old", "size", "expected"), CONSISTENCY)
def test_consistency_proofs_are_the_reference_s(old: int, size: int, expected: list) -> None:
    proof = consistency_proof(old, size, nodes_of(HASHES[:size]))
    assert proof == expected
    assert verify_consistency(old, size, ROOTS[old], ROOTS[size], proof)


@pytest.mark.parametrize("probe", PROBES["inclusion"], ids=lambda p: p["file"])
def test_the_reference_s_inclusion_probes(probe: dict) -> None:
    verified = verify_inclusion(_b64(probe["leafHash"]), probe["leafIdx"], probe["treeSize"],
                                [_b64(h) for h in probe["proof"] or ()], _b64(probe["root"]))
    assert verified is not probe["wantErr"], probe["desc"]


@pytest.mark.parametrize("probe", PROBES["consistency"], ids=lambda p: p["file"])
def test_the_reference_s_consistency_probes(probe: dict) -> None:
    verified = verify_consistency(probe["size1"], probe["size2"], _b64(probe["root1"]),
                                  _b64(probe["root2"]), [_b64(h) for h in probe["proof"] or ()])
    assert verified is not probe["wantErr"], probe["desc"]


def test_the_probes_hold_good_and_corrupted_proofs() -> None:
    for kind in ("inclusion", "consistency"):
        wanted = [p["wantErr"] for p in PROBES[kind]]
        assert len(wanted) > 90 and wanted.count(False) >= 5 and wanted.count(True) > 80


def test_a_leaf_cannot_pass_for_a_node() -> None:
    """The 0x00 and 0x01 prefixes (RFC 6962 §2.1): two leaves' hashes, offered as one
    leaf's data, do not give the root of the tree of those two leaves."""
    left, right = HASHES[0], HASHES[1]
    assert node_hash(left, right) == ROOTS[2]
    assert leaf_hash(left + right) != ROOTS[2]
    assert not verify_inclusion(leaf_hash(left + right), 0, 1, [], ROOTS[2])


def test_bad_arguments_are_refused() -> None:
    node = nodes_of(HASHES)
    with pytest.raises(ValueError):
        inclusion_proof(8, 8, node)
    with pytest.raises(ValueError):
        consistency_proof(0, 8, node)
    with pytest.raises(ValueError):
        consistency_proof(5, 4, node)
    assert not verify_inclusion(HASHES[0], -1, 8, [], ROOTS[8])
    assert not verify_consistency(0, 0, ROOTS[0], ROOTS[0], [])  # nothing to prove


# --- every proof of random trees -----------------------------------------------------------


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300), st.data())
def test_every_inclusion_proof_verifies_and_a_tampered_one_fails(size: int, data) -> None:
    leaves = _leaves(size)
    node, top = nodes_of(leaves), root(leaves)
    for index in {0, size - 1, data.draw(st.integers(0, size - 1))}:
        proof = inclusion_proof(index, size, node)
        assert len(proof) <= size.bit_length()
        assert verify_inclusion(leaves[index], index, size, proof, top)
        assert not verify_inclusion(leaf_hash(b"other"), index, size, proof, top)
        if size > 1:
            assert not verify_inclusion(leaves[index], (index + 1) % size, size, proof, top)
            bad = list(proof)
            at = data.draw(st.integers(0, len(bad) - 1))
            bad[at] = bytes([bad[at][0] ^ 1]) + bad[at][1:]
            assert not verify_inclusion(leaves[index], index, size, bad, top)
            assert not verify_inclusion(leaves[index], index, size, proof[:-1], top)
            assert not verify_inclusion(leaves[index], index, size, [*proof, top], top)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300), st.data())
def test_every_consistency_proof_verifies_and_a_tampered_one_fails(size: int, data) -> None:
    leaves = _leaves(size)
    node, top = nodes_of(leaves), root(leaves)
    for old in {1, size, data.draw(st.integers(1, size))}:
        proof = consistency_proof(old, size, node)
        old_root = root(leaves[:old])
        assert verify_consistency(old, size, old_root, top, proof)
        if old == size:
            assert proof == []
            continue
        assert not verify_consistency(old, size, leaf_hash(b"x"), top, proof)
        assert not verify_consistency(old, size, old_root, leaf_hash(b"x"), proof)
        changed = [*leaves[:old - 1], leaf_hash(b"changed"), *leaves[old:]]
        assert not verify_consistency(old, size, old_root, root(changed), proof)
        bad = list(proof)
        at = data.draw(st.integers(0, len(bad) - 1))
        bad[at] = bytes([bad[at][0] ^ 1]) + bad[at][1:]
        assert not verify_consistency(old, size, old_root, top, bad)
        assert not verify_consistency(old, size, old_root, top, proof[:-1])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 200))
def test_pushing_leaves_gives_the_same_tree(size: int) -> None:
    leaves = _leaves(size)
    frontier: merkle.Frontier = []
    node = nodes_of(leaves) if leaves else None
    for i, leaf in enumerate(leaves):
        made = merkle.push(frontier, leaf)
        for level, hashed in enumerate(made):  # the subtrees leaf i completes
            assert node is not None and hashed == node(i + 1 - (1 << level), level)
        assert merkle.frontier_root(frontier) == root(leaves[:i + 1])
    assert merkle.frontier_root(frontier) == root(leaves)
    assert [level for level, _ in frontier] == [s[1] for s in merkle.frontier_nodes(size)]
