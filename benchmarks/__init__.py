"""procedura's benchmark suite: every workload of issue 5 against two yardsticks.

Run it from the project's root::

    python -m benchmarks              # the full suite (several minutes on 2 cores)
    python -m benchmarks --quick      # small sizes, 3 repetitions: under a minute (CI)
    python -m benchmarks --only W1,W4 --output /tmp/results.json

Each workload runs against procedura, against raw `sqlite3` doing the same storage work on
the same schema (the limit: what SQLite itself allows from Python), and, where the issue
asks for it, against the `eventsourcing` library (9.x) with its SQLite persistence. The
contenders run interleaved (A B C, then B C A, ...) so that noise from other processes
falls on all of them alike; ratios are paired within each repetition and summarised by
their median. The suite prints Markdown tables and writes the same figures as JSON.

One module per workload:

- `w1_commands`: durable commands, one transaction each (WAL, synchronous=FULL);
- `w2_bulk`: events in batches of 1,000 per transaction;
- `w3_replay`: interleaved cases rebuilt to state; peak memory at two log sizes;
- `w4_time_travel`: the state at a random version of a long stream and of a short one;
- `w5_unvotes`: the real UN roll-call data imported, replayed and verified;
- `w6_startup`: wall time of `procedura --help` and `import engine`.

Shared pieces: `harness` (sizes, interleaving, figures), `recipe` (the commands and their
events), `raw` (the sqlite3 yardstick), `es` (the eventsourcing yardstick), `child`
(measurements in a subprocess, for peak memory) and `report` (Markdown and JSON).
`python -m benchmarks.profile W2` runs procedura's side of a workload under cProfile.
"""
