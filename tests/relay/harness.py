"""
A central ledger fed over the event bus, on private servers: a PostgreSQL database migrated for the
suite, a Redis stream of credit messages, and ``consume_events`` processes running the relay's
CreditConsumer, which the fault tests stop, kill and restart.
"""
import copy
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import fastavro
import redis
from edx_event_bus_redis.internal.utils import get_headers_from_metadata
from openedx_events.data import EventsMetadata
from openedx_events.event_bus.avro.serializer import AvroSignalSerializer

from tests.factories import credit_document
from xblocks.criteria.credit import parse_credit_event
from xblocks.ledger.models import Entry
from xblocks.ledger.settings.event_bus import CREDIT_TOPIC
from xblocks.ledger.signals import CREDIT_EARNED, CREDIT_EARNED_EVENT_TYPE, to_signal_data
from xblocks.relay.models import DeadLetter
from xblocks.standalone.database import DATABASE_URL_VARIABLE
from xblocks.standalone.event_bus import REDIS_URL_VARIABLE, TOPIC_PREFIX_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "fault"
GROUP = "central-ledger"

# The consumers' settings: the standalone suite, quick retries, and only warnings logged (10,000
# "recorded" lines per test would cost more than the work).
SETTINGS_MODULE = """
from xblocks.standalone.settings import *  # noqa
EVENT_BUS_REDIS_AUDIT_LOGGING_ENABLED = False
LANGUAGE_CODE = "en"  # the commands' output, as the tests read it
LEARNING_CITIZEN_RELAY_CONSUMER_MAX_TRIES = 3
LEARNING_CITIZEN_RELAY_CONSUMER_RETRY_DELAY = 0.05
LEARNING_CITIZEN_RELAY_CONSUMER_RETRY_MAX_DELAY = 0.5
LEARNING_CITIZEN_LOCK_TIMEOUT = 0.3  # appends give up on a locked chain after 300 ms (the lock fault)
LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": str(VAR_DIR / "consumer.log")}},
    "root": {"handlers": ["file"], "level": "WARNING"},
    "loggers": {"edx_event_bus_redis.internal.consumer": {"level": "INFO"}},
}
"""


