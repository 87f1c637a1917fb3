"""Import the UN General Assembly roll-call data (the `unvotes` layout) into a log.

Source layout (see the data's README): `roll_calls` (rcid, session, date, unres, amend,
para, short, descr), `unvotes` (rcid, country, country_code, vote) and `issues` (rcid,
short_name, issue), as CSV or gzipped CSV. `unvotes_read` reads and checks them: bad
input is one clear error naming file, row and field, and nothing is appended.

Each resolution symbol ("R/69/188" is A/RES/69/188) becomes a plenary case, and its roll
calls are recorded through the case actions in the order the rules impose, whatever the
rcid order (the data added many amendment and paragraph votes years later, under higher
rcids): no-action motions first (rule 74), then amendments (rule 90), then parts (rule
89), then the whole. The rules decide every one again. Then:
- a resolution with no recorded vote on the whole was adopted without one: it is
  recorded as adopted without a vote, with a note that the adoption is inferred from
  its symbol;
- a second vote on the whole under one symbol (two drafts given one number, or one vote
  recorded twice by the data's two sources) cannot be one case's: it goes into a
  continuation case "<symbol> #2", and the report lists each with the record's reason;
- a vote on the whole that the rules reject although a resolution number exists is kept
  as recorded and listed in the report;
- the case title is the resolution's description (its short heading kept in the note),
  with the data's mojibake repaired; the data has no submission or circulation dates,
  so the texts are recorded undated (no circulation warning can arise from a date that
  was never recorded).

The data's other quirks:
- country names are short common names: resolved through engine.procedure.members (aliases);
- "Yugoslavia" means the former Yugoslavia before 2000 and Serbia after: resolved by date;
- "Federal Republic of Germany", "Yemen Arab Republic" and "Taiwan" (until the General
  Assembly's resolution 2758 of 25 October 1971) voted in the seats of Germany, Yemen and
  China: mapped to those seats;
- dates are approximate: a roll call dated before a voter's admission, or before a vote
  the rules put ahead of it, is dated on the later day, and the note gives the data's date;
- absent members have no row, and "present and not voting" is not recorded: where fewer
  members voted than a quorum, the record still shows the Assembly decided, so a quorum
  was present: `present` is set to the quorum, the least the record implies, and the note
  says so.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import attrs

from engine.app.case import Case
from engine.app.importers.unvotes_read import RollCall, is_verbatim, positions, roll_calls, title_of
from engine.app.log import ProcedureLog
from engine.procedure.errors import InvalidArgumentError, ProcedureError
from engine.procedure.members import Member, find
from engine.procedure.rules import quorum_needed
from engine.procedure.seats import un_seats

__all__ = ["ImportReport", "import_unvotes", "summary"]

# Seats voted in under another name (see the module docstring).
SEAT_OF = {"Federal Republic of Germany": "Germany", "Yemen Arab Republic": "Yemen"}
CHINA_SEAT_CHANGE = dt.date(1971, 10, 25)  # A/RES/2758 (XXVI)
BATCH = 250  # cases per transaction
_RANK = {"motion": 0, "amendment-motion": 1, "amendment": 1, "part": 2, "draft": 3}
_MOVER = re.compile(r"representative\s*of\s+(?:the\s+)?([A-Z][\w ]+?)\s*(?:that|to|for|[.,(])")
_DOCUMENT = re.compile(r"amendments?\b[^.]{0,80}?contained in (?:document\s*)?(A/[\w./-]+)")
Votes = dict[str, list[str]]


@attrs.define
class ImportReport:
    """What an import did: figures for the user, and what the record did not allow."""

    roll_calls: int = 0
    positions: int = 0
    cases: int = 0
    skipped_cases: int = 0
    continuations: list[tuple[str, str]] = attrs.Factory(list)  # (case, why)
    unreconciled: list[tuple[str, str]] = attrs.Factory(list)  # (case, what)
    inferred: int = 0  # adopted without a recorded vote on the whole
    reordered: int = 0  # cases whose rcid order was not the rules' order
    redated: int = 0
    quorum_inferred: int = 0
    unmapped: Counter[str] = attrs.Factory(Counter)


def _figures(votes: Votes) -> str:
    return "-".join(str(len(votes.get(o, ()))) for o in ("yes", "no", "abstain"))


def _runs(calls: list[RollCall], votes: dict[int, Votes]) -> list[tuple[list[RollCall], str]]:
    """A symbol's roll calls in the rules' order, as the runs one case each can hold.

    A case holds one vote on the whole, so each further one opens a continuation; its
    reason says what the record shows.
    """
    ordered = sorted(calls, key=lambda c: (_RANK[c.kind], c.rcid))
    runs: list[tuple[list[RollCall], str]] = [([], "")]
    whole: RollCall | None = None
    for call in ordered:
        if call.kind == "amendment-motion":
            # A case's no-action motion is on its draft; one on an amendment cannot sit
            # in the draft's case, so it is kept as recorded in a case of its own.
            runs.append(([call], f"rcid {call.rcid} is a no-action motion on an amendment "
                                 f"to {call.symbol}, which a case cannot hold beside the "
                                 "votes on its draft; recorded as a motion on the draft"))
            continue
        if call.kind == "draft" and whole is not None:
            a, b = _figures(votes.get(whole.rcid, {})), _figures(votes.get(call.rcid, {}))
            same = "the same figures: one vote the data records twice" if a == b else \
                f"{a} and {b}: two records of one vote, or two drafts given one number"
            runs.append(([call], f"rcid {call.rcid} is a second vote on the whole of "
                                 f"{call.symbol} after rcid {whole.rcid} ({same})"))
            continue
        whole = call if call.kind == "draft" else whole
        runs[0][0].append(call)
    return [run for run in runs if run[0]]


def _member(country: str, on: dt.date) -> Member | None:
    """The Member whose seat the data's country name voted in, on that date."""
    if country == "Taiwan" and on < CHINA_SEAT_CHANGE:
        country = "China"
    return find(SEAT_OF.get(country, country), on)


