"""Tests for engine.procedure.members: the table of 193 Member States and name resolution."""

from __future__ import annotations

import csv
import datetime
import gzip
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from engine.procedure.errors import UnknownMemberError
from engine.procedure.members import (
    DATED_NAMES,
    FORMER,
    MEMBERS,
    Member,
    find,
    members_on,
    resolve,
    resolve_all,
)

UNVOTES = Path(__file__).parents[2].parent / "shared" / "data" / "unvotes"
D = datetime.date


# --- the table -------------------------------------------------------------------------


def test_exactly_193_members() -> None:
    assert len(MEMBERS) == 193
    assert all(isinstance(m, Member) for m in MEMBERS)


@pytest.mark.parametrize("field", ["name", "alpha2", "alpha3"])
def test_unique_fields(field: str) -> None:
    values = [getattr(m, field) for m in MEMBERS]
    assert len(set(values)) == 193


def test_codes_are_well_formed() -> None:
    for m in MEMBERS:
        assert len(m.alpha2) == 2 and m.alpha2.isascii() and m.alpha2.isupper(), m
        assert len(m.alpha3) == 3 and m.alpha3.isascii() and m.alpha3.isupper(), m


def test_members_are_frozen() -> None:
    with pytest.raises(AttributeError):
        MEMBERS[0].name = "Elsewhere"  # type: ignore[misc]


def test_order_is_alphabetical_by_un_name() -> None:
    # The UN orders "Côte d'Ivoire" as "Cote" and "Türkiye" as "Turkiye".
    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    names = [m.name for m in MEMBERS]
    assert names == sorted(names, key=plain)
    assert names[0] == "Afghanistan" and names[-1] == "Zimbabwe"


def test_no_key_names_two_members() -> None:
    seen: dict[str, Member] = {}
    for m in MEMBERS:
        for text in (m.name, m.alpha2, m.alpha3, *m.aliases):
            key = text.replace("\u2019", "'").strip().casefold()
            assert seen.setdefault(key, m) is m, text
            assert find(text) is m, text


def test_known_dates() -> None:
    assert resolve("South Sudan").admitted == D(2011, 7, 14)
    assert max(m.admitted for m in MEMBERS) == D(2011, 7, 14)
    assert resolve("Russian Federation").admitted == D(1945, 10, 24)
    assert resolve("Serbia").admitted == D(2000, 11, 1)
    assert resolve("Germany").admitted == D(1973, 9, 18)
    assert resolve("Yemen").admitted == D(1947, 9, 30)
    assert resolve("Tanzania").admitted == D(1961, 12, 14)
    assert resolve("Montenegro").admitted == D(2006, 6, 28)
    assert resolve("Switzerland").admitted == D(2002, 9, 10)


def test_former_members_sit_only_in_their_years() -> None:
    assert find("Yugoslavia", D(1980, 1, 1)).name == "Yugoslavia"
    assert find("YU", D(1980, 1, 1)).left == D(1992, 9, 22)
    assert find("Yugoslavia", D(2010, 1, 1)).name == "Serbia"
    assert find("Yugoslavia").name == "Serbia"  # without a date: today's meaning
    gdr = resolve("East Germany", D(1980, 1, 1))
    assert gdr in members_on(D(1980, 1, 1)) and gdr not in members_on(D(1991, 1, 1))
    with pytest.raises(UnknownMemberError, match="until 1992-12-31"):
        resolve("Czechoslovakia", D(1993, 6, 1))
    assert len(members_on(D(1990, 12, 1))) == 159  # after the GDR and Democratic Yemen left


def test_every_un_name_but_the_dated_ones_means_one_member_on_every_date() -> None:
    # engine.procedure.seats.seat_of and check_tally take a name found among the seats as that
    # seat without looking it up; that is right only for names whose meaning does not
    # hang on the date. Council and declared-body seats are not filtered by date, so
    # every date counts, not only those the Member sat on.
    days = {D(1945, 10, 24), D(2026, 1, 1)} | {
        day for m in (*MEMBERS, *FORMER) for day in (m.admitted, m.left) if day}
    for member in (*MEMBERS, *FORMER):
        if member.name in DATED_NAMES:
            continue
        for day in sorted(days):
            assert find(member.name, day) == member, (member.name, day)
    assert set(DATED_NAMES) == {"Yugoslavia"}
    assert find("Yugoslavia", D(1980, 1, 1)) != find("Yugoslavia", D(2010, 1, 1))


