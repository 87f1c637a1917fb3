"""Import the UN General Assembly roll-call data (the `unvotes` layout) into a log.

Source layout (see ../shared/data/unvotes/README.md): `roll_calls` (rcid, session, date,
unres, amend, para, short, descr), `unvotes` (rcid, country, country_code, vote) and
`issues` (rcid, short_name, issue), as CSV or gzipped CSV.

Each resolution symbol ("R/69/188" is A/RES/69/188) becomes a plenary case; its roll
calls are recorded through the case actions in rcid order, amendment votes as amendments
and paragraph votes as separate votes, so the rules check and decide every one. Where
the order of the roll calls cannot be one case's order under the rules (a paragraph
vote after the vote on the whole, say), the rest goes into a continuation case
"<symbol> #2". Roll calls without a symbol become cases of their own.

The data's known quirks, and what the importer does about them:
- country names are short common names: resolved through engine.procedure.members (aliases);
- "Yugoslavia" means the former Yugoslavia before 2000 and Serbia after: resolved by date;
- "Federal Republic of Germany", "Yemen Arab Republic" and "Taiwan" (until the General
  Assembly's resolution 2758 of 25 October 1971) voted in the seats of Germany, Yemen and
  China: mapped to those seats;
- some roll calls are dated a few days before a voter's admission (the data's dates are
  approximate): the vote is dated on the latest such admission, and the event's note
  says so, with the date the data gives;
- absent members have no row, and "present and not voting" is not recorded: where fewer
  members voted than a quorum, the record still shows the Assembly decided, so a quorum
  was present: `present` is set to the quorum, the least the record implies, and the note
  says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from engine.app.case import Case
from engine.app.log import ProcedureLog
from engine.procedure.errors import InvalidArgumentError, NotInOrderError
from engine.procedure.members import Member, find
from engine.procedure.rules import quorum_needed
from engine.procedure.seats import un_seats

__all__ = ["ImportReport", "import_unvotes"]

# Seats voted in under another name (see the module docstring).
SEAT_OF = {"Federal Republic of Germany": "Germany", "Yemen Arab Republic": "Yemen"}
CHINA_SEAT_CHANGE = dt.date(1971, 10, 25)  # A/RES/2758 (XXVI)
BATCH = 250  # cases per transaction
_RANK = {"amendment": 0, "part": 1, "draft": 2}


@attrs.define
class ImportReport:
    """What an import did: figures for the user, and what it could not map."""

    roll_calls: int = 0
    positions: int = 0
    cases: int = 0
    skipped_cases: int = 0
    continuations: int = 0
    redated: int = 0
    quorum_inferred: int = 0
    unmapped: Counter[str] = attrs.Factory(Counter)


@attrs.frozen(slots=True)
class RollCall:
    """One roll call of the data, with its kind in the case."""

    rcid: int
    date: str
    symbol: str
    kind: str  # "amendment", "part" or "draft"
    title: str
    issues: tuple[str, ...]


def _rows(folder: Path, name: str) -> Iterator[list[str]]:
    """The CSV file's rows as lists, the header first (plain or gzipped)."""
    for candidate in (folder / f"{name}.csv", folder / f"{name}.csv.gz"):
        if candidate.exists():
            opener = gzip.open if candidate.suffix == ".gz" else open
            with opener(candidate, "rt", encoding="utf-8", newline="") as f:  # type: ignore[operator]
                yield from csv.reader(f)
            return
    raise InvalidArgumentError(f"{folder}: no {name}.csv or {name}.csv.gz (the unvotes layout "
                               "has roll_calls, unvotes and issues)")


def _open(folder: Path, name: str) -> Iterator[dict[str, str]]:
    rows = _rows(folder, name)
    header = next(rows, [])
    for row in rows:
        yield dict(zip(header, row, strict=False))


