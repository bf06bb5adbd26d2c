"""Ledger entries as xAPI statements: earned with the credit in the result, deterministic ids, reversals void."""
import json
import uuid
from decimal import Decimal

import pytest

from tests.factories import credit_event
from xblocks.criteria.problems import InvalidInput
from xblocks.ledger import api
from xblocks.ledger.models import Entry
from xblocks.reports import xapi

pytestmark = [pytest.mark.database, pytest.mark.django_db]
HOME = "https://lms.example.vn"


def test_a_credit_is_earned_with_the_points_in_the_result():
    entry = api.append(credit_event(points=4, hours=2.5, indicator="5", evidence=[{"uri": "https://example.vn/e/1"}])).entry
    statement = xapi.entry_statement(entry, HOME)
    assert statement["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    assert statement["actor"] == {"objectType": "Agent", "account": {"homePage": HOME, "name": entry.anonymous_id}}
    assert statement["object"]["id"] == f"{xapi.IRI_BASE}/frameworks/learning-citizen-2021-2030/1.0.0/indicators/5"
    assert statement["result"]["score"] == {"raw": 4.0, "min": 0, "max": 10.0, "scaled": 0.4}
    assert statement["result"]["extensions"] == {xapi.EXTENSIONS["points"]: "4.00", xapi.EXTENSIONS["hours"]: "2.50"}
    extensions = statement["context"]["extensions"]
    assert extensions[xapi.EXTENSIONS["provenance"]] == "verified"
    assert extensions[xapi.EXTENSIONS["ledger-entry"]]["hash"] == entry.entry_hash
    assert extensions[xapi.EXTENSIONS["evidence"]] == [{"uri": "https://example.vn/e/1"}]
    grouping = statement["context"]["contextActivities"]["grouping"]
    assert grouping[1]["id"] == f"{HOME}/courses/course-v1:VN+DS101+2026"
    assert statement["timestamp"] == "2026-03-01T01:00:00.000Z"
    assert uuid.UUID(statement["id"]).version == 5
    json.dumps(statement)  # every value is plain JSON


def test_the_statement_id_is_the_same_every_time_and_differs_per_entry():
    first = api.append(credit_event()).entry
    second = api.append(credit_event()).entry
    again = Entry.objects.get(pk=first.pk)
    assert xapi.entry_statement(first, HOME)["id"] == xapi.entry_statement(again, HOME)["id"]
    assert xapi.entry_statement(first, HOME)["id"] != xapi.entry_statement(second, HOME)["id"]
    assert xapi.statement_id(first.event_id) == xapi.entry_statement(first, HOME)["id"]


def test_a_reversal_voids_the_credit_statement():
    original = api.append(credit_event()).entry
    reversal = api.reverse(original, reason="wrong course").entry
    statements = list(xapi.statements(Entry.objects.order_by("id"), HOME))
    assert len(statements) == 2
    voiding = statements[1]
    assert voiding["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert voiding["object"] == {"objectType": "StatementRef", "id": statements[0]["id"]}
    assert voiding["actor"]["account"]["name"] == xapi.SYSTEM_ACCOUNT
    assert voiding["context"]["extensions"][xapi.EXTENSIONS["reason"]] == "wrong course"
    assert voiding["id"] == xapi.statement_id(reversal.event_id) != statements[0]["id"]
    assert "result" not in voiding


def in_force(statements):
    """
    What a consumer keeps after voiding, by xAPI 1.0.3's rule (xAPI-Data.md §2.3.2): a statement
    is voided iff it is not itself a voiding statement and some voiding statement refers to it;
    voiding statements are not credit.
    """
    voiding = [s for s in statements if s["verb"]["id"] == xapi.VERB_VOIDED["id"]]
    voiding_ids = {s["id"] for s in voiding}
    voided = {s["object"]["id"] for s in voiding if s["object"]["id"] not in voiding_ids}
    return [s for s in statements if s["id"] not in voided and s["id"] not in voiding_ids]


def test_voiding_applied_as_the_spec_says_leaves_the_ledgers_credit():
    learner = {"user_id": 4242, "anonymous_id": "anon-4242"}
    wrong = api.append(credit_event(learner=learner, indicator="5", points=4)).entry
    kept = api.append(credit_event(learner=learner, indicator="3", points=2)).entry
    reversal = api.reverse(wrong, reason="wrong course").entry
    again = api.append(credit_event(learner=learner, indicator="5", points=3)).entry   # the credit given back
    assert api.reverse(wrong, reason="twice").entry.pk == reversal.pk                    # one voiding statement, ever
    with pytest.raises(InvalidInput):
        api.reverse(reversal, reason="undo")                                             # a voiding statement is never voided
    # Sent in any order (the spec lets an LRS take a voiding statement before its target).
    statements = list(reversed(list(xapi.statements(Entry.objects.filter(user_id=4242).order_by("id"), HOME))))
    assert len(statements) == 4
    (voiding,) = [s for s in statements if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"]
    assert voiding["object"] == {"objectType": "StatementRef", "id": xapi.statement_id(wrong.event_id)}
    targets = {s["id"]: s for s in statements}
    assert targets[voiding["object"]["id"]]["verb"]["id"] == xapi.VERB_EARNED["id"]      # it voids a credit, not a void
    remaining = in_force(statements)
    assert sorted(s["id"] for s in remaining) == sorted(xapi.statement_id(e.event_id) for e in (kept, again))
    assert xapi.statement_id(again.event_id) != xapi.statement_id(wrong.event_id)         # given back under a new id
    ledger_total = sum(e.points for e in Entry.objects.filter(user_id=4242))
    assert sum(Decimal(s["result"]["extensions"][xapi.EXTENSIONS["points"]]) for s in remaining) == ledger_total == 5
