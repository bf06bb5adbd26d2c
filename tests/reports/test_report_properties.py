"""
On generated populations, the report the database counts (one grouped query, the rule in SQL) gives
every figure the member-by-member computation gives (tests/reports/per_member.py): with reversals,
credit above an indicator's maximum, fractions of points, other periods, members in a family, a clan,
a community and a unit at once, in every kind of area, under the shipped criteria and a province's.
"""
import io
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from tests import province
from tests.factories import credit_event
from tests.reports.per_member import per_member_progress
from xblocks.criteria.frameworks import get_framework
from xblocks.ledger import api
from xblocks.reports.membership import import_members
from xblocks.reports.models import Commune, Province
from xblocks.reports.progress import build_report

pytestmark = [pytest.mark.database, pytest.mark.django_db]

HEADER = ("user_id,birth_year,population_group,province_code,province_name,commune_code,commune_name,"
          "family_code,clan_code,community_code,unit_code,unit_kind,unit_role,unit_commune_code")
COMMUNES = {"00001": "01", "00002": "01", "00010": "02"}
UNITS = {"U1": ("agency", "00001"), "S1": ("school", "00002"), "E1": ("enterprise", "00010"), "S2": ("school", "00001")}
AREAS = ("all", "province:01", "commune:00002", "community:C00001", "unit:S1")
POINTS = st.sampled_from([Decimal("0.25"), Decimal("1"), Decimal("2.5"), Decimal("5"), Decimal("6"), Decimal("7.5"), Decimal("10")])
_keys = itertools.count()


@st.composite
def members(draw, population_groups):
    """(membership row, credit: [(indicator index or None for an unknown code, points, source, period, reversed)])."""
    commune = draw(st.sampled_from(sorted(COMMUNES)))
    unit = draw(st.sampled_from([""] * 2 + sorted(UNITS)))
    row = {
        "birth_year": draw(st.sampled_from([1960, 1990, 2008, 2009, 2012])),
        "population_group": draw(st.sampled_from(population_groups)),
        "commune": commune,
        "family": draw(st.sampled_from(["", "", f"F{commune}", f"G{commune}"])),
        "clan": draw(st.sampled_from(["", "", "K1", "K2"])),
        "community": draw(st.sampled_from(["", f"C{commune}"])),
        "unit": unit,
        "role": draw(st.sampled_from(["staff", "learner"])) if unit else "",
    }
    # Most members get (nearly) full credit, so that holders, digital skills and proficiency all occur.
    base = draw(st.sampled_from(["none", "full", "full", "minimum"]))
    extra = draw(st.lists(st.tuples(st.integers(min_value=-1, max_value=9), POINTS, st.sampled_from(["completion", "assessment"]),
                                    st.sampled_from(["2026", "2026", "2026", "2025"]), st.booleans()), max_size=6))
    return row, base, extra


def _csv(population):
    lines = [HEADER]
    for user_id, (row, _, _) in population.items():
        unit_kind, unit_commune = UNITS.get(row["unit"], ("", ""))
        lines.append(",".join(map(str, [
            user_id, row["birth_year"], row["population_group"], COMMUNES[row["commune"]], "", row["commune"], "",
            row["family"], row["clan"], row["community"], row["unit"], unit_kind, row["role"], unit_commune])))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _record(population, framework, digital_code):
    """Append every member's credit (maximum or minimum in each indicator, then the extras), then reverse some."""
    events, to_reverse = [], []
    codes = [indicator.code for indicator in framework.indicators]
    for user_id, (_, base, extra) in population.items():
        credit = []
        if base != "none":
            for indicator in framework.indicators:
                points = indicator.max_points if base == "full" else indicator.min_points
                source = "assessment" if indicator.code == digital_code else "completion"
                credit.append((indicator.code, points, source, "2026", False))
        credit += [(codes[index % len(codes)] if index >= 0 else "ZZ", min(points, max(i.max_points for i in framework.indicators)),
                    source, period, reverse) for index, points, source, period, reverse in extra]
        for code, points, source, period, reverse in credit:
            if code == "ZZ" or points > framework.indicator(code).max_points:
                code = codes[0] if code == "ZZ" else code
                points = framework.indicator(code).max_points   # one event never exceeds the maximum; several do
            key = f"report-property:{next(_keys)}"
            events.append(credit_event(
                idempotency_key=key, learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"},
                framework={"id": framework.id, "version": framework.version}, indicator=code, points=float(points),
                period=period, occurred_at=f"{period}-04-01T08:00:00+07:00",
                source={"kind": source, "course_key": f"course-v1:VN+C{user_id}+{period}", "usage_key": None},
                provenance="verified", assurance="auto-scored"))
            if reverse:
                to_reverse.append(key)
    api.append_many(events)
    for key in to_reverse:
        api.reverse(api.entries().get(idempotency_key=key), reason="generated reversal")


def _compare(population, framework, digital_code):
    with transaction.atomic():
        for commune, province_code in COMMUNES.items():   # every unit's seat exists, whoever the file names
            Commune.objects.create(code=commune, name=commune, province=Province.objects.get_or_create(
                code=province_code, defaults={"name": province_code})[0])
        import_members(io.BytesIO(_csv(population)))
        _record(population, framework, digital_code)
        for area in AREAS:
            try:
                expected = per_member_progress("2026", area)
            except Exception as error:  # pylint: disable=broad-except  # an area this population lacks
                with pytest.raises(type(error)):
                    build_report("2026", area)
                continue
            assert build_report("2026", area).progress == expected, area
        everyone = per_member_progress("2026", "all")
        transaction.set_rollback(True)
    return everyone


def populations(population_groups):
    return st.dictionaries(st.integers(min_value=1, max_value=40), members(population_groups), min_size=1, max_size=6)


SETTINGS = settings(max_examples=8, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(populations(["farmers", "workers", "officials", "learners"]))
def test_the_database_counts_what_each_member_adds_up_to(population):
    _compare(population, get_framework("learning-citizen-2021-2030"), "5")


@pytest.fixture
def variant_site(settings, tmp_path):  # pylint: disable=redefined-outer-name
    province.write(tmp_path / "frameworks")
    settings.LEARNING_CITIZEN_FRAMEWORK_DIRS = [str(tmp_path / "frameworks")]


@SETTINGS
@given(population=populations(["rural", "urban"]))
def test_so_it_does_under_a_provinces_criteria(variant_site, population):  # pylint: disable=redefined-outer-name,unused-argument
    framework = get_framework(province.FRAMEWORK_ID)
    assert framework.version == province.VERSION
    _compare(population, framework, "HN5")


def test_a_full_member_counts_as_holder_digital_and_proficient():
    """The generated credit reaches every fact: a member with full credit is all three, in both computations."""
    population = {7: ({"birth_year": 1990, "population_group": "farmers", "commune": "00001", "family": "F00001", "clan": "K1",
                       "community": "C00001", "unit": "U1", "role": "staff"}, "full", [(4, Decimal("10"), "assessment", "2026", True)])}
    progress = _compare(population, get_framework("learning-citizen-2021-2030"), "5")
    assert (progress.holders.count, progress.holders_digital.count, progress.digital_proficient.count,
            progress.unit_staff.count, progress.adults_in_groups.count) == (1, 1, 1, 1, 1)
