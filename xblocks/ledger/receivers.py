"""Signal receivers: credit events become ledger entries."""
import logging
from typing import NamedTuple

from django.dispatch import receiver

from xblocks.criteria.problems import InvalidInput

from . import api
from .signals import CREDIT_EARNED, received_event

log = logging.getLogger(__name__)


class Rejected(NamedTuple):
    """What :func:`record_credit` returns for credit it did not record because it is invalid."""
    error: InvalidInput


@receiver(CREDIT_EARNED, dispatch_uid="learning_citizen.ledger.record_credit")
def record_credit(credit, **kwargs):
    """
    Append a credit event received in process or from the event bus.

    An event from the bus is validated again: a consumer cannot trust what another process put
    on it (one sent in this process was validated once, by its producer). An invalid event is
    logged and returned as :class:`Rejected` (raising would only make the bus redeliver it); the
    relay's consumer parks it as a dead letter with the reason.
    """
    try:
        result = api.append(received_event(credit))
    except InvalidInput as error:  # invalid, or its event id already recorded under another key
        log.error("Dropped invalid credit event %s: %s", credit.id, error)
        return Rejected(error)
    if result.conflicts:
        # A producer reused a key for another credit: that credit is not recorded, so say so loudly.
        log.error("Credit event %s not recorded: its idempotency key %s already holds entry %s, a different credit (%s differ)",
                  credit.id, credit.idempotency_key, result.entry.pk, ", ".join(result.conflicts))
        return result
    log.info("Credit event %s %s as ledger entry %s", credit.id, "recorded" if result.created else "already recorded", result.entry.pk)
    return result
