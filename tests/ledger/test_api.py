"""ledger.api: append once per key, reverse by appending, standing derived from entries."""
from decimal import Decimal

import pytest

from tests.factories import credit_event
from xblocks.criteria.problems import InvalidInput
from xblocks.ledger import api
from xblocks.ledger.models import CHAIN_COUNT, ChainHead, Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def test_append_records_the_event_with_its_chain_link():
    event = credit_event(points=7.5, hours=3)
    result = api.append(event)
    assert result.created
    entry = Entry.objects.get()
    assert (entry.user_id, entry.indicator, entry.points, entry.hours) == (event.user_id, "5", Decimal("7.50"), Decimal("3.00"))
    assert entry.chain == event.user_id % CHAIN_COUNT and entry.position == 1
    head = ChainHead.objects.get(chain=entry.chain)
    assert (head.length, head.head_hash) == (1, entry.entry_hash)


def test_the_same_key_is_recorded_once():
    event = credit_event()
    first, second = api.append(event), api.append(event)
    assert first.created and not second.created
    assert second.entry.pk == first.entry.pk
    assert Entry.objects.count() == 1


def test_the_same_key_with_another_event_id_is_still_one_entry():
    first = credit_event(idempotency_key="course-v1:X:usage:1")
    again = credit_event(idempotency_key="course-v1:X:usage:1", learner={"user_id": first.user_id, "anonymous_id": "a"})
    assert api.append(first).created and not api.append(again).created
    assert Entry.objects.count() == 1


def test_the_same_key_for_a_different_credit_says_what_differs_and_records_nothing():
    first = credit_event(idempotency_key="course-v1:X:usage:2", points=4, indicator="5")
    api.append(first)
    other = credit_event(idempotency_key="course-v1:X:usage:2", learner={"user_id": first.user_id, "anonymous_id": "a"},
                         points=6, indicator="6")
    result = api.append(other)
    assert not result.created and result.conflicts == ("indicator", "points")
    assert result.entry.points == Decimal("4.00") and Entry.objects.count() == 1
    assert api.append(first).conflicts == ()  # a true repeat


def test_the_same_event_id_under_another_key_is_refused():
    event = credit_event()
    api.append(event)
    clash = credit_event(id=event.id)
    with pytest.raises(InvalidInput, match=f"event id {event.id} is already recorded under another idempotency key"):
        api.append(clash)
    assert Entry.objects.count() == 1


def test_append_many_skips_recorded_and_repeated_keys():
    recorded = credit_event()
    api.append(recorded)
    fresh = [credit_event(learner={"user_id": user, "anonymous_id": f"a{user}"}) for user in range(1, 40)]
    appended, skipped = api.append_many([recorded, *fresh, fresh[0]])
    assert (appended, skipped) == (39, 2)
    assert Entry.objects.count() == 40
    assert api.verify().intact


def test_append_many_refuses_a_recorded_key_offered_for_a_different_credit():
    recorded = api.append(credit_event(points=4)).entry
    changed = credit_event(idempotency_key=recorded.idempotency_key, learner={"user_id": recorded.user_id + 1, "anonymous_id": "b"})
    with pytest.raises(api.KeyConflict) as raised:
        api.append_many([credit_event(), changed])
    assert raised.value.conflicts == {recorded.idempotency_key: ("user_id",)}
    assert "is already recorded for a different credit (user_id differ)" in str(raised.value)
    assert list(Entry.objects.all()) == [recorded] and api.verify().intact


def test_append_many_refuses_a_key_repeated_in_the_batch_for_a_different_credit():
    first = credit_event(hours=2)
    repeat = credit_event(idempotency_key=first.idempotency_key, learner={"user_id": first.user_id, "anonymous_id": "c"}, hours=3)
    with pytest.raises(api.KeyConflict) as raised:
        api.append_many([first, repeat])
    assert raised.value.conflicts == {first.idempotency_key: ("hours",)}
    assert not Entry.objects.exists()


def test_reverse_appends_the_opposite_and_points_at_the_original():
    original = api.append(credit_event(points=6, hours=2)).entry
    reversal = api.reverse(original, reason="evidence was forged").entry
    assert reversal.kind == Entry.Kind.REVERSAL and reversal.reverses_id == original.pk
    assert (reversal.points, reversal.hours) == (Decimal("-6.00"), Decimal("-2.00"))
    original.refresh_from_db()
    assert original.points == Decimal("6.00")  # history is untouched
    assert api.standing(original.user_id, "2026").indicators[4].points == Decimal("0.00")


def test_reverse_is_idempotent_and_refuses_nonsense():
    original = api.append(credit_event()).entry
    first = api.reverse(original.pk, reason="duplicate")
    assert first.created and not api.reverse(original.pk, reason="duplicate").created
    with pytest.raises(InvalidInput, match="is itself a reversal"):
        api.reverse(first.entry, reason="undo")
    with pytest.raises(InvalidInput, match="a reversal needs a reason"):
        api.reverse(api.append(credit_event()).entry, reason="  ")
    with pytest.raises(InvalidInput, match="there is no ledger entry 999999"):
        api.reverse(999999, reason="x")
    assert Entry.objects.filter(kind=Entry.Kind.REVERSAL).count() == 1


def test_standing_sums_per_indicator_within_the_period_and_caps():
    learner = {"user_id": 77, "anonymous_id": "anon-77"}
    for points in (6, 6):  # 12 recorded on indicator 5, capped at 10
        api.append(credit_event(learner=learner, indicator="5", points=points))
    api.append(credit_event(learner=learner, indicator="1", points=4))
    api.append(credit_event(learner=learner, indicator="1", points=9, period="2025", occurred_at="2025-06-01T00:00:00Z"))
    api.append(credit_event(learner={"user_id": 78, "anonymous_id": "x"}, indicator="2", points=9))
    standing = api.standing(77, "2026")
    assert standing.total == Decimal("14.00")
    assert {i.code: i.points for i in standing.indicators}["5"] == Decimal("10.00")
    assert {i.code: i.earned for i in standing.indicators}["5"] == Decimal("12.00")
    assert standing.short == [str(n) for n in range(1, 11) if n not in (5,)]
    assert api.standing(77, "2025").total == Decimal("9.00")


def test_a_learner_reaching_the_rule_is_recognised():
    learner = {"user_id": 5, "anonymous_id": "anon-5"}
    for code, points in zip(map(str, range(1, 11)), [10, 9, 8, 8, 9, 7, 8, 8, 9, 9]):
        api.append(credit_event(learner=learner, indicator=code, points=points))
    standing = api.standing(5, "2026")
    assert standing.recognised and standing.as_dict()["total"] == 85.0
    api.reverse(Entry.objects.get(user_id=5, indicator="6"), reason="withdrawn")
    assert not api.standing(5, "2026").recognised


def test_entries_filters():
    api.append(credit_event(learner={"user_id": 1, "anonymous_id": "a"}))
    api.append(credit_event(learner={"user_id": 2, "anonymous_id": "b"}, period="2025", occurred_at="2025-01-01T00:00:00Z"))
    assert [e.user_id for e in api.entries(user_id=2)] == [2]
    assert [e.user_id for e in api.entries(period="2026")] == [1]


def test_append_many_records_in_the_order_given():
    users = [9, 2, 15, 2, 40, 9]  # several chains, interleaved
    events = [credit_event(learner={"user_id": user, "anonymous_id": f"a{user}"}) for user in users]
    api.append_many(events)
    assert list(Entry.objects.order_by("id").values_list("idempotency_key", flat=True)) == [e.idempotency_key for e in events]
    assert api.verify().intact
