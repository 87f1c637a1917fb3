"""Tests for engine.procedure.arguments: the checks every action applies to what it is given."""

from __future__ import annotations

import pytest

from engine.procedure import arguments as arg
from engine.procedure.errors import InvalidArgumentError


def test_names_returns_a_tuple_of_the_names_as_given() -> None:
    given = ["Japan", "Côte d’Ivoire", "Türkiye"]
    assert arg.names(given, "sponsors") == ("Japan", "Côte d’Ivoire", "Türkiye")
    assert arg.names((), "sponsors") == ()


@pytest.mark.parametrize("bad", ["", "   ", "\t\n", 7, None, "Cuba\ud800"])
@pytest.mark.parametrize("where", [0, 1, 150])
def test_names_refuses_a_bad_name_anywhere_in_a_long_list(bad: object, where: int) -> None:
    # The check runs over the whole list at once; a refusal must still name the list
    # and show the value, wherever it stands.
    values: list[object] = ["Japan"] * 180
    values.insert(where, bad)
    with pytest.raises(InvalidArgumentError, match="each of yes_members") as info:
        arg.names(values, "yes_members")
    shown = "lone surrogate" if bad == "Cuba\ud800" else arg.show(bad)
    assert shown in str(info.value)


@pytest.mark.parametrize("bad", ["Japan", {"Japan": 1}, 3])
def test_names_refuses_what_is_not_a_list(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="sponsors must be a list of names"):
        arg.names(bad, "sponsors")


def test_text_accepts_non_ascii_and_refuses_lone_surrogates() -> None:
    assert arg.text("Côte d’Ivoire", "by") == "Côte d’Ivoire"
    with pytest.raises(InvalidArgumentError, match="by is not valid text"):
        arg.text("Cuba\udcff", "by")
