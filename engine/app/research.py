"""Research over the projected tables: how two members voted alike, and Datasette metadata.

`agreement(log, a, b)` counts, year by year, the recorded votes both members took part
in and how many of them they cast alike (yes-yes, no-no, abstain-abstain), the usual
agreement score of General Assembly voting studies (e.g. Voeten, "Data and Analyses of
Voting in the UN General Assembly", 2013). `datasette_metadata()` is the metadata file
for `datasette DB --metadata FILE`: labels, facets and canned queries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.app.log import ProcedureLog
from engine.app.log import open as open_log
from engine.app.projections import member_names
from engine.procedure.errors import InvalidArgumentError, LogError
from engine.procedure.members import resolve

__all__ = ["agreement", "datasette_metadata"]


def agreement(log: ProcedureLog | str | Path, a: str, b: str) -> list[dict[str, Any]]:
    """Year by year, how often members `a` and `b` voted alike: one dict per year with
    year, votes (both took part), alike, and share (alike / votes, 3 decimals).

    A name may be any name, code or alias; a former Member's name counts its votes too
    (see `projections.member_names`). Raises `LogError` without projections,
    `InvalidArgumentError` when `a` and `b` are the same member.
    """
    if not isinstance(log, ProcedureLog):
        with open_log(log, readonly=True) as opened:
            return agreement(opened, a, b)
    if resolve(a).name == resolve(b).name:
        raise InvalidArgumentError(f"{a} and {b} are the same member; give two")
    first, second = member_names(a), member_names(b)
    events = log.events
    if not events.has_table("member_votes") or not events.has_table("members"):
        raise LogError(f"{events.path} has no projections (or older ones); run: procedura "
                       f"project --db {events.path}")
    sql = (
        "select substr(v.date, 1, 4) as year, count(*),"
        " sum(case when x.vote = y.vote then 1 else 0 end) "  # PostgreSQL sums no booleans
        "from member_votes x join member_votes y on y.position = x.position "
        "join votes v on v.position = x.position "
        f"where x.member in ({', '.join('?' * len(first))}) "
        f"and y.member in ({', '.join('?' * len(second))}) and v.date is not null "
        "group by year order by year")
    return [{"year": int(year), "votes": n, "alike": alike, "share": round(alike / n, 3)}
            for year, n, alike in events.query(sql, [*first, *second])]


_ON_A_TOPIC = """
select v.date, v.session, v.case_id, c.title, v.kind, m.vote, v.yes, v.no, v.abstain, v.outcome
from member_votes m join votes v on v.position = m.position join cases c on c.case_id = v.case_id
where m.member = :member and v.kind = 'draft'
  and (c.title like '%' || :topic || '%' or v.issues like '%' || :topic || '%')
order by v.date
""".strip()

_AMENDMENTS_ADOPTED = """
select session, count(*) as amendments_adopted, count(distinct case_id) as resolutions
from votes where kind = 'amendment' and outcome = 'adopted'
group by session order by session
""".strip()


def datasette_metadata(title: str = "UN General Assembly votes") -> dict[str, Any]:
    """Datasette metadata for a projected log: table labels, facets, canned queries ("how
    did a member vote on a topic over the years", "amendments adopted by session")."""
    source = ("Erik Voeten, United Nations General Assembly Voting Data, Harvard Dataverse, "
              "hdl:1902.1/12379 (as packaged in the unvotes R package)")
    return {
        "title": title,
        "source": source,
        "databases": {"*": {
            "tables": {
                "members": {"label_column": "name",
                            "description": "Member States, present and former: UN name, "
                                           "ISO 3166-1 codes, admission"},
                "cases": {"label_column": "title", "facets": ["state", "session"],
                          "description": "One row per case (a resolution's path)"},
                "votes": {"label_column": "item", "facets": ["kind", "outcome", "session",
                                                             {"array": "issues"}],
                          "description": "One row per vote, with its figures and rule"},
                "member_votes": {"facets": ["vote"],
                                 "description": "One row per member per recorded vote"},
            },
            "queries": {
                "member_on_topic": {
                    "title": "How did a member vote on a topic over the years?",
                    "sql": _ON_A_TOPIC,
                    "description": "member: a UN name (e.g. Japan); topic: words of the "
                                   "title or an issue (e.g. Human rights)"},
                "amendments_adopted_by_session": {
                    "title": "Amendments adopted by session", "sql": _AMENDMENTS_ADOPTED},
            },
        }},
    }
