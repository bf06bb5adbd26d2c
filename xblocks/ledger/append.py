"""
The ledger's write path: :func:`append` and :func:`append_many` record credit events, and
:func:`reverse` corrects an entry by appending its opposite. The same idempotency key never
yields a second entry, whatever the concurrency; a key offered again for a different credit is
a conflict (:data:`CREDIT_IDENTITY`), never a silent duplicate.

Each learner's entries belong to one hash chain (``user_id % CHAIN_COUNT``). An append locks
that chain's head row, links the new entry to it and moves the head, in one transaction: the
cost of an append does not depend on how long the ledger is.
"""
import logging
import math
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.utils import timezone

from xblocks.criteria.problems import N_, InvalidInput, Problem

from .chain import link_hash
from .models import ChainHead, Entry, chain_of
from .signals import entry_reversed

log = logging.getLogger(__name__)

# Existing keys are looked up, and new rows inserted, in slices of these sizes (keeps statements
# well under the drivers' parameter and packet limits).
_KEY_SLICE = 1000
_INSERT_SLICE = 500


# What a credit is. The same idempotency key with any of these different is another credit, not a
# repeat of the recorded one; the event id, times, anonymous id and evidence links may differ
# between two deliveries of one credit.
CREDIT_IDENTITY = (
    "user_id", "framework_id", "indicator", "points", "hours", "period",
    "source_kind", "course_key", "usage_key", "provenance", "assurance",
)


@dataclass(frozen=True)
class AppendResult:
    entry: Entry
    created: bool  # False: the idempotency key was already recorded and nothing was written
    # When not created: the CREDIT_IDENTITY fields in which the recorded entry differs from the
    # credit just offered (empty for a true repeat). Callers decide whether that is an error.
    conflicts: tuple = ()


class KeyConflict(InvalidInput):
    """Idempotency keys offered again for different credits; ``conflicts`` is {key: differing fields}."""

    def __init__(self, conflicts):
        self.conflicts = dict(conflicts)
        super().__init__([key_conflict_problem(key, fields) for key, fields in self.conflicts.items()])


def key_conflict_problem(key, fields):
    return Problem(N_("idempotency key {key} is already recorded for a different credit ({fields} differ)"),
                   {"key": key, "fields": ", ".join(fields)}, where="idempotency_key")


def _comparable(name, value):
    if value is None and name not in ("points", "hours"):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def differing_fields(recorded, offered):
    """The CREDIT_IDENTITY fields whose values differ between two credits (dicts by attname, entries or events)."""
    def get(source, name):
        return source[name] if isinstance(source, dict) else getattr(source, name)
    return tuple(name for name in CREDIT_IDENTITY
                 if _comparable(name, get(recorded, name)) != _comparable(name, get(offered, name)))


def _values_from_event(event, *, chain, recorded_at):
    """The new entry's field values by attname (its position and hash are set when it is linked)."""
    return {
        "chain": chain,
        "position": 0,
        "entry_hash": "",
        "event_id": uuid.UUID(event.id),
        "idempotency_key": event.idempotency_key,
        "kind": Entry.Kind.CREDIT.value,
        "reverses_id": None,
        "reason": "",
        "user_id": event.user_id,
        "anonymous_id": event.anonymous_id,
        "framework_id": event.framework_id,
        "framework_version": event.framework_version,
        "indicator": event.indicator,
        "points": event.points,
        "hours": event.hours,
        "period": event.period,
        "source_kind": event.source_kind,
        "course_key": event.course_key,
        "usage_key": event.usage_key,
        "provenance": event.provenance,
        "assurance": event.assurance,
        "evidence": [dict(item) for item in event.evidence],
        "occurred_at": event.occurred_at,
        "recorded_at": recorded_at,
    }


def _link(values, head):
    """Give the entry the next place in its chain after ``head`` = [length, hash], and move ``head``."""
    values["position"] = head[0] + 1
    values["entry_hash"] = link_hash(head[1], values)
    head[0], head[1] = values["position"], values["entry_hash"]


