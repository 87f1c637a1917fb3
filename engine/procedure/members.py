"""The 193 Member States of the United Nations, and resolution of names to members.

`MEMBERS` holds one `Member` per State: its UN short name, ISO 3166-1 codes, date of
admission and aliases. `resolve`, `resolve_all` and `find` turn a name, an alias or an ISO
code into a `Member`; `members_on` gives the membership on a date.

Lookup is a single dict built at import time, keyed by a normalised form of every name,
alias and code (case-insensitive, surrounding whitespace ignored, curly apostrophes read
as straight ones), so bulk imports resolve each name in O(1).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

import attrs

from engine.procedure.errors import UnknownMemberError

__all__ = [
    "DATED_NAMES", "FORMER", "MEMBERS", "Member", "find", "members_on", "resolve", "resolve_all",
]


@attrs.frozen(slots=True)
class Member:
    """A Member State: UN short name, ISO 3166-1 codes, admission date and aliases."""

    name: str
    alpha2: str
    alpha3: str
    admitted: datetime.date
    aliases: tuple[str, ...] = ()
    left: datetime.date | None = None  # for a former Member: the day its membership ended

    def member_on(self, on: datetime.date) -> bool:
        """Whether the State was a Member on that date."""
        return self.admitted <= on and (self.left is None or on <= self.left)


# Sources:
# - names and dates: United Nations, "Member States", https://www.un.org/en/about-us/member-states
#   (short names as in UNTERM), cross-checked against the UN press release "United Nations
#   Member States" and the roster in the Yearbook of the United Nations 1974, Appendix I;
# - codes: ISO 3166-1 (alpha-2 and alpha-3), https://www.iso.org/iso-3166-country-codes.html.
# Rows: alpha-2, alpha-3, date of admission, UN short name; in the UN's alphabetical order.
# For a seat continued by a successor the date is the date the seat dates from:
# - Russian Federation: the USSR's seat (original Member);
# - Serbia: the Federal Republic of Yugoslavia, admitted 2000-11-01; continued by Serbia
#   and Montenegro (2003) and by Serbia (2006-06-03);
# - Germany: the FRG and the GDR were both admitted 1973-09-18; united 1990-10-03;
# - Yemen: Yemen (Arab Republic) 1947-09-30; merged with Democratic Yemen 1990-05-22;
# - United Republic of Tanzania: Tanganyika 1961-12-14; Zanzibar (1963) united with it 1964;
# - Czechia and Slovakia: admitted 1993-01-19 after Czechoslovakia (original Member) ended.
# Not modelled (so `members_on` counts one State too many in these spans): Syria, an original
# Member, sat within the United Arab Republic from 1958-02-21 to 1961-10-13; Indonesia was
# away from 1965-01-20 to 1966-09-28.
# Unsure: Thailand (Siam) -- the UN press release gives 16 December 1946 (the day it signed
# its instrument of acceptance; the GA resolution is of 15 December); some copies of the
# un.org list show 15-12-1946. 16 December is used here.
_TABLE = """
AF AFG 1946-11-19 Afghanistan
AL ALB 1955-12-14 Albania
DZ DZA 1962-10-08 Algeria
AD AND 1993-07-28 Andorra
AO AGO 1976-12-01 Angola
AG ATG 1981-11-11 Antigua and Barbuda
AR ARG 1945-10-24 Argentina
AM ARM 1992-03-02 Armenia
AU AUS 1945-11-01 Australia
AT AUT 1955-12-14 Austria
AZ AZE 1992-03-02 Azerbaijan
BS BHS 1973-09-18 Bahamas
BH BHR 1971-09-21 Bahrain
BD BGD 1974-09-17 Bangladesh
BB BRB 1966-12-09 Barbados
BY BLR 1945-10-24 Belarus
BE BEL 1945-12-27 Belgium
BZ BLZ 1981-09-25 Belize
BJ BEN 1960-09-20 Benin
BT BTN 1971-09-21 Bhutan
BO BOL 1945-11-14 Bolivia (Plurinational State of)
BA BIH 1992-05-22 Bosnia and Herzegovina
BW BWA 1966-10-17 Botswana
BR BRA 1945-10-24 Brazil
BN BRN 1984-09-21 Brunei Darussalam
BG BGR 1955-12-14 Bulgaria
BF BFA 1960-09-20 Burkina Faso
BI BDI 1962-09-18 Burundi
CV CPV 1975-09-16 Cabo Verde
KH KHM 1955-12-14 Cambodia
CM CMR 1960-09-20 Cameroon
CA CAN 1945-11-09 Canada
CF CAF 1960-09-20 Central African Republic
TD TCD 1960-09-20 Chad
CL CHL 1945-10-24 Chile
CN CHN 1945-10-24 China
CO COL 1945-11-05 Colombia
KM COM 1975-11-12 Comoros
CG COG 1960-09-20 Congo
CR CRI 1945-11-02 Costa Rica
CI CIV 1960-09-20 Côte d'Ivoire
HR HRV 1992-05-22 Croatia
CU CUB 1945-10-24 Cuba
CY CYP 1960-09-20 Cyprus
CZ CZE 1993-01-19 Czechia
KP PRK 1991-09-17 Democratic People's Republic of Korea
CD COD 1960-09-20 Democratic Republic of the Congo
DK DNK 1945-10-24 Denmark
DJ DJI 1977-09-20 Djibouti
DM DMA 1978-12-18 Dominica
DO DOM 1945-10-24 Dominican Republic
EC ECU 1945-12-21 Ecuador
EG EGY 1945-10-24 Egypt
SV SLV 1945-10-24 El Salvador
GQ GNQ 1968-11-12 Equatorial Guinea
ER ERI 1993-05-28 Eritrea
EE EST 1991-09-17 Estonia
SZ SWZ 1968-09-24 Eswatini
ET ETH 1945-11-13 Ethiopia
FJ FJI 1970-10-13 Fiji
FI FIN 1955-12-14 Finland
FR FRA 1945-10-24 France
GA GAB 1960-09-20 Gabon
GM GMB 1965-09-21 Gambia
GE GEO 1992-07-31 Georgia
DE DEU 1973-09-18 Germany
GH GHA 1957-03-08 Ghana
GR GRC 1945-10-25 Greece
GD GRD 1974-09-17 Grenada
GT GTM 1945-11-21 Guatemala
GN GIN 1958-12-12 Guinea
GW GNB 1974-09-17 Guinea-Bissau
GY GUY 1966-09-20 Guyana
HT HTI 1945-10-24 Haiti
HN HND 1945-12-17 Honduras
HU HUN 1955-12-14 Hungary
IS ISL 1946-11-19 Iceland
IN IND 1945-10-30 India
ID IDN 1950-09-28 Indonesia
IR IRN 1945-10-24 Iran (Islamic Republic of)
IQ IRQ 1945-12-21 Iraq
IE IRL 1955-12-14 Ireland
IL ISR 1949-05-11 Israel
IT ITA 1955-12-14 Italy
JM JAM 1962-09-18 Jamaica
JP JPN 1956-12-18 Japan
JO JOR 1955-12-14 Jordan
KZ KAZ 1992-03-02 Kazakhstan
KE KEN 1963-12-16 Kenya
KI KIR 1999-09-14 Kiribati
KW KWT 1963-05-14 Kuwait
KG KGZ 1992-03-02 Kyrgyzstan
LA LAO 1955-12-14 Lao People's Democratic Republic
LV LVA 1991-09-17 Latvia
LB LBN 1945-10-24 Lebanon
LS LSO 1966-10-17 Lesotho
LR LBR 1945-11-02 Liberia
LY LBY 1955-12-14 Libya
LI LIE 1990-09-18 Liechtenstein
LT LTU 1991-09-17 Lithuania
LU LUX 1945-10-24 Luxembourg
MG MDG 1960-09-20 Madagascar
MW MWI 1964-12-01 Malawi
MY MYS 1957-09-17 Malaysia
MV MDV 1965-09-21 Maldives
ML MLI 1960-09-28 Mali
MT MLT 1964-12-01 Malta
MH MHL 1991-09-17 Marshall Islands
MR MRT 1961-10-27 Mauritania
MU MUS 1968-04-24 Mauritius
MX MEX 1945-11-07 Mexico
FM FSM 1991-09-17 Micronesia (Federated States of)
MC MCO 1993-05-28 Monaco
MN MNG 1961-10-27 Mongolia
ME MNE 2006-06-28 Montenegro
MA MAR 1956-11-12 Morocco
MZ MOZ 1975-09-16 Mozambique
MM MMR 1948-04-19 Myanmar
NA NAM 1990-04-23 Namibia
NR NRU 1999-09-14 Nauru
NP NPL 1955-12-14 Nepal
NL NLD 1945-12-10 Netherlands (Kingdom of the)
NZ NZL 1945-10-24 New Zealand
NI NIC 1945-10-24 Nicaragua
NE NER 1960-09-20 Niger
NG NGA 1960-10-07 Nigeria
MK MKD 1993-04-08 North Macedonia
NO NOR 1945-11-27 Norway
OM OMN 1971-10-07 Oman
PK PAK 1947-09-30 Pakistan
PW PLW 1994-12-15 Palau
PA PAN 1945-11-13 Panama
PG PNG 1975-10-10 Papua New Guinea
PY PRY 1945-10-24 Paraguay
PE PER 1945-10-31 Peru
PH PHL 1945-10-24 Philippines
PL POL 1945-10-24 Poland
PT PRT 1955-12-14 Portugal
QA QAT 1971-09-21 Qatar
KR KOR 1991-09-17 Republic of Korea
MD MDA 1992-03-02 Republic of Moldova
RO ROU 1955-12-14 Romania
RU RUS 1945-10-24 Russian Federation
RW RWA 1962-09-18 Rwanda
KN KNA 1983-09-23 Saint Kitts and Nevis
LC LCA 1979-09-18 Saint Lucia
VC VCT 1980-09-16 Saint Vincent and the Grenadines
WS WSM 1976-12-15 Samoa
SM SMR 1992-03-02 San Marino
ST STP 1975-09-16 Sao Tome and Principe
SA SAU 1945-10-24 Saudi Arabia
SN SEN 1960-09-28 Senegal
RS SRB 2000-11-01 Serbia
SC SYC 1976-09-21 Seychelles
SL SLE 1961-09-27 Sierra Leone
SG SGP 1965-09-21 Singapore
SK SVK 1993-01-19 Slovakia
SI SVN 1992-05-22 Slovenia
SB SLB 1978-09-19 Solomon Islands
SO SOM 1960-09-20 Somalia
ZA ZAF 1945-11-07 South Africa
SS SSD 2011-07-14 South Sudan
ES ESP 1955-12-14 Spain
LK LKA 1955-12-14 Sri Lanka
SD SDN 1956-11-12 Sudan
SR SUR 1975-12-04 Suriname
SE SWE 1946-11-19 Sweden
CH CHE 2002-09-10 Switzerland
SY SYR 1945-10-24 Syrian Arab Republic
TJ TJK 1992-03-02 Tajikistan
TH THA 1946-12-16 Thailand
TL TLS 2002-09-27 Timor-Leste
TG TGO 1960-09-20 Togo
TO TON 1999-09-14 Tonga
TT TTO 1962-09-18 Trinidad and Tobago
TN TUN 1956-11-12 Tunisia
TR TUR 1945-10-24 Türkiye
TM TKM 1992-03-02 Turkmenistan
TV TUV 2000-09-05 Tuvalu
UG UGA 1962-10-25 Uganda
UA UKR 1945-10-24 Ukraine
AE ARE 1971-12-09 United Arab Emirates
GB GBR 1945-10-24 United Kingdom of Great Britain and Northern Ireland
TZ TZA 1961-12-14 United Republic of Tanzania
US USA 1945-10-24 United States of America
UY URY 1945-12-18 Uruguay
UZ UZB 1992-03-02 Uzbekistan
VU VUT 1981-09-15 Vanuatu
VE VEN 1945-11-15 Venezuela (Bolivarian Republic of)
VN VNM 1977-09-20 Viet Nam
YE YEM 1947-09-30 Yemen
ZM ZMB 1964-12-01 Zambia
ZW ZWE 1980-08-25 Zimbabwe
"""

# Aliases by alpha-2 code, "; "-separated; a code may have several lines. "Congo" and
# "Korea" alone are ambiguous and are not aliases ("Congo" is the UN's own short name of
# the Republic of the Congo, so it resolves to that State, never to the DRC).
_ALIASES = """
# common short names
BO Bolivia
BN Brunei
CG Republic of the Congo; Congo-Brazzaville; Congo (Brazzaville)
CD DR Congo; DRC; Congo-Kinshasa; Congo (Kinshasa)
CI Ivory Coast; Cote d'Ivoire; Côte d’Ivoire
CF CAR
BA BiH
GB United Kingdom; UK; Britain; Great Britain
US United States; USA; U.S.
RU Russia
KP North Korea; DPRK
KR South Korea; ROK
IR Iran
SY Syria
LA Laos; Lao PDR
VN Vietnam
VE Venezuela
TZ Tanzania
MD Moldova
FM Micronesia; Federated States of Micronesia
MM Burma
NL Netherlands; The Netherlands
AE UAE
BS The Bahamas
GM The Gambia
TL East Timor
TR Turkiye
# former UN names of these seats
SZ Swaziland
MK The former Yugoslav Republic of Macedonia; Macedonia
CZ Czech Republic
CV Cape Verde
TR Turkey
CD Zaire
LK Ceylon
BJ Dahomey
BF Upper Volta
LY Libyan Arab Jamahiriya
BY Byelorussian Soviet Socialist Republic
UA Ukrainian Soviet Socialist Republic
TH Siam
WS Western Samoa
RU Union of Soviet Socialist Republics; USSR; Soviet Union
RS Serbia and Montenegro; Federal Republic of Yugoslavia
# spellings in the UN voting data set (Voeten / R package unvotes) for current members.
# "Yugoslavia" (code YU) is used there for Serbia in later sessions; before 2000 it means
# the former (Socialist Federal Republic of) Yugoslavia, which an importer must tell apart.
RS Yugoslavia; YU
CG Congo - Brazzaville
CD Congo - Kinshasa
AG Antigua & Barbuda
BA Bosnia & Herzegovina
KN St. Kitts & Nevis
LC St. Lucia
VC St. Vincent & Grenadines
ST São Tomé & Príncipe; Sao Tome & Principe; São Tomé and Príncipe
TT Trinidad & Tobago
MM Myanmar (Burma)
"""


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@functools.lru_cache(maxsize=8192)  # the same few hundred names come back in bulk imports
def _key(text: str) -> str:
    """The lookup key of a name: curly apostrophes made straight, spaces collapsed, casefolded."""
    return " ".join(text.translate(_APOSTROPHES).split()).casefold()


def _build() -> tuple[tuple[Member, ...], dict[str, Member]]:
    aliases: dict[str, list[str]] = {}
    for line in _ALIASES.strip().splitlines():
        if not line.startswith("#"):
            code, _, rest = line.partition(" ")
            aliases.setdefault(code, []).extend(a.strip() for a in rest.split(";"))
    members = []
    for line in _TABLE.strip().splitlines():
        alpha2, alpha3, admitted, name = line.split(" ", 3)
        members.append(
            Member(
                name,
                alpha2,
                alpha3,
                datetime.date.fromisoformat(admitted),
                tuple(aliases.pop(alpha2, ())),
            )
        )
    assert not aliases, f"aliases for unknown codes: {sorted(aliases)}"
    index: dict[str, Member] = {}
    for member in members:
        for text in (member.name, member.alpha2, member.alpha3, *member.aliases):
            other = index.setdefault(_key(text), member)
            assert other is member, f"{text!r} names both {other.name} and {member.name}"
    return tuple(members), index


MEMBERS, _INDEX = _build()
assert len(MEMBERS) == 193, len(MEMBERS)

# Former Members whose seats no current Member continues, for dates in the past.
# Sources: United Nations, "Member States" (notes on Czechoslovakia, Germany, Yemen,
# Yugoslavia and Tanzania); GA resolution 47/1 (22 September 1992) on the Socialist
# Federal Republic of Yugoslavia's seat. Last days: Czechoslovakia ended 1992-12-31; the GDR
# acceded to the FRG on 1990-10-03; Democratic Yemen merged with Yemen on 1990-05-22;
# Zanzibar united with Tanganyika on 1964-04-26; for Yugoslavia, resolution 47/1 is taken as
# the end of its participation in the Assembly.
FORMER: tuple[Member, ...] = (
    Member("Czechoslovakia", "CS", "CSK", datetime.date(1945, 10, 24),
           ("Czechoslovak Socialist Republic",), datetime.date(1992, 12, 31)),
    Member("German Democratic Republic", "DD", "DDR", datetime.date(1973, 9, 18),
           ("East Germany", "GDR"), datetime.date(1990, 10, 2)),
    Member("Democratic Yemen", "YD", "YMD", datetime.date(1967, 12, 14),
           ("Yemen People's Republic", "South Yemen", "People's Democratic Republic of Yemen"),
           datetime.date(1990, 5, 21)),
    Member("Yugoslavia", "YU", "YUG", datetime.date(1945, 10, 24),
           ("Socialist Federal Republic of Yugoslavia", "SFRY"), datetime.date(1992, 9, 22)),
    # Zanzibar had no ISO 3166 code of its own.
    Member("Zanzibar", "", "", datetime.date(1963, 12, 16), (), datetime.date(1964, 4, 25)),
)
_FORMER_INDEX: dict[str, Member] = {
    _key(text): m for m in FORMER for text in (m.name, m.alpha2, m.alpha3, *m.aliases) if text
}

# Names whose meaning depends on the date: a key both a former and a current Member
# answer to ("Yugoslavia" is the former Yugoslavia until 1992, Serbia after). Every
# other name means the same Member on every date.
DATED_NAMES: frozenset[str] = frozenset(
    m.name for m in (*MEMBERS, *FORMER)
    if _key(m.name) in _INDEX and _key(m.name) in _FORMER_INDEX
)

# Suggestions for unknown names come from names and aliases (not codes): key -> UN name.
_SUGGEST = {
    _key(text): member.name for member in MEMBERS for text in (member.name, *member.aliases)
}


def find(name: str, on: datetime.date | None = None) -> Member | None:
    """The member with this name, alias or ISO code, or None; no date check.

    Given a date, a former Member that sat on that date comes first: "Yugoslavia" in 1980
    is the former Yugoslavia, in 2010 it is Serbia.
    """
    key = _key(name)
    former, current = _FORMER_INDEX.get(key), _INDEX.get(key)
    sat_then = former is not None and on is not None and former.member_on(_as_date(on))
    return former if former is not None and (current is None or sat_then) else current


def resolve(name: str, on: datetime.date | None = None) -> Member:
    """The member with this name, alias or ISO 3166-1 code (alpha-2 or alpha-3).

    Raises UnknownMemberError, with up to three nearest UN names as suggestions, for a name
    that no member has; and, if `on` is given, for a member not yet admitted on that date.
    """
    member = find(name, on)
    if member is None:
        import difflib  # only for a refusal's suggestions

        close = difflib.get_close_matches(_key(name), _SUGGEST, n=10)
        suggestions = list(dict.fromkeys(_SUGGEST[k] for k in close))[:3]
        raise UnknownMemberError(name, suggestions)
    if on is not None and _as_date(on) < member.admitted:
        raise UnknownMemberError(
            name, context=f" on {on}: {member.name} was admitted on {member.admitted}"
        )
    if on is not None and member.left is not None and _as_date(on) > member.left:
        raise UnknownMemberError(
            name, context=f" on {on}: {member.name} was a Member until {member.left}"
        )
    return member


def resolve_all(names: Iterable[str], on: datetime.date | None = None) -> tuple[Member, ...]:
    """`resolve` each name in turn; raises UnknownMemberError at the first that fails."""
    return tuple(resolve(name, on) for name in names)


def members_on(on: datetime.date) -> tuple[Member, ...]:
    """The Members on `on`: current ones admitted by then (by UN name), then former ones."""
    day = _as_date(on)
    return tuple(member for member in (*MEMBERS, *FORMER) if member.member_on(day))


def _as_date(on: datetime.date) -> datetime.date:
    # A datetime is a date, but comparing one with a date raises TypeError.
    return on.date() if isinstance(on, datetime.datetime) else on
