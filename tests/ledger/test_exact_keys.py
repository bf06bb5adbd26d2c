"""
Idempotency keys are compared character for character on every database: keys that differ only in
case, accents or a trailing space are different credits; the same key twice is one. MariaDB's
default collations fold all three (issue 14), so the column has a binary collation there.
"""
import json

import pytest
from django.db import connection

from tests.commands import run
from tests.factories import credit_document, credit_event
from xblocks.ledger import api
from xblocks.ledger.fields import binary_collation
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

LEARNER = {"user_id": 4242, "anonymous_id": "anon-4242"}


def recorded_keys():
    return sorted(Entry.objects.values_list("idempotency_key", flat=True))


def test_keys_differing_in_case_are_two_entries_one_at_a_time():
    upper, lower = credit_event(idempotency_key="Case-K", learner=LEARNER), credit_event(idempotency_key="case-k", learner=LEARNER)
    assert api.append(upper).created
    assert api.append(lower).created
    again = api.append(credit_event(idempotency_key="case-k", learner=LEARNER))
    assert not again.created and not again.conflicts
    assert recorded_keys() == ["Case-K", "case-k"]
    assert api.verify().intact


def test_keys_differing_in_case_are_two_entries_in_one_batch_and_across_batches():
    assert api.append_many([credit_event(idempotency_key="Batch-K", learner=LEARNER),
                            credit_event(idempotency_key="batch-k", learner=LEARNER)]) == (2, 0)
    # A later batch with a third spelling and a true repeat: the repeat alone is skipped.
    assert api.append_many([credit_event(idempotency_key="BATCH-K", learner=LEARNER),
                            credit_event(idempotency_key="batch-k", learner=LEARNER)]) == (1, 1)
    assert recorded_keys() == ["BATCH-K", "Batch-K", "batch-k"]


def test_a_key_differing_in_case_is_not_a_conflict_with_a_different_credit():
    api.append(credit_event(idempotency_key="Mixed-K", learner=LEARNER, points=4))
    result = api.append(credit_event(idempotency_key="mixed-k", learner=LEARNER, points=2))
    assert result.created and result.entry.points == 2


def test_keys_differing_in_accents_or_a_trailing_space_are_different_entries():
    """Reversal keys are the caller's own and may hold any text (credit events' keys are printable ASCII)."""
    keys = ["sửa-lỗi-é", "sửa-lỗi-e", "sua-loi-e", "sửa-lỗi-e "]
    originals = [api.append(credit_event(learner=LEARNER)).entry for _ in keys]
    results = [api.reverse(original, reason="nhập sai", idempotency_key=key) for original, key in zip(originals, keys)]
    assert all(result.created for result in results)
    assert {result.entry.idempotency_key for result in results} == set(keys)
    # The same key again, for the reversal it already holds, is that reversal and nothing more.
    again = api.reverse(originals[0], reason="nhập sai", idempotency_key=keys[0])
    assert not again.created and again.entry.pk == results[0].entry.pk
    assert Entry.objects.filter(kind=Entry.Kind.REVERSAL).count() == len(keys)
    for key in keys:
        assert Entry.objects.get(idempotency_key=key).idempotency_key == key


def test_ingest_records_keys_differing_only_in_case(tmp_path):
    lines = [json.dumps(credit_document(idempotency_key=key, learner=LEARNER)) for key in ("Case-K", "case-k")]
    path = tmp_path / "credit.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run("ingest", str(path))
    assert (code, err) == (0, "") and "Appended 2 entries; skipped 0 already recorded." in out
    code, out, err = run("ingest", str(path))
    assert (code, err) == (0, "") and "Appended 0 entries; skipped 2 already recorded." in out
    assert recorded_keys() == ["Case-K", "case-k"]


def test_the_key_column_is_unique_and_binary_on_mariadb_and_mysql():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Entry._meta.db_table)
    assert any(found["unique"] and found["columns"] == ["idempotency_key"] for found in constraints.values())
    if connection.vendor != "mysql":
        # SQLite and PostgreSQL compare text exactly with their default collations: the field asks for none there.
        assert Entry._meta.get_field("idempotency_key").db_parameters(connection).get("collation") is None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT collation_name FROM information_schema.columns "
                       "WHERE table_schema = DATABASE() AND table_name = %s AND column_name = 'idempotency_key'",
                       [Entry._meta.db_table])
        assert cursor.fetchone()[0] == binary_collation(connection)
