"""Tests for the data files of engine.procedure.members and the checks run on them.

The Member table is package data (engine/procedure/data/*.csv). `members.problems()` must
find nothing wrong with it, and `members.check` must catch each kind of broken table.
"""

from __future__ import annotations

import datetime
from importlib.resources import files

import attrs
import pytest

from engine.procedure import members
from engine.procedure.members import (
    DATED_NAMES,
    FORMER,
    MEMBERS,
    Member,
    MemberDataError,
    check,
    find,
    problems,
)

D = datetime.date
DATA = files("engine.procedure") / "data"


# --- the shipped table -------------------------------------------------------------------


def test_the_shipped_table_has_no_problems() -> None:
    assert problems() == []


def test_exactly_193_members_and_five_former() -> None:
    assert len(MEMBERS) == 193
    assert [m.name for m in FORMER] == [
        "Czechoslovakia", "German Democratic Republic", "Democratic Yemen", "Yugoslavia",
        "Zanzibar",
    ]


def test_dated_names_are_exactly_yugoslavia() -> None:
    assert isinstance(DATED_NAMES, frozenset)
    assert sorted(DATED_NAMES) == ["Yugoslavia"]
    assert find("Yugoslavia", D(1980, 1, 1)) is FORMER[3]
    assert find("Yugoslavia", D(2010, 1, 1)).name == "Serbia"  # type: ignore[union-attr]


def test_former_members_dates() -> None:
    for m in FORMER:
        assert m.left is not None and m.admitted < m.left, m
    # Each former Member's seat ended before the States that followed it were admitted.
    ends = {m.name: m.left for m in FORMER}
    admitted = {m.name: m.admitted for m in MEMBERS}
    assert ends["Czechoslovakia"] < admitted["Czechia"] == admitted["Slovakia"]
    assert ends["Yugoslavia"] < admitted["Serbia"]
    assert ends["Zanzibar"] < D(1964, 4, 26)
    assert all(m.left is None for m in MEMBERS)


def test_every_alias_row_names_a_member_and_lands_on_it() -> None:
    by_code = {m.alpha2: m for m in MEMBERS}
    rows = members._ALIAS_ROWS
    assert len(rows) == 80  # with United Arab Republic and Federal Republic of Germany
    for code, alias in rows:
        assert alias in by_code[code].aliases
        assert members._INDEX[members._key(alias)] is by_code[code]


def test_no_key_names_two_members() -> None:
    # A member's own spellings may share a key ("Côte d’Ivoire" for "Côte d'Ivoire").
    keys = [
        key for m in MEMBERS
        for key in {members._key(text) for text in (m.name, m.alpha2, m.alpha3, *m.aliases)}
    ]
    assert len(keys) == len(set(keys)) == len(members._INDEX)


def test_the_files_keep_their_sources_as_comments() -> None:
    text = {name: (DATA / name).read_text(encoding="utf-8")
            for name in ("members.csv", "aliases.csv", "former.csv")}
    assert "# Sources:" in text["members.csv"]
    assert "iso.org/iso-3166-country-codes" in text["members.csv"]
    assert "# Unsure: Thailand (Siam)" in text["members.csv"]
    assert "# Not modelled" in text["members.csv"]
    assert "(Voeten / R package unvotes)" in text["aliases.csv"]
    assert "GA resolution 47/1" in text["former.csv"]
    assert "# Zanzibar had no ISO 3166 code of its own." in text["former.csv"]


def test_members_file_keeps_the_un_order_and_one_row_per_member() -> None:
    lines = (DATA / "members.csv").read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line and not line.startswith("#")]
    assert rows[0] == "alpha2,alpha3,admitted,name"
    assert rows[1] == "AF,AFG,1946-11-19,Afghanistan"
    assert rows[-1] == "ZW,ZWE,1980-08-25,Zimbabwe"
    assert len(rows) == 1 + 193
    assert MEMBERS[0].name == "Afghanistan" and MEMBERS[-1].name == "Zimbabwe"


# --- the checks catch a broken table -----------------------------------------------------


def _with(index: int, **changes: object) -> tuple[Member, ...]:
    """MEMBERS with the member at `index` changed."""
    table = list(MEMBERS)
    table[index] = attrs.evolve(table[index], **changes)
    return tuple(table)


def test_check_passes_the_shipped_table() -> None:
    assert check(MEMBERS, FORMER, members._ALIAS_ROWS) == []


def test_check_catches_a_missing_member() -> None:
    assert check(MEMBERS[:-1], FORMER) == ["192 members, expected 193"]


def test_check_catches_an_extra_member() -> None:
    extra = Member("Atlantis", "XA", "XAT", D(2030, 1, 1))
    assert check((*MEMBERS, extra), FORMER) == ["194 members, expected 193"]


def test_check_catches_an_alias_for_an_unknown_code() -> None:
    rows = [*members._ALIAS_ROWS, ("XX", "Nowhere")]
    assert check(MEMBERS, FORMER, rows) == ["aliases for unknown codes: XX"]


