"""The credit-event contract: what is accepted, and a clear reason for everything refused."""
from datetime import timezone
from decimal import Decimal

import pytest

from tests.factories import credit_document
from xblocks.criteria.credit import parse_credit_event
from xblocks.criteria.exact import JSONNumber, is_multiple_of
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


@pytest.mark.parametrize("points, hours", [(2.3, 1.15), (0.29, 0.07), (Decimal("2.30"), Decimal("0.07")), (7, 0)])
def test_two_place_values_from_python_are_exact(points, hours):
    event = parse_credit_event(credit_document(points=points, hours=hours))
    assert (event.points, event.hours) == (Decimal(str(points)).quantize(Decimal("0.01")), Decimal(str(hours)).quantize(Decimal("0.01")))


@pytest.mark.parametrize("value, step, expected", [
    ("2.3", "0.01", True), ("1.15", "0.01", True), ("0.07", "0.01", True), ("2.30000", "0.01", True), ("1E+3", "0.01", True),
    ("0", "0.01", True), ("2.345", "0.01", False), ("2.3000000000000000001", "0.01", False), ("1E-999999999", "0.01", False),
    ("1E+999999999", "0.01", True), ("0.75", "0.25", True), ("0.5", "0.2", False),
])
def test_multiple_of_is_decided_in_decimal(value, step, expected):
    assert is_multiple_of(JSONNumber(value), JSONNumber(step)) is expected


@pytest.mark.parametrize("value, expected", [(2.3, True), (1.15, True), (0.29, True), (0.07, True), (2.345, False), (0.1 + 0.2, False)])
def test_a_float_is_taken_as_its_shortest_decimal(value, expected):
    """0.1 + 0.2 is 0.30000000000000004: more than two places, as written."""
    assert is_multiple_of(value, 0.01) is expected


@pytest.mark.parametrize("overrides, message", [
    ({"points": float("nan")}, "$.points: nan is not a finite number"),
    ({"hours": float("inf")}, "$.hours: inf is not a finite number"),
    ({"points": 1e308 * 10}, "$.points: inf is not a finite number"),
    ({"period": "20\x0026"}, "$.period: text holds the character U+0000, which cannot be stored"),
    ({"source": {"kind": "completion", "course_key": "\udc80"}}, "$.source.course_key: text holds the character U+DC80"),
    ({"occurred_at": "9999-12-31T23:59:59-14:00"}, "is not a time between 1900-01-01 and 9999-01-01"),
    ({"occurred_at": "1899-12-31T23:59:59Z"}, "is not a time between"),
])
def test_values_no_database_stores_are_refused_by_path(overrides, message):
    with pytest.raises(InvalidInput) as refused:
        parse_credit_event(credit_document(**overrides))
    assert message in str(refused.value)
