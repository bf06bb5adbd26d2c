"""
Credit over the Open edX event bus, for real: a Redis server, ``send_credit`` in this process
producing through openedx-events' own bus handler, and ``manage.py consume_events`` in a separate
process appending to this test's database.

This process only produces (the ledger's in-process receiver is disconnected here), so every entry
the tests see was written by the consumer process. Each test gets its own stream through a unique
``EVENT_BUS_TOPIC_PREFIX``; consumers are stopped and the streams deleted afterwards.
"""
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import attr
import pytest
import redis
from django.db import connection
from edx_event_bus_redis import create_producer
from edx_event_bus_redis.internal.utils import get_headers_from_metadata
from openedx_events.apps import general_signal_handler
from openedx_events.data import EventsMetadata

from tests.factories import credit_event
from tests.servers import ensure_server
from xblocks.ledger.models import Entry
from xblocks.ledger.receivers import record_credit
from xblocks.ledger.settings.common import plugin_settings
from xblocks.ledger.settings.event_bus import CREDIT_EVENT_KEY_FIELD, CREDIT_TOPIC
from xblocks.ledger.signals import CREDIT_EARNED, CREDIT_EARNED_EVENT_TYPE, send_credit, to_signal_data
from xblocks.relay.models import DeadLetter
from xblocks.standalone.database import DATABASE_URL_VARIABLE
from xblocks.standalone.event_bus import PRODUCE_VARIABLE, REDIS_URL_VARIABLE, TOPIC_PREFIX_VARIABLE, event_bus_settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
RECORD_CREDIT_UID = "learning_citizen.ledger.record_credit"
DEADLINE = 30  # seconds for any one thing a consumer has to do (start-up included)

# Committed transactions, so the consumer process sees the chain heads and this process its entries;
# serialized_rollback restores the heads the initial migration created, flushed by earlier such tests.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def consumer_database_url():
    """The URL of the database this test uses (pytest-django's test database), for the consumer."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ[DATABASE_URL_VARIABLE])
    return urlunsplit(parts._replace(path=f"/{name}"))


class Bus:
    """One test's stream, its producer settings in this process, and the consumer processes it starts."""

    def __init__(self, prefix, workdir):
        self.prefix = prefix
        self.stream = f"{prefix}-{CREDIT_TOPIC}"
        self.workdir = workdir
        self.redis = redis.Redis.from_url(REDIS_URL)
        self.consumers = []

    def start_consumer(self, group, name, **extra):
        """``manage.py consume_events`` as an operator runs it, with its own log file."""
        var = self.workdir / f"{name}-{len(self.consumers)}"
        var.mkdir()
        env = {**os.environ, REDIS_URL_VARIABLE: REDIS_URL, TOPIC_PREFIX_VARIABLE: self.prefix,
               DATABASE_URL_VARIABLE: consumer_database_url(), "LEARNING_CITIZEN_VAR": str(var),
               "DJANGO_SETTINGS_MODULE": "xblocks.workbench.settings"}
        command = [sys.executable, "manage.py", "consume_events", "-t", CREDIT_TOPIC, "-g", group,
                   "--extra", json.dumps({"consumer_name": name, **extra})]
        with open(var / "output.txt", "wb") as output:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        consumer = SimpleNamespace(process=process, name=name, group=group, var=var)
        self.consumers.append(consumer)
        return consumer

    @staticmethod
    def log(consumer):
        """What the consumer logged (the workbench settings log to <LEARNING_CITIZEN_VAR>/workbench.log)."""
        path = consumer.var / "workbench.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def describe(self):
        return "\n".join(f"--- consumer {c.name} (exit {c.process.poll()}):\n"
                         f"{(c.var / 'output.txt').read_text(errors='replace')[-3000:]}{self.log(c)[-5000:]}"
                         for c in self.consumers)

    def wait_for(self, condition, what, timeout=DEADLINE):
        """Poll ``condition`` until it is true; fail with the consumers' logs at the deadline or if one dies."""
        deadline = time.monotonic() + timeout
        while not condition():
            dead = [c.name for c in self.consumers if c.process.poll() is not None and not getattr(c, "stopped", False)]
            if dead:
                pytest.fail(f"consumer {dead} exited while waiting for {what}\n{self.describe()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {timeout}s\n{self.describe()}")
            time.sleep(0.1)

    def wait_until_running(self, consumer):
        """The library logs this once its group exists and its position is set, just before it reads."""
        self.wait_for(lambda: "Running consumer for" in self.log(consumer), f"consumer {consumer.name} running")

    def stop(self, consumer):
        consumer.stopped = True
        if consumer.process.poll() is None:
            consumer.process.terminate()
            try:
                consumer.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                consumer.process.kill()
                consumer.process.wait(timeout=10)

    def close(self):
        for consumer in self.consumers:
            self.stop(consumer)
        keys = list(self.redis.scan_iter(match=f"{self.prefix}-*"))
        if keys:
            self.redis.delete(*keys)
        self.redis.close()