def _title(run: list[RollCall], symbol: str) -> tuple[str, str]:
    """The case's title (from the fullest description that names the text) and heading."""
    texts = [c for c in run if c.kind == "draft"] + [c for c in run if c.kind != "draft"]
    title = next((title_of(c.description) for c in texts
                  if c.description and not is_verbatim(c.description)), "")
    heading = next((c.heading for c in texts if c.heading), "")
    title = title or heading or symbol
    return (title if len(title) <= 300 else title[:299] + "…"), heading


class _Recorder:
    """Records one run of roll calls as a case, with the quirks handled as documented."""

    def __init__(self, log: ProcedureLog, positions: dict[int, Votes], report: ImportReport,
                 tick: Callable[[], None]) -> None:
        self.log, self.positions, self.report, self.tick = log, positions, report, tick

    def record(self, case_id: str, symbol: str, run: list[RollCall], why: str) -> None:
        title, heading = _title(run, symbol)
        case = self.log.new_case(case_id, title)
        notes = [f"imported from the unvotes data, rcid {', '.join(str(c.rcid) for c in run)}"]
        notes += [f"heading: {heading}"] if heading else []
        notes += [f"continuation: {why}"] if why else []
        # Undated: the data has no submission dates (see the module docstring).
        case.submit_draft(body="plenary", symbol=symbol, title=title, note="; ".join(notes))
        for call in run:
            if call.kind == "amendment":
                text = call.description or call.heading or f"an amendment to {symbol}"
                if is_verbatim(text):  # the meeting record: its document, if it names one
                    doc = _DOCUMENT.search(text)
                    text = (f"the amendment in {doc.group(1).rstrip('.')}" if doc else
                            f"an amendment to {symbol}") + " (the record's words are in the "\
                        "note of its vote)"
                case.submit_amendment(symbol=self._item(call), proposers=[],
                                      text=text if len(text) <= 2000 else text[:1999] + "…",
                                      note="the data does not say who proposed it")
        parts = [self._item(c) for c in run if c.kind == "part"]
        if parts:
            case.request_separate_vote(parts=parts, by=self._voter(run, "part"),
                                       note="the data does not say who asked for the "
                                            "separate votes; a voter in the first stands in")
        latest = dt.date.min
        for call in run:
            if call.kind in ("motion", "amendment-motion"):
                mover = _MOVER.search(call.description)
                member = find(mover.group(1).strip()) if mover else None
                case.move(motion="adjourn-debate",
                          by=member.name if member else self._voter([call], "motion"),
                          note=f"rcid {call.rcid}: the no-action motion the record describes")
            latest = self._vote(case, call, symbol, latest)
        undecided = case.state in ("plenary.tabled", "plenary.voting")
        if not any(c.kind == "draft" for c in run) and undecided and run[0].resolution:
            case.adopt_without_vote(on=symbol, note=(
                    f"no recorded vote on the whole in the data: the adoption is inferred "
                    f"from the resolution's symbol, {symbol}"))
            self.report.inferred += 1
        elif run[0].resolution and case.state.endswith("rejected"):
            self.report.unreconciled.append((case_id, (
                f"the rules reject the whole (rcid {run[-1].rcid}, "
                f"{_figures(self.positions.get(run[-1].rcid, {}))}), yet the record gives "
                f"it the resolution symbol {symbol}; kept as recorded")))

    def _item(self, call: RollCall) -> str:
        return f"{'part' if call.kind == 'part' else 'amendment'}-rcid-{call.rcid}"

    def _voter(self, run: list[RollCall], kind: str) -> str:
        # The data does not say who asked; the first voter in favour stands in, and the
        # note of the action says so.
        call = next(c for c in run if c.kind == kind)
        on = dt.date.fromisoformat(call.date)
        votes = self.positions.get(call.rcid, {})
        names = [n for o in ("yes", "no", "abstain") for n in votes.get(o, [])]
        return next(m.name for n in names if (m := _member(n, on)))

    def _vote(self, case: Case, call: RollCall, symbol: str, before: dt.date) -> dt.date:
        on = dt.date.fromisoformat(call.date)
        lists: Votes = {"yes": [], "no": [], "abstain": []}
        notes = [f"rcid {call.rcid}"]
        notes += [f"session {call.session}"] if call.session else []
        notes += [f"issues: {', '.join(call.issues)}"] if call.issues else []
        notes += [f"heading: {call.heading}"] if call.heading else []
        latest = max(on, before)
        if latest != on:
            notes.append(f"the data dates this roll call {on}, before a vote the rules put "
                         f"ahead of it; dated {latest}")
        admitted = latest
        for option, countries in self.positions.get(call.rcid, {}).items():
            for country in countries:
                member = _member(country, on)
                if member is None:
                    self.report.unmapped[country] += 1
                    continue
                admitted = max(admitted, member.admitted)
                lists[option].append(member.name)
        if admitted != latest:
            notes.append(f"the data dates this roll call {on}, before a voter's admission; "
                         f"dated {admitted}")
        self.report.redated += admitted != on
        voted = sum(len(v) for v in lists.values())
        quorum = quorum_needed(len(un_seats(admitted)))
        present = None
        if voted < quorum:
            present = quorum
            notes.append(f"only {voted} voted; a quorum ({quorum}) was present, as the "
                         "Assembly decided")
            self.report.quorum_inferred += 1
        if call.description:  # last: the record's own words, which may hold "; "
            notes.append(f"description: {call.description}")
        on_item = {"draft": symbol, "motion": "adjourn-debate",
                   "amendment-motion": "adjourn-debate"}.get(call.kind) or \
            self._item(call)
        case.vote(on=on_item, yes_members=lists["yes"], no_members=lists["no"],
                  abstain_members=lists["abstain"], present=present, date=admitted.isoformat(),
                  note="; ".join(notes))
        self.report.roll_calls += 1
        self.report.positions += voted
        self.tick()
        return admitted


