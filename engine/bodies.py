"""Bodies as data: who sits in them and which rule set decides their questions.

A body is a value, not code: a Human Rights Council of 47 or a Model UN committee of 30
delegations is one more `Body`, with no change to the engine.

Sources: Charter of the United Nations, Art. 7, 9, 22 and 23 (the General Assembly, its
Main Committees, the Security Council of 15 with five permanent members); Rules of
Procedure of the General Assembly, A/520/Rev.20, rule 98 (the six Main Committees).
"""

from __future__ import annotations

import attrs

__all__ = ["BODIES", "PERMANENT_FIVE", "Body", "body_named"]

# Charter Art. 23(1), with the seats' current holders' UN names.
PERMANENT_FIVE: tuple[str, ...] = (
    "China",
    "France",
    "Russian Federation",
    "United Kingdom of Great Britain and Northern Ireland",
    "United States of America",
)


@attrs.frozen(slots=True)
class Body:
    """A deciding body.

    `rules` names the rule set it follows: "committee" (a GA Main Committee, rules
    96-133), "plenary" (the GA plenary, rules 63-95) or "council" (the Security Council,
    Charter Art. 27). `members` is None for "every UN Member State on the date";
    otherwise the fixed list of seats. `seats` is how many members the body has when its
    list is given per case (the Security Council's 15).
    """

    id: str
    name: str
    rules: str
    members: tuple[str, ...] | None = None
    veto: tuple[str, ...] = ()
    seats: int | None = None

    @property
    def stage(self) -> str:
        """The stage of the procedure graph a case in this body is at."""
        return self.rules


_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth")

BODIES: dict[str, Body] = {
    **{
        f"{o.lower()}-committee": Body(f"{o.lower()}-committee", f"{o} Committee", "committee")
        for o in _ORDINALS
    },
    "plenary": Body("plenary", "General Assembly (plenary)", "plenary"),
    "security-council": Body(
        "security-council", "Security Council", "council", veto=PERMANENT_FIVE, seats=15
    ),
}


def body_named(body_id: str) -> Body | None:
    """The built-in body with this id, or None."""
    return BODIES.get(body_id)
