"""The relay publishes the local ledger in order, retries until the bus takes it, and reconciles."""
import io
import json
import logging

import pytest
from django.core.management import CommandError, call_command
from edx_event_bus_redis.internal.producer import RedisEventProducer
from openedx_events.event_bus import EventBusProducer, NoEventBusProducer
from walrus import Database

from tests.factories import credit_event
from tests.relay.private_servers import PrivateRedis, free_port
from xblocks.criteria.credit import parse_credit_event
from xblocks.ledger import api
from xblocks.ledger.models import Entry
from xblocks.ledger.settings.event_bus import CREDIT_TOPIC
from xblocks.ledger.signals import to_credit_document
from xblocks.relay import reconcile
from xblocks.relay.models import ChainCursor, Resend
from xblocks.relay.outbox import Backoff, DeliveryFailed, NotConfigured, Publisher, Relay, to_event_data


class RecordingProducer(EventBusProducer):
    """Stands in for the bus: keeps what it was sent; fails (as edx-event-bus-redis does: it logs) while ``down``."""

    def __init__(self):
        self.sent, self.down = [], 0

    def send(self, *, signal, topic, event_key_field, event_data, event_metadata):
        if self.down:
            self.down -= 1
            logging.getLogger("edx_event_bus_redis.internal.producer").error("Error delivering message to Redis event bus.")
            return
        self.sent.append((topic, event_key_field, event_data["credit"]))


def relay_with(producer, **options):
    waits = []
    relay = Relay(Publisher(producer), sleep=waits.append, **options)
    return relay, waits


