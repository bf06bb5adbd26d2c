"""
Dead letters and ``manage.py credit_dead_letters``: parking keeps a message whole, list/show
describe it in the operator's language, re-driving records what can be recorded and exits 2 for
what still cannot.
"""
from io import StringIO

import attr
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from edx_event_bus_redis.internal.utils import get_headers_from_metadata
from openedx_events.data import EventsMetadata
from openedx_events.event_bus.avro.serializer import serialize_event_data_to_bytes

from tests.factories import credit_event
from tests.translations import ROOT, load, marked_messages, python_files, untranslated
from xblocks.ledger.models import Entry
from xblocks.ledger.signals import CREDIT_EARNED, CREDIT_EARNED_EVENT_TYPE, to_signal_data
from xblocks.relay.consumer import backoff
from xblocks.relay.dead_letters import park
from xblocks.relay.models import DeadLetter

STREAM = "test-learning-citizen-credit"


def message_fields(data):
    fields = get_headers_from_metadata(EventsMetadata(event_type=CREDIT_EARNED_EVENT_TYPE))
    fields[b"event_data"] = serialize_event_data_to_bytes({"credit": data}, CREDIT_EARNED)
    return fields


def parked(data, kind, number, reason="it failed"):
    letter, _created = park(stream=STREAM, message_id=f"1700000000000-{number}", fields=message_fields(data),
                            kind=kind, reason=reason, attempts=3, group="ledger", consumer="ledger-1")
    return letter


def run(*arguments):
    out, err = StringIO(), StringIO()
    call_command("credit_dead_letters", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.database
@pytest.mark.django_db
def test_parked_messages_are_listed_shown_and_re_driven():
    good = to_signal_data(credit_event())
    too_many = attr.evolve(to_signal_data(credit_event()), points="11.00")
    failed = parked(good, DeadLetter.Kind.FAILED, 1, reason="OperationalError('the database system is shutting down')")
    invalid = parked(too_many, DeadLetter.Kind.INVALID, 2, reason="11.00 points is more than indicator 5 allows (10.00)")
    # Parking the same message again (killed before acknowledging) keeps one row.
    assert parked(good, DeadLetter.Kind.FAILED, 1).pk == failed.pk
    assert failed.idempotency_key == good.idempotency_key and failed.event_id == good.id
    assert failed.raw_fields() == message_fields(good) | {b"id": failed.raw_fields()[b"id"], b"time": failed.raw_fields()[b"time"]}

    listed, _ = run("list")
    assert "2 dead letters." in listed and good.idempotency_key in listed and "more than indicator 5" in listed
    shown, _ = run("show", str(invalid.pk))
    assert f"Idempotency key: {too_many.idempotency_key}" in shown and '"points": 11.0' in shown

    with pytest.raises(CommandError) as still:
        run("redrive", "--all")
    assert still.value.returncode == 2
    recorded = Entry.objects.get(idempotency_key=good.idempotency_key)
    failed.refresh_from_db()
    invalid.refresh_from_db()
    assert (failed.status, failed.ledger_entry_id) == (DeadLetter.Status.REDRIVEN, recorded.pk)
    assert (invalid.status, invalid.attempts, invalid.kind) == (DeadLetter.Status.PARKED, 4, DeadLetter.Kind.INVALID)
    assert not Entry.objects.filter(idempotency_key=too_many.idempotency_key).exists()

    again, _ = run("redrive", str(failed.pk))
    assert "already re-driven" in again and Entry.objects.count() == 1
    assert "1 dead letter." in run("list")[0] and "2 dead letters." in run("list", "--all")[0]
    with translation.override("vi"):
        assert "1 thư chết." in run("list")[0]
    with pytest.raises(CommandError, match="There is no dead letter 999"):
        run("show", "999")


@pytest.mark.database
@pytest.mark.django_db
def test_an_undecodable_message_is_shown_as_such_and_stays_parked():
    fields = {**get_headers_from_metadata(EventsMetadata(event_type=CREDIT_EARNED_EVENT_TYPE)), b"event_data": b"\x00 junk"}
    letter, _ = park(stream=STREAM, message_id="1700000000000-9", fields=fields, kind=DeadLetter.Kind.UNDECODABLE,
                     reason="cannot be decoded", attempts=1)
    assert "Event data (6 bytes) cannot be decoded." in run("show", str(letter.pk))[0]
    with pytest.raises(CommandError):
        run("redrive", str(letter.pk))
    letter.refresh_from_db()
    assert letter.status == DeadLetter.Status.PARKED and "cannot be decoded" in letter.reason


def test_backoff_doubles_up_to_the_maximum(settings):
    settings.LEARNING_CITIZEN_RELAY_CONSUMER_RETRY_DELAY = 1
    settings.LEARNING_CITIZEN_RELAY_CONSUMER_RETRY_MAX_DELAY = 5
    assert [0.5 <= backoff(n) / cap <= 1 for n, cap in ((1, 1), (2, 2), (3, 4), (4, 5), (9, 5))] == [True] * 5


def test_every_relay_message_is_translated_to_vietnamese():
    messages = list(marked_messages(python_files("xblocks/relay", "xblocks/relay/management/commands")))
    assert len(messages) > 30
    missing = untranslated(messages, load(ROOT / "xblocks/relay/locale/vi/LC_MESSAGES/django.mo"))
    assert not missing, "translate:\n" + "\n".join(map(str, missing))
