"""Proficiency: DigCompSAT bands to levels and tiers, the rules, attempt policies, credit by level, item statistics."""
import copy
from decimal import Decimal

import pytest

from xblocks.criteria.competences import get_competence_framework
from xblocks.criteria.documents import load_fixture
from xblocks.criteria.item_statistics import item_statistics
from xblocks.criteria.problems import InvalidInput
from xblocks.criteria.proficiency import (
    AVERAGE, HIGHEST, LATEST, ProficiencyScale, combine, competence_percents, evaluate, get_scale)

SCALE_FILE = "proficiency/digcompsat-bands.json"


@pytest.fixture(scope="module")
def scale():
    return get_scale("digcompsat-bands")


@pytest.fixture(scope="module")
def framework():
    return get_competence_framework("circular-02-2025")


def every(framework, percent):
    return {competence.code: percent for competence in framework.competences}


@pytest.mark.parametrize("percent, band, level", [
    (0, "low", None), (29.9, "low", None),
    (30, "foundation", 1), (38.9, "foundation", 1), (39, "foundation", 2), (47.9, "foundation", 2),
    (48, "intermediate", 3), (64.4, "intermediate", 3), (64.5, "intermediate", 4), (80.9, "intermediate", 4),
    (81, "advanced", 5), (90.4, "advanced", 5), (90.5, "advanced", 6), (100, "advanced", 6),
])
def test_digcompsat_bands_split_evenly_into_levels(scale, percent, band, level):
    assert scale.band_of(percent).code == band
    assert scale.level_of(percent) == level


@pytest.mark.parametrize("percent, tier", [(35, "basic"), (50, "intermediate"), (70, "intermediate"), (95, "advanced")])
def test_levels_take_their_tier_from_the_competence_framework(scale, framework, percent, tier):
    assert evaluate(framework, scale, every(framework, percent)).overall.tier.code == tier


def test_scores_average_per_competence_then_domain_then_overall(scale, framework):
    percents = competence_percents({"a": ("1.1",), "b": ("1.1", "1.2"), "c": ("6.1",)}, {"a": 1.0, "b": 0.5, "c": 0.0})
    assert percents == {"1.1": 75.0, "1.2": 50.0, "6.1": 0.0}
    result = evaluate(framework, scale, percents)
    assert [d.score.code for d in result.domains] == ["1", "6"]   # only assessed domains
    assert result.domains[0].score.percent == pytest.approx(62.5)
    assert result.overall.percent == pytest.approx(31.25)          # domains weigh the same
    assert result.overall.level == 1


def test_has_digital_skills_and_proficient_follow_the_rules(scale, framework):
    good = evaluate(framework, scale, every(framework, 60))
    assert good.has_digital_skills and good.proficient
    basic = evaluate(framework, scale, every(framework, 40))
    assert basic.has_digital_skills and not basic.proficient       # level 2 overall
    lopsided = {**every(framework, 70), "6.1": 0, "6.2": 0, "6.3": 0}
    result = evaluate(framework, scale, lopsided)
    assert result.overall.level >= 3
    assert not result.proficient and not result.has_digital_skills  # domain 6 is below level 1
    assert set(result.gaps) == {"6.1", "6.2", "6.3"}


def test_gaps_are_competences_below_the_gap_level(scale, framework):
    percents = {**every(framework, 90), "4.2": 40, "2.3": 10}
    assert evaluate(framework, scale, percents).gaps == ("2.3", "4.2")


def test_nothing_assessed_is_refused(scale, framework):
    with pytest.raises(InvalidInput, match="no competence of circular-02-2025 was assessed"):
        evaluate(framework, scale, {"9.9": 50})


def test_attempt_policies(scale, framework):
    first, second, third = every(framework, 90), every(framework, 30), {"1.1": 60}
    assert combine(framework, scale, [first, second], LATEST).overall.percent == pytest.approx(30)
    assert combine(framework, scale, [first, second], HIGHEST).overall.percent == pytest.approx(90)
    assert combine(framework, scale, [first, second], AVERAGE).overall.percent == pytest.approx(60)
    averaged = combine(framework, scale, [first, second, third], AVERAGE)
    assert averaged.competence_percents()["1.1"] == pytest.approx(60)   # (90 + 30 + 60) / 3
    assert averaged.competence_percents()["6.1"] == pytest.approx(60)   # (90 + 30) / 2: not assessed the third time
    with pytest.raises(InvalidInput, match="unknown attempt policy best"):
        combine(framework, scale, [first], "best")


