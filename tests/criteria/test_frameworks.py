"""The shipped criteria framework, and the checks that refuse broken ones."""
import copy
import json
from decimal import Decimal
from importlib import resources

import pytest

from xblocks.criteria.documents import schema_problems
from xblocks.criteria.frameworks import CriteriaFramework, get_framework
from xblocks.criteria.problems import InvalidInput

FRAMEWORK_ID = "learning-citizen-2021-2030"


@pytest.fixture(name="document")
def shipped_document():
    path = resources.files("xblocks.fixtures").joinpath("frameworks/learning-citizen-2021-2030.json")
    return json.loads(path.read_text("utf-8"))


def test_learning_citizen_framework_has_three_groups_of_ten_indicators():
    framework = get_framework(FRAMEWORK_ID)
    assert [code for code, _ in framework.groups] == ["1", "2", "3"]
    assert [indicator.code for indicator in framework.indicators] == [str(n) for n in range(1, 11)]
    assert [indicator.group for indicator in framework.indicators] == ["1"] * 4 + ["2"] * 4 + ["3"] * 2
    assert all(indicator.max_points == Decimal("10.00") for indicator in framework.indicators)
    assert all(indicator.min_points == Decimal("5.00") for indicator in framework.indicators)
    assert framework.max_total == Decimal("100.00")
    assert framework.min_total == Decimal("80.00")
    assert framework.period_kind == "calendar-year"
    assert framework.population_groups == ("farmers", "workers", "officials", "learners")


def test_digital_skills_indicator_is_found_by_tag_not_by_code():
    assert [indicator.code for indicator in get_framework(FRAMEWORK_ID).indicators_tagged("digital-skills")] == ["5"]


def test_every_title_is_in_vietnamese_and_english(document):
    titles = [document["title"]] + [group["title"] for group in document["groups"]]
    titles += [indicator["title"] for group in document["groups"] for indicator in group["indicators"]]
    assert all(title["vi"] and title["en"] for title in titles)


def test_unknown_framework_or_version_is_refused_with_its_name():
    with pytest.raises(InvalidInput, match="unknown criteria framework no-such-framework"):
        get_framework("no-such-framework")
    with pytest.raises(InvalidInput, match=f"unknown criteria framework {FRAMEWORK_ID} 9.9.9"):
        get_framework(FRAMEWORK_ID, "9.9.9")


@pytest.mark.parametrize("break_it, expected", [
    (lambda d: d.pop("recognition"), "'recognition' is a required property"),
    (lambda d: d["groups"][0]["indicators"][0].update(max_points=-1), "max_points"),
    (lambda d: d["groups"][0]["indicators"][0]["title"].pop("vi"), "'vi' is a required property"),
    (lambda d: d.update(period={"kind": "school-year"}), "period.kind"),
    (lambda d: d.update(version="one"), "$.version"),
])
def test_schema_refuses_broken_frameworks(document, break_it, expected):
    broken = copy.deepcopy(document)
    break_it(broken)
    messages = " ".join(str(problem) for problem in schema_problems("criteria-framework", broken))
    assert expected in messages


def test_duplicate_indicator_codes_are_refused(document):
    broken = copy.deepcopy(document)
    broken["groups"][1]["indicators"][0]["code"] = "1"
    assert not schema_problems("criteria-framework", broken)  # only the loader can see this
    with pytest.raises(InvalidInput, match="indicator code 1 appears more than once"):
        CriteriaFramework.from_document(broken)


def test_minimum_above_maximum_is_refused(document):
    broken = copy.deepcopy(document)
    broken["groups"][0]["indicators"][0]["min_points"] = 11
    with pytest.raises(InvalidInput, match="indicator 1: minimum 11.00 is above its maximum 10.00"):
        CriteriaFramework.from_document(broken)


def test_points_and_rule_are_data(document):
    changed = copy.deepcopy(document)
    changed["groups"][0]["indicators"][0]["max_points"] = 20
    changed["recognition"] = {"min_total": 90, "min_per_indicator": 6}
    framework = CriteriaFramework.from_document(changed)
    assert framework.indicator("1").max_points == Decimal("20.00")
    assert framework.max_total == Decimal("110.00")
    assert framework.min_total == Decimal("90.00")
    assert framework.indicator("2").min_points == Decimal("6.00")


@pytest.mark.parametrize("period, ok", [("2026", True), ("1999", True), ("26", False), ("2026-2027", False), (2026, False)])
def test_calendar_year_periods(period, ok):
    assert (get_framework(FRAMEWORK_ID).period_problem(period) is None) is ok


def test_framework_points_are_checked_exactly_like_credit_points(document):
    """A framework's multipleOf 0.01 in decimal, as for credit events: 2.3 points is a valid maximum, 2.345 is not."""
    def multiple_problems(points):
        changed = copy.deepcopy(document)
        changed["groups"][0]["indicators"][0]["max_points"] = points
        return [problem for problem in schema_problems("criteria-framework", changed) if "multiple" in problem.params["detail"]]
    assert multiple_problems(2.3) == [] and multiple_problems(0.07) == []
    assert len(multiple_problems(2.345)) == 1
