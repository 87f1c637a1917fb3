"""A writer for the crash-safety test: appends commands until it is killed.

    python tests/writer_process.py LOG START

Prints "ready" once the log is open, then, for i = START, START+1, ...:
- usually one command: a new case `k{i}` and its `submit_draft` (CaseOpened +
  DraftSubmitted, appended together), acknowledged as "ack k{i}" once it returned;
- every seventh i, three such cases `b{i}-0`, `b{i}-1`, `b{i}-2` in one transaction,
  acknowledged as one line "ack b{i}-0 b{i}-1 b{i}-2" once the transaction committed.

A line is printed (and flushed) only after the library returned, so every acknowledged
case must survive a SIGKILL at any later moment.
"""

from __future__ import annotations

import sys

import engine


def command(log: engine.ProcedureLog, case_id: str, i: int) -> None:
    case = log.new_case(case_id, title=f"crash-safety case {case_id}")
    case.submit_draft(body="third-committee", symbol=f"X/{i}", title="draft",
                      sponsors=["Norway"], date="2014-11-18")


def main() -> None:
    path, start = sys.argv[1], int(sys.argv[2])
    log = engine.open(path)
    print("ready", flush=True)
    i = start
    while True:
        if i % 7 == 0:
            ids = [f"b{i}-{j}" for j in range(3)]
            with log.transaction():
                for case_id in ids:
                    command(log, case_id, i)
        else:
            ids = [f"k{i}"]
            command(log, ids[0], i)
        print("ack", *ids, flush=True)
        i += 1


if __name__ == "__main__":
    main()
