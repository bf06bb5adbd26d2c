"""
The one producer road (xblocks.common.credit): the keys each source made before it existed, one
validation in one process, what the receivers answered, and reversals by key or entry.
"""
import logging
from datetime import datetime, timezone
from decimal import Decimal

import attr
import pytest

from xblocks.common.credit import credit_key, give_credit, withdraw_credit
from xblocks.criteria import credit as criteria_credit
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import InvalidInput
from xblocks.ledger import signals as ledger_signals
from xblocks.ledger.models import Entry

FRAMEWORK = "learning-citizen-2021-2030"
COURSE = "course-v1:LearningCitizenVN+KNS101+2026"
USAGE = "block-v1:LearningCitizenVN+KNS101+2026+type@completion_credit+block@chapter"
MOMENT = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


# Keys written out as the sources built them before the road (main at 09320f7): the hashed ones
# by completion_credit.mixins.credit.idempotency_key and ledger.course_rules.rule_key (sha256 of
# the compact JSON [user, source key, framework, indicator]), the readable ones by the skills
# assessment's and evidence review's f-strings. Ledgers hold these keys: if one changed, the same
# credit would be recorded a second time after an upgrade.
@pytest.mark.parametrize("source_kind, parts, expected", [
    ("completion", {"user_id": 101, "usage_key": USAGE, "indicator": "5"},
     "completion-credit:v1:337f26c57800893ec19109c54c62c7e08f05ca7f3b8e5683190ef687187c9c73"),
    ("completion", {"user_id": "101", "usage_key": USAGE, "indicator": "5"},  # an id given as text: the same key
     "completion-credit:v1:337f26c57800893ec19109c54c62c7e08f05ca7f3b8e5683190ef687187c9c73"),
    ("course-passing", {"user_id": 201, "course_key": COURSE, "indicator": "2"},
     "course-rule:v1:222e1ab5682cf83c8b58e4322a4ba140b3d3df4b70c47d63b805f3cc64f6822d"),
    ("certificate", {"user_id": 201, "course_key": COURSE, "indicator": "2"},
     "course-rule:v1:222e1ab5682cf83c8b58e4322a4ba140b3d3df4b70c47d63b805f3cc64f6822d"),
    ("certificate", {"user_id": 201, "course_key": COURSE, "indicator": "2", "discriminator": "2"},
     "course-rule:v1:222e1ab5682cf83c8b58e4322a4ba140b3d3df4b70c47d63b805f3cc64f6822d:2"),
    ("assessment", {"user_id": 7, "usage_key": USAGE, "indicator": "9", "discriminator": "2026:7.50"},
     f"skills-assessment:{USAGE}:7:2026:7.50"),
    ("declaration", {"user_id": 7, "usage_key": USAGE, "indicator": "5",
                     "discriminator": "4d0c3f4e-53b7-4c89-9f0b-0c2f6b1f1a11"},
     "declaration:4d0c3f4e-53b7-4c89-9f0b-0c2f6b1f1a11:5"),
])
def test_each_source_keeps_the_key_it_made_before(source_kind, parts, expected):
    assert credit_key(source_kind, framework_id=FRAMEWORK, **parts) == expected


def test_the_parts_that_identify_a_credit_each_change_its_key():
    base = {"user_id": 101, "usage_key": USAGE, "framework_id": FRAMEWORK, "indicator": "5"}
    keys = {credit_key("completion", **{**base, **change})
            for change in ({}, {"user_id": 102}, {"usage_key": USAGE + "x"}, {"indicator": "1"}, {"framework_id": "other"})}
    assert len(keys) == 5


def test_a_source_without_a_recipe_is_refused():
    with pytest.raises(ValueError):
        credit_key("import", user_id=1, framework_id=FRAMEWORK, indicator="5")


def _give(points="3", **overrides):
    arguments = {"source_kind": "completion", "user_id": 101, "framework": get_framework(FRAMEWORK), "indicator": "5",
                 "points": Decimal(points), "hours": Decimal("2"), "provenance": "verified",
                 "assurance": "auto-scored", "occurred_at": MOMENT, "course_key": COURSE, "usage_key": USAGE}
    arguments.update(overrides)
    return give_credit(**arguments)


