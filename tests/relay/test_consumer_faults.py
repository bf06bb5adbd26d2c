"""
Fault tests of the credit consumer (xblocks.relay.consumer) on real, private servers: several
``consume_events`` processes append 10,000 credit messages from a Redis stream to a PostgreSQL
central ledger while the database is stopped, the chains are locked, or consumers are killed.
After recovery no credit is lost or duplicated, the ledger verifies, and every invalid message is
parked with its reason. Each test prints its figures (recorded in docs/event-bus.md).
"""
import random
import time

import pytest

from tests.relay.harness import CentralLedger, credit_messages
from tests.relay.private_servers import PrivatePostgres, PrivateRedis
from xblocks.ledger.models import ChainHead

EVENTS = 10_000
CONSUMERS = ("central-1", "central-2", "central-3")
CONVERGE = 300  # seconds for the consumers to settle the stream, at most (a loaded machine is slow)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """One private PostgreSQL and Redis for the module, and a migrated database each test copies."""
    with PrivatePostgres() as postgres, PrivateRedis() as redis_server:
        CentralLedger(postgres, redis_server, tmp_path_factory.mktemp("migrate")).manage("migrate", "--verbosity", "0")
        yield postgres, redis_server


@pytest.fixture
def central(servers, tmp_path, request):
    postgres, redis_server = servers
    name = f"central_{request.node.name[5:40]}"
    url = postgres.create_database(name, template=PrivatePostgres.DATABASE)
    ledger = CentralLedger(postgres, redis_server, tmp_path, database_url=url)
    try:
        yield ledger
    finally:
        ledger.stop_all()
        ledger.redis.flushall()


def assert_nothing_lost_or_duplicated(central, keys):
    recorded = central.recorded_keys()
    assert len(recorded) == len(set(recorded)), "a credit was recorded twice"
    lost = set(keys) - set(recorded)
    assert not lost, f"{len(lost)} credits lost, e.g. {sorted(lost)[:3]}"
    assert len(recorded) == len(keys)
    verified = central.manage("learning_citizen", "verify")  # exits 2 if a chain is broken
    assert f"Ledger intact: {len(keys)} entries verified." in verified.stdout


def figures(name, **values):
    print(f"\n[{name}] " + ", ".join(f"{key}={value}" for key, value in values.items()))


def test_central_database_stopped_while_consumers_read_then_locked(central):
    # Appends give up on a locked chain after 300 ms (LEARNING_CITIZEN_LOCK_TIMEOUT in the consumers'
    # settings, tests/relay/harness.py): the second fault below.
    for name in CONSUMERS:
        central.start_consumer(name)
    messages, keys = credit_messages(EVENTS, invalid=20, undecodable=5)
    central.produce(messages)

    # 1. The database stops (as a crash would) while the consumers are mid-stream, for 4 s.
    central.wait_for(lambda: central.entry_count() >= EVENTS // 10, "a tenth of the credit recorded", CONVERGE)
    central.postgres.stop()
    stopped_at = time.monotonic()
    time.sleep(4)
    pending_during_outage = central.group()[0]
    retried_during_outage = central.retried()
    central.postgres.start()
    restarted_at = time.monotonic()

    # 2. Then every chain is locked for 3 s: appends time out, and after 3 tries a message is parked.
    central.wait_for(lambda: central.entry_count() >= EVENTS // 5, "a fifth of the credit recorded", CONVERGE)
    with central.postgres.connect(central.database) as locker:
        with locker.transaction():
            locker.execute(f"LOCK TABLE {ChainHead._meta.db_table} IN ACCESS EXCLUSIVE MODE")  # pylint: disable=protected-access
            time.sleep(3)

    central.wait_for(central.settled, "every message acknowledged", CONVERGE)
    converged = time.monotonic() - restarted_at
    letters = central.letters()
    failed = [letter for letter in letters if letter[0] == "failed"]
    assert sorted({letter[0] for letter in letters}) == ["failed", "invalid", "undecodable"]
    assert sum(letter[0] == "invalid" for letter in letters) == 20
    assert sum(letter[0] == "undecodable" for letter in letters) == 5
    assert failed and all(letter[2] >= 3 for letter in failed), "a message was parked before its third try"
    assert central.entry_count() == EVENTS - len(failed)

    # 3. The operator re-drives every parked message: the failed ones are recorded, the invalid stay.
    redriven = central.manage("credit_dead_letters", "redrive", "--all", check=False)
    assert redriven.returncode == 2, redriven.stderr
    assert f"{len(failed)} messages re-driven; 25 still parked." in redriven.stdout
    assert_nothing_lost_or_duplicated(central, keys)
    listed = central.manage("credit_dead_letters", "list")
    assert "25 dead letters." in listed.stdout
    assert pending_during_outage > 0 and retried_during_outage > 0
    figures("database stopped 4 s, chains locked 3 s", events=EVENTS, consumers=len(CONSUMERS),
            invalid_parked=25, pending_during_outage=pending_during_outage, retried=central.retried(),
            parked_after_3_tries=len(failed), redriven=len(failed), lost=0, duplicated=0,
            converge_after_restart_s=round(converged, 1), outage_s=round(restarted_at - stopped_at, 1))


def test_consumers_killed_mid_batch_resume_their_pending_messages(central):
    for name in CONSUMERS:
        central.start_consumer(name)
    messages, keys = credit_messages(EVENTS)
    central.produce(messages)
    started = time.monotonic()

    # SIGKILL a consumer every 1.5 s (six times), each mid-stream, and restart it under its name.
    choose = random.Random(16)
    kills = resumed = 0
    for _ in range(6):
        central.wait_for(lambda: central.entry_count() > 0, "credit recorded", CONVERGE)
        time.sleep(1.5)
        name = choose.choice(CONSUMERS)
        central.kill(name)
        kills += 1
        pending = central.redis.xpending_range(central.stream, "central-ledger", "-", "+", 10, consumername=name)
        resumed += len(pending)
        central.start_consumer(name)

    central.wait_for(central.settled, "every message acknowledged", CONVERGE)
    converged = time.monotonic() - started
    assert not central.letters()
    assert_nothing_lost_or_duplicated(central, keys)
    figures("consumers killed mid-batch", events=EVENTS, consumers=len(CONSUMERS), kills=kills,
            pending_at_kill_resumed=resumed, retried=central.retried(), parked=0, lost=0, duplicated=0,
            converge_s=round(converged, 1))
