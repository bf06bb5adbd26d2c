"""
Publishing the local ledger to the Open edX event bus, after the fact (docs/event-bus.md).

Credit is recorded in the local ledger inside the learner's request; this relay publishes it
later, from its own process, as the same ``CREDIT_EARNED`` event a producer in the request
would have sent. A publication that fails (Redis down) is tried again with exponential backoff,
and the relay's position only moves past an entry once the bus took it: an outage delays
credit, it never loses it. Publishing an entry twice (the relay stopped between publishing and
saving its position, or reconciliation asked for it) is harmless: the central ledger records
each idempotency key once.

Only credit entries travel: the event carries credit, and a reversal (negative points) is not
something a consumer can append.
"""
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openedx_events.event_bus import NoEventBusProducer, get_producer

from xblocks.ledger.models import CHAIN_COUNT, Entry
from xblocks.ledger.settings.event_bus import CREDIT_EVENT_KEY_FIELD, CREDIT_TOPIC
from xblocks.ledger.signals import CREDIT_EARNED, CREDIT_EARNED_EVENT_TYPE, entry_signal_data

from .models import ChainCursor, Resend

log = logging.getLogger(__name__)

# Entries read from one chain at a time; the chain's position is saved after each batch.
BATCH_SIZE = 500
# The loggers producers of the event bus report delivery errors to. edx-event-bus-redis's
# ``send`` catches every error and only logs it, so a record here is how a failed send shows.
PRODUCER_LOGGERS = ("edx_event_bus_redis", "edx_event_bus_kafka")


class NotConfigured(Exception):
    """No event bus producer is configured: publishing would silently do nothing."""


class DeliveryFailed(Exception):
    """The event bus did not take an event."""


class Stopped(Exception):
    """The relay was asked to stop while it waited to try again."""


@dataclass
class Backoff:
    """Waits between tries: ``first`` seconds, doubled after each failure up to ``longest``."""

    first: float = 0.5
    longest: float = 30.0
    current: float = field(default=0.0, init=False)

    def failed(self):
        self.current = min(self.longest, self.current * 2 if self.current else self.first)
        return self.current

    def succeeded(self):
        self.current = 0.0


@dataclass
class RelayStats:
    published: int = 0      # events the bus took (re-sends included)
    resent: int = 0         # of which asked for by reconciliation
    failures: int = 0       # sends that failed and were tried again
    skipped: int = 0        # entries that do not travel (reversals)

    def as_dict(self):
        return {"published": self.published, "resent": self.resent, "failures": self.failures, "skipped": self.skipped}


def to_event_data(entry):
    """The ``CREDIT_EARNED`` payload of a credit entry: the credit event it was recorded from."""
    return entry_signal_data(entry)


def direct_producing_enabled():
    """Whether this site also produces credit inside requests (EVENT_BUS_PRODUCER_CONFIG enabled)."""
    config = getattr(settings, "EVENT_BUS_PRODUCER_CONFIG", {}) or {}
    return bool(config.get(CREDIT_EARNED_EVENT_TYPE, {}).get(CREDIT_TOPIC, {}).get("enabled"))


