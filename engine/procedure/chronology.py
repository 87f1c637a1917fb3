"""The order of a case's dates: a proceeding is recorded in the order it happened.

A body's meetings follow one another, and within a case each action answers the one
before it (a vote follows the motion it disposes of, a draft is voted after it was
submitted), so an action dated before the case's last dated event would make the record
say that something was decided before the question was put. procedura refuses it, as it
refuses anything else the record of a meeting could not hold; `verify` reports a log
written by other means whose dates run backwards.

No article of the Charter or rule of A/520/Rev.20 states this in words: it is the order
of the proceedings as the official records (the verbatim and summary records) keep it,
and the refusal says so rather than cite a rule that does not say it.
"""

from __future__ import annotations

from engine.procedure.errors import NotInOrderError

__all__ = ["ORDER_OF_PROCEEDINGS", "DateOrderError", "backwards", "check_date"]

# What a refusal cites: the order of the proceedings, not a numbered rule.
ORDER_OF_PROCEEDINGS = "the order of the proceedings, as the official records keep it"


class DateOrderError(NotInOrderError):
    """An action dated before the case's last dated event."""


def backwards(date: str | None, last: str | None) -> bool:
    """Whether `date` falls before `last` (ISO dates compare as text); an undated action
    or a case with no date yet never runs backwards."""
    return bool(date and last and date < last)


def check_date(action: str, date: str | None, last: str | None) -> None:
    """Refuse `action` on `date` if the case's last dated event, on `last`, is later."""
    if backwards(date, last):
        raise DateOrderError(
            f"{action} on {date}", f"the case's last event is dated {last}, and an action "
            "cannot be recorded as happening before what it follows; date it "
            f"{last} or later", ORDER_OF_PROCEEDINGS)