def test_members_on() -> None:
    assert len(members_on(D(2011, 7, 14))) == 193
    assert len(members_on(D(2011, 7, 13))) == 192
    assert len(members_on(D(2024, 1, 1))) == 193
    assert members_on(D(1945, 10, 23)) == ()
    on_day_one = members_on(D(1945, 10, 24))
    assert resolve("United States") in on_day_one and resolve("India") not in on_day_one
    assert list(on_day_one) == [m for m in (*MEMBERS, *FORMER) if m in on_day_one]
    assert len(members_on(datetime.datetime(2011, 7, 14, 12, 0))) == 193


# --- resolution ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Russia", "Russian Federation"),
        ("RU", "Russian Federation"),
        ("rus", "Russian Federation"),
        ("North Korea", "Democratic People's Republic of Korea"),
        ("South Korea", "Republic of Korea"),
        ("United States", "United States of America"),
        ("USA", "United States of America"),
        ("US", "United States of America"),
        ("United Kingdom", "United Kingdom of Great Britain and Northern Ireland"),
        ("UK", "United Kingdom of Great Britain and Northern Ireland"),
        ("Britain", "United Kingdom of Great Britain and Northern Ireland"),
        ("Iran", "Iran (Islamic Republic of)"),
        ("Syria", "Syrian Arab Republic"),
        ("Laos", "Lao People's Democratic Republic"),
        ("Vietnam", "Viet Nam"),
        ("Bolivia", "Bolivia (Plurinational State of)"),
        ("Venezuela", "Venezuela (Bolivarian Republic of)"),
        ("Tanzania", "United Republic of Tanzania"),
        ("Moldova", "Republic of Moldova"),
        ("Micronesia", "Micronesia (Federated States of)"),
        ("Brunei", "Brunei Darussalam"),
        ("Turkey", "Türkiye"),
        ("Ivory Coast", "Côte d'Ivoire"),
        ("Cote d'Ivoire", "Côte d'Ivoire"),
        ("Côte d’Ivoire", "Côte d'Ivoire"),
        ("Burma", "Myanmar"),
        ("Republic of the Congo", "Congo"),
        ("Democratic Republic of the Congo", "Democratic Republic of the Congo"),
        ("DR Congo", "Democratic Republic of the Congo"),
        ("DRC", "Democratic Republic of the Congo"),
        ("Swaziland", "Eswatini"),
        ("The former Yugoslav Republic of Macedonia", "North Macedonia"),
        ("Czech Republic", "Czechia"),
        ("Cape Verde", "Cabo Verde"),
        ("NA", "Namibia"),
        ("na", "Namibia"),
        ("Yugoslavia", "Serbia"),
        ("Congo - Brazzaville", "Congo"),
        ("Congo - Kinshasa", "Democratic Republic of the Congo"),
        ("Trinidad & Tobago", "Trinidad and Tobago"),
        ("St. Vincent & Grenadines", "Saint Vincent and the Grenadines"),
        ("São Tomé & Príncipe", "Sao Tome and Principe"),
        ("Myanmar (Burma)", "Myanmar"),
    ],
)
def test_resolve(text: str, name: str) -> None:
    assert resolve(text).name == name
    assert find(text) is resolve(text)


def test_case_whitespace_and_apostrophes_are_ignored() -> None:
    dprk = "Democratic People's Republic of Korea"
    assert resolve("  democratic people’s republic of korea\t").name == dprk
    assert resolve("DEMOCRATIC  PEOPLE'S REPUBLIC OF KOREA").name == dprk
    assert resolve(" fra ").name == "France"


def test_korea_alone_is_not_a_member() -> None:
    # Ambiguous between the two Koreas, so it must not resolve to either.
    assert find("Korea") is None


def test_unknown_names_raise_with_suggestions() -> None:
    with pytest.raises(UnknownMemberError) as info:
        resolve("Frence")
    assert "France" in info.value.suggestions
    assert "'France'" in str(info.value)
    assert len(info.value.suggestions) <= 3

    with pytest.raises(UnknownMemberError) as info:
        resolve("Narnia")
    assert "Narnia" in str(info.value)
    assert len(info.value.suggestions) <= 3
    assert find("Narnia") is None


