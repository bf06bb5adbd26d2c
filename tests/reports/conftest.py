"""
A small population whose every report figure is worked out by hand in the tests.

Province 01 has communes 00001 and 00002; province 02 has commune 00010. Units: U1 (agency,
seated in 00001), S1 (school, 00001), U2 (enterprise, 00002), U9 (agency, 00010). Period 2026,
adults are born in 2008 or before. "holder" = recognised (8 points in each of the 10
indicators); "digital N" = indicator 5's points come from the digital-skills assessment (N
points), otherwise from course completion.

| user | born | group     | commune | family | clan | community | unit | role    | credit in 2026                 |
|------|------|-----------|---------|--------|------|-----------|------|---------|--------------------------------|
| 1    | 1980 | farmers   | 00001   | F1     |      | C1        | U1   | staff   | holder, digital 8              |
| 2    | 1985 | workers   | 00001   | F1     |      | C1        |      |         | holder, digital 6              |
| 3    | 2012 | learners  | 00001   | F1     |      |           |      |         | holder                         |
| 4    | 1970 | farmers   | 00001   |        | K1   |           |      |         | 7 in each: not a holder        |
| 5    | 1990 | officials | 00001   |        |      |           | U1   | staff   | holder                         |
| 6    | 1975 | workers   | 00001   | F2     |      | C1        |      |         | holder, then indicator 1 reversed: not |
| 7    | 1995 | officials | 00001   |        |      | C2        | S1   | staff   | holder in 2025 only            |
| 8    | 1988 | officials | 00002   | F3     |      |           | U1   | staff   | holder, digital 8              |
| 9    | 2011 | learners  | 00002   |        |      |           | S1   | learner | holder                         |
| 10   | 2012 | learners  | 00002   |        |      |           | S1   | learner | 7 in each: not a holder        |
| 11   | 2000 | workers   | 00002   | F3     |      |           | U2   | staff   | holder, digital 5              |
| 12   | 1960 | farmers   | 00010   | F9     |      |           | U9   | staff   | holder                         |
| 13   | 1965 | farmers   | 00010   | F9     |      |           |      |         | 7 in each: not a holder        |
"""
import io
import itertools

import pytest

from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.reports.membership import import_members

HEADER = ("user_id,birth_year,population_group,province_code,province_name,commune_code,commune_name,"
          "family_code,family_name,clan_code,community_code,community_name,unit_code,unit_name,unit_kind,unit_role,unit_commune_code")
ROWS = """\
1,1980,farmers,01,Tỉnh Một,00001,Xã Một,F1,Gia đình Một,,C1,Thôn Một,U1,Ủy ban xã Một,agency,staff,
2,1985,workers,01,,00001,,F1,,,C1,,,,,,
3,2012,learners,01,,00001,,F1,,,,,,,,,
4,1970,farmers,01,,00001,,,,K1,,,,,,,
5,1990,officials,01,,00001,,,,,,,U1,,,staff,
6,1975,workers,01,,00001,,F2,,,C1,,,,,,
7,1995,officials,01,,00001,,,,,C2,Thôn Hai,S1,Trường Một,school,staff,
8,1988,officials,01,,00002,Phường Hai,F3,,,,,U1,,,staff,
9,2011,learners,01,,00002,,,,,,,S1,,,learner,
10,2012,learners,01,,00002,,,,,,,S1,,,learner,
11,2000,workers,01,,00002,,F3,,,,,U2,Công ty Hai,enterprise,staff,00002
12,1960,farmers,02,Tỉnh Hai,00010,Xã Mười,F9,,,,,U9,Sở Chín,agency,staff,
13,1965,farmers,02,,00010,,F9,,,,,,,,,
"""
MEMBERS_CSV = HEADER + "\n" + ROWS

_keys = itertools.count()


def credit(user_id, indicator, points, period="2026", source="completion", provenance="verified"):
    event = credit_event(
        idempotency_key=f"population:{next(_keys)}:{user_id}:{indicator}:{period}",
        learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"}, indicator=indicator, points=points,
        period=period, occurred_at=f"{period}-04-01T08:00:00+07:00",
        source={"kind": source, "course_key": f"course-v1:VN+C{user_id}+{period}", "usage_key": None},
        provenance=provenance, assurance="auto-scored",
    )
    return api.append(event).entry


def give(user_id, points, period="2026", digital=None):
    """``points`` in every indicator; indicator 5 from the assessment with ``digital`` points if given."""
    entries = {}
    for code in range(1, 11):
        if code == 5 and digital is not None:
            entries[str(code)] = credit(user_id, "5", digital, period, source="assessment")
            if digital < points:   # still a holder: make up indicator 5 from a course
                credit(user_id, "5", points - digital, period)
        else:
            entries[str(code)] = credit(user_id, str(code), points, period)
    return entries


def build_population():
    import_members(io.BytesIO(MEMBERS_CSV.encode("utf-8")))
    give(1, 8, digital=8)
    give(2, 8, digital=6)
    give(3, 8)
    give(4, 7)
    give(5, 8)
    api.reverse(give(6, 8)["1"], reason="counted twice")
    give(7, 8, period="2025")
    give(8, 8, digital=8)
    give(9, 8)
    give(10, 7)
    give(11, 8, digital=5)
    give(12, 8)
    give(13, 7)


@pytest.fixture
def population(db):  # pylint: disable=unused-argument,invalid-name
    build_population()
