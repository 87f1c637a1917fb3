"""Bodies as data: who sits in them and which rule set decides their questions.

A body is a value, not code: a Human Rights Council of 47 or a Model UN committee of 30
delegations is one more `Body`, with no change to the engine.

Sources: Charter of the United Nations, Art. 7, 9, 22 and 23 (the General Assembly, its
Main Committees, the Security Council of 15 with five permanent members); Rules of
Procedure of the General Assembly, A/520/Rev.20, rule 98 (the six Main Committees).
"""

from __future__ import annotations

from collections.abc import Mapping

from events import Body

__all__ = ["BODIES", "COUNCIL_SEATS", "PERMANENT_FIVE", "RULE_SETS", "Body", "body_named"]

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
        f"{o.lower()}-committee": Body(f"{o.lower()}-committee", f"{o} Committee", "committee")
        for o in _ORDINALS
    },
    "plenary": Body("plenary", "General Assembly (plenary)", "plenary"),
    "security-council": Body(
        "security-council", "Security Council", "council", veto=PERMANENT_FIVE
    ),
}

RULE_SETS = ("committee", "plenary", "council")
COUNCIL_SEATS = 15  # Charter Art. 23(1)


def body_named(body_id: str, declared: Mapping[str, Body] | None = None) -> Body | None:
    """The body with this id: one the case declared, else a built-in one; or None."""
    if declared and body_id in declared:
        return declared[body_id]
    return BODIES.get(body_id)