def test_check_catches_an_alias_naming_two_members() -> None:
    japan = next(i for i, m in enumerate(MEMBERS) if m.name == "Japan")
    found = check(_with(japan, aliases=("Russia",)), FORMER)
    assert found == ["'Russia' names both Japan and Russian Federation"]


def test_check_reads_names_as_lookup_does() -> None:
    # Case, spacing and curly apostrophes do not make a name different.
    japan = next(i for i, m in enumerate(MEMBERS) if m.name == "Japan")
    found = check(_with(japan, aliases=("  cÔte D’IVOIRE ",)), FORMER)
    assert len(found) == 1 and "names both" in found[0] and "Japan" in found[0]


def test_check_catches_a_code_naming_two_members() -> None:
    found = check(_with(1, alpha3="AFG"), FORMER)
    assert found == ["'AFG' names both Afghanistan and Albania"]


def test_check_catches_a_name_naming_two_members() -> None:
    found = check(_with(1, name="Afghanistan"), FORMER)
    assert found == ["'Afghanistan' names both Afghanistan and Afghanistan"]


def test_check_catches_malformed_codes_and_empty_text() -> None:
    found = check(_with(0, alpha2="af", alpha3="", aliases=("",)), FORMER)
    assert "Afghanistan: code 'af' is not 2 capital letters" in found
    assert "Afghanistan: code '' is not 3 capital letters" in found
    assert "Afghanistan: an empty alias" in found
    assert check(_with(0, name=" "), FORMER) == ["AF: no name"]


def test_check_catches_an_admission_before_the_charter() -> None:
    found = check(_with(0, admitted=D(1945, 10, 23)), FORMER)
    assert found == ["Afghanistan: admitted 1945-10-23, before 1945-10-24"]


def test_check_catches_a_current_member_with_an_end_date() -> None:
    found = check(_with(0, left=D(2000, 1, 1)), FORMER)
    assert found == ["Afghanistan: a current Member with an end date (2000-01-01)"]


@pytest.mark.parametrize("left", [D(1945, 10, 24), D(1900, 1, 1)])
def test_check_catches_a_former_member_leaving_before_admission(left: datetime.date) -> None:
    broken = (attrs.evolve(FORMER[0], left=left), *FORMER[1:])
    found = check(MEMBERS, broken)
    assert found == [
        f"former Member Czechoslovakia: left {left}, not after its admission on 1945-10-24"
    ]


def test_check_catches_a_former_member_without_an_end_date() -> None:
    broken = (*FORMER[:-1], attrs.evolve(FORMER[-1], left=None))
    assert check(MEMBERS, broken) == ["former Member Zanzibar: no end date"]


def test_check_allows_a_former_member_without_codes_but_not_bad_ones() -> None:
    assert FORMER[-1].alpha2 == FORMER[-1].alpha3 == ""  # Zanzibar
    broken = (*FORMER[:-1], attrs.evolve(FORMER[-1], alpha2="Z1"))
    assert check(MEMBERS, broken) == ["former Member Zanzibar: code 'Z1' is not 2 capital letters"]


def test_check_catches_a_key_naming_two_former_members() -> None:
    broken = (attrs.evolve(FORMER[0], aliases=("GDR",)), *FORMER[1:])
    assert check(MEMBERS, broken) == [
        "among former Members: 'GDR' names both Czechoslovakia and German Democratic Republic"
    ]


def test_a_former_and_a_current_member_may_share_a_name() -> None:
    # That is what DATED_NAMES is for; "Yugoslavia" is one today.
    assert "Yugoslavia" in MEMBERS[[m.alpha2 for m in MEMBERS].index("RS")].aliases
    assert check(MEMBERS, FORMER) == []


def test_check_reports_every_problem_not_just_the_first() -> None:
    found = check(_with(0, admitted=D(1900, 1, 1), alpha2="A")[:-1], FORMER, [("XX", "Y")])
    assert len(found) == 4


# --- reading the files -------------------------------------------------------------------


def test_a_missing_file_is_a_clear_error() -> None:
    with pytest.raises(MemberDataError, match=r"cannot read the member data file data/nope\.csv"):
        members._rows("nope.csv", ("a", "b"))
    assert issubclass(MemberDataError, RuntimeError)


def test_a_file_with_other_columns_is_a_clear_error() -> None:
    with pytest.raises(MemberDataError, match="the first row must be alpha2,alias"):
        members._rows("members.csv", ("alpha2", "alias"))


def test_rows_skip_comments_and_keep_line_numbers() -> None:
    rows = members._rows("former.csv", members._FORMER_COLUMNS)
    assert [fields["name"] for _, _, fields in rows] == [m.name for m in FORMER]
    lines = (DATA / "former.csv").read_text(encoding="utf-8").splitlines()
    for filename, number, fields in rows:
        assert filename == "former.csv"
        assert lines[number - 1].startswith(fields["name"] + ",")
