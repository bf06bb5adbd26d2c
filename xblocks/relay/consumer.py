"""
The credit consumer: edx-event-bus-redis's ``RedisEventConsumer`` that acknowledges a message only
once it is recorded or parked as a dead letter (docs/event-bus.md, "The credit consumer").

The library acknowledges every message it reads, even one whose processing failed (the database
was down): that credit was skipped for good. Here, processing a message returns only when the
ledger holds its credit, or when the message is parked in the dead-letter table with the reason:

* a message no retry can fix (invalid, undecodable, a key reused for another credit) is parked at once;
* any other failure is tried again with exponential backoff, and after
  ``LEARNING_CITIZEN_RELAY_CONSUMER_MAX_TRIES`` tries the message is parked;
* when parking fails too (the database is down), the consumer keeps trying, with backoff, until
  the database is back (and then gives the message its tries again before parking it);
* a message that failed before it reached us (the library reconnects to the database first) is
  not acknowledged either: it stays pending and is read again. The message stays pending in Redis meanwhile: a consumer killed at any
  point finds it again on restart (as every consumer of the library reads its pending messages first).

Use it as ``EVENT_BUS_CONSUMER = "xblocks.relay.consumer.CreditConsumer"`` with ``consume_events``.
"""
import logging
import random
import time

from django.conf import settings
from django.db import connections
from edx_event_bus_redis.internal.consumer import AUDIT_LOGGING_ENABLED, RedisEventConsumer
from edx_event_bus_redis.internal.message import UnusableMessageError

from .dead_letters import park
from .delivery import Unrecordable, deliver
from .models import DeadLetter

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Tries of a message whose processing fails for another reason than being invalid, before it is parked.
    "LEARNING_CITIZEN_RELAY_CONSUMER_MAX_TRIES": 5,
    # Seconds before the second try; doubled for each following one, up to the maximum.
    "LEARNING_CITIZEN_RELAY_CONSUMER_RETRY_DELAY": 0.5,
    "LEARNING_CITIZEN_RELAY_CONSUMER_RETRY_MAX_DELAY": 30.0,
}


def setting(name):
    return getattr(settings, name, DEFAULTS[name])


def backoff(attempt):
    """Seconds to wait after failed try number ``attempt``: exponential, capped, with jitter so consumers spread out."""
    delay = min(setting("LEARNING_CITIZEN_RELAY_CONSUMER_RETRY_MAX_DELAY"),
                setting("LEARNING_CITIZEN_RELAY_CONSUMER_RETRY_DELAY") * 2 ** (attempt - 1))
    return delay * random.uniform(0.5, 1.0)


class _GuardedStream:
    """
    The library's stream object, remembering the raw message last read (to park it whole), and
    acknowledging only messages the consumer settled: the library acknowledges whatever it read,
    even when something failed before the message reached us (reconnecting to a database that is
    down, in openedx-events' ``prepare_for_new_work_cycle``).
    """

    def __init__(self, stream, remember, may_ack):
        self._stream = stream
        self._remember = remember
        self._may_ack = may_ack

    def ack(self, *message_ids):
        settled = [message_id for message_id in message_ids if self._may_ack(message_id)]
        return self._stream.ack(*settled) if settled else 0

    def read(self, *args, **kwargs):
        return self._remember(self._stream.read(*args, **kwargs))

    def __getitem__(self, key):
        return self._remember(self._stream[key])

    def __getattr__(self, name):
        return getattr(self._stream, name)


class CreditConsumer(RedisEventConsumer):
    """
    A Redis consumer that never acknowledges a message it has neither recorded nor parked.

    ``check_backlog`` defaults to True: the library's default moves the group to the end of the
    stream at every start, skipping whatever was produced while no consumer ran.
    """

    def __init__(self, topic, group_id, consumer_name, last_read_msg_id=None, check_backlog=True,
                 claim_msgs_older_than=None):  # pylint: disable=too-many-positional-arguments
        super().__init__(topic, group_id, consumer_name, last_read_msg_id=last_read_msg_id,
                         check_backlog=check_backlog, claim_msgs_older_than=claim_msgs_older_than)
        self.consumer = _GuardedStream(self.consumer, self._remember, self._may_ack)
        self._raw = None
        self._settled = set()  # ids of messages recorded or parked, not yet acknowledged
        self._unsettled_tries = 0
        self.retried = 0  # failed tries that were tried again, since start (for monitoring and tests)

    def _remember(self, raw):
        self._raw = raw[0] if isinstance(raw, list) and raw else raw
        return raw

    def _may_ack(self, message_id):
        """True for a settled message; otherwise keep it pending, to be read again after a pause."""
        if message_id in self._settled:
            self._settled.discard(message_id)
            self._unsettled_tries = 0
            return True
        self._unsettled_tries += 1
        delay = backoff(self._unsettled_tries)
        logger.warning("Message %s was neither recorded nor parked; it stays pending and is read again in %.1fs",
                       message_id, delay)
        self.has_pending_msgs = True  # the library then reads this consumer's pending messages first
        self.retried += 1
        connections.close_all()
        time.sleep(delay)
        return False

    def emit_signals_from_message(self, msg):
        """Deliver ``msg``; return only once its credit is recorded or it is parked (the library then acknowledges it)."""
        self._log_message_received(msg)
        attempt = tries = 0
        while True:
            attempt += 1
            tries += 1
            try:
                deliver(msg)
                break
            except Unrecordable as problem:
                kind, reason, give_up = problem.kind, problem.reason, True
            except Exception as error:  # pylint: disable=broad-except  # a failure to retry, whatever it is
                kind, reason = DeadLetter.Kind.FAILED, f"{error!r}"
                give_up = attempt >= setting("LEARNING_CITIZEN_RELAY_CONSUMER_MAX_TRIES")
            if give_up:
                if self._park(msg.msg_id, kind, reason, tries, msg):
                    break
                # The database is down: once it is back, the message gets its tries again before it is parked.
                attempt = 0
            self.retried += 1
            delay = backoff(tries)
            logger.warning("Message %s: try %s failed (%s); trying again in %.1fs", msg.msg_id, tries, reason, delay)
            connections.close_all()  # a connection the failure broke is opened afresh
            time.sleep(delay)
        self._settled.add(msg.msg_id)
        if AUDIT_LOGGING_ENABLED.is_enabled():
            logger.info("Message from Redis processed successfully")

    def record_event_consuming_error(self, run_context, error, maybe_message):
        """Also park a message whose headers cannot even be read (the library would log it and skip it)."""
        super().record_event_consuming_error(run_context, error, maybe_message)
        if isinstance(error, UnusableMessageError) and self._raw:
            attempt = 1
            while not self._park(self._raw[0], DeadLetter.Kind.UNDECODABLE, str(error), attempt):
                connections.close_all()
                time.sleep(backoff(attempt))
                attempt += 1
            self._settled.add(self._raw[0])

    def _park(self, message_id, kind, reason, attempts, msg=None):
        """Park a message, whole; False when the dead-letter table cannot be written (try again later)."""
        # The raw fields as read; should the library ever read otherwise, the fields the message was parsed from.
        fields = self._raw[1] if self._raw and self._raw[0] == message_id else msg.to_binary_dict()
        try:
            park(stream=self.full_topic, message_id=message_id, fields=fields, kind=kind, reason=reason,
                 attempts=attempts, group=self.group_id, consumer=self.consumer_name)
        except Exception as error:  # pylint: disable=broad-except  # the database is down too: keep the message pending
            logger.error("Message %s could not be parked (%r); it stays pending and is tried again", message_id, error)
            return False
        return True
