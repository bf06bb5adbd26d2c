"""
Criteria frameworks from an operator's directory (a province's variant): loaded beside the shipped
ones, checked exactly as they are, and refused file by file with the file named.
"""
import json
from decimal import Decimal

import pytest

from tests import province
from xblocks.criteria.frameworks import (available_frameworks, configure_framework_dirs, framework_document,
                                         from_operator, get_framework)
from xblocks.criteria.problems import InvalidInput
from xblocks.criteria.standing import compute_standing

SHIPPED = ("learning-citizen-2021-2030", "1.0.0")


@pytest.fixture(autouse=True)
def shipped_only_afterwards():
    yield
    configure_framework_dirs(())


def test_a_variant_from_a_directory_becomes_the_titles_rule(tmp_path):
    province.write(tmp_path)
    configure_framework_dirs([tmp_path])
    framework = get_framework(province.FRAMEWORK_ID)
    assert (framework.version, [i.code for i in framework.indicators]) == (province.VERSION, province.CODES)
    assert [i.max_points for i in framework.indicators] == [Decimal(15)] * 4 + [Decimal(10)] * 4
    assert framework.min_total == Decimal(70) and {i.min_points for i in framework.indicators} == {Decimal(6)}
    assert framework.population_groups == ("rural", "urban") and from_operator(framework)
    # The shipped version is still there for credit recorded under it, by its version.
    assert SHIPPED in available_frameworks() and get_framework(*SHIPPED).min_total == Decimal(80)
    assert framework_document(province.FRAMEWORK_ID, province.VERSION)["population_groups"][0]["code"] == "rural"


def test_the_variants_rule_decides_standing(tmp_path):
    province.write(tmp_path)
    configure_framework_dirs([str(tmp_path)])
    framework = get_framework(province.FRAMEWORK_ID)
    points = dict(zip(province.CODES, [12, 12, 12, 12, 6, 6, 6, 6]))           # 72: enough here, not under 80
    assert compute_standing(framework, "2026", points).recognised
    assert not compute_standing(get_framework(*SHIPPED), "2026", {str(n): 7 for n in range(1, 11)}).recognised
    short = compute_standing(framework, "2026", {**points, "HN8": 5})            # 71, but HN8 is below 6
    assert (short.recognised, short.short) == (False, ["HN8"])
    capped = compute_standing(framework, "2026", {**points, "HN1": 40})          # 15 at most in HN1
    assert capped.total == Decimal(75)


def test_an_operators_framework_stays_the_default_over_a_newer_shipped_version(tmp_path):
    # Version 0.9.0 is below the shipped 1.0.0: the operator's file still decides the rule.
    province.write(tmp_path, province.variant(version="0.9.0"))
    configure_framework_dirs([tmp_path])
    assert get_framework(province.FRAMEWORK_ID).version == "0.9.0"
    assert get_framework(province.FRAMEWORK_ID, "1.0.0").version == "1.0.0"


def test_a_variant_under_its_own_id_sits_beside_the_title(tmp_path):
    province.write(tmp_path, province.variant(id="learning-citizen-ha-noi", version="1.0.0"))
    configure_framework_dirs([tmp_path])
    assert get_framework("learning-citizen-ha-noi").min_total == Decimal(70)
    assert get_framework(province.FRAMEWORK_ID).version == "1.0.0"


def _refusal(tmp_path, *directories):
    with pytest.raises(InvalidInput) as caught:
        configure_framework_dirs(directories or [tmp_path])
    return str(caught.value)


@pytest.mark.parametrize("content, expected", [
    ("{\"id\": ", "cannot be read as JSON"),
    (province.VARIANT | {"recognition": {"min_total": float("nan")}}, "NaN is not allowed: JSON has no NaN or Infinity"),
    ('{"id": "a", "id": "b"}', "key 'id' appears more than once in one object"),
    ('{"version": 1e400}', "the number 1e400 is too large"),
    (province.variant(recognition={"min_per_indicator": 6}),
     "$.recognition: does not match the schema: 'min_total' is a required property"),
    (province.variant(version="2"), "$.version: does not match the schema"),
    (province.variant(groups=[{"code": "A", "title": {"vi": "A", "en": "A"}, "indicators": [
        {"code": "X", "max_points": 10, "title": {"vi": "x", "en": "x"}},
        {"code": "X", "max_points": 10, "title": {"vi": "x", "en": "x"}}]}]), "indicator code X appears more than once"),
    (province.variant(recognition={"min_total": 70, "min_per_indicator": 12}),
     "indicator HN5: minimum 12.00 is above its maximum 10.00"),
    (province.variant(version="1.0.0"), "learning-citizen-2021-2030 1.0.0 is a criteria framework this package ships"),
])
def test_a_bad_file_is_refused_with_its_name_and_the_problem(tmp_path, content, expected):
    if isinstance(content, dict):
        content = json.dumps(content)       # NaN is written as NaN, as a careless tool would
    path = province.write(tmp_path, content)
    message = _refusal(tmp_path)
    assert message.startswith(str(path)) and expected in message


def test_a_bad_file_is_never_skipped(tmp_path):
    """After a refusal nothing runs on the shipped criteria alone: every read of a framework is refused."""
    province.write(tmp_path, province.variant(version="1.0.0"))
    _refusal(tmp_path)
    with pytest.raises(InvalidInput, match="this package ships"):
        get_framework(province.FRAMEWORK_ID)


def test_the_same_framework_twice_names_both_files(tmp_path):
    first = province.write(tmp_path / "a")
    second = province.write(tmp_path / "b")
    message = _refusal(tmp_path, tmp_path / "a", tmp_path / "b")
    assert message == f"{second}: learning-citizen-2021-2030 2.0.0 is already defined in {first}"


def test_a_directory_that_is_not_there_is_refused(tmp_path):
    assert _refusal(tmp_path, tmp_path / "missing") == (
        f"{tmp_path / 'missing'}: criteria framework directory {tmp_path / 'missing'} does not exist or is not a directory")


def test_every_bad_file_is_named_at_once(tmp_path):
    one = province.write(tmp_path, "[", name="one.json")
    two = province.write(tmp_path, province.variant(version="1.0.0"), name="two.json")
    message = _refusal(tmp_path)
    assert str(one) in message and str(two) in message
