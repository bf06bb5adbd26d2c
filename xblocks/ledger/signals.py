"""
The credit signal: our own openedx-events signal, so credit can ride the Open edX event bus.

In one process, blocks send it and :mod:`xblocks.ledger.receivers` appends to the ledger. Across
processes, list its event type in ``EVENT_BUS_PRODUCER_CONFIG``; a ``consume_events`` process
re-sends it and the same receiver appends. Delivery is at-least-once, appends are idempotent.
"""
from contextvars import ContextVar
from datetime import datetime
from typing import List

import attr
from django.dispatch import Signal
from openedx_events.tooling import OpenEdxPublicSignal

from xblocks.criteria.credit import parse_credit_event

CREDIT_EARNED_EVENT_TYPE = "vn.learningcitizen.criteria.credit.earned.v1"


@attr.s(frozen=True)
class CreditLearnerData:
    user_id = attr.ib(type=int)
    anonymous_id = attr.ib(type=str)


@attr.s(frozen=True)
class CreditSourceData:
    kind = attr.ib(type=str)
    course_key = attr.ib(type=str, default="")
    usage_key = attr.ib(type=str, default="")


@attr.s(frozen=True)
class CreditEventData:
    """
    A credit event (docs/credit-event.v1.schema.json). Points and hours travel as decimal
    strings ("7.50") because Avro has no exact decimal and a float could change the sum.

    Evidence travels as two lists of strings of the same length, the URIs and their SHA-256
    digests ("" where none is known): the Avro serialiser of openedx-events 10.5 (the Ulmo line)
    handles lists of plain types only, not lists of records.
    """

    id = attr.ib(type=str)
    idempotency_key = attr.ib(type=str)
    learner = attr.ib(type=CreditLearnerData)
    framework_id = attr.ib(type=str)
    framework_version = attr.ib(type=str)
    indicator = attr.ib(type=str)
    points = attr.ib(type=str)
    period = attr.ib(type=str)
    source = attr.ib(type=CreditSourceData)
    provenance = attr.ib(type=str)
    assurance = attr.ib(type=str)
    occurred_at = attr.ib(type=datetime)
    hours = attr.ib(type=str, default="")
    evidence_uris = attr.ib(type=List[str], factory=list)
    evidence_sha256 = attr.ib(type=List[str], factory=list)


# .. event_type: vn.learningcitizen.criteria.credit.earned.v1
# .. event_name: CREDIT_EARNED
# .. event_key_field: credit.learner.user_id
# .. event_description: a learner earned credit toward an indicator of a criteria framework
# .. event_data: CreditEventData
# .. event_trigger_repository: learning-citizen-xblocks
CREDIT_EARNED = OpenEdxPublicSignal(event_type=CREDIT_EARNED_EVENT_TYPE, data={"credit": CreditEventData})

# A plain Django signal for code in this process that must follow corrections (credentials are
# revoked when a learner falls below the threshold). Sent by ``api.reverse`` once the reversal
# has committed, with ``entry`` = the new reversal entry; never sent for a repeated call.
entry_reversed = Signal()


def to_signal_data(event):
    """A :class:`~xblocks.criteria.credit.CreditEvent` as the signal's payload."""
    return _credit_event_data(event, event_id=event.id, evidence=event.evidence)


def entry_signal_data(entry):
    """A recorded credit entry as the signal's payload: the credit event it was recorded from (the relay sends it)."""
    return _credit_event_data(entry, event_id=str(entry.event_id), evidence=entry.evidence or [])


def _credit_event_data(credit, *, event_id, evidence):
    """The payload of a credit event or entry: both carry the event's fields under the same names."""
    evidence = [dict(item) for item in evidence]
    return CreditEventData(
        id=event_id,
        idempotency_key=credit.idempotency_key,
        learner=CreditLearnerData(user_id=credit.user_id, anonymous_id=credit.anonymous_id),
        framework_id=credit.framework_id,
        framework_version=credit.framework_version,
        indicator=credit.indicator,
        points=f"{credit.points:.2f}",
        period=credit.period,
        source=CreditSourceData(kind=credit.source_kind, course_key=credit.course_key, usage_key=credit.usage_key),
        provenance=credit.provenance,
        assurance=credit.assurance,
        occurred_at=credit.occurred_at,
        hours="" if credit.hours is None else f"{credit.hours:.2f}",
        evidence_uris=[item["uri"] for item in evidence],
        evidence_sha256=[item.get("sha256", "") for item in evidence],
    )


def to_credit_document(data):
    """The signal's payload back in the published JSON shape, for validation before append."""
    document = {
        "id": data.id,
        "idempotency_key": data.idempotency_key,
        "learner": {"user_id": data.learner.user_id, "anonymous_id": data.learner.anonymous_id},
        "framework": {"id": data.framework_id, "version": data.framework_version},
        "indicator": data.indicator,
        "points": float(data.points),
        "period": data.period,
        "source": {"kind": data.source.kind, "course_key": data.source.course_key or None,
                   "usage_key": data.source.usage_key or None},
        "provenance": data.provenance,
        "assurance": data.assurance,
        "evidence": [{"uri": uri, **({"sha256": sha256} if sha256 else {})}
                     # A digest list shorter than the URIs (a producer that knew none) reads as "no digest".
                     for uri, sha256 in zip(data.evidence_uris, [*data.evidence_sha256, *[""] * len(data.evidence_uris)])],
        "occurred_at": data.occurred_at.isoformat(),
    }
    if data.hours:
        document["hours"] = float(data.hours)
    return document


# The payload being sent by :func:`send_credit` in this context, with the event it was made from.
# Identity, not equality: a payload that came off the bus is a new object, so it is never taken
# for one this process validated.
_SENDING = ContextVar("learning_citizen_credit_sending", default=None)


def send_credit(event):
    """Send a validated credit event on the signal (and so on the event bus, when configured)."""
    data = to_signal_data(event)
    token = _SENDING.set((data, event))
    try:
        return CREDIT_EARNED.send_event(credit=data)
    finally:
        _SENDING.reset(token)


def received_event(data):
    """
    The validated :class:`~xblocks.criteria.credit.CreditEvent` for a payload a receiver got.

    The payload :func:`send_credit` is sending in this process is the event it was made from,
    validated already; anything else (the event bus's consumer re-sending what another process
    produced) is validated again, for a consumer cannot trust the bus. Raises ``InvalidInput``.
    """
    sending = _SENDING.get()
    if sending is not None and sending[0] is data:
        return sending[1]
    return parse_credit_event(to_credit_document(data))