def import_unvotes(log: ProcedureLog, folder: str | Path,
                   tick: Callable[[], None] = lambda: None) -> ImportReport:
    """Import the data in `folder`; cases already in the log are skipped (idempotent).

    Every file is read and checked before anything is recorded, so bad input raises
    `InvalidArgumentError` (file, row, field) with nothing appended. `tick` is called
    once per roll call recorded (for a progress bar).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidArgumentError(f"{folder} is not a folder with the unvotes data")
    report = ImportReport()
    calls = roll_calls(folder)
    votes = positions(folder, {c.rcid for c in calls})
    by_symbol: dict[str, list[RollCall]] = defaultdict(list)
    for call in calls:
        by_symbol[call.symbol].append(call)
    recorder = _Recorder(log, votes, report, tick)
    pending = 0
    transaction = log.transaction()
    transaction.__enter__()
    try:
        for symbol, symbol_calls in by_symbol.items():
            for n, (run, why) in enumerate(_runs(symbol_calls, votes), start=1):
                case_id = symbol if n == 1 else f"{symbol} #{n}"
                if log.events.stream_version(case_id):
                    report.skipped_cases += 1
                    continue
                try:
                    recorder.record(case_id, symbol, run, why)
                except ProcedureError as e:  # pragma: no cover - reported, never seen
                    raise InvalidArgumentError(f"{case_id}: {e}") from e
                report.cases += 1
                report.reordered += [c.rcid for c in run] != sorted(c.rcid for c in run)
                if why:
                    report.continuations.append((case_id, why))
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
    """The report in a few lines, every continuation and unreconciled record listed."""
    out = io.StringIO()
    out.write(f"{report.roll_calls} roll calls, {report.positions} member positions, "
              f"{report.cases} cases recorded ({len(report.continuations)} continuations); "
              f"{report.skipped_cases} cases already in the log were skipped\n")
    out.write(f"{report.reordered} cases voted in the rules' order rather than the rcid "
              f"order; {report.inferred} resolutions adopted without a recorded vote on the "
              "whole (inferred from the symbol)\n")
    out.write(f"{report.redated} roll calls dated later than the data dates them; "
              f"{report.quorum_inferred} with a quorum inferred from the decision\n")
    for case_id, why in report.continuations:
        out.write(f"continuation {case_id}: {why}\n")
    for case_id, what in report.unreconciled:
        out.write(f"not reconciled {case_id}: {what}\n")
    if report.unmapped:
        rows = ", ".join(f"{k} ({v})" for k, v in report.unmapped.most_common())
        out.write(f"positions that map to no Member: {rows}\n")
    else:
        out.write("every position mapped to a Member State\n")
    return out.getvalue()
