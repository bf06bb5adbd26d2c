"""Changes made behind the API with raw SQL are found by verify(), and named."""
import pytest
from django.db import connection

from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.ledger.models import ChainHead, Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

CHAIN_USERS = [3, 19, 35, 51]  # all on chain 3


def raw(sql, *params):
    sql = sql.format(entry=connection.ops.quote_name(Entry._meta.db_table),
                     head=connection.ops.quote_name(ChainHead._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture(name="ledger")
def populated_ledger():
    entries = [api.append(credit_event(learner={"user_id": user, "anonymous_id": f"a{user}"}, points=3)).entry
               for user in CHAIN_USERS]
    api.append(credit_event(learner={"user_id": 4, "anonymous_id": "other-chain"}))
    assert api.verify().intact
    return entries


def test_an_untouched_ledger_verifies(ledger):
    report = api.verify()
    assert report.intact and report.entries_checked == 5


def test_edited_points_are_found(ledger):
    assert raw("UPDATE {entry} SET points = 9 WHERE id = %s", ledger[1].pk) == 1
    report = api.verify()
    assert not report.intact
    assert report.first_break.entry_id == ledger[1].pk
    assert "hash does not match" in str(report.first_break)


def test_an_edit_that_also_rewrites_the_stored_hash_breaks_the_next_link(ledger):
    raw("UPDATE {entry} SET user_id = 35, entry_hash = %s WHERE id = %s", "0" * 64, ledger[1].pk)
    assert api.verify().first_break.entry_id == ledger[1].pk


def test_edited_json_evidence_is_found(ledger):
    raw("UPDATE {entry} SET evidence = %s WHERE id = %s", '[{"uri": "https://forged.example"}]', ledger[2].pk)
    assert api.verify().first_break.entry_id == ledger[2].pk


def test_a_deleted_entry_is_found_at_the_next_one(ledger):
    assert raw("DELETE FROM {entry} WHERE id = %s", ledger[1].pk) == 1
    report = api.verify()
    assert report.first_break.entry_id == ledger[2].pk
    assert "deleted or moved" in report.first_break.reason


def test_a_deleted_last_entry_is_found_by_the_head(ledger):
    raw("DELETE FROM {entry} WHERE id = %s", ledger[-1].pk)
    report = api.verify()
    assert not report.intact and (report.first_break.chain, report.first_break.position) == (3, 4)
    assert "chain 3, position 4:" in str(report.first_break)
    assert "ends at position 3: the newest entry was removed" in report.first_break.reason


def test_the_newest_entries_cut_from_the_end_are_named_by_position(ledger):
    raw("DELETE FROM {entry} WHERE id IN (%s, %s)", ledger[-1].pk, ledger[-2].pk)
    report = api.verify()
    assert (report.first_break.chain, report.first_break.position) == (3, 3)
    assert "the newest 2 entries (positions 3 to 4) were removed" in report.first_break.reason


def test_an_entry_added_behind_the_head_is_named_by_position(ledger):
    raw("UPDATE {head} SET length = length - 1 WHERE chain = %s", 3)
    report = api.verify()
    assert (report.first_break.chain, report.first_break.position) == (3, 4)
    assert "an entry was added behind the API at position 4" in report.first_break.reason


def test_reordered_entries_are_found(ledger):
    first, second = ledger[0], ledger[1]
    raw("UPDATE {entry} SET position = 1000 WHERE id = %s", first.pk)
    raw("UPDATE {entry} SET position = 1 WHERE id = %s", second.pk)
    raw("UPDATE {entry} SET position = 2 WHERE id = %s", first.pk)
    report = api.verify()
    assert report.first_break.entry_id == second.pk


def test_a_deleted_chain_head_is_found(ledger):
    raw("DELETE FROM {head} WHERE chain = %s", 3)
    assert "head row is missing" in str(api.verify().first_break)


def test_an_inserted_entry_is_found(ledger):
    forged = Entry.objects.get(pk=ledger[0].pk)
    forged.pk, forged.position, forged.idempotency_key = None, 5, "forged"
    forged.event_id = "00000000-0000-4000-8000-000000000000"
    forged.save()  # a plain ORM save bypasses the api just like raw SQL would
    report = api.verify()
    assert not report.intact
    assert report.first_break.entry_id == forged.pk


def test_every_break_is_listed_first_by_entry(ledger):
    raw("UPDATE {entry} SET points = 1 WHERE id = %s", ledger[3].pk)
    raw("UPDATE {entry} SET indicator = '6' WHERE user_id = 4")
    report = api.verify()
    assert len(report.breaks) == 2
    assert report.first_break.entry_id == ledger[3].pk


def test_a_rewritten_head_hash_is_named_by_position(ledger):
    raw("UPDATE {head} SET head_hash = %s WHERE chain = %s", "0" * 64, 3)
    report = api.verify()
    assert (report.first_break.chain, report.first_break.position) == (3, 4)
    assert "does not match the entry at position 4" in report.first_break.reason
