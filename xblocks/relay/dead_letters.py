"""
The consumer's dead letters: messages it could not record, parked whole with the reason, to list,
inspect and re-drive (``manage.py credit_dead_letters``, docs/event-bus.md).
"""
import logging

from django.utils import timezone
from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data
from openedx_events.tooling import OpenEdxPublicSignal

from .delivery import ReceiversFailed, Unrecordable, deliver
from .models import DeadLetter

log = logging.getLogger(__name__)


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def decoded_credit(fields):
    """The credit payload (CreditEventData) in a message's raw fields, or None when it cannot be decoded."""
    try:
        signal = OpenEdxPublicSignal.get_signal_by_type(_text(fields.get(b"type", b"")))
        return deserialize_bytes_to_event_data(fields[b"event_data"], signal).get("credit")
    except Exception:  # pylint: disable=broad-except  # anything undecodable is simply "not known"
        return None


def park(*, stream, message_id, fields, kind, reason, attempts, group="", consumer=""):
    """
    Keep a message the consumer could not record. Parking the same message again (the consumer
    was stopped after parking it, before acknowledging it) updates its row: one row per message.
    Raises the database's error when the dead-letter table cannot be written either.
    """
    credit = decoded_credit(fields)
    letter, created = DeadLetter.objects.update_or_create(
        stream=_text(stream), message_id=_text(message_id),
        defaults={
            "group": group, "consumer": consumer, "event_type": _text(fields.get(b"type", b""))[:255],
            "event_id": str(getattr(credit, "id", "") or "")[:64],
            "idempotency_key": str(getattr(credit, "idempotency_key", "") or "")[:200],
            "fields": DeadLetter.encode_fields(fields), "kind": kind, "reason": reason, "attempts": attempts,
            "parked_at": timezone.now(), "status": DeadLetter.Status.PARKED,
        })
    log.error("Parked message %s of %s as dead letter %s (%s): %s", letter.message_id, letter.stream, letter.pk, kind, reason)
    return letter, created


def redrive(letter):
    """
    Deliver a parked message again. On success the letter is marked re-driven, with the ledger
    entry that holds the credit (a credit recorded meanwhile is not recorded twice); on failure it
    stays parked with the new reason. Returns (succeeded, reason).
    """
    # Imported here: listing and showing dead letters works without the `event-bus` extra.
    from edx_event_bus_redis.internal.message import (  # pylint: disable=import-outside-toplevel
        RedisMessage,
        UnusableMessageError,
    )
    try:
        message = RedisMessage.parse((letter.message_id.encode(), letter.raw_fields()), letter.stream)
        result = deliver(message)
    except UnusableMessageError as error:
        return _failed(letter, DeadLetter.Kind.UNDECODABLE, str(error))
    except Unrecordable as problem:
        return _failed(letter, problem.kind, problem.reason)
    except ReceiversFailed as error:
        return _failed(letter, DeadLetter.Kind.FAILED, str(error))
    DeadLetter.objects.filter(pk=letter.pk).update(
        status=DeadLetter.Status.REDRIVEN, redriven_at=timezone.now(), attempts=letter.attempts + 1,
        ledger_entry_id=result.entry.pk if result is not None else None)
    letter.refresh_from_db()
    log.info("Re-drove dead letter %s (message %s): ledger entry %s", letter.pk, letter.message_id, letter.ledger_entry_id)
    return True, ""


def _failed(letter, kind, reason):
    DeadLetter.objects.filter(pk=letter.pk).update(kind=kind, reason=reason, attempts=letter.attempts + 1)
    letter.refresh_from_db()
    log.error("Re-driving dead letter %s (message %s) failed again: %s", letter.pk, letter.message_id, reason)
    return False, reason
