"""ledger.reads.earned_points: the one read of points per learner and indicator, against entries summed by hand."""
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from tests.factories import credit_event
from xblocks.ledger import api, reads
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

FRAMEWORK = "learning-citizen-2021-2030"
KINDS = ("completion", "assessment", "declaration", "course-passing")


@pytest.fixture
def generated_ledger():
    """Credits for 12 learners over indicators, source kinds and two periods, a quarter of them reversed."""
    rng = random.Random(12)
    for _ in range(160):
        user_id = rng.randrange(1, 13)
        period = rng.choice(("2025", "2026", "2026"))
        api.append(credit_event(
            learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"}, indicator=str(rng.randrange(1, 11)),
            points=rng.choice((0.25, 1, 2.5, 4, 7.75)), period=period, occurred_at=f"{period}-05-01T00:00:00Z",
            source={"kind": rng.choice(KINDS), "course_key": None, "usage_key": None},
        ))
    for entry in list(Entry.objects.order_by("id")):
        if rng.random() < 0.25:
            api.reverse(entry, reason="generated reversal")
    assert Entry.objects.filter(kind=Entry.Kind.REVERSAL).count() > 20


def summed_by_hand(period, *, key=lambda entry: entry.indicator, keep=lambda entry: True):
    earned = defaultdict(lambda: defaultdict(lambda: Decimal("0.00")))
    for entry in Entry.objects.filter(period=period, framework_id=FRAMEWORK):
        if keep(entry):
            earned[entry.user_id][key(entry)] += entry.points
    return {user_id: dict(sums) for user_id, sums in earned.items()}


def test_earned_points_nets_reversals_per_learner_and_indicator(generated_ledger):
    users = list(range(1, 15))  # 13 and 14 have nothing recorded
    earned = api.earned_points(users, "2026", FRAMEWORK)
    expected = summed_by_hand("2026")
    assert earned == {user_id: expected.get(user_id, {}) for user_id in users}
    assert earned[13] == {} and any(Decimal("0.00") in sums.values() for sums in earned.values())  # reversed to nothing


def test_earned_points_by_source_kind_and_narrowed(generated_ledger):
    by_kind = api.earned_points(range(1, 13), "2025", FRAMEWORK, by_source_kind=True)
    expected = summed_by_hand("2025", key=lambda entry: (entry.indicator, entry.source_kind))
    assert by_kind == {user_id: expected.get(user_id, {}) for user_id in range(1, 13)}
    narrowed = api.earned_points([3, 7], "2026", FRAMEWORK, indicators=["2", "5"], source_kinds=["declaration"])
    expected = summed_by_hand("2026", keep=lambda entry: entry.indicator in ("2", "5") and entry.source_kind == "declaration")
    assert narrowed == {user_id: expected.get(user_id, {}) for user_id in (3, 7)}


def test_earned_points_reads_learners_in_slices(generated_ledger, monkeypatch):
    whole = api.earned_points(range(1, 13), "2026", FRAMEWORK)
    monkeypatch.setattr(reads, "_LEARNER_SLICE", 5)
    assert api.earned_points(range(1, 13), "2026", FRAMEWORK) == whole
    assert api.earned_points([], "2026", FRAMEWORK) == {}


def test_standing_is_earned_points_under_the_rule(generated_ledger):
    for user_id in (1, 6, 11):
        standing = api.standing(user_id, "2026")
        earned = summed_by_hand("2026").get(user_id, {})
        assert {indicator.code: indicator.earned for indicator in standing.indicators} == {
            indicator.code: earned.get(indicator.code, Decimal("0.00")) for indicator in standing.indicators}
