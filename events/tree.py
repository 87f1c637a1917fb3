"""The log's Merkle tree, stored: every event a leaf, kept in the same transaction as it.

The tree is RFC 6962's (`events.merkle`) over the events in position order: the event
at position p is leaf p - 1, its leaf hash SHA-256(0x00 || `events.chain.leaf_data`).
The leaf hashes are the rows' own: a version-2 row's `hash` is its leaf hash, and a
version-1 row's leaf is hashed from it and the hash before it. The `merkle_nodes` table
(`events.schema`) keeps a row per block of TREE_BLOCK events: the hashes of the complete
subtrees of a block or more that end with it. An append adds its leaves to the tree's
right edge, which a transaction reads once; just before the transaction commits, the
blocks it made whole are hashed (O(1) hashes an event, amortised) and inserted in one
statement, so the tree and its events are committed, or rolled back, together.

A root, an inclusion proof or a consistency proof at any size reads O(log n) stored
nodes; the few subtrees smaller than a block that it needs are hashed from the leaf
hashes of at most two blocks (fewer than 2 * TREE_BLOCK hashes, whatever the log's size).

Logs of schema version 1 are given the table when opened for writing (`events.schema`);
the first append then adds the blocks of the events already there, in its transaction
(as it does for events that a procedura without the tree appended): `extend_tree` does
it at once. A read-only log without the table, or with a tree behind its events, is
answered from the rows, in memory: O(n), the same hashes. `verify_tree` recomputes the
whole tree from the rows and names the first position (or block of positions) where the
stored tree differs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from events import merkle
from events.chain import GENESIS, leaf_data
from events.errors import LogError
from events.merkle import HASH_SIZE, Frontier, Node
from events.schema import TREE_BLOCK, TREE_BLOCK_LEVEL

__all__ = ["MerkleTree", "TreeMismatch"]

_ROW = ("position, event_id, stream_id, version, type, schema_version, occurred_at,"
        " recorded_at, actor, note, payload, hash")
_ONE_STATEMENT = 64  # rows per INSERT statement, as for events
_INSERTS = [""] + [f"insert into merkle_nodes (position, hashes) values "
                   f"{', '.join(['(?, ?)'] * n)}" for n in range(1, _ONE_STATEMENT + 1)]
_NODE = "select substr(hashes, ?, 32) from merkle_nodes where position = ?"


class TreeMismatch(NamedTuple):
    """Where the stored tree and the tree of the rows part: the first such position."""

    position: int
    message: str


class Edge:
    """The tree's right edge at `size` leaves: the complete subtrees of the stored blocks
    (`upper`, levels counted in blocks, largest first) and the leaf hashes after them
    (`block`: this transaction's, and the last block's). Appends change it in place."""

    __slots__ = ("block", "size", "upper")

    def __init__(self, size: int, upper: Frontier, block: list[bytes]) -> None:
        self.size, self.upper, self.block = size, upper, block


def _stored_at(start: int, level: int) -> tuple[int, int]:
    """The row (its position) and the SQL offset (from 1) of a node of a block or more."""
    return start + (1 << level), HASH_SIZE * (level - TREE_BLOCK_LEVEL) + 1


class MerkleTree:
    """The Merkle tree of `events.log.EventLog`, a base class of it (its tree methods).

    Positions and sizes are the log's: the event at position p is leaf p - 1, and the
    tree of size s holds the events at positions 1 to s. Hashes are 32 raw bytes; check
    a proof with `events.merkle.verify_inclusion(log.leaf(p), p - 1, size, proof, root)`.
    """

    path: str
    readonly: bool
    log_version: int
    conn: sqlite3.Connection
    _frontier: Edge | None  # the right edge, kept for the transaction like the head

    def transaction(self) -> Any: ...  # EventLog's

    # -- reading -------------------------------------------------------------------

    def tree_size(self) -> int:
        """How many leaves the log's tree has: its last position (every event a leaf)."""
        found = self.conn.execute("select coalesce(max(position), 0) from events").fetchone()
        return int(found[0])

    def root(self, size: int | None = None) -> bytes:
        """The Merkle tree hash (RFC 6962 §2.1) of the first `size` events (all of them by
        default); SHA-256 of nothing for 0."""
        size = self._size(size)
        return merkle.subtree_root(0, size, self._nodes(size)) if size else merkle.empty_root()

    def leaf(self, position: int) -> bytes:
        """The leaf hash of the event at `position`."""
        self._in_tree(position, self._size(None))
        return self._nodes(position)(position - 1, 0)

    def leaf_data(self, position: int) -> bytes:
        """The bytes the event at `position` is hashed from (`events.chain.leaf_data`):
        with an inclusion proof, what shows the event is in the tree, with no log."""
        self._in_tree(position, self.tree_size())
        found = self.conn.execute(f"select {_ROW} from events where position = ?",
                                  (position,)).fetchone()
        if found is None:
            raise LogError(f"{self.path} holds no event at position {position}")
        return leaf_data(self._hash_before(position), found[1:11])

    def inclusion_proof(self, position: int, size: int | None = None) -> list[bytes]:
        """The audit path (RFC 9162 §2.1.3.1) of the event at `position` in the tree of
        the first `size` events (all by default): leaf index position - 1."""
        size = self._size(size)
        self._in_tree(position, size)
        return merkle.inclusion_proof(position - 1, size, self._nodes(size))

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        """The proof (RFC 9162 §2.1.4.1) that the tree of the first `old_size` events is
        a prefix of the tree of the first `size` (all by default); 0 < old_size <= size."""
        size = self._size(size)
        if not 0 < old_size <= size:
            raise LogError(f"a consistency proof goes from a tree of 1 to {size} events to "
                           f"the tree of {size}, not from {old_size}")
        return merkle.consistency_proof(old_size, size, self._nodes(size))

    def _size(self, size: int | None) -> int:
        self._flush_tree()  # a read inside a write transaction sees its own appends
        last = self.tree_size()
        if size is None:
            return last
        if isinstance(size, bool) or not 0 <= size <= last:
            raise LogError(f"the log's tree has sizes 0 to {last}, not {size!r}")
        return size

    @staticmethod
    def _in_tree(position: int, size: int) -> None:
        if isinstance(position, bool) or not 1 <= position <= size:
            raise LogError(f"position {position!r} is not in the tree of {size} events")

    def _stored_through(self) -> int:
        """The last position the stored blocks cover (0 without the table: an old log)."""
        try:
            found = self.conn.execute(
                "select coalesce(max(position), 0) from merkle_nodes").fetchone()
        except sqlite3.OperationalError:
            return 0
        return int(found[0])

    def _nodes(self, size: int) -> Node:
        """A node accessor for the tree of `size` leaves: the stored nodes when the table
        holds every whole block of it, else the rows' leaves in memory."""
        if size - size % TREE_BLOCK <= self._stored_through():
            return self._node
        return merkle.nodes_of(list(self._stored_leaves(0, size)))

    def _node(self, start: int, level: int) -> bytes:
        """The stored node (start, level); below a block's size, hashed from its leaves."""
        if level < TREE_BLOCK_LEVEL:
            return merkle.root(list(self._stored_leaves(start, start + (1 << level))))
        row, offset = _stored_at(start, level)
        found = self.conn.execute(_NODE, (offset, row)).fetchone()
        if found is None or len(found[0]) != HASH_SIZE:
            raise LogError(f"{self.path}: the Merkle tree has no node of 2**{level} leaves "
                           f"from position {start + 1} (damaged?); see verify_tree()")
        return bytes(found[0])

    def _hash_before(self, position: int) -> str:
        """The `hash` of the event before `position` (GENESIS for the first)."""
        if position <= 1:
            return GENESIS
        found = self.conn.execute("select hash from events where position = ?",
                                  (position - 1,)).fetchone()
        return found[0] if found else GENESIS

    def _stored_leaves(self, after: int, upto: int) -> Iterator[bytes]:
        """The leaf hashes of the events after position `after`, up to `upto`, as their
        rows hold them: a version-2 row's hash is its leaf hash; a version-1 row's leaf
        is computed from it (`_leaves`)."""
        if self.log_version < 2:
            yield from (leaf for _, leaf in self._leaves(after, upto))
            return
        expected = after + 1
        for position, digest in self.conn.execute(
                "select position, hash from events where position > ? and position <= ?"
                " order by position", (after, upto)):
            try:
                leaf = bytes.fromhex(digest)
            except (TypeError, ValueError):
                leaf = b""
            if position != expected or len(leaf) != HASH_SIZE:
                raise LogError(f"{self.path}: the event at position {position} has no leaf "
                               "(a gap before it, or a hash that is not one); run procedura"
                               " verify")
            yield leaf
            expected += 1
        if expected != upto + 1:
            raise LogError(f"{self.path}: the log holds no event at position {expected}")

    def _leaves(self, after: int, upto: int) -> Iterator[tuple[int, bytes]]:
        """(position, leaf hash) of the events after position `after`, up to `upto`,
        computed from their rows; the positions must follow one another from `after`."""
        sha256 = merkle.sha256()
        previous, expected = self._hash_before(after + 1), after + 1
        for row in self.conn.execute(f"select {_ROW} from events where position > ? and"
                                     " position <= ? order by position", (after, upto)):
            if row[0] != expected:
                raise LogError(f"{self.path}: position {row[0]} follows position "
                               f"{expected - 1}: the log's positions have a gap (was a row "
                               "removed?), so its tree is undefined; run procedura verify")
            yield row[0], sha256(b"\x00" + leaf_data(previous, row[1:11])).digest()
            previous, expected = row[11], expected + 1
        if expected != upto + 1:
            raise LogError(f"{self.path}: the log holds no event at position {expected}")

    # -- writing (inside the append's transaction) ---------------------------------

    def _flush_tree(self) -> None:
        """Hash the whole blocks among the leaves appended in this transaction and insert
        their rows: `EventLog` calls it just before it commits, so the tree is stored in
        the transaction of its events, with one statement for all of them."""
        edge = self._frontier
        if edge is None or len(edge.block) < TREE_BLOCK:
            return
        whole = len(edge.block) - len(edge.block) % TREE_BLOCK
        first = edge.size - len(edge.block)  # the last position already in a stored block
        rows = [(first + TREE_BLOCK * (k + 1), b"".join(merkle.push(edge.upper, top)))
                for k, top in enumerate(merkle.perfect_roots(edge.block[:whole],
                                                             TREE_BLOCK_LEVEL))]
        del edge.block[:whole]
        self._insert_nodes(rows)

    def _insert_nodes(self, rows: Sequence[tuple[int, bytes]]) -> None:
        try:
            if len(rows) <= _ONE_STATEMENT:
                self.conn.execute(_INSERTS[len(rows)], [v for row in rows for v in row])
            else:
                self.conn.executemany(_INSERTS[1], rows)
        except sqlite3.Error as e:
            # Raised before the commit, so that the transaction is rolled back whole.
            self._frontier = None
            raise LogError(f"cannot write the Merkle tree of {self.path}: {e}") from None

    def _edge(self, size: int) -> Edge:
        """The tree's right edge at `size` leaves, read once a transaction, with the
        leaves of any events the stored tree lacks (an old log's, an older procedura's)."""
        edge = self._frontier
        if edge is not None and edge.size == size:
            return edge
        whole = size - size % TREE_BLOCK
        stored = self._stored_through()
        if stored != whole:
            return self._catch_up(size)
        wanted = [(level, *_stored_at(start, level))
                  for start, level in merkle.frontier_nodes(whole)]
        found = {}
        if wanted:  # one statement for the whole edge
            marks = ", ".join("?" * len(wanted))
            found = dict(self.conn.execute(
                f"select position, hashes from merkle_nodes where position in ({marks})",
                [row for _, row, _ in wanted]))
        try:
            upper = [(level - TREE_BLOCK_LEVEL, bytes(found[row][offset - 1:offset + 31]))
                     for level, row, offset in wanted]
        except KeyError:
            raise LogError(f"{self.path}: the Merkle tree lacks rows below position {whole}"
                           " (damaged?); see verify_tree()") from None
        return Edge(size, upper, list(self._stored_leaves(whole, size)))

    def _catch_up(self, size: int) -> Edge:
        """The edge at `size` from the stored blocks and the leaves of the events after
        them (an old log's, an older procedura's, or those of a rolled-back savepoint's
        transaction); their whole blocks are stored at commit, or now if there are many."""
        stored = self._stored_through()
        if stored > size:
            raise LogError(f"{self.path}: the Merkle tree covers {stored} events but the log "
                           f"holds {size}: events were removed; run procedura verify")
        upper = [(level - TREE_BLOCK_LEVEL, self._node(start, level))
                 for start, level in merkle.frontier_nodes(stored)]
        edge = self._frontier = Edge(stored, upper, [])
        for leaf in self._stored_leaves(stored, size):
            edge.block.append(leaf)
            edge.size += 1
            if len(edge.block) == 10_000 * TREE_BLOCK:  # bounded memory for a large old log
                self._flush_tree()
        return edge

    def extend_tree(self) -> int:
        """Store the tree's blocks of every event the stored tree lacks (a version-1
        log's, or those an older procedura appended) now rather than at the next append;
        returns how many events were added to the stored blocks."""
        with self.transaction():
            before = self._stored_through()
            self._frontier = self._edge(self.tree_size())
            self._flush_tree()
            return self._stored_through() - before

    # -- checking ------------------------------------------------------------------

    def verify_tree(self) -> TreeMismatch | None:
        """Recompute the whole tree from the rows and compare it with the stored tree.

        Returns the first position whose leaf differs from its row's (in a log of schema
        version 2 the row's own hash is its stored leaf), or the first of a block whose
        stored nodes differ from its rows', or the first the log lacks of the events the
        stored tree covers; else None. Events whose block is not stored yet are no
        difference: the next append adds them. O(log n) memory.
        """
        self._flush_tree()
        stored = self.conn.execute("select position, hashes from merkle_nodes order by"
                                   " position") if self._stored_through() else iter(())
        upper: Frontier = []
        block: list[bytes] = []
        sha256, own = merkle.sha256(), self.log_version >= 2
        previous, expected = GENESIS, 1
        for row in self.conn.execute(f"select {_ROW} from events order by position"):
            position = row[0]
            if position != expected:
                return TreeMismatch(position, f"position {position} follows position "
                                    f"{expected - 1}: the tree's leaves have a gap")
            leaf = sha256(b"\x00" + leaf_data(previous, row[1:11])).digest()
            if own and row[11] != leaf.hex():
                return TreeMismatch(position, "the row's hash is not the leaf hash of its "
                                    "facts: the row, or its hash, was changed")
            previous, expected = row[11], expected + 1
            block.append(leaf)
            if len(block) < TREE_BLOCK:
                continue
            hashes = b"".join(merkle.push(upper, merkle.root(block)))
            kept = next(stored, None)
            if kept is None:
                return None  # the rest of the log is not in the stored tree yet
            if kept[0] != position or bytes(kept[1]) != hashes:
                first = position - TREE_BLOCK + 1
                return TreeMismatch(first, f"the stored tree's nodes over positions {first} to"
                                    f" {position} do not match those events: one of them, or"
                                    " the tree, was changed")
            block = []
        extra = next(stored, None)
        if extra is not None:
            return TreeMismatch(expected, f"the tree covers the events up to position "
                                f"{extra[0]}, which the log lacks: events were removed")
        return None