class _AppendStatements:
    """
    The SQL of appending, written once per database connection from the models' metadata.

    Appending is the ledger's hot path, and the ORM builds and compiles every query afresh on
    each call: that was most of an append's time (see docs/benchmarks.md). These are the
    statements the ORM would send (same tables, columns and lock; values converted by the same
    model fields), composed once. Like ``bulk_create``, the inserts send no model signals;
    nothing listens to them, and the ledger announces what it records itself.
    """

    def __init__(self, connection):
        quote = connection.ops.quote_name
        entry, head = Entry._meta, ChainHead._meta  # pylint: disable=protected-access

        def column(meta, name):
            return quote(meta.get_field(name).column)

        self.fields = [field for field in entry.concrete_fields if not field.primary_key]
        self.attnames = [field.attname for field in self.fields]
        # Only these fields' values change on the way to the database (UUIDs, decimals, times,
        # JSON); the others are already the str or int the driver takes.
        self.converted = [(index, converter) for index, converter in
                          ((index, _to_database(field)) for index, field in enumerate(self.fields)) if converter]
        # SQLite has no row locks: BEGIN IMMEDIATE takes the database's write lock, so writers queue.
        self.begin = "BEGIN IMMEDIATE" if connection.vendor == "sqlite" else "BEGIN"
        self.vendor = connection.vendor
        # MariaDB bounds one statement's lock wait (SET STATEMENT … FOR); MySQL has no such form,
        # so there the server's innodb_lock_wait_timeout applies (docs/install-openedx.md).
        self.per_statement_wait = connection.vendor == "mysql" and connection.mysql_is_mariadb
        self.find_keys = (f"SELECT {column(entry, 'idempotency_key')} FROM {quote(entry.db_table)} "
                          f"WHERE {column(entry, 'idempotency_key')} IN ")
        self.lock_heads = (f"SELECT {column(head, 'chain')}, {column(head, 'length')}, {column(head, 'head_hash')} "
                           f"FROM {quote(head.db_table)} WHERE {column(head, 'chain')} IN ")
        self.for_update = " " + connection.ops.for_update_sql() if connection.features.has_select_for_update else ""
        self.lock_head = (f"SELECT {column(head, 'length')}, {column(head, 'head_hash')} FROM {quote(head.db_table)} "
                          f"WHERE {column(head, 'chain')} = %s{self.for_update}")
        self.insert_many = (f"INSERT INTO {quote(entry.db_table)} ({', '.join(quote(field.column) for field in self.fields)}) "
                            f"VALUES ({', '.join(['%s'] * len(self.fields))})")
        self.insert = self.insert_many
        self.returns_id = connection.features.can_return_columns_from_insert
        if self.returns_id:
            self.insert += " " + connection.ops.return_insert_columns([entry.pk])[0]
        self.move_head = (f"UPDATE {quote(head.db_table)} SET {column(head, 'length')} = %s, {column(head, 'head_hash')} = %s "
                          f"WHERE {column(head, 'chain')} = %s")

    @classmethod
    def of(cls, connection):
        key = (connection.alias, connection.vendor)
        statements = _APPEND_STATEMENTS.get(key)
        if statements is None:
            statements = _APPEND_STATEMENTS[key] = cls(connection)
        return statements

    def parameters(self, values, connection):
        """The entry's values in column order, converted as the ORM converts them."""
        row = [values[name] for name in self.attnames]
        for index, converter in self.converted:
            row[index] = converter(row[index], connection)
        return row

    def waiting_at_most(self, sql):
        """``sql`` (a statement taking chain locks) bounded by the lock timeout, where the database bounds one statement."""
        if self.per_statement_wait:
            return f"SET STATEMENT innodb_lock_wait_timeout={max(1, math.ceil(lock_timeout()))} FOR {sql}"
        return sql

    def lock_heads_of(self, cursor, chains):
        """Lock the heads of ``chains`` (in chain order: batches never deadlock) and return {chain: [length, hash]}."""
        cursor.execute(self.waiting_at_most(f"{self.lock_heads}({', '.join(['%s'] * len(chains))}) ORDER BY 1{self.for_update}"),
                       list(chains))
        heads = {chain: [length, head_hash] for chain, length, head_hash in cursor.fetchall()}
        missing = set(chains) - set(heads)
        if missing:
            raise ChainHead.DoesNotExist(f"chains {sorted(missing)} have no head row")
        return heads

    def recorded_keys(self, cursor, keys):
        found = set()
        for start in range(0, len(keys), _KEY_SLICE):
            part = keys[start:start + _KEY_SLICE]
            cursor.execute(f"{self.find_keys}({', '.join(['%s'] * len(part))})", part)
            found.update(key for (key,) in cursor.fetchall())
        return found