def _symbol(unres: str, rcid: int) -> str:
    if unres.startswith("R/"):
        return "A/RES/" + unres[2:]
    return unres or f"unvotes-rcid-{rcid}"


def _roll_calls(folder: Path) -> list[RollCall]:
    issues: dict[int, list[str]] = defaultdict(list)
    for row in _open(folder, "issues"):
        issues[int(row["rcid"])].append(row["issue"])
    out = []
    for row in _open(folder, "roll_calls"):
        rcid = int(row["rcid"])
        kind = "amendment" if row["amend"] == "1" else "part" if row["para"] == "1" else "draft"
        title = (row["short"] or row["descr"] or "").strip()[:300] or _symbol(row["unres"], rcid)
        out.append(RollCall(rcid, row["date"], _symbol(row["unres"], rcid), kind, title,
                            tuple(issues.get(rcid, ()))))
    out.sort(key=lambda r: r.rcid)
    return out


def _positions(folder: Path) -> dict[int, dict[str, list[str]]]:
    """rcid -> {"yes": [...], "no": [...], "abstain": [...]} of the data's country names."""
    out: dict[int, dict[str, list[str]]] = {}
    rows = _rows(folder, "unvotes")
    header = next(rows, [])
    try:
        rcid, country, vote = (header.index(c) for c in ("rcid", "country", "vote"))
    except ValueError:
        raise InvalidArgumentError(f"{folder}: unvotes lacks a column rcid, country or vote "
                                   f"(it has {', '.join(header)})") from None
    for row in rows:  # 870,109 rows: plain lists and indexes, not a dict per row
        votes = out.setdefault(int(row[rcid]), {"yes": [], "no": [], "abstain": []})
        votes[row[vote]].append(sys.intern(row[country]))
    return out


def _segments(calls: list[RollCall]) -> list[list[RollCall]]:
    """Split one symbol's roll calls into runs that one case's order allows."""
    runs: list[list[RollCall]] = [[]]
    for call in calls:
        run = runs[-1]
        last = _RANK[run[-1].kind] if run else -1
        if run and (_RANK[call.kind] < last or run[-1].kind == "draft"):
            runs.append([call])
        else:
            run.append(call)
    return runs


def _member(country: str, on: dt.date) -> Member | None:
    """The Member whose seat the data's country name voted in, on that date."""
    if country == "Taiwan" and on < CHINA_SEAT_CHANGE:
        country = "China"
    return find(SEAT_OF.get(country, country), on)