def credit_messages(count, *, learners=300, invalid=0, undecodable=0, seed=16):
    """
    ``count`` valid credit messages (Redis fields, as the library's producer writes them) for
    ``learners`` learners, with ``invalid`` ones (more points than the indicator allows) and
    ``undecodable`` ones spread among them; returns (messages, the valid credits' keys).

    One credit is validated, and the others are copies of it for other learners and keys:
    validating 10,000 documents would take longer than the test.
    """
    shuffle = random.Random(seed)
    # The library's own Avro record of one validated credit, and its schema, written per message
    # by fastavro as the library does (its dict conversion is what costs: 3 ms a message).
    serializer = AvroSignalSerializer(CREDIT_EARNED)
    schema = fastavro.parse_schema(serializer.schema)
    template = serializer.to_dict({"credit": to_signal_data(parse_credit_event(credit_document()))})
    headers = get_headers_from_metadata(EventsMetadata(event_type=CREDIT_EARNED_EVENT_TYPE))
    messages, keys = [], []
    for number in range(count + invalid):
        user_id = 10_000 + shuffle.randrange(learners)
        key = f"fault:{uuid.UUID(int=shuffle.getrandbits(128))}"
        record = copy.deepcopy(template)
        record["credit"].update(id=str(uuid.UUID(int=shuffle.getrandbits(128), version=4)), idempotency_key=key,
                                learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"})
        if number >= count:
            record["credit"]["points"] = "11.00"  # indicator 5 allows 10
        else:
            keys.append(key)
        out = io.BytesIO()
        fastavro.schemaless_writer(out, schema, record)
        messages.append({**headers, b"id": str(uuid.UUID(int=shuffle.getrandbits(128), version=1)).encode(),
                         b"event_data": out.getvalue()})
    for _ in range(undecodable):
        messages.append({**headers, b"event_data": b"\x00 not avro"})
    shuffle.shuffle(messages)
    return messages, keys


class CentralLedger:
    """The private servers, the stream, and the consumer processes of one fault test."""

    def __init__(self, postgres, redis_server, workdir, database_url=None):
        self.postgres = postgres
        self.database_url = database_url or postgres.url
        self.database = self.database_url.rsplit("/", 1)[1]
        self.redis_server = redis_server
        self.workdir = workdir
        self.stream = f"{PREFIX}-{CREDIT_TOPIC}"
        self.redis = redis.Redis.from_url(redis_server.url)
        self.consumers = {}
        (workdir / "relay_fault_settings.py").write_text(SETTINGS_MODULE, encoding="utf-8")
        self.entries_table = Entry._meta.db_table  # pylint: disable=protected-access
        self.letters_table = DeadLetter._meta.db_table  # pylint: disable=protected-access

    def environment(self, var):
        return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(self.workdir)]),
                "DJANGO_SETTINGS_MODULE": "relay_fault_settings", DATABASE_URL_VARIABLE: self.database_url,
                REDIS_URL_VARIABLE: self.redis_server.url, TOPIC_PREFIX_VARIABLE: PREFIX, "LEARNING_CITIZEN_VAR": str(var)}

    def manage(self, *arguments, check=True):
        """``django-admin`` with the consumers' settings, run to its end."""
        var = self.workdir / "manage"
        var.mkdir(exist_ok=True)
        result = subprocess.run([sys.executable, "-m", "django", *arguments], cwd=self.workdir, env=self.environment(var),
                                capture_output=True, text=True, timeout=120, check=False)
        if check and result.returncode:
            raise AssertionError(f"{arguments} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def produce(self, messages):
        with self.redis.pipeline(transaction=False) as pipe:
            for number, fields in enumerate(messages, 1):
                pipe.xadd(self.stream, fields)
                if number % 1000 == 0:
                    pipe.execute()
            pipe.execute()

    def start_consumer(self, name):
        var = self.workdir / name
        var.mkdir(exist_ok=True)
        with open(var / "output.txt", "ab") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "django", "consume_events", "-t", CREDIT_TOPIC, "-g", GROUP,
                 "--extra", json.dumps({"consumer_name": name})],
                cwd=self.workdir, env=self.environment(var), stdout=output, stderr=subprocess.STDOUT)
        self.consumers[name] = SimpleNamespace(name=name, process=process, var=var)
        return self.consumers[name]

    def log(self, name):
        path = self.workdir / name / "consumer.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def describe(self):
        return "\n".join(f"--- {name} (exit {c.process.poll()}):\n{(c.var / 'output.txt').read_text(errors='replace')[-2000:]}"
                         f"{self.log(name)[-3000:]}" for name, c in self.consumers.items())

    def kill(self, name):
        consumer = self.consumers[name]
        consumer.process.send_signal(signal.SIGKILL)
        consumer.process.wait(timeout=10)

    def stop_all(self):
        for consumer in self.consumers.values():
            if consumer.process.poll() is None:
                consumer.process.terminate()
        for consumer in self.consumers.values():
            try:
                consumer.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                consumer.process.kill()
                consumer.process.wait(timeout=10)

    def wait_for(self, condition, what, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                if condition():
                    return
            except Exception:  # pylint: disable=broad-except  # the database may be down or restarting
                pass
            dead = [name for name, c in self.consumers.items() if c.process.poll() not in (None, -signal.SIGKILL)]
            if dead:
                raise AssertionError(f"consumers {dead} exited while waiting for {what}\n{self.describe()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {timeout}s\n{self.describe()}")
            time.sleep(0.2)

    # What the central ledger and the stream hold.
    def query(self, sql):
        with self.postgres.connect(self.database) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def entry_count(self):
        return self.query(f"SELECT count(*) FROM {self.entries_table}")[0][0]

    def recorded_keys(self):
        return [key for (key,) in self.query(f"SELECT idempotency_key FROM {self.entries_table}")]

    def letters(self):
        return self.query(f"SELECT kind, status, attempts, idempotency_key FROM {self.letters_table}")

    def group(self):
        """The group's pending (read, not acknowledged) and lag (not yet read) counts."""
        for info in self.redis.xinfo_groups(self.stream):
            if info["name"] in (GROUP, GROUP.encode()):
                return info["pending"], info["lag"]
        return None, None

    def settled(self):
        """Every message of the stream read and acknowledged."""
        return self.group() == (0, 0)

    def retried(self):
        return sum(self.log(name).count("trying again in") + self.log(name).count("is read again in") for name in self.consumers)
