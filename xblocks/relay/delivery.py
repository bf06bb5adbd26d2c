"""
One message from the credit stream, delivered to this process's receivers: what the consumer does
for each message it reads, and what re-driving a dead letter does again.
"""
from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data
from openedx_events.tooling import OpenEdxPublicSignal

from xblocks.ledger.api import AppendResult
from xblocks.ledger.receivers import Rejected

from .models import DeadLetter


class Unrecordable(Exception):
    """The message can never be recorded as it is (trying again cannot help); ``kind`` is a DeadLetter.Kind."""

    def __init__(self, kind, reason):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class ReceiversFailed(Exception):
    """Receivers raised (the database is down, a lock timed out...): worth trying again."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{name}: {error!r}" for name, error in errors))
        self.errors = errors


def _receiver_name(receiver):
    return f"{getattr(receiver, '__module__', '')}.{getattr(receiver, '__qualname__', receiver)}"


def deliver(message):
    """
    Decode ``message`` (an ``edx_event_bus_redis`` RedisMessage) and send its event to the
    receivers of its signal; return the ledger's :class:`AppendResult` when the ledger recorded it.

    Raises :class:`Unrecordable` for a message no retry can fix (unknown event type, undecodable
    data, invalid credit, a key reused for another credit) and :class:`ReceiversFailed` when a
    receiver raised: the message is then not recorded, and trying again may succeed.
    """
    event_type = message.event_metadata.event_type
    try:
        signal = OpenEdxPublicSignal.get_signal_by_type(event_type)
    except KeyError as error:
        raise Unrecordable(DeadLetter.Kind.UNDECODABLE, f"unknown event type {event_type!r}") from error
    try:
        event_data = deserialize_bytes_to_event_data(message.event_data, signal)
    except Exception as error:  # pylint: disable=broad-except  # Avro raises many kinds
        raise Unrecordable(DeadLetter.Kind.UNDECODABLE, f"the event data cannot be decoded: {error!r}") from error
    results = signal.send_event_with_custom_metadata(message.event_metadata, **event_data)
    errors = [(_receiver_name(receiver), response) for receiver, response in results if isinstance(response, BaseException)]
    if errors:
        raise ReceiversFailed(errors)
    recorded = None
    for _receiver, response in results:
        if isinstance(response, Rejected):
            raise Unrecordable(DeadLetter.Kind.INVALID, str(response.error))
        if isinstance(response, AppendResult):
            if response.conflicts:
                raise Unrecordable(
                    DeadLetter.Kind.KEY_CONFLICT,
                    f"idempotency key {response.entry.idempotency_key} already holds ledger entry {response.entry.pk}, "
                    f"a different credit ({', '.join(response.conflicts)} differ)")
            recorded = response
    return recorded