def test_highest_prefers_the_later_attempt_on_a_tie(scale, framework):
    tied_a, tied_b = {**every(framework, 50), "1.1": 40, "1.2": 60}, {**every(framework, 50), "1.1": 60, "1.2": 40}
    result = combine(framework, scale, [tied_a, tied_b], HIGHEST)
    assert result.competence_percents()["1.1"] == pytest.approx(60)


def test_points_by_level_are_data_and_the_indicator_is_found_by_its_tag(scale):
    assert [scale.points_for_level(level) for level in (None, 1, 2, 3, 4, 5, 6)] == \
        [Decimal(p) for p in ("0.00", "3.00", "5.00", "7.00", "8.00", "9.00", "10.00")]
    criteria, indicator = scale.credit_indicator()
    assert indicator in criteria.indicators_tagged("digital-skills")


def scale_problems(change):
    document = copy.deepcopy(load_fixture(SCALE_FILE, "proficiency-scale"))
    change(document)
    with pytest.raises(InvalidInput) as caught:
        ProficiencyScale.from_document(document)
    return str(caught.value)


def test_scale_checks():
    def bands_out_of_order(document):
        document["bands"][0]["from_percent"] = 5
        document["bands"][2]["from_percent"] = 20
    text = scale_problems(bands_out_of_order)
    assert "the first band must start at 0 %" in text and "bands must start at rising percentages" in text

    def falling_points(document):
        document["credit"]["points_by_level"][2]["points"] = 1
    assert "points by level must list rising levels" in scale_problems(falling_points)


def test_scale_against_frameworks(scale, framework):
    assert scale.problems_with(framework) == []
    document = copy.deepcopy(load_fixture(SCALE_FILE, "proficiency-scale"))
    document["credit"]["points_by_level"][-1]["points"] = 12
    document["credit"]["indicator_tag"] = "nothing-tagged"
    broken = ProficiencyScale.from_document(document)
    assert "has 0 indicators tagged nothing-tagged" in " ".join(str(p) for p in broken.problems_with(framework))
    document["credit"]["indicator_tag"] = "digital-skills"
    text = " ".join(str(p) for p in ProficiencyScale.from_document(document).problems_with(framework))
    assert "level 6 earns 12.00 points, more than indicator" in text


# -- item statistics ---------------------------------------------------------------------------------

def test_facility_is_the_mean_score():
    stats = item_statistics([{"a": 1, "b": 0}, {"a": 1, "b": 1}, {"a": 0, "b": 0}, {"a": 1}])
    by_id = {row.item_id: row for row in stats}
    assert by_id["a"].facility == pytest.approx(0.75) and by_id["a"].responses == 4
    assert by_id["b"].facility == pytest.approx(1 / 3)


def test_discrimination_separates_items_that_follow_ability_from_those_that_do_not():
    learners = []
    for ability in range(10):
        strong = ability >= 5
        learners.append({"good": 1.0 if strong else 0.0, "bad": 0.0 if strong else 1.0,
                         **{f"other{n}": ability / 9 for n in range(6)}})
    by_id = {row.item_id: row for row in item_statistics(learners)}
    assert by_id["good"].discrimination > 0.7
    assert by_id["bad"].discrimination < -0.7


def test_discrimination_needs_responses_and_variation():
    few = item_statistics([{"a": 1, "b": 0}, {"a": 0, "b": 1}])
    assert few[0].discrimination is None
    flat = item_statistics([{"a": 1, "b": 0}, {"a": 1, "b": 1}, {"a": 1, "b": 0.5}])
    assert next(row for row in flat if row.item_id == "a").discrimination is None
    assert item_statistics([], ["x"])[0].facility is None
