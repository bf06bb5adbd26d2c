"""
How an append uses transactions: its own BEGIN … COMMIT in autocommit mode, the caller's
transaction (through a savepoint) inside one. Either way a refused or failed append leaves
nothing behind: no entry, no moved head, no open transaction, no lock.
"""
import threading

import pytest
from django.db import connection, connections, transaction

from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.ledger.models import CHAIN_COUNT, ChainHead, Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]


def in_another_connection(work, timeout=20):
    """Run ``work()`` on a connection of its own and return what it returned (fails if it hangs on a lock)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:  # pylint: disable=broad-except
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "the other connection waited on a lock the append left behind"
    assert "error" not in outcome, outcome.get("error")
    return outcome["result"]


def head(chain):
    return ChainHead.objects.values_list("length", "head_hash").get(chain=chain)


def test_an_append_in_autocommit_mode_commits_on_its_own():
    event = credit_event(learner={"user_id": 5, "anonymous_id": "a5"})
    entry = api.append(event).entry
    assert connection.get_autocommit() and not connection.in_atomic_block
    # Committed: another connection sees the entry and can append to the same chain at once.
    assert in_another_connection(lambda: Entry.objects.filter(pk=entry.pk).exists())
    later = in_another_connection(lambda: api.append(credit_event(learner={"user_id": 5 + CHAIN_COUNT, "anonymous_id": "b"})).entry)
    assert (later.chain, later.position) == (entry.chain, 2)
    assert head(entry.chain) == (2, later.entry_hash)


def test_a_refused_repeat_moves_no_head_and_holds_no_lock():
    event = credit_event(learner={"user_id": 6, "anonymous_id": "a6"})
    first = api.append(event).entry
    before = head(first.chain)
    again = api.append(event)
    assert not again.created and again.entry.pk == first.pk
    assert head(first.chain) == before
    assert connection.get_autocommit() and not connection.in_atomic_block
    in_another_connection(lambda: api.append(credit_event(learner={"user_id": 6 + CHAIN_COUNT, "anonymous_id": "c"})))
    assert api.verify().intact


def test_a_failed_append_rolls_back_and_leaves_the_connection_usable():
    chain = 7
    ChainHead.objects.filter(chain=chain).delete()
    with pytest.raises(ChainHead.DoesNotExist):
        api.append(credit_event(learner={"user_id": chain, "anonymous_id": "a7"}))
    assert not Entry.objects.exists()
    assert connection.get_autocommit() and not connection.in_atomic_block
    # Another chain still takes appends, on this connection and on another.
    assert api.append(credit_event(learner={"user_id": 8, "anonymous_id": "a8"})).created
    in_another_connection(lambda: api.append(credit_event(learner={"user_id": 9, "anonymous_id": "a9"})))
    assert Entry.objects.count() == 2


def test_inside_a_transaction_the_append_joins_it():
    event = credit_event(learner={"user_id": 10, "anonymous_id": "a10"})
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            assert api.append(event).created
            assert not api.append(event).created  # a refused repeat does not spoil the caller's transaction
            assert Entry.objects.count() == 1
            raise RuntimeError("the caller changes its mind")
    assert not Entry.objects.exists()
    assert head(10 % CHAIN_COUNT)[0] == 0
    assert api.append(event).created and api.verify().intact


def test_append_many_of_nothing_records_nothing():
    assert api.append_many([]) == (0, 0)
    assert not Entry.objects.exists()


def test_the_append_path_converts_values_as_the_orm_does():
    """The append path's own converters give each database what the model fields would give it."""
    from xblocks.ledger.append import _AppendStatements, _values_from_event  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    statements = _AppendStatements.of(connection)
    for event in (credit_event(points=7.5, hours=3), credit_event(points=1, evidence=[
            {"uri": "https://example.vn/gi%E1%BA%A5y.pdf", "sha256": "ab" * 32}])):
        values = _values_from_event(event, chain=1, recorded_at=timezone.now())
        by_field = [field.get_db_prep_save(values[field.attname], connection) for field in statements.fields]
        assert [unwrap(value) for value in statements.parameters(values, connection)] == [unwrap(value) for value in by_field]


def unwrap(value):
    """psycopg's Jsonb wrapper compares by identity: compare what it wraps (and its type)."""
    return (type(value).__name__, value.obj) if hasattr(value, "obj") else value
