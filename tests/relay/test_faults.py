"""
Fault tests of the producing side on a real Redis (a private redis-server: these tests stop it)
and real databases, one SQLite file per site: nothing a site records is lost on the way to the
central ledger, and nothing is recorded twice.

Every site and the central ledger are separate processes with the standalone settings, as an
operator runs them: learners earn credit (tests/relay/site.py), ``credit_relay`` publishes it, the
central ledger consumes it (tests/relay/central.py). The tests print their figures; the last
measured ones are in docs/event-bus.md.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.relay.private_servers import PrivateRedis
from xblocks.ledger.settings.event_bus import CREDIT_TOPIC

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "faults"
STREAM = f"{PREFIX}-{CREDIT_TOPIC}"
CONVERGE_WITHIN = 240  # seconds; a failure, not the expected time (the figures say that)


def _scratch():
    """Database files in memory when the machine has /dev/shm: fsyncs would dominate otherwise."""
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="relay-faults-", dir=shm if shm.is_dir() else None))


def _environ(database, var, redis_url=None):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xblocks.standalone.settings", "PYTHONPATH": str(ROOT),
           "LEARNING_CITIZEN_DATABASE_URL": f"sqlite:///{database}", "LEARNING_CITIZEN_VAR": str(var)}
    if redis_url:
        env.update(LEARNING_CITIZEN_EVENT_BUS_REDIS_URL=redis_url, LEARNING_CITIZEN_EVENT_BUS_TOPIC_PREFIX=PREFIX)
    return env


class World:
    """The sites, the central ledger and their processes in one scratch directory."""

    def __init__(self, directory, template):
        self.directory = directory
        self.template = template
        self.processes = []

    def database(self, name):
        path = self.directory / f"{name}.db"
        if not path.exists():
            shutil.copyfile(self.template, path)
        return path

    def start(self, name, database, arguments, redis_url=None):
        var = self.directory / f"var-{name}"
        var.mkdir(exist_ok=True)
        output = open(var / "output.txt", "wb")  # pylint: disable=consider-using-with
        process = subprocess.Popen([sys.executable, *arguments], cwd=ROOT, env=_environ(database, var, redis_url),
                                   stdout=output, stderr=subprocess.STDOUT)
        process.name, process.output = name, var / "output.txt"
        self.processes.append(process)
        return process

    def run(self, name, database, arguments, redis_url=None, timeout=CONVERGE_WITHIN):
        process = self.start(name, database, arguments, redis_url)
        process.wait(timeout=timeout)
        assert process.returncode == 0, self.describe()
        return process.output.read_text()

    def describe(self):
        return "\n".join(f"--- {p.name} (exit {p.poll()}):\n{p.output.read_text(errors='replace')[-3000:]}"
                         for p in self.processes)

    def wait_for(self, condition, what, timeout=CONVERGE_WITHIN):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {timeout}s\n{self.describe()}")
            time.sleep(0.2)

    def close(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def keys(database):
    with sqlite3.connect(database, timeout=30) as connection:
        return [key for (key,) in connection.execute("SELECT idempotency_key FROM learning_citizen_ledger_entry")]


def count(database):
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute("SELECT COUNT(*) FROM learning_citizen_ledger_entry").fetchone()[0]


def last_json(text):
    return json.loads([line for line in text.splitlines() if line.startswith("{")][-1])


@pytest.fixture(scope="module")
def template():
    """One migrated database, copied for every site (migrating is the slow part of starting one)."""
    directory = _scratch()
    path = directory / "template.db"
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], cwd=ROOT, check=True,
                   env=_environ(path, directory / "var"))
    yield path
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def world(template):
    directory = _scratch()
    state = World(directory, template)
    try:
        yield state
    finally:
        state.close()
        shutil.rmtree(directory, ignore_errors=True)


def central_consumer(world, central, redis_url):
    stop = world.directory / "stop-central"
    process = world.start("central", central, ["-m", "tests.relay.central", "--redis-url", redis_url,
                                                "--stream", STREAM, "--stop-file", str(stop)])
    return process, stop


def finish_central(world, process, stop):
    stop.touch()
    process.wait(timeout=60)
    assert process.returncode == 0, world.describe()
    return last_json(process.output.read_text())


def assert_converged(sites, central, central_figures):
    produced = [key for site in sites for key in keys(site)]
    recorded = keys(central)
    lost = set(produced) - set(recorded)
    assert not lost, f"{len(lost)} credits lost, e.g. {sorted(lost)[:3]}"
    assert len(recorded) == len(set(recorded)) == len(produced), "a credit was recorded twice (or one not produced)"
    assert central_figures["verify_intact"] and central_figures["verify_checked"] == len(produced)


def test_redis_stopped_while_learners_earn_credit_loses_nothing(world):
    with PrivateRedis(world.directory / "redis") as server:
        sites = {"a": (1, 100), "b": (100001, 100)}  # first user id, learners (one site's ids are not the other's)
        per_learner = 50
        expected = sum(learners for _first, learners in sites.values()) * per_learner
        central = world.database("central")
        consumer, stop = central_consumer(world, central, server.url)
        relays, earners = {}, []
        for name, (first, learners) in sites.items():
            database = world.database(name)
            relays[name] = world.start(f"relay-{name}", database, ["-m", "django", "credit_relay", "run", "--interval", "0.2",
                                                                    "--max-backoff", "2"], server.url)
            earners.append(world.start(f"earn-{name}", database, [
                "-m", "tests.relay.site", "earn", "--first-user", str(first), "--learners", str(learners),
                "--per-learner", str(per_learner), "--tag", name]))
        databases = [world.database(name) for name in sites]

        # Redis goes away while learners are earning and the relays publishing...
        world.wait_for(lambda: count(central) >= expected // 20, "credit published and consumed before the outage")
        server.stop()
        stopped_at = time.monotonic()
        earned_during_outage = sum(count(d) for d in databases)
        world.wait_for(lambda: (sum(count(d) for d in databases) >= earned_during_outage + expected // 10
                                and time.monotonic() - stopped_at > 3), "credit earned during the outage")
        earned_during_outage = sum(count(d) for d in databases) - earned_during_outage
        outage = time.monotonic() - stopped_at
        # ...and comes back.
        server.start()
        restarted = time.monotonic()
        for earner in earners:
            earner.wait(timeout=CONVERGE_WITHIN)
            assert earner.returncode == 0, world.describe()
        world.wait_for(lambda: count(central) >= expected, "every credit in the central ledger")
        converged = time.monotonic() - restarted
        for relay in relays.values():
            relay.terminate()
            relay.wait(timeout=30)
        figures = finish_central(world, consumer, stop)
        relayed = [last_json(relay.output.read_text()) for relay in relays.values()]

    assert_converged(databases, central, figures)
    retried = sum(r["failures"] for r in relayed)
    assert retried > 0, "no publication failed: Redis was not down while the relays published"
    print(f"\nRedis stopped for {outage:.1f} s while learners earned credit in 2 sites "
          f"(2 learner processes, 2 relays, 1 central consumer):\n"
          f"  events produced {expected}, earned during the outage {earned_during_outage}, "
          f"published {sum(r['published'] for r in relayed)}, failed publications retried {retried}, "
          f"central Redis errors {figures['redis_errors']}, repeats skipped {figures['repeats']}\n"
          f"  converged {converged:.1f} s after Redis came back; lost 0, duplicated 0, verify intact "
          f"({figures['verify_checked']} entries)")


def test_stream_trimmed_past_unread_messages_is_recovered_by_reconciliation(world):
    import redis  # pylint: disable=import-outside-toplevel
    with PrivateRedis(world.directory / "redis") as server:
        learners, per_learner, kept = 200, 50, 1000
        expected = learners * per_learner
        site, central = world.database("site"), world.database("central")
        client = redis.Redis.from_url(server.url)
        # The central ledger's group exists but reads nothing yet (its consumer is down)...
        client.xgroup_create(STREAM, "central-ledger", id="0", mkstream=True)
        world.run("earn", site, ["-m", "tests.relay.site", "earn", "--first-user", "1", "--learners", str(learners),
                                 "--per-learner", str(per_learner), "--tag", "site", "--batch", "500"])
        first = last_json(world.run("relay-1", site, ["-m", "django", "credit_relay", "run", "--once"], server.url))
        assert first["published"] == expected
        # ...while the stream is trimmed past its unread messages.
        client.xtrim(STREAM, maxlen=kept)
        assert client.xlen(STREAM) == kept

        started = time.monotonic()
        consumer, stop = central_consumer(world, central, server.url)
        world.wait_for(lambda: count(central) >= kept, "the messages left in the stream consumed")
        assert count(central) == kept
        world.run("digest", central, ["-m", "django", "credit_relay", "digest", "--period", "2026",
                                      "-o", str(world.directory / "digest.json")])
        found = json.loads(world.run("reconcile", site, ["-m", "django", "credit_relay", "reconcile", "--period", "2026",
                                                         str(world.directory / "digest.json"), "--json"]))
        assert len(found["missing"]) == found["queued"] == expected - kept
        again = last_json(world.run("relay-2", site, ["-m", "django", "credit_relay", "run", "--once"], server.url))
        assert again["resent"] == again["published"] == expected - kept
        world.wait_for(lambda: count(central) >= expected, "every credit in the central ledger")
        converged = time.monotonic() - started
        figures = finish_central(world, consumer, stop)
        # Reconciling again finds nothing missing.
        world.run("digest-2", central, ["-m", "django", "credit_relay", "digest", "--period", "2026",
                                        "-o", str(world.directory / "digest-2.json")])
        after = json.loads(world.run("reconcile-2", site, ["-m", "django", "credit_relay", "reconcile", "--period", "2026",
                                                           str(world.directory / "digest-2.json"), "--json"]))

    assert after["missing"] == [] and after["queued"] == 0
    assert_converged([site], central, figures)
    print(f"\nStream trimmed to {kept} of {expected} unread messages, recovered by reconciliation:\n"
          f"  events produced {expected}, published {first['published']}, found missing and re-sent "
          f"{again['resent']}, central repeats skipped {figures['repeats']}\n"
          f"  converged {converged:.1f} s after the central consumer started (digest, reconcile and re-send "
          f"included); lost 0, duplicated 0, verify intact ({figures['verify_checked']} entries)")