class _ErrorRecords(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


class Publisher:
    """Sends credit entries through openedx-events' configured producer and says whether it worked."""

    def __init__(self, producer=None):
        self.producer = producer or get_producer()
        if isinstance(self.producer, NoEventBusProducer):
            raise NotConfigured()
        self._errors = _ErrorRecords()

    def __enter__(self):
        for name in PRODUCER_LOGGERS:
            logging.getLogger(name).addHandler(self._errors)
        return self

    def __exit__(self, *exc_info):
        for name in PRODUCER_LOGGERS:
            logging.getLogger(name).removeHandler(self._errors)

    def publish(self, entry):
        """Publish one credit entry; raise :class:`DeliveryFailed` if the bus did not take it."""
        self._errors.records.clear()
        try:
            self.producer.send(
                signal=CREDIT_EARNED, topic=CREDIT_TOPIC, event_key_field=CREDIT_EVENT_KEY_FIELD,
                event_data={"credit": to_event_data(entry)},
                event_metadata=CREDIT_EARNED.generate_signal_metadata(time=entry.recorded_at))
        except Exception as error:  # pylint: disable=broad-except  # a producer that raises instead of logging
            raise DeliveryFailed(str(error)) from error
        if self._errors.records:
            raise DeliveryFailed(self._errors.records[-1].getMessage()[:300])


class Relay:
    """
    One site's relay: publishes its ledger's credit entries chain by chain, in position order,
    then any re-sends reconciliation asked for.
    """

    def __init__(self, publisher, *, backoff=None, sleep=time.sleep, max_tries=None, stop=lambda: False):
        self.publisher = publisher
        self.stop = stop  # asked between tries, so a relay waiting on a Redis outage still stops promptly
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.max_tries = max_tries  # consecutive failures before giving up (None: never)
        self.stats = RelayStats()
        self._failures_in_a_row = 0

    def _publish(self, entry):
        """Publish until the bus takes it, waiting longer after each failure."""
        while True:
            try:
                self.publisher.publish(entry)
            except DeliveryFailed as error:
                self.stats.failures += 1
                self._failures_in_a_row += 1
                if self.max_tries is not None and self._failures_in_a_row >= self.max_tries:
                    raise
                wait = self.backoff.failed()
                log.warning("Relay: entry %s not published (%s); trying again in %.1f s", entry.pk, error, wait)
                self.sleep(wait)
                if self.stop():
                    raise Stopped() from error
                continue
            self._failures_in_a_row = 0
            self.backoff.succeeded()
            self.stats.published += 1
            return

    def pending(self):
        """How many local credit entries are not yet published (re-sends included)."""
        positions = dict(ChainCursor.objects.values_list("chain", "published_position"))
        total = Resend.objects.count()
        for chain in range(CHAIN_COUNT):
            total += Entry.objects.filter(chain=chain, position__gt=positions.get(chain, 0),
                                          kind=Entry.Kind.CREDIT).count()
        return total

    def run_once(self):
        """Publish everything pending now; return how many entries were published in this pass."""
        before = self.stats.published
        for chain in range(CHAIN_COUNT):
            self._publish_chain(chain)
        self._publish_resends()
        return self.stats.published - before

    def _publish_chain(self, chain):
        cursor, _created = ChainCursor.objects.get_or_create(chain=chain)
        while True:
            batch = list(Entry.objects.filter(chain=chain, position__gt=cursor.published_position)
                         .order_by("position")[:BATCH_SIZE])
            if not batch:
                return
            try:
                for entry in batch:
                    if entry.kind == Entry.Kind.CREDIT:
                        self._publish(entry)
                    else:
                        self.stats.skipped += 1
                    cursor.published_position = entry.position
            finally:
                # What the bus took is not published again after a failure (it would be harmless).
                cursor.published_at = timezone.now()
                cursor.save(update_fields=["published_position", "published_at"])

    def _publish_resends(self):
        while True:
            requests = list(Resend.objects.order_by("entry_id")[:BATCH_SIZE])
            if not requests:
                return
            entries = Entry.objects.in_bulk([request.entry_id for request in requests])
            done = []
            try:
                # In ledger order, so one learner's re-sent credit also arrives in order.
                for request in sorted(requests, key=lambda r: (entries[r.entry_id].chain, entries[r.entry_id].position)
                                      if r.entry_id in entries else (-1, 0)):
                    entry = entries.get(request.entry_id)
                    if entry is not None and entry.kind == Entry.Kind.CREDIT:
                        self._publish(entry)
                        self.stats.resent += 1
                    done.append(request.pk)
            finally:
                with transaction.atomic():
                    Resend.objects.filter(pk__in=done).delete()

    def run_forever(self, *, interval=1.0):
        """Publish, then look for new entries every ``interval`` seconds, until ``stop()``."""
        try:
            while not self.stop():
                if not self.run_once():
                    self.sleep(interval)
        except Stopped:
            pass
