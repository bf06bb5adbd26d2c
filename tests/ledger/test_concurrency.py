"""Appends from many connections at once: one entry per key, chains stay whole."""
import pytest

from tests.concurrency import run_at_once as run_at_once_in_threads
from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.ledger.models import CHAIN_COUNT, ChainHead, Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]

WRITERS = 24


def run_at_once(work, count=WRITERS):
    """``work(index)`` from ``count`` connections at once (24 unless a test says otherwise)."""
    return run_at_once_in_threads(work, count)


def test_concurrent_appends_of_one_key_leave_exactly_one_entry():
    event = credit_event()
    results = run_at_once(lambda index: api.append(event))
    assert Entry.objects.filter(idempotency_key=event.idempotency_key).count() == 1
    assert sum(result.created for result in results) == 1
    assert len({result.entry.pk for result in results}) == 1
    assert api.verify().intact


def test_concurrent_appends_of_one_key_as_different_events_leave_one_entry():
    """At-least-once redelivery may carry a fresh event id; the key still decides."""
    template = credit_event()
    events = [credit_event(idempotency_key=template.idempotency_key, learner={"user_id": template.user_id, "anonymous_id": "a"})
              for _ in range(WRITERS)]
    results = run_at_once(lambda index: api.append(events[index]))
    assert Entry.objects.count() == 1
    assert sum(result.created for result in results) == 1


def test_concurrent_appends_to_one_chain_keep_it_in_order():
    same_chain_users = [7 + CHAIN_COUNT * n for n in range(WRITERS)]
    events = [credit_event(learner={"user_id": user, "anonymous_id": f"a{user}"}) for user in same_chain_users]
    results = run_at_once(lambda index: api.append(events[index]))
    assert all(result.created for result in results)
    positions = sorted(Entry.objects.filter(chain=7).values_list("position", flat=True))
    assert positions == list(range(1, WRITERS + 1))
    assert ChainHead.objects.get(chain=7).length == WRITERS
    assert api.verify().intact


def test_concurrent_batches_and_single_appends_do_not_deadlock_or_duplicate():
    events = [credit_event(learner={"user_id": user, "anonymous_id": f"a{user}"}) for user in range(1, 61)]

    def work(index):
        if index % 2:
            return api.append_many(events[index:] + events[:index])
        return api.append(events[index])

    run_at_once(work, count=8)
    assert Entry.objects.count() == 60
    assert api.verify().intact
