"""The recognition rule: total at least the threshold and every indicator at least its minimum."""
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.standing import compute_standing, format_points

FRAMEWORK = get_framework("learning-citizen-2021-2030")
CODES = [indicator.code for indicator in FRAMEWORK.indicators]

points = st.decimals(min_value=-20, max_value=40, places=2, allow_nan=False, allow_infinity=False)
earned_maps = st.dictionaries(st.sampled_from(CODES + ["99", "x"]), points)


def test_example_recognised_at_85_with_every_indicator_at_least_5():
    earned = dict(zip(CODES, [10, 9, 8, 8, 9, 7, 8, 8, 9, 9]))
    standing = compute_standing(FRAMEWORK, "2026", earned)
    assert standing.total == Decimal("85.00")
    assert standing.short == []
    assert standing.recognised


def test_example_total_enough_but_one_indicator_below_five_is_not_recognised():
    earned = dict(zip(CODES, [10, 10, 9, 9, 3, 9, 9, 9, 9, 9]))
    standing = compute_standing(FRAMEWORK, "2026", earned)
    assert standing.total == Decimal("86.00")
    assert standing.short == ["5"]
    assert standing.indicators[4].shortfall == Decimal("2.00")
    assert not standing.recognised


def test_extra_points_in_one_indicator_do_not_make_up_for_another():
    earned = dict.fromkeys(CODES, 8)
    earned["1"] = 30
    standing = compute_standing(FRAMEWORK, "2026", earned)
    assert standing.indicators[0].points == Decimal("10.00")
    assert standing.total == Decimal("82.00")


def test_exactly_at_the_thresholds_is_recognised():
    standing = compute_standing(FRAMEWORK, "2026", dict(zip(CODES, [5, 5, 10, 10, 10, 10, 10, 10, 5, 5])))
    assert standing.total == Decimal("80.00") and standing.recognised
    just_below = compute_standing(FRAMEWORK, "2026", dict(zip(CODES, [5, 5, 10, 10, 10, 10, 10, 10, 5, Decimal("4.99")])))
    assert not just_below.recognised and just_below.short == ["10"]


@given(earned_maps)
def test_rule_matches_its_definition(earned):
    standing = compute_standing(FRAMEWORK, "2026", earned)
    capped = {code: min(max(Decimal(earned.get(code, 0)), Decimal(0)), Decimal(10)) for code in CODES}
    assert standing.total == sum(capped.values())
    assert standing.short == [code for code in CODES if capped[code] < 5]
    assert standing.recognised == (sum(capped.values()) >= 80 and all(value >= 5 for value in capped.values()))
    assert Decimal(0) <= standing.total <= FRAMEWORK.max_total


@given(earned_maps, st.sampled_from(CODES), st.decimals(min_value=0, max_value=10, places=2))
def test_more_credit_never_lowers_standing(earned, code, extra):
    before = compute_standing(FRAMEWORK, "2026", earned)
    more = dict(earned)
    more[code] = Decimal(more.get(code, 0)) + extra
    after = compute_standing(FRAMEWORK, "2026", more)
    assert after.total >= before.total
    assert set(after.short) <= set(before.short)
    assert after.recognised or not before.recognised


@given(earned_maps)
def test_unknown_codes_never_count(earned):
    known_only = {code: value for code, value in earned.items() if code in CODES}
    assert compute_standing(FRAMEWORK, "2026", earned) == compute_standing(FRAMEWORK, "2026", known_only)


def test_format_points():
    assert [format_points(v) for v in (Decimal("10.00"), Decimal("7.50"), Decimal("0.25"), 0)] == ["10", "7.5", "0.25", "0"]
