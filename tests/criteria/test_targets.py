"""National targets as data, and the pure counting behind reports (no database)."""
import copy
import json
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xblocks.criteria.documents import schema_problems
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import InvalidInput
from xblocks.criteria.progress import MemberFacts, Share, Tally, UnitInfo, learner_facts
from xblocks.criteria.standing import compute_standing
from xblocks.criteria.targets import MEASURES, NationalTargets, get_targets

FIXTURE = "targets/learning-society-2021-2030.json"


def document():
    return json.loads(resources.files("xblocks.fixtures").joinpath(FIXTURE).read_text("utf-8"))


def test_the_shipped_targets_are_the_national_ones():
    targets = get_targets()
    assert targets.milestones == ("2025", "2030")
    percents = {target.code: (target.percent["2025"], target.percent["2030"]) for target in targets.targets}
    assert percents["adults-in-learning-groups"] == (Decimal("40"), Decimal("60"))      # QĐ 677
    assert percents["staff-in-learning-units"] == (Decimal("60"), Decimal("80"))
    assert percents["holders-with-digital-skills"] == (Decimal("70"), Decimal("90"))
    assert percents["holders-proficient"] == (Decimal("60"), Decimal("80"))
    assert percents["families-recognised"] == (Decimal("70"), None)                     # QĐ 387, 2025 only
    assert percents["clans-recognised"] == percents["communities-recognised"] == (Decimal("65"), None)
    assert percents["units-recognised"] == (Decimal("80"), None)
    # Circular 24/2023: 90 / 95 % of members; schools 95 / 97 % of learners.
    assert targets.unit_rule("agency").basis == "members"
    assert [(level.level, level.min_percent) for level in targets.unit_rule("enterprise").levels] == [(1, 90), (2, 95)]
    assert targets.unit_rule("school").basis == "learners"
    assert [(level.level, level.min_percent) for level in targets.unit_rule("school").levels] == [(1, 95), (2, 97)]
    assert {target.measure for target in targets.targets} - {None} <= set(MEASURES)


def test_the_schema_refuses_what_is_not_a_target_file():
    broken = document()
    broken["targets"][0]["percent"]["2025"] = 140
    broken["targets"][1]["measure"] = "happiness"
    del broken["adult_age"]
    wheres = {problem.where for problem in schema_problems("national-targets", broken)}
    assert wheres == {"$", "$.targets[0].percent['2025']", "$.targets[1].measure"}


@pytest.mark.parametrize("change, message", [
    (lambda d: d["milestones"].reverse(), "milestones must be in order"),
    (lambda d: d["unit_kinds"].append(d["unit_kinds"][0]), "unit kind agency appears more than once"),
    (lambda d: d["unit_levels"]["by_kind"].update({"ministry": d["unit_levels"]["default"]}), "unit kind ministry is not listed"),
    (lambda d: d["unit_levels"]["default"]["levels"].reverse(), "levels must rise"),
    (lambda d: d["targets"].append(copy.deepcopy(d["targets"][0])), "target adults-in-learning-groups appears more than once"),
    (lambda d: d["targets"][0]["percent"].update({"2040": 99}), "names years that are not milestones: 2040"),
])
def test_what_a_schema_cannot_say_is_checked_on_load(change, message):
    broken = document()
    change(broken)
    with pytest.raises(InvalidInput) as caught:
        NationalTargets.from_document(broken)
    assert message in str(caught.value)


def test_unit_levels_are_exact_at_the_boundary():
    rule = get_targets().unit_rule("agency")
    assert rule.level_of(9, 10) == 1          # 90 %
    assert rule.level_of(1799, 2000) == 0     # 89.95 % does not round up to 90 %
    assert rule.level_of(19, 20) == 2         # 95 %
    assert rule.level_of(0, 0) is None        # nobody to count
    school = get_targets().unit_rule("school")
    assert (school.level_of(19, 20), school.level_of(97, 100), school.level_of(94, 100)) == (1, 2, 0)


def test_adults_by_the_periods_year():
    targets = get_targets()
    assert targets.is_adult(2008, "2026") and not targets.is_adult(2009, "2026")


