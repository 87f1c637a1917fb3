"""Hypothesis strategies for hostile input, and a small TOML writer (for test_hostile_input).

The values are what a careless or malicious user might send: wrong types, huge and
negative numbers, unknown members, right-to-left and emoji text, very long strings,
nesting, SQL and HTML fragments, NUL characters. `document()` builds whole scenario
documents, mostly well-formed enough to reach the engine, and `render` turns them into
TOML text.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import hypothesis.strategies as st

from engine.app.scenarios import ACTION_PARAMS
from engine.procedure.bodies import BODIES
from replays import COMMON

SQL = "'); drop table events; --"
LONG = "x" * 10_000
NASTY_TEXT = (
    "", " ", "\t\n", SQL, '"; drop table meta; --', "Robert'); DROP TABLE events;--",
    "<script>alert(1)</script>", "مشروع قرار بشأن حقوق الإنسان", "\u202eevil\u202c", "עברית",
    "🇺🇳🗳️👍🏽", "e\u0301\u0301\u0301", "\u200b", "NUL\x00inside", "null", "None", "nan", "-1",
    "%s%n%x", "{0}{1}", "${jndi:ldap://x}", "../../etc/passwd", "\\x00", LONG, "ü" * 5_000,
    "🗳" * 3_000, "\r\n\r\n", "__import__('os').system('true')", "🏳️‍🌈" * 50,
)
MEMBERS = (
    "Japan", "Cuba", "Norway", "Italy", "Russia", "North Korea", "United States", "JPN", "CU",
    "China", "France", "United Kingdom", "Chad", "Nigeria", "Uzbekistan", "South Sudan",
    "Narnia", "Atlantis", "japan", " Japan ", "Japan\u200b", "Soviet Union", "Yugoslavia",
    "", "ÅLAND", "日本", SQL,
)
BODY_IDS = (*BODIES, "nowhere", "Third Committee", "", "main-committee", "moot")
SYMBOLS = ("L.1", "A1", "A2", "agenda", "adjourn-debate", "close-debate", "reconsider",
           "suspend-meeting", "OP1", "PP2", "OP0", "OP99", "division", "", SQL)
PARTS = ("OP1", "OP2", "PP1", "OP0", "OP", "op1", "OP01", "X7", "OP9999999999999999999")
HUGE = (10**30, -(10**30), 2**63, 2**63 - 1, -(2**63), 2**64, 10**100)
DATES = ("2014-11-18", "2014-11-14", "2011-07-14", "1945-10-24", "1900-01-01", "9999-12-31",
         "0001-01-01", "2014-02-30", "2014-13-01", "18/11/2014", "", "yesterday")
CHOICES: dict[str, tuple[Any, ...]] = {
    "body": BODY_IDS, "to": ("plenary", "security-council", "third-committee", "nowhere"),
    "motion": ("adjourn-debate", "close-debate", "suspend-meeting", "adjourn-meeting",
               "reconsider", "division", "filibuster"),
    "method": ("recorded", "non-recorded", "roll-call", "secret"),
    "majority": ("simple", "two-thirds", "unanimous"), "when": ("before", "after", "during"),
    "expect": ("adopted", "rejected", "vetoed", "postponed"), "chapter": ("VI", "VII", "VIII"),
    "by": MEMBERS, "on": ("L.1",) * 8 + SYMBOLS, "symbol": SYMBOLS, "target": SYMBOLS,
    "referral": ("International Criminal Court", "ICJ"),
}

text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)
numbers = st.one_of(st.integers(-3, 250), st.sampled_from(HUGE))
floats = st.one_of(st.sampled_from((math.nan, math.inf, -math.inf, -0.0, 0.5, 1e308)),
                   st.floats())
dates = st.one_of(st.dates(), st.sampled_from([dt.date(2014, 11, 18), dt.date(1, 1, 1)]))
datetimes = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1))
scalars = st.one_of(text, numbers, floats, st.booleans(), dates, datetimes)
keys = st.one_of(st.sampled_from(("id", "action", "yes", "__class__", "", " ", SQL, "日本")),
                 st.text(max_size=8))
hostile = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=12,
)


def nested(depth: int, leaf: Any = "Japan") -> Any:
    """A list nested `depth` deep around one leaf."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def plausible(name: str, kind: str) -> st.SearchStrategy[Any]:
    """A value of the right kind for a parameter, often one the engine must refuse."""
    if kind == "strings":
        pool = PARTS if name == "parts" else MEMBERS
        return st.lists(st.sampled_from(pool), max_size=6)
    if kind == "int":
        return numbers
    if kind == "bool":
        return st.booleans()
    if kind == "date":
        return st.one_of(st.sampled_from(DATES), dates)
    if name in CHOICES:
        return st.one_of(st.sampled_from(CHOICES[name]), text)
    return text


