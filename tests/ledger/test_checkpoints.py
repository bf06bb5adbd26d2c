"""Checkpoints kept outside the database catch what the hash chains alone cannot: a chain rewritten consistently."""
import json

import pytest
from django.db import connection

from tests.commands import run
from tests.factories import credit_event
from xblocks.ledger import api, checkpoints
from xblocks.ledger.chain import genesis_hash, link_hash
from xblocks.ledger.models import ChainHead, Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

CHAIN, CHAIN_USERS = 3, [3, 19, 35, 51]


def raw(sql, *params):
    sql = sql.format(entry=connection.ops.quote_name(Entry._meta.db_table),
                     head=connection.ops.quote_name(ChainHead._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rewrite_chain_consistently(chain):
    """What someone with write access and this code can do: recompute every hash and the head after an edit."""
    previous, position = genesis_hash(chain), 0
    for entry in Entry.objects.filter(chain=chain).order_by("position"):
        entry.entry_hash = link_hash(previous, entry)
        raw("UPDATE {entry} SET entry_hash = %s WHERE id = %s", entry.entry_hash, entry.pk)
        previous, position = entry.entry_hash, entry.position
    raw("UPDATE {head} SET length = %s, head_hash = %s WHERE chain = %s", position, previous, chain)


@pytest.fixture(name="ledger")
def populated_ledger():
    entries = [api.append(credit_event(learner={"user_id": user, "anonymous_id": f"a{user}"}, points=3)).entry
               for user in CHAIN_USERS]
    api.append(credit_event(learner={"user_id": 4, "anonymous_id": "other-chain"}))
    return entries


def write_checkpoint(tmp_path, name="checkpoint.json"):
    path = tmp_path / name
    code, out, err = run("anchor", "-o", str(path))
    assert code == 0 and out == "" and "Checkpoint of 5 entries" in err
    return path


def test_a_checkpoint_names_every_head_and_its_fingerprint(ledger, tmp_path):
    document = json.loads(write_checkpoint(tmp_path).read_text("utf-8"))
    heads = {head.chain: head for head in ChainHead.objects.all()}
    assert [chain["chain"] for chain in document["chains"]] == sorted(heads)
    assert {chain["chain"]: (chain["length"], chain["head_hash"]) for chain in document["chains"]} == {
        chain: (head.length, head.head_hash) for chain, head in heads.items()}
    assert document["entries"] == 5 and document["fingerprint"] == checkpoints.fingerprint(document["chains"])
    assert checkpoints.parse(json.dumps(document)).fingerprint == document["fingerprint"]


def test_the_ledger_still_extends_an_earlier_checkpoint_after_more_appends(ledger, tmp_path):
    path = write_checkpoint(tmp_path)
    api.append(credit_event(learner={"user_id": 67, "anonymous_id": "a67"}))  # chain 3 again
    code, out, _ = run("verify", "--checkpoint", str(path))
    assert code == 0 and "Ledger intact: 6 entries verified." in out and "It still extends the checkpoint of" in out


def test_a_chain_rewritten_consistently_passes_the_chains_but_not_the_checkpoint(ledger, tmp_path):
    path = write_checkpoint(tmp_path)
    raw("UPDATE {entry} SET points = 9 WHERE id = %s", ledger[1].pk)
    rewrite_chain_consistently(CHAIN)
    assert api.verify().intact  # the limit of a hash chain on its own
    code, _, err = run("verify", "--checkpoint", str(path))
    assert code == 2
    assert f"First broken: entry {ledger[-1].pk} (chain {CHAIN}, position 4): hash differs from the checkpoint of" in err


def test_entries_cut_back_below_a_checkpoint_are_found_even_with_the_head_rewritten(ledger, tmp_path):
    path = write_checkpoint(tmp_path)
    raw("DELETE FROM {entry} WHERE id = %s", ledger[-1].pk)
    rewrite_chain_consistently(CHAIN)
    assert api.verify().intact
    code, _, err = run("verify", "--checkpoint", str(path))
    assert code == 2 and "has 4 entries in this chain and they are no longer all there" in err


@pytest.mark.parametrize("change, message", [
    (lambda document: "{not json", "malformed JSON"),
    (lambda document: {**document, "version": 2}, "$.version"),
    (lambda document: {**document, "chains": [{**document["chains"][0], "head_hash": "xyz"}]}, "$.chains[0].head_hash"),
    (lambda document: {**document, "chains": [{**document["chains"][3], "length": 1}, *document["chains"][4:]]},
     "the fingerprint does not match the chains: the checkpoint file was changed"),
    (lambda document: {**document, "chains": document["chains"] + document["chains"][:1]}, "a chain is listed more than once"),
])
def test_a_bad_checkpoint_file_is_refused_before_anything_is_checked(ledger, tmp_path, change, message):
    document = json.loads(write_checkpoint(tmp_path).read_text("utf-8"))
    changed = change(document)
    bad = tmp_path / "bad.json"
    bad.write_text(changed if isinstance(changed, str) else json.dumps(changed), "utf-8")
    code, out, err = run("verify", "--checkpoint", str(bad))
    assert code == 1 and out == ""
    assert f"{bad} is not a usable checkpoint" in err and message in err


def test_a_missing_checkpoint_file_says_so(ledger, tmp_path):
    code, _, err = run("verify", "--checkpoint", str(tmp_path / "absent.json"))
    assert code == 1 and "Cannot read" in err


def test_anchor_to_standard_output(ledger):
    code, out, err = run("anchor")
    assert code == 0 and json.loads(out)["type"] == "learning-citizen-ledger-checkpoint" and "fingerprint" in err