def earn(user_id, count, tag="t"):
    return [api.append(credit_event(idempotency_key=f"{tag}:{user_id}:{n}",
                                    learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"})).entry
            for n in range(count)]


@pytest.mark.database
@pytest.mark.django_db
def test_the_relay_publishes_each_learners_credit_in_order_and_only_once():
    entries = earn(3, 4) + earn(19, 3) + earn(4, 2)  # learners 3 and 19 share chain 3
    producer = RecordingProducer()
    relay, _waits = relay_with(producer)
    with relay.publisher:
        assert relay.pending() == 9
        assert relay.run_once() == 9
        assert relay.run_once() == 0  # nothing twice
    keys = [credit.idempotency_key for _topic, _field, credit in producer.sent]
    assert sorted(keys) == sorted(entry.idempotency_key for entry in entries)
    for user_id in (3, 19, 4):
        assert [k for k in keys if k.startswith(f"t:{user_id}:")] == [f"t:{user_id}:{n}" for n in range(4 if user_id == 3 else 3 if user_id == 19 else 2)]
    assert {topic for topic, _field, _credit in producer.sent} == {CREDIT_TOPIC}
    assert ChainCursor.objects.get(chain=3).published_position == 7
    assert relay.pending() == 0


@pytest.mark.database
@pytest.mark.django_db
def test_a_failed_send_is_retried_with_growing_waits_and_never_skipped():
    earn(5, 3)
    producer = RecordingProducer()
    producer.down = 4
    relay, waits = relay_with(producer, backoff=Backoff(first=0.5, longest=3))
    with relay.publisher:
        relay.run_once()
    assert waits == [0.5, 1.0, 2.0, 3]
    assert [credit.idempotency_key for *_rest, credit in producer.sent] == ["t:5:0", "t:5:1", "t:5:2"]
    assert relay.stats.failures == 4 and relay.stats.published == 3


@pytest.mark.database
@pytest.mark.django_db
def test_with_max_tries_the_relay_gives_up_keeping_its_place():
    earn(6, 3)
    producer = RecordingProducer()
    relay, _waits = relay_with(producer, max_tries=2)
    with relay.publisher:
        relay.run_once()
        earn(6, 2, tag="later")
        producer.down = 5
        with pytest.raises(DeliveryFailed):
            relay.run_once()
        assert relay.pending() == 2
        producer.down = 0
        assert relay.run_once() == 2
    assert len(producer.sent) == 5


@pytest.mark.database
@pytest.mark.django_db
def test_reversals_do_not_travel_but_do_not_stop_the_relay():
    original = earn(7, 1)[0]
    api.reverse(original, reason="entered twice")
    earn(7, 1, tag="after")
    producer = RecordingProducer()
    relay, _waits = relay_with(producer)
    with relay.publisher:
        relay.run_once()
    assert [credit.idempotency_key for *_rest, credit in producer.sent] == ["t:7:0", "after:7:0"]
    assert relay.stats.skipped == 1


@pytest.mark.database
@pytest.mark.django_db
def test_the_event_a_relay_sends_is_the_credit_that_was_recorded():
    event = credit_event(evidence=[{"uri": "https://example.org/e/1", "sha256": "a" * 64}, {"uri": "https://example.org/e/2"}])
    entry = api.append(event).entry
    assert parse_credit_event(to_credit_document(to_event_data(Entry.objects.get(pk=entry.pk)))) == event


@pytest.mark.database
@pytest.mark.django_db
def test_failures_of_the_real_redis_producer_are_seen_and_a_restarted_redis_takes_the_credit(tmp_path):
    earn(8, 2)
    with PrivateRedis(tmp_path / "redis") as server:
        relay, waits = relay_with(RedisEventProducer(Database.from_url(server.url)), max_tries=3)
        server.stop()
        with relay.publisher:
            with pytest.raises(DeliveryFailed, match="Error delivering message"):
                relay.run_once()
            assert relay.pending() == 2 and len(waits) == 2
            server.start()
            assert relay.run_once() == 2
        client = server.client()
        assert [client.xlen(stream) for stream in client.scan_iter(match=f"*{CREDIT_TOPIC}")] == [2]


def test_without_a_configured_producer_the_relay_refuses_to_run():
    with pytest.raises(NotConfigured):
        Publisher(NoEventBusProducer())


@pytest.mark.database
@pytest.mark.django_db
def test_reconciliation_finds_what_the_central_ledger_lacks_and_the_relay_sends_it_again():
    entries = earn(10, 3) + earn(1500, 2) + earn(2600, 1)
    central = reconcile.digest(period="2026")
    # The central ledger lost two credits (the stream was trimmed before it read them)...
    lost = {entries[1].idempotency_key, entries[4].idempotency_key}
    for number, record in central["ranges"].items():
        record["fingerprints"] = [p for p in record["fingerprints"] if p not in {reconcile.fingerprint(k) for k in lost}]
        record["count"] = len(record["fingerprints"])
    # ...and holds another site's credit in a range of this one's, which is not this site's concern.
    central["ranges"]["2"]["fingerprints"].append(reconcile.fingerprint("other-site:1"))
    central["ranges"]["2"]["count"] += 1
    result = reconcile.compare(central, period="2026")
    assert {key for _pk, key in result.missing} == lost
    assert [(r.number, r.local, r.central, len(r.missing)) for r in result.ranges] == [(0, 3, 2, 1), (1, 2, 1, 1), (2, 1, 2, 0)]
    assert reconcile.queue_resends(result) == 2
    assert reconcile.queue_resends(result) == 0  # asked twice, queued once

    producer = RecordingProducer()
    relay, _waits = relay_with(producer)
    with relay.publisher:
        relay.run_once()
        assert relay.stats.published == 6 + 2 and relay.stats.resent == 2
    assert not Resend.objects.exists()
    assert [credit.idempotency_key for *_rest, credit in producer.sent[-2:]] == [entries[1].idempotency_key, entries[4].idempotency_key]


@pytest.mark.database
@pytest.mark.django_db
def test_a_complete_central_ledger_has_nothing_missing_and_a_digest_of_another_scope_is_refused():
    earn(10, 3)
    assert reconcile.compare(reconcile.digest(period="2026"), period="2026").missing == []
    assert reconcile.compare_with_database("default", period="2026").missing == []  # the route without a file
    with pytest.raises(reconcile.BadDigest, match="another period"):
        reconcile.compare(reconcile.digest(period="2025"), period="2026")
    with pytest.raises(reconcile.BadDigest):
        reconcile.compare({"format": "something else"})


@pytest.mark.database
@pytest.mark.django_db
def test_the_commands_digest_and_reconcile_through_a_file(tmp_path):
    entries = earn(10, 2)
    digest_file = tmp_path / "central.json"
    call_command("credit_relay", "digest", "--period", "2026", "-o", str(digest_file))
    document = json.loads(digest_file.read_text())
    document["ranges"]["0"]["fingerprints"].remove(reconcile.fingerprint(entries[0].idempotency_key))
    document["ranges"]["0"]["count"] -= 1
    digest_file.write_text(json.dumps(document))
    out = io.StringIO()
    call_command("credit_relay", "reconcile", "--period", "2026", str(digest_file), "--dry-run", stdout=out)
    assert "learners 0-999: 2 here, 1 centrally, 1 missing" in out.getvalue()
    assert entries[0].idempotency_key in out.getvalue()
    assert not Resend.objects.exists()  # a dry run queues nothing
    call_command("credit_relay", "reconcile", "--period", "2026", str(digest_file), stdout=io.StringIO())
    assert list(Resend.objects.values_list("entry_id", flat=True)) == [entries[0].pk]


@pytest.mark.database
@pytest.mark.django_db
def test_the_commands_refuse_bad_input_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="cannot use the digest"):
        call_command("credit_relay", "reconcile", str(tmp_path / "missing.json"))
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(CommandError, match="cannot use the digest"):
        call_command("credit_relay", "reconcile", str(tmp_path / "bad.json"))
    with pytest.raises(CommandError, match="not a date"):
        call_command("credit_relay", "digest", "--since", "yesterday")
    with pytest.raises(CommandError, match="no database alias"):
        call_command("credit_relay", "reconcile", "--central-database", "nowhere")
    with pytest.raises(CommandError, match="no event bus producer"):
        call_command("credit_relay", "run", "--once")
    assert not Resend.objects.exists()


def test_free_port_is_free():
    port = free_port()
    with PrivateRedis(port=port) as server:
        assert server.client().ping() and server.port == port


@pytest.mark.database
@pytest.mark.django_db
def test_a_relay_waiting_out_an_outage_stops_when_asked_keeping_its_place():
    earn(9, 2)
    producer = RecordingProducer()
    producer.down = 100
    stopping = []
    relay = Relay(Publisher(producer), sleep=lambda _seconds: stopping.append(True), stop=lambda: len(stopping) >= 3)
    with relay.publisher:
        relay.run_forever()
        assert relay.stats.failures == 3 and relay.pending() == 2
