"""Bodies as data: who sits in them and which rule set decides their questions.

A body is a value, not code: a Human Rights Council of 47 or a Model UN committee of 30
delegations is one more `Body`, with no change to the engine.

Sources: Charter of the United Nations, Art. 7, 9, 22 and 23 (the General Assembly, its
Main Committees, the Security Council of 15 with five permanent members); Rules of
Procedure of the General Assembly, A/520/Rev.20, rule 98 (the six Main Committees).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from engine.procedure.errors import InvalidArgumentError
from engine.procedure.members import find
from engine.procedure.words import Stage
from events import Body

__all__ = [
    "BODIES", "PERMANENT_FIVE", "RULE_SETS", "Body", "body_named", "declare_body",
]

# Charter Art. 23(1), with the seats' current holders' UN names.
PERMANENT_FIVE: tuple[str, ...] = (
    "China",
    "France",
    "Russian Federation",
    "United Kingdom of Great Britain and Northern Ireland",
    "United States of America",
)


_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth")

BODIES: dict[str, Body] = {
    **{
        f"{o.lower()}-committee": Body(f"{o.lower()}-committee", f"{o} Committee",
                                       Stage.COMMITTEE.value)
        for o in _ORDINALS
    },
    "plenary": Body("plenary", "General Assembly (plenary)", Stage.PLENARY.value),
    "security-council": Body(
        "security-council", "Security Council", Stage.COUNCIL.value, veto=PERMANENT_FIVE
    ),
}

RULE_SETS = tuple(Stage)


def declare_body(spec: Body | Mapping[str, Any]) -> Body:
    """A checked body from a `Body` or a mapping (id, name, rules, members, veto).

    Members given as UN names, codes or aliases are stored under their UN names; other
    names (Model UN delegations, say) are kept as written. Veto holders must be members.
    """
    if not isinstance(spec, Body | Mapping):
        raise InvalidArgumentError(f"a body is a table of id, name, rules, members and veto, "
                                   f"not {type(spec).__name__}")
    data = attrs.asdict(spec) if isinstance(spec, Body) else dict(spec)
    unknown = set(data) - {"id", "name", "rules", "members", "veto"}
    if unknown:
        raise InvalidArgumentError(f"a body has no key {sorted(unknown)[0]!r}; keys: id, name, "
                                   "rules, members, veto")
    for key in ("id", "name", "rules"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise InvalidArgumentError(f"a body needs a non-empty string {key!r}")
    if data["id"] in BODIES:
        raise InvalidArgumentError(f"body id {data['id']!r} is built in; choose another")
    if data["rules"] not in RULE_SETS:
        raise InvalidArgumentError(f"body {data['id']}: rules must be one of "
                                   f"{', '.join(RULE_SETS)}, not {data['rules']!r}")
    members = data.get("members")
    for key in ("members", "veto"):
        value = data.get(key)
        if value is not None and (isinstance(value, str) or not isinstance(value, list | tuple)):
            raise InvalidArgumentError(f"body {data['id']}: {key} must be a list of names")
    if members is not None:
        if not all(isinstance(m, str) and m.strip() for m in members):
            raise InvalidArgumentError(f"body {data['id']}: members must be a list of names")
        members = tuple(_member_name(m) for m in members)
        if len(set(members)) != len(members) or not members:
            raise InvalidArgumentError(f"body {data['id']}: members must be distinct and at "
                                       "least one")
    veto_names = data.get("veto") or ()
    if not all(isinstance(v, str) and v.strip() for v in veto_names):
        raise InvalidArgumentError(f"body {data['id']}: veto must be a list of names")
    veto = tuple(_member_name(v) for v in veto_names)
    if veto and data["rules"] != Stage.COUNCIL:
        raise InvalidArgumentError(f"body {data['id']}: only a body under council rules has "
                                   "veto holders")
    if members is not None and not set(veto) <= set(members):
        raise InvalidArgumentError(f"body {data['id']}: veto holders must be members")
    return Body(data["id"], data["name"], data["rules"], members, veto)


def _member_name(name: str) -> str:
    member = find(name)
    return member.name if member else name.strip()


def body_named(body_id: str, declared: Mapping[str, Body] | None = None) -> Body | None:
    """The body with this id: one the case declared, else a built-in one; or None."""
    if declared and body_id in declared:
        return declared[body_id]
    return BODIES.get(body_id)
