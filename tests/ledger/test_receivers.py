"""In one process, credit sent on the signal reaches the ledger through the receiver."""
import logging

import attr
import pytest

from tests.factories import credit_event
from xblocks.ledger.models import Entry
from xblocks.ledger.signals import CREDIT_EARNED, send_credit, to_signal_data

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def test_sent_credit_is_appended_once():
    event = credit_event(evidence=[{"uri": "https://example.org/certificate.pdf", "sha256": "b" * 64}], hours=1.5)
    send_credit(event)
    send_credit(event)  # at-least-once delivery
    entry = Entry.objects.get()
    assert entry.idempotency_key == event.idempotency_key
    assert entry.evidence == [{"uri": "https://example.org/certificate.pdf", "sha256": "b" * 64}]
    assert f"{entry.hours:.2f}" == "1.50"


def test_invalid_credit_on_the_signal_is_dropped_and_logged(caplog):
    data = attr.evolve(to_signal_data(credit_event()), points="11.00")  # indicator 5 allows 10
    with caplog.at_level(logging.ERROR, logger="xblocks.ledger.receivers"):
        CREDIT_EARNED.send_event(credit=data)
    assert not Entry.objects.exists()
    assert "Dropped invalid credit event" in caplog.text and "more than indicator 5 allows" in caplog.text


def test_an_event_id_reused_under_another_key_is_dropped_and_logged(caplog):
    first = credit_event()
    send_credit(first)
    with caplog.at_level(logging.ERROR, logger="xblocks.ledger.receivers"):
        send_credit(credit_event(id=first.id))
    assert Entry.objects.count() == 1
    assert "already recorded under another idempotency key" in caplog.text


def test_a_key_reused_for_a_different_credit_keeps_the_first_and_logs_an_error(caplog):
    first = credit_event(points=4)
    send_credit(first)
    with caplog.at_level(logging.ERROR, logger="xblocks.ledger.receivers"):
        send_credit(credit_event(idempotency_key=first.idempotency_key, learner={"user_id": first.user_id, "anonymous_id": "a"},
                                 points=6))
    assert [entry.points for entry in Entry.objects.all()] == [4]
    assert "a different credit (points differ)" in caplog.text and first.idempotency_key in caplog.text