def argument(name: str, kind: str, wild: bool = True) -> st.SearchStrategy[Any]:
    """Mostly plausible, sometimes (when `wild`) anything at all."""
    if not wild:
        return plausible(name, kind)
    return st.one_of(plausible(name, kind), plausible(name, kind), plausible(name, kind),
                     hostile)


@st.composite
def arguments(draw: st.DrawFn, action: str, wild: bool = True,
              envelope: bool = True) -> dict[str, Any]:
    """Keyword arguments for an action: every required one, some optional ones.

    `envelope` adds the keys every step may carry (date, actor, note), as plausible
    values of their kind (see `envelopes` for hostile ones).
    """
    out = {}
    for name, param in ACTION_PARAMS[action].items():
        if param.required or draw(st.integers(0, 3)) == 0:
            out[name] = draw(argument(name, param.kind, wild))
    if envelope:
        for name, param in COMMON.items():
            if draw(st.integers(0, 3)) == 0:
                out[name] = draw(argument(name, param.kind, wild=False))
    return out


actions = st.sampled_from(sorted(ACTION_PARAMS))


@st.composite
def commands(draw: st.DrawFn, envelope: bool = True) -> tuple[str, dict[str, Any]]:
    """A library call: an action and its keyword arguments, often hostile ones."""
    action = draw(actions)
    return action, draw(arguments(action, envelope=envelope))


