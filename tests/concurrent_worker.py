"""One of several processes appending to one log at once (for tests/store/test_concurrency.py).

    python tests/concurrent_worker.py LOG WORKER ROUNDS GO_FILE

Prints "ready", waits until GO_FILE exists (so that all workers start together), then
does ROUNDS rounds of two commands:
- `add_sponsors` on the shared case "shared": load the case, append with the version it
  was loaded at; on `ConcurrencyError` (someone else appended first) back off a moment,
  reload and try again;
- a new case of its own, "w{WORKER}-{round}", with its `submit_draft`.
At the end it prints one JSON line: the shared-case versions it recorded, the cases it
opened, how many times it had to retry, and the longest a command took.
Any other error ends it with a traceback and a non-zero exit.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import engine

SPONSORS = ("Norway", "Japan", "Italy", "Canada", "Chile", "Ghana", "Peru", "Fiji")


def main() -> None:
    path, worker, rounds, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    rnd = random.Random(worker)
    log = engine.open(path)
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    shared: list[int] = []
    own: list[str] = []
    retries = 0
    slowest = 0.0
    for n in range(rounds):
        began = time.monotonic()
        attempt = 0
        while True:
            case = log.case("shared")
            try:
                case.add_sponsors(sponsors=[rnd.choice(SPONSORS)], actor=f"worker {worker}")
            except engine.ConcurrencyError:
                retries += 1
                attempt += 1
                time.sleep(rnd.uniform(0, 0.001 * min(2**attempt, 64)))  # back off, reload
                continue
            shared.append(case.version)
            break
        case_id = f"w{worker}-{n}"
        case = log.new_case(case_id, title=f"worker {worker}, round {n}")
        case.submit_draft(body="third-committee", symbol=f"W/{worker}/{n}", title="draft",
                          sponsors=["Japan"], date="2014-11-18")
        own.append(case_id)
        slowest = max(slowest, time.monotonic() - began)
    log.close()
    print(json.dumps({"worker": worker, "shared": shared, "own": own, "retries": retries,
                      "slowest_s": round(slowest, 3)}), flush=True)


if __name__ == "__main__":
    main()