@pytest.mark.django_db
@pytest.mark.database
def test_a_credit_is_validated_once_in_one_process_and_recorded_once(monkeypatch):
    # A spy around the real validator, which still does the work: it counts how often an event is parsed.
    calls = []
    real_parse = criteria_credit.parse_credit_event

    def counting_parse(document):
        calls.append(document["idempotency_key"])
        return real_parse(document)
    monkeypatch.setattr(criteria_credit, "parse_credit_event", counting_parse)  # the producer's
    monkeypatch.setattr(ledger_signals, "parse_credit_event", counting_parse)   # the receiver's
    first = _give()
    assert len(calls) == 1  # built and validated by the producer; the receiver appended that very event
    entry = Entry.objects.get()
    assert (first.created, first.answered, first.conflicts) == (True, True, ())
    assert entry.idempotency_key == first.key == credit_key("completion", user_id=101, usage_key=USAGE,
                                                            framework_id=FRAMEWORK, indicator="5")
    assert (str(entry.event_id), entry.points, entry.hours) == (first.event.id, Decimal("3.00"), Decimal("2.00"))
    assert entry.anonymous_id and entry.anonymous_id != "101"
    again = _give()
    assert (again.created, again.answered, again.conflicts, again.result.entry.pk) == (False, True, (), entry.pk)
    assert Entry.objects.count() == 1
    assert len(calls) == 2  # the repeat too: once


@pytest.mark.django_db
@pytest.mark.database
def test_a_payload_that_did_not_come_from_this_process_is_validated_again(monkeypatch):
    # What the bus consumer hands the receiver is a new object, equal to what was sent: validated again.
    calls = []
    real_parse = ledger_signals.parse_credit_event
    monkeypatch.setattr(ledger_signals, "parse_credit_event", lambda document: calls.append(1) or real_parse(document))
    event = criteria_credit.new_credit_event(
        idempotency_key="test:from-the-bus", user_id=101, anonymous_id="anon", framework=get_framework(FRAMEWORK),
        indicator="5", points=Decimal("3"), source_kind="completion", provenance="verified", assurance="auto-scored",
        occurred_at=MOMENT)
    payload = attr.evolve(ledger_signals.to_signal_data(event))  # a copy, as deserialised from the bus
    ledger_signals.CREDIT_EARNED.send_event(credit=payload)
    assert calls == [1]
    assert Entry.objects.get().idempotency_key == "test:from-the-bus"


@pytest.mark.django_db
@pytest.mark.database
def test_the_same_key_for_another_credit_is_a_conflict_not_a_second_entry(caplog):
    _give(points="3")
    with caplog.at_level(logging.ERROR, logger="xblocks.ledger.receivers"):
        clash = _give(points="4")
    assert not clash.created and "points" in clash.conflicts
    assert Entry.objects.get().points == Decimal("3.00")


@pytest.mark.django_db
@pytest.mark.database
def test_a_credit_the_framework_refuses_sends_nothing():
    with pytest.raises(InvalidInput):
        _give(points="11")  # indicator 5 allows 10
    assert not Entry.objects.exists()


@pytest.mark.django_db
@pytest.mark.database
def test_a_credit_is_withdrawn_by_key_or_entry_once(caplog):
    delivery = _give()
    reversal = withdraw_credit(delivery.key, reason="certificate revoked")
    assert reversal.created and reversal.entry.reverses_id == delivery.result.entry.pk
    assert reversal.entry.points == Decimal("-3.00")
    repeated = withdraw_credit(delivery.result.entry, reason="certificate revoked")
    assert (repeated.created, repeated.entry.pk) == (False, reversal.entry.pk)
    with caplog.at_level(logging.ERROR, logger="xblocks.common.credit"):
        assert withdraw_credit("completion-credit:v1:unknown", reason="x") is None
    assert "No ledger entry for completion-credit:v1:unknown" in caplog.text
    assert Entry.objects.count() == 2