def test_share_comparison_by_hand():
    share = Share(1, 3)                       # 33.333… %
    assert share.percent == Decimal("33.3")
    comparison = share.against("2025", Decimal("40"))
    # 40 % of 3 = 1.2 -> 2 holders: 1 more; 40 - 33.333 = 6.667 -> 6.7 points.
    assert (comparison.met, comparison.gap_points, comparison.more_needed) == (False, Decimal("6.7"), 1)
    assert Share(2, 3).percent == Decimal("66.7")
    assert Share(1, 8).percent == Decimal("12.5")      # half up
    assert Share(0, 0).percent is None and Share(0, 0).against("2025", Decimal("40")).met is None
    assert Share(3, 5).against("2030", None).met is None


def _earned(points, digital=None, source="completion"):
    earned = {(str(code), source): Decimal(points) for code in range(1, 11)}
    if digital is not None:
        earned[("5", source)] = Decimal(points) - Decimal(digital)
        earned[("5", "assessment")] = Decimal(digital)
    return earned


@pytest.mark.parametrize("earned, expected", [
    (_earned(8), (True, False, False)),
    (_earned(8, digital=5), (True, True, False)),
    (_earned(8, digital=7), (True, True, True)),
    (_earned(7, digital=7), (False, False, False)),       # digital skills count only for title holders
    (_earned(8, digital=4.99), (True, False, False)),
])
def test_learner_facts(earned, expected):
    targets = get_targets()
    assert learner_facts(get_framework(targets.criteria_framework), targets, "2026", earned) == expected


def facts(user_id, **overrides):
    values = dict(user_id=user_id, resident=True, adult=True, groups=frozenset({"family"}), population_group="farmers",
                  unit=None, unit_role="", holder=False, digital=False, proficient=False, area_key="A")
    values.update(overrides)
    return MemberFacts(**values)


def test_tally_by_hand():
    targets = get_targets()
    tally = Tally(targets, "2026", {"S": UnitInfo("S", "School", "school", "A"), "E": UnitInfo("E", "Firm", "enterprise", "B")})
    tally.add(facts(1, holder=True, digital=True, proficient=True, unit="E", unit_role="staff"))
    tally.add(facts(2, holder=True, digital=True, groups=frozenset({"family", "community"})))
    tally.add(facts(3, adult=False, holder=True, unit="S", unit_role="learner", groups=frozenset()))
    tally.add(facts(4, unit="S", unit_role="staff", resident=False, groups=frozenset()))
    tally.add(facts(5, unit="X", unit_role="staff", resident=False))   # neither resident nor in the area's units
    progress = tally.result()
    assert progress.people == 4 and progress.holders == Share(3, 4)
    assert progress.adults_in_groups == Share(2, 2)
    assert progress.by_group_kind == {"family": Share(2, 2), "clan": Share(0, 0), "community": Share(1, 1)}
    assert progress.unit_staff == Share(1, 2)
    assert progress.holders_digital == Share(2, 3) and progress.digital_proficient == Share(1, 2)
    assert [(u.code, u.basis, u.share, u.level) for u in progress.units] == [
        ("E", "members", Share(1, 1), 2), ("S", "learners", Share(1, 1), 2)]
    assert progress.units_at_level == {1: Share(2, 2), 2: Share(2, 2)}
    assert [(row.key, row.adults_in_groups, row.unit_staff) for row in progress.breakdown] == [
        ("A", Share(2, 2), Share(0, 1)), ("B", Share(0, 0), Share(1, 1))]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from([str(code) for code in range(1, 12)]), st.sampled_from(["completion", "assessment"])),
                       st.decimals(min_value=-10, max_value=15, places=2), max_size=22))
def test_learner_facts_agree_with_the_standing(earned):
    """The shortcut for members far below the threshold never changes who holds the title."""
    targets = get_targets()
    framework = get_framework(targets.criteria_framework)
    by_indicator = {}
    for (code, _), points in earned.items():
        by_indicator[code] = by_indicator.get(code, Decimal("0")) + points
    holder, digital, proficient = learner_facts(framework, targets, "2026", earned)
    assert holder == compute_standing(framework, "2026", by_indicator).recognised
    assert proficient <= digital <= holder