@pytest.fixture
def bus(settings, tmp_path):
    """Produce credit from this process to a fresh stream; consumers started through it append."""
    ensure_server("redis")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    # The same settings the workbench gets from the environment (INSTALLED_APPS is left alone:
    # openedx_events is already installed, and edx_event_bus_redis only adds a command).
    environ = {REDIS_URL_VARIABLE: REDIS_URL, TOPIC_PREFIX_VARIABLE: prefix, PRODUCE_VARIABLE: "direct"}
    for name, value in event_bus_settings(environ, settings.INSTALLED_APPS).items():
        if name != "INSTALLED_APPS":
            setattr(settings, name, value)
    # What openedx_events' ready() does for an event type in EVENT_BUS_PRODUCER_CONFIG; Django
    # started before these settings, so do it here (and undo it unless it was already done).
    was_connected = CREDIT_EARNED.disconnect(general_signal_handler)
    CREDIT_EARNED.connect(general_signal_handler)
    # This process plays a producer only: an entry the tests see was appended by a consumer.
    CREDIT_EARNED.disconnect(dispatch_uid=RECORD_CREDIT_UID)
    state = Bus(prefix, tmp_path)
    try:
        yield state
    finally:
        state.close()
        CREDIT_EARNED.connect(record_credit, dispatch_uid=RECORD_CREDIT_UID)
        if not was_connected:
            CREDIT_EARNED.disconnect(general_signal_handler)


def entries_for(event):
    return Entry.objects.filter(idempotency_key=event.idempotency_key).count()


@pytest.mark.database
@committed
def test_credit_is_appended_once_however_often_the_bus_delivers_it(bus):
    event = credit_event()

    # Sent while no consumer runs: the stream keeps it, and a consumer started with check_backlog
    # (as docs/event-bus.md says to run it) reads its group's backlog first.
    send_credit(event)
    assert bus.redis.xlen(bus.stream) == 1, "send_credit did not reach the producer"
    first = bus.start_consumer("ledger", "ledger-1", check_backlog=True)
    bus.wait_for(lambda: entries_for(event) == 1, "ledger entry appended by the consumer")
    assert f"Credit event {event.id} recorded as ledger entry" in bus.log(first)

    # The same credit sent again (a retried request, a re-run job) is a second message...
    send_credit(event)
    assert bus.redis.xlen(bus.stream) == 2
    already = f"Credit event {event.id} already recorded"
    bus.wait_for(lambda: bus.log(first).count(already) == 1, "the re-sent credit consumed")
    assert entries_for(event) == 1

    # ...and an operator replaying the stream from the start delivers both messages once more.
    bus.stop(first)
    replay = bus.start_consumer("ledger", "ledger-1", last_read_msg_id="0-0")
    bus.wait_for(lambda: bus.log(replay).count(already) == 2, "the replayed stream consumed")
    assert entries_for(event) == 1
    assert Entry.objects.count() == 1