_APPEND_STATEMENTS = {}


def lock_timeout():
    """Seconds an append waits for its chain's lock before giving up (``LEARNING_CITIZEN_LOCK_TIMEOUT``)."""
    return float(getattr(settings, "LEARNING_CITIZEN_LOCK_TIMEOUT", 10))


@contextmanager
def _lock_wait_bounded(cursor, statements, *, own_transaction):
    """
    Inside an append's transaction: its lock waits end after :func:`lock_timeout` seconds with an
    OperationalError (and the append rolled back) instead of holding a learner's request for as
    long as the database would wait. The connection's own setting is put back after, so a caller's
    transaction keeps its behaviour: PostgreSQL's ``SET LOCAL`` ends with a transaction the append
    opened, and is reset when it joined the caller's; SQLite's busy timeout is the connection's.
    MariaDB bounds each locking statement instead (:meth:`_AppendStatements.waiting_at_most`).
    """
    milliseconds = max(1, round(lock_timeout() * 1000))
    if statements.vendor == "postgresql":
        cursor.execute("SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])
        previous = cursor.fetchone()[0]
        yield
        if not own_transaction:  # on failure the savepoint's rollback restores it
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
    elif statements.vendor == "sqlite":
        cursor.execute("PRAGMA busy_timeout")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")
    else:
        yield


def _to_database(field):
    """
    ``(value, connection) -> database value`` for a field whose values need converting, or None.

    The same conversion as ``field.get_db_prep_save`` for the values an append writes (aware
    datetimes, UUIDs, two-place Decimals, JSON lists; a test holds them equal on every backend),
    without the checks for other kinds of value that made conversion a large part of a batch.
    """
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return lambda value, connection: connection.ops.adapt_datetimefield_value(value)
    if kind == "UUIDField":
        return lambda value, connection: value if connection.features.has_native_uuid_field else value.hex
    if kind == "DecimalField":
        return lambda value, connection: connection.ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if kind == "JSONField":
        return field.get_db_prep_save
    return None


@contextmanager
def _write_transaction(connection, statements):
    """
    A cursor inside one transaction: BEGIN … COMMIT sent as statements when the connection is in
    autocommit mode, a savepoint when the caller already holds a transaction.

    Django's ``atomic`` leaves autocommit mode to open a transaction and enters it again after,
    which on MySQL is a round trip to the server each way; an append is a few short statements,
    so those two round trips were a large part of its time.
    """
    if connection.in_atomic_block or not connection.get_autocommit():
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor, \
                _lock_wait_bounded(cursor, statements, own_transaction=False):
            yield cursor
        return
    with connection.cursor() as cursor:
        if statements.vendor == "sqlite":  # BEGIN IMMEDIATE is where SQLite waits for the lock
            with _lock_wait_bounded(cursor, statements, own_transaction=True):
                cursor.execute(statements.begin)
        else:
            cursor.execute(statements.begin)
        try:
            if statements.vendor == "sqlite":
                yield cursor
            else:
                with _lock_wait_bounded(cursor, statements, own_transaction=True):
                    yield cursor
        except BaseException:
            try:
                cursor.execute("ROLLBACK")
            except DatabaseError:  # the connection itself failed: the server rolls back on its own
                log.warning("ledger: ROLLBACK after a failed append failed too", exc_info=True)
            raise
        cursor.execute("COMMIT")


def _insert_linked(cursor, statements, values):
    """Lock the head of the entry's chain, link the entry after it, insert it and move the head."""
    chain = values["chain"]
    cursor.execute(statements.waiting_at_most(statements.lock_head), [chain])
    head = cursor.fetchone()
    if head is None:
        raise ChainHead.DoesNotExist(f"chain {chain} has no head row")
    _link(values, list(head))
    connection = cursor.db
    cursor.execute(statements.insert, statements.parameters(values, connection))
    if statements.returns_id:
        pk = cursor.fetchone()[0]
    else:
        pk = connection.ops.last_insert_id(cursor, Entry._meta.db_table, Entry._meta.pk.column)  # pylint: disable=protected-access
    cursor.execute(statements.move_head, [values["position"], values["entry_hash"], chain])
    return pk


def _recorded(idempotency_key):
    return Entry.objects.filter(idempotency_key=idempotency_key).first()


def _append_values(values):
    """Insert an entry at the end of its chain, or return the entry already holding its key."""
    using = router.db_for_write(Entry)
    connection = connections[using]
    statements = _AppendStatements.of(connection)
    try:
        # No look-up first: the unique key refuses a repeat, which is rare, and the insert that
        # does not happen is rolled back with the head it would have moved.
        with _write_transaction(connection, statements) as cursor:
            pk = _insert_linked(cursor, statements, values)
    except IntegrityError:
        existing = _recorded(values["idempotency_key"])
        if existing is None:
            raise InvalidInput([Problem(N_("event id {event_id} is already recorded under another idempotency key"),
                                        {"event_id": str(values["event_id"])}, where="id")]) from None
        return AppendResult(existing, False, differing_fields(existing, values))
    entry = Entry(pk, *[values[name] for name in statements.attnames])  # positional: the model's quick path
    entry._state.adding, entry._state.db = False, using  # pylint: disable=protected-access
    return AppendResult(entry, True)


def append(event):
    """Record a validated :class:`~xblocks.criteria.credit.CreditEvent` once."""
    return _append_values(_values_from_event(event, chain=chain_of(event.user_id), recorded_at=timezone.now()))


def append_many(events):
    """
    Record many validated events in one transaction: all of them, or none if anything fails.

    Keys already in the ledger, and repeats of a key within ``events``, are skipped when they are
    repeats of the same credit; a key offered for a different credit (see CREDIT_IDENTITY) raises
    :class:`KeyConflict` and nothing is recorded. Entries are recorded in the order given (each
    linked into its learner's chain). Returns ``(appended, skipped)`` counts. Chain heads are
    locked in chain order, so batches never deadlock each other.
    """
    unique, conflicts = {}, {}
    for event in events:
        first = unique.setdefault(event.idempotency_key, event)
        if first is not event:
            differ = differing_fields(first, event)
            if differ:
                conflicts.setdefault(event.idempotency_key, differ)
    if conflicts:
        raise KeyConflict(conflicts)
    if not unique:
        return 0, 0
    using = router.db_for_write(Entry)
    connection = connections[using]
    statements = _AppendStatements.of(connection)
    recorded_at = timezone.now()
    with transaction.atomic(using=using), connection.cursor() as cursor, \
            _lock_wait_bounded(cursor, statements, own_transaction=False):
        heads = statements.lock_heads_of(cursor, sorted({chain_of(event.user_id) for event in unique.values()}))
        # Under the locks, no other writer can record these learners' keys until this commits.
        existing = statements.recorded_keys(cursor, list(unique))
        if existing:
            _refuse_conflicts(unique, existing, using)
        rows, moved = [], set()
        for key, event in unique.items():
            if key in existing:
                continue
            chain = chain_of(event.user_id)
            values = _values_from_event(event, chain=chain, recorded_at=recorded_at)
            _link(values, heads[chain])
            rows.append(statements.parameters(values, connection))
            moved.add(chain)
        for start in range(0, len(rows), _INSERT_SLICE):
            cursor.executemany(statements.insert_many, rows[start:start + _INSERT_SLICE])
        for chain in sorted(moved):
            cursor.execute(statements.move_head, [heads[chain][0], heads[chain][1], chain])
    return len(rows), len(events) - len(rows)


def recorded_credits(keys, using=None):
    """``{key: Entry}`` for the given idempotency keys that are recorded (only what identifies a credit is loaded)."""
    keys, found = list(keys), {}
    manager = Entry.objects.using(using) if using else Entry.objects
    for start in range(0, len(keys), _KEY_SLICE):
        rows = manager.filter(idempotency_key__in=keys[start:start + _KEY_SLICE]).only("idempotency_key", *CREDIT_IDENTITY)
        found.update((entry.idempotency_key, entry) for entry in rows)
    return found


def _refuse_conflicts(unique, existing_keys, using):
    """Raise KeyConflict if a recorded key is offered again for a different credit."""
    conflicts = {}
    for key, entry in recorded_credits(existing_keys, using).items():
        differ = differing_fields(entry, unique[key])
        if differ:
            conflicts[key] = differ
    if conflicts:
        raise KeyConflict(conflicts)


def reverse(entry, *, reason, idempotency_key=None):
    """
    Cancel ``entry`` (an Entry or its id) by appending an entry with the opposite points.

    An entry is reversed at most once; calling again returns the existing reversal.
    Reversals themselves cannot be reversed: record a new credit instead.
    """
    original = entry if isinstance(entry, Entry) else Entry.objects.filter(pk=entry).first()
    if original is None:
        raise InvalidInput([Problem(N_("there is no ledger entry {entry}"), {"entry": entry})])
    if original.kind == Entry.Kind.REVERSAL:
        raise InvalidInput([Problem(N_("entry {entry} is itself a reversal and cannot be reversed"), {"entry": original.pk})])
    if not reason or not reason.strip():
        raise InvalidInput([Problem(N_("a reversal needs a reason"), where="reason")])
    already = Entry.objects.filter(reverses=original).first()
    if already:
        return AppendResult(already, False)
    now = timezone.now()
    # The original's fields, then what makes this entry its opposite.
    values = {field.attname: getattr(original, field.attname)
              for field in Entry._meta.concrete_fields if not field.primary_key}  # pylint: disable=protected-access
    values.update(
        position=0, entry_hash="", event_id=uuid.uuid4(),
        idempotency_key=idempotency_key or f"reversal:{original.idempotency_key}"[:200],
        kind=Entry.Kind.REVERSAL.value, reverses_id=original.pk, reason=reason.strip()[:500],
        points=-original.points, hours=None if original.hours is None else -original.hours,
        occurred_at=now, recorded_at=now,
    )
    try:
        result = _append_values(values)
    except InvalidInput:
        # The key is free, so the one-reversal-per-entry constraint refused it: another caller
        # reversed the entry under a key of its own in the meantime.
        already = Entry.objects.filter(reverses=original).first()
        if already is None:
            raise
        return AppendResult(already, False)
    if not result.created and result.entry.reverses_id != original.pk:
        raise InvalidInput([Problem(N_("idempotency key {key} is already used by another entry"),
                                    {"key": values["idempotency_key"]}, where="idempotency_key")])
    if result.created:
        transaction.on_commit(lambda: _announce_reversal(result.entry))
    return result


def _announce_reversal(reversal):
    """Tell in-process listeners about a committed reversal; a failing listener never undoes it."""
    for receiver_function, error in entry_reversed.send_robust(sender=Entry, entry=reversal):
        if isinstance(error, Exception):
            log.error("entry_reversed receiver %r failed for entry %s", receiver_function, reversal.pk, exc_info=error)
