"""The credit-event contract: what is accepted, and a clear reason for everything refused."""
from datetime import timezone
from decimal import Decimal

import pytest

from tests.factories import credit_document
from xblocks.criteria.credit import parse_credit_event
from xblocks.criteria.problems import InvalidInput


def test_a_valid_event_becomes_an_exact_credit_event():
    event = parse_credit_event(credit_document(points=7.5, hours=1.25, occurred_at="2026-03-01T08:00:00+07:00"))
    assert event.points == Decimal("7.50")
    assert event.hours == Decimal("1.25")
    assert event.occurred_at.tzinfo == timezone.utc and event.occurred_at.hour == 1
    assert event.framework_version == "1.0.0"


def test_round_trip_through_the_published_shape():
    event = parse_credit_event(credit_document(evidence=[{"uri": "https://example.org/a.pdf", "sha256": "a" * 64}]))
    assert parse_credit_event(event.as_dict()) == event


@pytest.mark.parametrize("overrides, expected", [
    ({"points": -1}, "$.points"),
    ({"points": 0}, "$.points"),
    ({"points": "4"}, "'4' is not of type 'number'"),
    ({"points": 1.005}, "$.points"),
    ({"hours": -2}, "$.hours"),
    ({"learner": {"user_id": "7", "anonymous_id": "a"}}, "'7' is not of type 'integer'"),
    ({"learner": {"user_id": 7}}, "'anonymous_id' is a required property"),
    ({"id": "not-a-uuid"}, "is not a 'uuid'"),
    ({"occurred_at": "yesterday"}, "is not a 'date-time'"),
    ({"occurred_at": "2026-03-01T08:00:00"}, "is not a 'date-time'"),  # no time zone
    ({"provenance": "rumour"}, "$.provenance"),
    ({"source": {"kind": "gift"}}, "$.source.kind"),
    ({"evidence": [{"uri": "not a uri"}]}, "is not a 'uri'"),
    ({"evidence": [{"uri": "https://x.org", "sha256": "XYZ"}]}, "$.evidence[0].sha256"),
    ({"extra": 1}, "Additional properties are not allowed"),
    ({"idempotency_key": ""}, "$.idempotency_key"),
    ({"idempotency_key": "has space"}, "$.idempotency_key"),
])
def test_schema_problems_are_named_by_path(overrides, expected):
    with pytest.raises(InvalidInput) as caught:
        parse_credit_event(credit_document(**overrides))
    assert expected in str(caught.value)


@pytest.mark.parametrize("overrides, expected", [
    ({"framework": {"id": "no-such", "version": "1.0.0"}}, "unknown criteria framework no-such 1.0.0"),
    ({"framework": {"id": "learning-citizen-2021-2030", "version": "0.1.0"}}, "unknown criteria framework learning-citizen-2021-2030 0.1.0"),
    ({"indicator": "11"}, "unknown indicator 11 in framework learning-citizen-2021-2030"),
    ({"points": 10.5}, "10.50 points is more than indicator 5 allows (10.00)"),
    ({"period": "26"}, "period '26' is not a calendar year"),
])
def test_framework_problems(overrides, expected):
    with pytest.raises(InvalidInput) as caught:
        parse_credit_event(credit_document(**overrides))
    assert expected in str(caught.value)


def test_all_problems_are_reported_at_once():
    with pytest.raises(InvalidInput) as caught:
        parse_credit_event(credit_document(points=-1, hours=-1, provenance="x"))
    assert len(caught.value.problems) == 3


def test_messages_can_be_translated():
    with pytest.raises(InvalidInput) as caught:
        parse_credit_event(credit_document(indicator="11"))
    translated = caught.value.render(lambda template: template.replace("unknown indicator", "chỉ số không tồn tại"))
    assert "chỉ số không tồn tại 11" in translated