@pytest.mark.database
@committed
def test_malformed_messages_are_parked_with_the_reason_and_the_consumer_keeps_going(bus):
    consumer = bus.start_consumer("ledger", "ledger-1", check_backlog=True)
    bus.wait_until_running(consumer)

    # Well-formed Avro, but more points than the indicator allows, produced straight to the
    # stream: a consumer cannot trust what another process put on the bus.
    too_many = attr.evolve(to_signal_data(credit_event()), points="11.00")
    create_producer().send(signal=CREDIT_EARNED, topic=CREDIT_TOPIC, event_key_field=CREDIT_EVENT_KEY_FIELD,
                  event_data={"credit": too_many}, event_metadata=EventsMetadata(event_type=CREDIT_EARNED_EVENT_TYPE))
    # Not Avro at all, under our event type's headers.
    metadata = EventsMetadata(event_type=CREDIT_EARNED_EVENT_TYPE)
    bus.redis.xadd(bus.stream, {**get_headers_from_metadata(metadata), b"event_data": b"\x00 not avro"})
    # Then good credit, which must still be appended.
    good = credit_event()
    send_credit(good)
    assert bus.redis.xlen(bus.stream) == 3

    bus.wait_for(lambda: entries_for(good) == 1, "the good credit appended after the bad messages")
    log = bus.log(consumer)
    assert f"Dropped invalid credit event {too_many.id}" in log
    assert "more than indicator 5 allows" in log
    # Both bad messages parked as dead letters with the reason (xblocks.relay), then acknowledged.
    parked = {letter.kind: letter for letter in DeadLetter.objects.all()}
    assert set(parked) == {DeadLetter.Kind.INVALID, DeadLetter.Kind.UNDECODABLE}
    assert "more than indicator 5 allows" in parked[DeadLetter.Kind.INVALID].reason
    assert parked[DeadLetter.Kind.INVALID].idempotency_key == too_many.idempotency_key
    assert parked[DeadLetter.Kind.UNDECODABLE].raw_fields()[b"event_data"] == b"\x00 not avro"
    assert bus.redis.xpending(bus.stream, "ledger")["pending"] == 0
    assert Entry.objects.filter(idempotency_key=too_many.idempotency_key).count() == 0
    assert Entry.objects.count() == 1
    assert consumer.process.poll() is None, "the consumer stopped on a bad message"


def test_workbench_has_no_event_bus_unless_asked():
    assert not event_bus_settings({}, ["openedx_events"])
    configured = event_bus_settings({REDIS_URL_VARIABLE: REDIS_URL, TOPIC_PREFIX_VARIABLE: "dev"}, ["openedx_events"])
    # By default the relay publishes from the ledger, and nothing is produced inside requests.
    assert configured["EVENT_BUS_PRODUCER_CONFIG"] == {
        CREDIT_EARNED_EVENT_TYPE: {CREDIT_TOPIC: {"event_key_field": "credit.learner.user_id", "enabled": False}}}
    assert configured["INSTALLED_APPS"] == ["openedx_events", "edx_event_bus_redis"]
    direct = event_bus_settings({REDIS_URL_VARIABLE: REDIS_URL, PRODUCE_VARIABLE: "direct"}, ["openedx_events"])
    assert direct["EVENT_BUS_PRODUCER_CONFIG"][CREDIT_EARNED_EVENT_TYPE][CREDIT_TOPIC]["enabled"] is True
    with pytest.raises(ValueError, match=PRODUCE_VARIABLE):
        event_bus_settings({REDIS_URL_VARIABLE: REDIS_URL, PRODUCE_VARIABLE: "sometimes"}, ["openedx_events"])


def test_lms_plugin_settings_add_the_credit_topic_disabled_and_keep_the_operators_choice():
    lms = SimpleNamespace(EVENT_BUS_PRODUCER_CONFIG={"org.openedx.other.v1": {"t": {"event_key_field": "a", "enabled": True}}})
    plugin_settings(lms)
    assert lms.EVENT_BUS_PRODUCER_CONFIG[CREDIT_EARNED_EVENT_TYPE] == {
        CREDIT_TOPIC: {"event_key_field": "credit.learner.user_id", "enabled": False}}
    assert "org.openedx.other.v1" in lms.EVENT_BUS_PRODUCER_CONFIG

    operator = {CREDIT_EARNED_EVENT_TYPE: {CREDIT_TOPIC: {"event_key_field": "credit.learner.user_id", "enabled": True}}}
    lms = SimpleNamespace(EVENT_BUS_PRODUCER_CONFIG=json.loads(json.dumps(operator)))
    plugin_settings(lms)
    assert lms.EVENT_BUS_PRODUCER_CONFIG == operator

    bare = SimpleNamespace()
    plugin_settings(bare)
    assert bare.EVENT_BUS_PRODUCER_CONFIG[CREDIT_EARNED_EVENT_TYPE][CREDIT_TOPIC]["enabled"] is False