class _Recorder:
    """Records one run of roll calls as a case, with the quirks handled as documented."""

    def __init__(self, log: ProcedureLog, positions: dict[int, dict[str, list[str]]],
                 report: ImportReport, tick: Callable[[], None]) -> None:
        self.log, self.positions, self.report, self.tick = log, positions, report, tick

    def record(self, case_id: str, symbol: str, run: list[RollCall]) -> None:
        first = run[0]
        case = self.log.new_case(case_id, first.title)
        case.submit_draft(body="plenary", symbol=symbol, title=first.title, date=first.date,
                          note=f"imported from the unvotes data, rcid {first.rcid}")
        for call in run:
            if call.kind == "amendment":
                case.submit_amendment(symbol=self._item(call), proposers=[], text=call.title,
                                      date=first.date)
        parts = [self._item(c) for c in run if c.kind == "part"]
        if parts:
            case.request_separate_vote(parts=parts, by=self._requester(run), date=first.date)
        for call in run:
            self._vote(case, call, symbol)

    def _item(self, call: RollCall) -> str:
        return f"{'part' if call.kind == 'part' else 'amendment'}-rcid-{call.rcid}"

    def _requester(self, run: list[RollCall]) -> str:
        # The data does not say who asked for the separate votes; the first voter in the
        # first paragraph vote stands in, which the note of the request does not hide.
        votes = self.positions.get(next(c.rcid for c in run if c.kind == "part"), {})
        on = dt.date.fromisoformat(run[0].date)
        names = [n for o in ("yes", "no", "abstain") for n in votes.get(o, [])]
        return next(m.name for n in names if (m := _member(n, on)))

    def _vote(self, case: Case, call: RollCall, symbol: str) -> None:
        on = dt.date.fromisoformat(call.date)
        lists: dict[str, list[str]] = {"yes": [], "no": [], "abstain": []}
        notes = [f"rcid {call.rcid}"] + ([f"issues: {', '.join(call.issues)}"]
                                          if call.issues else [])
        latest = on
        for option, countries in self.positions.get(call.rcid, {}).items():
            for country in countries:
                member = _member(country, on)
                if member is None:
                    self.report.unmapped[country] += 1
                    continue
                latest = max(latest, member.admitted)
                lists[option].append(member.name)
        if latest != on:
            notes.append(f"the data dates this roll call {on}, before a voter's admission; "
                         f"dated {latest}")
            self.report.redated += 1
        voted = sum(len(v) for v in lists.values())
        quorum = quorum_needed(len(un_seats(latest)))
        present = None
        if voted < quorum:
            present = quorum
            notes.append(f"only {voted} voted; a quorum ({quorum}) was present, as the "
                         "Assembly decided")
            self.report.quorum_inferred += 1
        on_item = symbol if call.kind == "draft" else self._item(call)
        case.vote(on=on_item, yes_members=lists["yes"], no_members=lists["no"],
                  abstain_members=lists["abstain"], present=present, date=latest.isoformat(),
                  note="; ".join(notes))
        self.report.roll_calls += 1
        self.report.positions += voted
        self.tick()


def import_unvotes(log: ProcedureLog, folder: str | Path,
                   tick: Callable[[], None] = lambda: None) -> ImportReport:
    """Import the data in `folder`; cases already in the log are skipped (idempotent).

    `tick` is called once per roll call recorded (for a progress bar).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidArgumentError(f"{folder} is not a folder with the unvotes data")
    report = ImportReport()
    calls = _roll_calls(folder)
    positions = _positions(folder)
    by_symbol: dict[str, list[RollCall]] = defaultdict(list)
    for call in calls:
        by_symbol[call.symbol].append(call)
    recorder = _Recorder(log, positions, report, tick)
    pending = 0
    transaction = log.transaction()
    transaction.__enter__()
    try:
        for symbol, symbol_calls in by_symbol.items():
            for n, run in enumerate(_segments(symbol_calls), start=1):
                case_id = symbol if n == 1 else f"{symbol} #{n}"
                if log.events.stream_version(case_id):
                    report.skipped_cases += 1
                    continue
                try:
                    recorder.record(case_id, symbol, run)
                except NotInOrderError as e:  # pragma: no cover - reported, never seen
                    raise InvalidArgumentError(f"{case_id}: {e}") from e
                report.cases += 1
                report.continuations += n > 1
                pending += 1
                if pending >= BATCH:
                    transaction.__exit__(None, None, None)
                    transaction = log.transaction()
                    transaction.__enter__()
                    pending = 0
    except BaseException:
        transaction.__exit__(*sys.exc_info())
        raise
    transaction.__exit__(None, None, None)
    return report


def summary(report: ImportReport) -> str:
    """The report in a few lines."""
    out = io.StringIO()
    out.write(f"{report.roll_calls} roll calls, {report.positions} member positions, "
              f"{report.cases} cases recorded ({report.continuations} continuations); "
              f"{report.skipped_cases} cases already in the log were skipped\n")
    out.write(f"{report.redated} roll calls dated on a voter's admission; "
              f"{report.quorum_inferred} with a quorum inferred from the decision\n")
    if report.unmapped:
        rows = ", ".join(f"{k} ({v})" for k, v in report.unmapped.most_common())
        out.write(f"positions that map to no Member: {rows}\n")
    else:
        out.write("every position mapped to a Member State\n")
    return out.getvalue()