def test_suggestions_are_un_names_without_duplicates() -> None:
    with pytest.raises(UnknownMemberError) as info:
        resolve("Rusia")
    suggestions = info.value.suggestions
    assert suggestions[0] == "Russian Federation"
    assert len(set(suggestions)) == len(suggestions)
    assert all(find(s) is not None and find(s).name == s for s in suggestions)


def test_date_check() -> None:
    with pytest.raises(UnknownMemberError) as info:
        resolve("South Sudan", on=D(2010, 1, 1))
    assert "admitted on 2011-07-14" in str(info.value)
    assert resolve("South Sudan", on=D(2011, 7, 14)).alpha3 == "SSD"
    assert resolve("Montenegro", on=datetime.datetime(2007, 1, 1)).alpha2 == "ME"
    assert find("South Sudan") is not None  # find makes no date check


def test_resolve_all() -> None:
    got = resolve_all(["France", "CN", "Russia"], on=D(2000, 1, 1))
    assert tuple(m.name for m in got) == ("France", "China", "Russian Federation")
    assert resolve_all([]) == ()
    with pytest.raises(UnknownMemberError):
        resolve_all(["France", "Atlantis"])
    with pytest.raises(UnknownMemberError):
        resolve_all(["France", "Tuvalu"], on=D(1999, 1, 1))


# --- the real UN voting data set ------------------------------------------------------


@pytest.fixture(scope="module")
def unvotes() -> tuple[dict[str, list[dict[str, str]]], dict[str, dict[str, str]]]:
    """Votes grouped by rcid, and roll calls by rcid (skips if the data set is absent)."""
    if not (UNVOTES / "unvotes.csv.gz").is_file():
        pytest.skip(f"UN voting data set not found at {UNVOTES}")
    with gzip.open(UNVOTES / "roll_calls.csv.gz", "rt", encoding="utf-8", newline="") as f:
        calls = {row["rcid"]: row for row in csv.DictReader(f)}
    votes: dict[str, list[dict[str, str]]] = defaultdict(list)
    with gzip.open(UNVOTES / "unvotes.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            votes[row["rcid"]].append(row)
    return votes, calls


@pytest.mark.parametrize("rcid", ["5377", "5101", "5885"])
def test_roll_call_resolves_to_distinct_members(unvotes, rcid: str) -> None:
    votes, calls = unvotes
    rows = votes[rcid]
    on = D.fromisoformat(calls[rcid]["date"])
    members = resolve_all((row["country"] for row in rows), on=on)
    assert len(set(members)) == len(rows)
    if rcid == "5377":  # A/RES/69/188, DPRK human rights: 116-20-53
        assert len(rows) == 189
        tally = defaultdict(int)
        for row in rows:
            tally[row["vote"]] += 1
        assert (tally["yes"], tally["no"], tally["abstain"]) == (116, 20, 53)
        by_name = {m.name: row["vote"] for m, row in zip(members, rows, strict=True)}
        assert by_name["Democratic People's Republic of Korea"] == "no"
        assert by_name["Namibia"] in {"yes", "no", "abstain"}


_MISDATED = {"4372"}


def test_every_country_from_session_56_resolves(unvotes) -> None:
    votes, calls = unvotes
    seen: dict[str, Member] = {}
    for rcid, rows in votes.items():
        call = calls.get(rcid)
        if call is None or int(call["session"]) < 56:
            continue
        # rcid 4372 (A/RES/57/5) is dated 2002-09-03 in the data set, before session 57
        # opened on 2002-09-10 and before Switzerland, which voted in it, was admitted.
        on = None if rcid in _MISDATED else D.fromisoformat(call["date"])
        for row in rows:
            member = resolve(row["country"], on=on)
            seen[row["country"]] = member
            # The data set's code is the ISO alpha-2 ("NA" is Namibia), except YU for Serbia.
            assert row["country_code"] in {member.alpha2, "YU"}, row
    assert len(seen) == 193
    assert set(seen.values()) == set(MEMBERS)
    assert seen["Yugoslavia"].name == "Serbia"