@st.composite
def envelopes(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A library call with plausible arguments but any value at all as date, actor, note."""
    action = draw(actions)
    out = draw(arguments(action, wild=False, envelope=False))
    for name in COMMON:
        if draw(st.booleans()):
            out[name] = draw(hostile)
    return action, out


VALID_SUBMIT = {"action": "submit_draft", "body": "third-committee", "symbol": "L.1",
                "title": "A draft", "sponsors": ["Japan"]}


@st.composite
def step_tables(draw: st.DrawFn, wild: bool = True) -> dict[str, Any]:
    """One [[step]]: with `wild`, sometimes not a table, an unknown action, extra keys."""
    if not wild:
        action = draw(actions)
        return {"action": action, **draw(arguments(action, wild=False))}
    roll = draw(st.integers(0, 19))
    if roll == 0:  # a step that is not a table of the right shape at all
        return draw(hostile)
    if roll == 1:  # a name that is not an action: private methods, builtins, nothing
        action = draw(st.sampled_from(("__init__", "_record", "_catch_up", "__class__",
                                       "eval", "exec", "system", "data", "in_order", "")))
        return {"action": action, **draw(st.dictionaries(keys, hostile, max_size=2))}
    action = draw(actions)
    step: dict[str, Any] = {"action": action, **draw(arguments(action))}
    if roll == 2:
        step[draw(keys)] = draw(hostile)  # an extra key
    if roll == 3 and len(step) > 1:
        del step[draw(st.sampled_from(sorted(k for k in step if k != "action")))]
    return step


@st.composite
def document(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario document: for the loader (anything goes) or for the engine.

    A third are wild: wrong types, unknown keys and tables, missing keys anywhere, which
    the loader must refuse with the file, step and key. The rest are well-typed, with
    hostile values of the right kind (huge and negative numbers, unknown members,
    unicode and very long text) that the loader passes on and the engine must refuse.
    """
    if draw(st.integers(0, 2)) == 0:
        return draw(wild_document())
    case: dict[str, Any] = {"id": draw(st.sampled_from(("fuzz", "dprk-2014", SQL, "日本-案件"))),
                            "title": draw(text)}
    if draw(st.booleans()):
        case["date"] = draw(st.sampled_from(DATES[:7]))
    if draw(st.integers(0, 3)) == 0:
        case["council"] = draw(st.lists(st.sampled_from(MEMBERS), max_size=12))
    steps = draw(st.lists(step_tables(wild=False), max_size=8))
    if draw(st.integers(0, 4)):
        steps.insert(0, dict(VALID_SUBMIT))
    doc: dict[str, Any] = {"case": case, "step": steps}
    if draw(st.integers(0, 4)) == 0:
        doc["expect"] = {"state": draw(st.sampled_from(
            ("committee.tabled", "committee.voting", "committee.approved", "nowhere")))}
    return doc


@st.composite
def wild_document(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario document with hostile parts anywhere."""
    doc: dict[str, Any] = {}
    case: dict[str, Any] = {
        "id": draw(st.one_of(st.sampled_from(("fuzz", "dprk-2014", SQL, "日本-案件")), text)),
        "title": draw(st.one_of(st.just("A case"), text)),
    }
    if draw(st.booleans()):
        case["date"] = draw(st.one_of(st.sampled_from(DATES), dates))
    if draw(st.integers(0, 3)) == 0:
        case["council"] = draw(st.lists(st.sampled_from(MEMBERS), max_size=12))
    for _ in range(draw(st.integers(0, 1))):
        case[draw(keys)] = draw(hostile)
    roll = draw(st.integers(0, 19))
    doc["case"] = draw(hostile) if roll == 0 else case
    if roll != 1:
        steps = draw(st.lists(step_tables(), max_size=7))
        if draw(st.integers(0, 4)):
            steps.insert(0, dict(VALID_SUBMIT))
        doc["step"] = steps if roll != 2 else draw(hostile)
    if draw(st.integers(0, 4)) == 0:
        doc["expect"] = {"state": draw(st.one_of(
            st.sampled_from(("committee.tabled", "committee.voting", "nowhere")), hostile))}
    if draw(st.integers(0, 6)) == 0:
        doc["body"] = draw(st.lists(st.fixed_dictionaries(
            {"id": text, "name": text, "rules": st.sampled_from(
                ("committee", "plenary", "council", "__import__", ""))},
            optional={"members": st.lists(st.sampled_from(MEMBERS), max_size=5),
                      "veto": st.lists(st.sampled_from(MEMBERS), max_size=2),
                      "colour": hostile}), max_size=2))
    if draw(st.integers(0, 9)) == 0:
        doc[draw(keys)] = draw(hostile)
    return doc


# --- a TOML writer (the standard library reads TOML but does not write it) -----------------


def _string(value: str) -> str:
    out = []
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def value(v: Any) -> str:
    """One TOML value, inline."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_string(k)} = {value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"no TOML for {type(v).__name__}")


def render(doc: dict[str, Any]) -> str:
    """A document as TOML text: plain values first, then tables, then arrays of tables."""
    lines = [f"{_string(k)} = {value(v)}" for k, v in doc.items()
             if not isinstance(v, dict)
             and not (isinstance(v, list) and v and all(isinstance(x, dict) for x in v))]
    for k, v in doc.items():
        if isinstance(v, dict):
            lines += ["", f"[{_string(k)}]", *(f"{_string(a)} = {value(b)}" for a, b in v.items())]
    for k, v in doc.items():
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for table in v:
                lines += ["", f"[[{_string(k)}]]",
                          *(f"{_string(a)} = {value(b)}" for a, b in table.items())]
    return "\n".join(lines) + "\n"
