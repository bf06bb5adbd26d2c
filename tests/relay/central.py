"""
The central ledger in the relay's fault tests, run as ``python -m tests.relay.central`` with the
standalone settings and the central LEARNING_CITIZEN_DATABASE_URL.

It reads the credit stream as a consumer group, decodes each message the way edx-event-bus-redis's
consumer does (its RedisMessage and openedx-events' Avro deserializer), validates it as the
ledger's receiver does, and appends a batch at a time with ``append_many``, acknowledging only
after the batch is committed: at-least-once, like the platform's consumer, but batched, so ten
thousand events fit in a test's time on a loaded machine. (The platform's ``consume_events``
with this ledger's receiver is tested in tests/ledger/test_event_bus.py; the tests here are
about the producing side.) It stops when STOP_FILE appears, then verifies the central ledger's
chains and prints its figures as one JSON line.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import django


def consume(redis_url, stream, group, stop_file):
    import redis  # pylint: disable=import-outside-toplevel
    from edx_event_bus_redis.internal.message import RedisMessage  # pylint: disable=import-outside-toplevel
    from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data  # pylint: disable=import-outside-toplevel

    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.signals import CREDIT_EARNED, received_event  # pylint: disable=import-outside-toplevel

    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    figures = {"messages": 0, "appended": 0, "repeats": 0, "redis_errors": 0}
    group_ready = False
    while not Path(stop_file).exists():
        try:
            if not group_ready:
                try:
                    client.xgroup_create(stream, group, id="0", mkstream=True)
                except redis.exceptions.ResponseError as error:
                    if "BUSYGROUP" not in str(error):
                        raise
                group_ready = True
            # Our own unacknowledged messages first (a batch that failed), then new ones.
            batch = client.xreadgroup(group, "central-1", {stream: "0"}, count=500)
            if not batch or not batch[0][1]:
                batch = client.xreadgroup(group, "central-1", {stream: ">"}, count=500, block=200)
            messages = batch[0][1] if batch else []
            if not messages:
                continue
            events = []
            for raw in messages:
                message = RedisMessage.parse(raw, stream)
                data = deserialize_bytes_to_event_data(message.event_data, CREDIT_EARNED)
                events.append(received_event(data["credit"]))
            appended, skipped = api.append_many(events)
            client.xack(stream, group, *[raw[0] for raw in messages])
            figures["messages"] += len(messages)
            figures["appended"] += appended
            figures["repeats"] += skipped
        except redis.exceptions.RedisError:
            # Redis is down (the fault under test): the group and unacknowledged messages wait.
            figures["redis_errors"] += 1
            group_ready = False
            time.sleep(0.2)
    report = api.verify()
    figures.update(entries=Entry.objects.count(), verify_intact=report.intact, verify_checked=report.entries_checked)
    print(json.dumps(figures), flush=True)


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--stream", required=True)
    parser.add_argument("--group", default="central-ledger")
    parser.add_argument("--stop-file", required=True)
    options = parser.parse_args(argv)
    django.setup()
    consume(options.redis_url, options.stream, options.group, options.stop_file)


if __name__ == "__main__":
    main(sys.argv[1:])
