"""The Merkle tree of RFC 6962 (Certificate Transparency), as pure functions.

Hashes follow RFC 6962 §2.1 and RFC 9162 §2.1.1: a leaf is SHA-256(0x00 || data), an
interior node SHA-256(0x01 || left || right), the root of no leaves SHA-256(""); a tree of
n leaves, n not a power of two, splits at the largest power of two below n, so that
every left subtree is complete. A log can then prove, from a few hashes, that an entry
is in it (an inclusion proof, RFC 9162 §2.1.3) and that a later tree extends an earlier
one without changing it (a consistency proof, §2.1.4).

Proofs are made from a `Node` accessor, `node(start, level)`: the hash of the complete
subtree of the 2**level leaves from `start` (a multiple of 2**level). The store answers
it from the nodes it keeps (`events.tree`); `nodes_of` answers it from leaves in memory.
Every function here touches O(log n) nodes. Verifying needs no accessor: only the proof.

hashlib is imported on the first hash, not with the module, as in `events.chain`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "HASH_SIZE", "Frontier", "Node", "consistency_proof", "empty_root", "frontier_nodes",
    "frontier_of", "frontier_root", "inclusion_proof", "leaf_hash", "node_hash", "nodes_of",
    "perfect_roots", "push", "root", "sha256", "subtree_root", "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
Node = Callable[[int, int], bytes]  # node(start, level): hash of leaves [start, start + 2**level)
# The right edge of a tree, as in RFC 9162 §2.1.3.1's recursion: the complete subtrees
# (level, hash) whose leaves make the whole tree, largest (leftmost) first.
Frontier = list[tuple[int, bytes]]

_SHA256: Callable[[bytes], Any] | None = None


def sha256() -> Callable[[bytes], Any]:
    """hashlib.sha256, imported on first use (replay never hashes)."""
    global _SHA256
    if _SHA256 is None:
        from hashlib import sha256 as found

        _SHA256 = found
    return _SHA256


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d): the hash of one leaf (RFC 6962 §2.1).

    The 0x00 prefix (0x01 for nodes) keeps a leaf from passing for a node (§2.1, second
    preimage resistance)."""
    return sha256()(b"\x00" + data).digest()  # type: ignore[no-any-return]


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): an interior node (RFC 6962 §2.1)."""
    return sha256()(b"\x01" + left + right).digest()  # type: ignore[no-any-return]


def empty_root() -> bytes:
    """MTH({}) = SHA-256() of no bytes: the root of the empty tree (RFC 6962 §2.1)."""
    return sha256()(b"").digest()  # type: ignore[no-any-return]


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where RFC 6962 §2.1 splits."""
    return 1 << ((n - 1).bit_length() - 1)


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def subtree_root(start: int, end: int, node: Node) -> bytes:
    """MTH(D[start:end]) for a range the RFC 6962 recursion reaches: `start` a multiple of
    the smallest power of two >= end - start, so that the range splits into complete
    subtrees (read from `node`) along its right edge."""
    size = end - start
    if size <= 0:
        raise ValueError(f"an empty range [{start}, {end}) has no subtree root")
    if _is_power_of_two(size):
        return node(start, size.bit_length() - 1)
    k = _split(size)
    # Only the right part can be incomplete again, so this recursion reads one node a
    # level: O(log n) nodes.
    return node_hash(node(start, k.bit_length() - 1), subtree_root(start + k, end, node))


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH of RFC 6962 §2.1 over `leaves`, the leaf hashes (`leaf_hash` of each entry)."""
    if not leaves:
        return empty_root()
    if _is_power_of_two(len(leaves)):  # level by level, no accessor
        return perfect_roots(leaves, len(leaves).bit_length() - 1)[0]
    return subtree_root(0, len(leaves), nodes_of(leaves))


def perfect_roots(leaves: Sequence[bytes], level: int) -> list[bytes]:
    """The roots of the complete subtrees of 2**level leaves that `leaves` (a multiple of
    2**level of them) make, in order: a level of the tree, hashed level by level."""
    if len(leaves) % (1 << level):
        raise ValueError(f"{len(leaves)} leaves do not make subtrees of 2**{level}")
    sha = sha256()
    hashes = list(leaves)
    for _ in range(level):
        hashes = [sha(b"\x01" + hashes[i] + hashes[i + 1]).digest()
                  for i in range(0, len(hashes), 2)]
    return hashes


def inclusion_proof(index: int, size: int, node: Node) -> list[bytes]:
    """PATH(index, D[size]) of RFC 6962 §2.1.1 (RFC 9162 §2.1.3.1): the hashes that,
    with leaf `index`'s own, give the root of the tree of `size` leaves; nearest first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path = []
    start, end = 0, size
    while end - start > 1:
        mid = start + _split(end - start)
        if index < mid:  # the leaf is on the left: the right subtree is its sibling
            path.append(subtree_root(mid, end, node))
            end = mid
        else:
            path.append(subtree_root(start, mid, node))
            start = mid
    path.reverse()  # found top-down; the proof lists them from the leaf up
    return path


