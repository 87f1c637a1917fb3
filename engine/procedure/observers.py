"""Observer States as sponsors: the rights the General Assembly gave them, on their dates.

An observer State (the Holy See; Palestine, the State of Palestine from resolution 67/19
of 2012) never votes in the Assembly or its Main Committees, but the Assembly has given
each the right to co-sponsor some drafts, and since its seventy-ninth session the State of
Palestine may submit proposals too (resolution ES-10/23). `data/observers.csv` holds
those rights with the resolutions that gave them; a draft's sponsors may name an observer
that held a right to sponsor on the draft's date, and the refusal otherwise names the
resolution that gives (or later gave) the right.

What a right covers (drafts "on Palestinian and Middle East issues", drafts "that make
reference to the Holy See") is kept and said, not checked: the engine cannot tell what a
draft is about.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Sequence
from importlib.resources import files
from typing import NamedTuple

from engine.procedure import checks
from engine.procedure.bodies import Body
from engine.procedure.errors import NotInOrderError
from engine.procedure.state import CaseState
from engine.procedure.words import Stage

__all__ = ["ObserverError", "Right", "is_observer", "observer_name", "rights", "sponsors"]

# Names and codes by which the observers are known (ISO 3166: VA, VAT; PS, PSE).
_ALIASES = {"holy see": "Holy See", "va": "Holy See", "vat": "Holy See",
            "vatican": "Holy See", "palestine": "Palestine",
            "state of palestine": "State of Palestine", "ps": "Palestine", "pse": "Palestine"}
# The one observer under its name of each date: "Palestine" until resolution 67/19.
_RENAMED = {"Palestine": "State of Palestine"}
_STATE_FROM = dt.date(2012, 11, 29)


class ObserverError(NotInOrderError):
    """An observer State named where the rules of the date give it no such right."""


class Right(NamedTuple):
    """A right an observer held: what (cosponsor, submit), over what, when, and why."""

    observer: str
    right: str
    scope: str
    start: dt.date
    until: dt.date | None
    source: str

    def held_on(self, on: dt.date) -> bool:
        """Whether the right held on `on`."""
        return self.start <= on and (self.until is None or on <= self.until)


@functools.cache
def _table() -> tuple[Right, ...]:
    text = (files("engine.procedure") / "data" / "observers.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(Right(r["observer"], r["right"], r["scope"], dt.date.fromisoformat(r["from"]),
                       dt.date.fromisoformat(r["until"]) if r["until"] else None, r["source"])
                 for r in csv.DictReader(lines))


def observer_name(name: str, on: dt.date) -> str | None:
    """The observer State `name` refers to, under its name on `on`; None if it is none."""
    found = _ALIASES.get(name.strip().casefold())
    if found is None:
        return None
    if on >= _STATE_FROM:
        return _RENAMED.get(found, found)
    return "Palestine" if found == "State of Palestine" else found


def is_observer(name: str) -> bool:
    """Whether `name` names an observer State (on some date)."""
    return name.strip().casefold() in _ALIASES


def rights(name: str, on: dt.date) -> tuple[Right, ...]:
    """The rights the observer `name` held on `on`."""
    who = observer_name(name, on)
    return tuple(r for r in _table() if r.observer == who and r.held_on(on))


def _refuse(who: str, on: dt.date, what: str) -> ObserverError:
    later = [r for r in _table() if r.observer in (who, _RENAMED.get(who, who))
             and r.start > on and r.right in ("cosponsor", "submit")]
    given = (f"; {later[0].source} gave it that right from {later[0].start}" if later
             else "")
    held = rights(who, on)
    rule = later[0].source if later else held[0].source if held else "Charter Art. 4"
    return ObserverError(f"{who} among the sponsors", f"{who} is an observer, not a Member "
                         "State, and "
                         f"on {on} no resolution of the Assembly gave it the right to {what}"
                         f"{given}", rule, ("name Member States as sponsors",))


def sponsors(s: CaseState, names: Sequence[str], on: dt.date,
             where: Body | None = None, submitting: bool = True) -> tuple[str, ...]:
    """The sponsors of a draft: Member States seated as `checks.seated` seats them, and
    observer States that held a right to co-sponsor on `on` (in the Assembly and its
    Main Committees only). A draft `submitting` with observers alone as sponsors is
    refused unless one of them held the right to submit proposals; sponsors joining a
    draft already submitted may all be observers."""
    body = where or checks.body(s)
    assembly = body.members is None and body.stage in (Stage.COMMITTEE, Stage.PLENARY)
    if not assembly or not any(isinstance(n, str) and is_observer(n) for n in names):
        # Member States only (nearly every draft): seated at once, each named once.
        return checks.seated(s, names, "sponsors", on, body)
    out: list[str] = []
    for name in names:
        who = observer_name(name, on) if assembly and isinstance(name, str) else None
        if who is None:
            who = checks.seated(s, (name,), "sponsors", on, body)[0]
        elif "cosponsor" not in {r.right for r in rights(who, on)}:
            raise _refuse(who, on, "co-sponsor a draft")
        if who not in out:  # a sponsor named twice, however spelt, sponsors once
            out.append(who)
    observers = [n for n in out if is_observer(n)]
    if submitting and out and len(observers) == len(out) and not any(
            "submit" in {r.right for r in rights(n, on)} for n in observers):
        raise _refuse(observers[0], on, "submit a draft without a Member State among its "
                      "sponsors")
    return tuple(out)