def consistency_proof(old_size: int, size: int, node: Node) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 6962 §2.1.2 (RFC 9162 §2.1.4.1):
    the hashes that show the tree of `old_size` leaves is a prefix of the tree of
    `size`. Empty when the sizes are equal; an old size of 0 proves nothing (refused)."""
    if not 0 < old_size <= size:
        raise ValueError(f"a consistency proof needs 0 < old size <= size, not {old_size} "
                         f"and {size}")
    proof: list[bytes] = []
    m, start, end, whole = old_size, 0, size, True
    while m != end - start:
        n = end - start
        k = _split(n)
        if m <= k:  # the old tree lies in the left subtree: the right one goes last
            proof.append(subtree_root(start + k, end, node))
            end = start + k
        else:  # the left subtree is complete in both trees
            proof.append(subtree_root(start, start + k, node))
            m, start, whole = m - k, start + k, False
    if not whole:  # SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old tree's last subtree
        proof.append(subtree_root(start, end, node))
    proof.reverse()  # SUBPROOF appends the outer hashes after the inner ones
    return proof


def _hashes_ok(*hashes: bytes) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether `proof` shows leaf hash `leaf` at `index` in the tree of `size` leaves
    with root `root`: the algorithm of RFC 9162 §2.1.3.2, step by step."""
    if not 0 <= index < size or not _hashes_ok(leaf, *proof):  # step 1
        return False
    fn, sn = index, size - 1  # step 2
    r = leaf  # step 3
    for p in proof:  # step 4
        if sn == 0:  # 4a: the proof is longer than the path
            return False
        if fn & 1 or fn == sn:  # 4b: p is a left sibling
            r = node_hash(p, r)
            if not fn & 1:  # 4b ii: the right edge skips levels with no right sibling
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1  # 4c
        sn >>= 1
    return sn == 0 and r == root  # step 5


def verify_consistency(
    old_size: int, size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows the tree of `old_size` leaves with root `old_root` to be a
    prefix of the tree of `size` leaves with root `new_root` (RFC 9162 §2.1.4.2).

    RFC 9162 defines the algorithm for 0 < old_size < size; as in other RFC 6962 logs,
    equal sizes need an empty proof and equal roots, and an old size of 0 never verifies
    (every tree extends the empty one: there is nothing to prove)."""
    # The roots are only compared, never hashed: as in transparency-dev/merkle, equal
    # sizes with equal roots verify whatever the roots hold.
    if not 0 < old_size <= size or not _hashes_ok(*proof):
        return False
    if old_size == size:
        return not proof and old_root == new_root
    if not proof:  # step 1
        return False
    path = list(proof)
    if _is_power_of_two(old_size):  # step 2: the old root is a node of the new tree
        path.insert(0, old_root)
    fn, sn = old_size - 1, size - 1  # step 3
    while fn & 1:  # step 4
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:  # 6a
            return False
        if fn & 1 or fn == sn:  # 6b
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1  # 6c
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0  # step 7


# -- building a tree leaf by leaf ---------------------------------------------------------


def push(frontier: Frontier, leaf: bytes) -> list[bytes]:
    """Add leaf hash `leaf` to the tree whose right edge is `frontier` (changed in place).

    Returns the hashes of the complete subtrees that end at the new leaf, from the leaf
    (level 0) up: each merges with the equal-sized subtree on its left, as binary
    addition carries. So a leaf completes one subtree more on average, and at most
    log2(n): an append costs O(log n) hashes, O(1) amortised.
    """
    out = [leaf]
    level, hashed = 0, leaf
    while frontier and frontier[-1][0] == level:
        hashed = node_hash(frontier.pop()[1], hashed)
        level += 1
        out.append(hashed)
    frontier.append((level, hashed))
    return out


def frontier_root(frontier: Frontier) -> bytes:
    """The root of the tree whose right edge is `frontier`: its subtrees folded from the
    right, as RFC 6962 §2.1 recurses into the right part of an incomplete tree."""
    if not frontier:
        return empty_root()
    hashed = frontier[-1][1]
    for _, left in reversed(frontier[:-1]):
        hashed = node_hash(left, hashed)
    return hashed


def frontier_nodes(size: int) -> list[tuple[int, int]]:
    """The (start, level) of the complete subtrees on the right edge of the tree of
    `size` leaves, largest first: one per bit set in `size`."""
    out = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            out.append((start, level))
            start += 1 << level
    return out


def frontier_of(size: int, node: Node) -> Frontier:
    """The right edge of the tree of `size` leaves, read through `node`."""
    return [(level, node(start, level)) for start, level in frontier_nodes(size)]


def nodes_of(leaves: Sequence[bytes]) -> Node:
    """A `Node` accessor over leaf hashes held in memory: every level computed at once
    (O(n) hashes and memory), for trees that are not stored."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    def node(start: int, level: int) -> bytes:
        if level >= len(levels) or start % (1 << level) or start >> level >= len(levels[level]):
            raise ValueError(f"no complete subtree of 2**{level} leaves at {start}")
        return levels[level][start >> level]

    return node
