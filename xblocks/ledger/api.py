"""
The ledger's public API: the only door for writes.

* :func:`append` and :func:`append_many` record credit events; the same idempotency key never
  yields a second entry, whatever the concurrency.
* :func:`reverse` corrects an entry by appending its opposite; history is never changed.
* :func:`standing`, :func:`entries` and :func:`verify` only read.

Each learner's entries belong to one hash chain (``user_id % CHAIN_COUNT``). An append locks
that chain's head row, links the new entry to it and moves the head, in one transaction: the
cost of an append does not depend on how long the ledger is.
"""
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import N_, InvalidInput, Problem
from xblocks.criteria.standing import compute_standing

from .chain import genesis_hash, link_hash
from .models import CHAIN_COUNT, ChainHead, Entry
from .signals import entry_reversed

log = logging.getLogger(__name__)

# Existing keys are looked up in slices of this size (keeps IN lists well under driver limits).
_KEY_SLICE = 1000


@dataclass(frozen=True)
class AppendResult:
    entry: Entry
    created: bool  # False: the idempotency key was already recorded and nothing was written


@dataclass(frozen=True)
class Break:
    """Where a chain stops verifying, and why."""

    chain: int
    position: int | None
    entry_id: int | None
    reason: str

    def __str__(self):
        if self.entry_id:
            where = _("entry {entry} (chain {chain}, position {position})").format(entry=self.entry_id, chain=self.chain, position=self.position)
        else:
            where = _("chain {chain}").format(chain=self.chain)
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class VerifyReport:
    entries_checked: int
    breaks: tuple

    @property
    def intact(self):
        return not self.breaks

    @property
    def first_break(self):
        return self.breaks[0] if self.breaks else None


def chain_of(user_id):
    return user_id % CHAIN_COUNT


def _entry_from_event(event, *, chain, position, recorded_at):
    return Entry(
        chain=chain,
        position=position,
        event_id=uuid.UUID(event.id),
        idempotency_key=event.idempotency_key,
        kind=Entry.Kind.CREDIT,
        user_id=event.user_id,
        anonymous_id=event.anonymous_id,
        framework_id=event.framework_id,
        framework_version=event.framework_version,
        indicator=event.indicator,
        points=event.points,
        hours=event.hours,
        period=event.period,
        source_kind=event.source_kind,
        course_key=event.course_key,
        usage_key=event.usage_key,
        provenance=event.provenance,
        assurance=event.assurance,
        evidence=[dict(item) for item in event.evidence],
        occurred_at=event.occurred_at,
        recorded_at=recorded_at,
    )


class _AppendStatements:
    """
    The SQL of one append, written once per database connection from the models' metadata.

    Appending is the ledger's hot path, and the ORM builds and compiles every query afresh on
    each call: that was most of an append's time (see docs/benchmarks.md). These are the
    statements the ORM would send (same tables, columns and lock; values converted by the same
    model fields), composed once. Like ``bulk_create`` in :func:`append_many`, the insert sends
    no model signals; nothing listens to them, and the ledger announces what it records itself.
    """

    def __init__(self, connection):
        quote = connection.ops.quote_name
        entry, head = Entry._meta, ChainHead._meta  # pylint: disable=protected-access

        def column(meta, name):
            return quote(meta.get_field(name).column)

        self.fields = [field for field in entry.concrete_fields if not field.primary_key]
        self.find_key = (f"SELECT {quote(entry.pk.column)} FROM {quote(entry.db_table)} "
                         f"WHERE {column(entry, 'idempotency_key')} = %s")
        self.lock_head = (f"SELECT {column(head, 'length')}, {column(head, 'head_hash')} FROM {quote(head.db_table)} "
                          f"WHERE {column(head, 'chain')} = %s")
        if connection.features.has_select_for_update:  # SQLite has no row locks: BEGIN IMMEDIATE serialises writers
            self.lock_head += " " + connection.ops.for_update_sql()
        self.insert = (f"INSERT INTO {quote(entry.db_table)} ({', '.join(quote(field.column) for field in self.fields)}) "
                       f"VALUES ({', '.join(['%s'] * len(self.fields))})")
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

    def values(self, entry, connection):
        return [field.get_db_prep_save(field.pre_save(entry, True), connection) for field in self.fields]


_APPEND_STATEMENTS = {}


def _link_and_insert(cursor, statements, entry):
    """Lock the head of ``entry``'s chain, give the entry the next place, insert it, move the head."""
    cursor.execute(statements.lock_head, [entry.chain])
    head = cursor.fetchone()
    if head is None:
        raise ChainHead.DoesNotExist(f"chain {entry.chain} has no head row")
    length, head_hash = head
    entry.position = length + 1
    entry.entry_hash = link_hash(head_hash, entry)
    connection = cursor.db
    cursor.execute(statements.insert, statements.values(entry, connection))
    if statements.returns_id:
        entry.pk = cursor.fetchone()[0]
    else:
        entry.pk = connection.ops.last_insert_id(cursor, Entry._meta.db_table, Entry._meta.pk.column)  # pylint: disable=protected-access
    entry._state.adding, entry._state.db = False, connection.alias  # pylint: disable=protected-access
    cursor.execute(statements.move_head, [entry.position, entry.entry_hash, entry.chain])


def _recorded(idempotency_key):
    return Entry.objects.filter(idempotency_key=idempotency_key).first()


def _append_entry(entry):
    """Insert a prepared entry at the end of its chain, or return the entry already holding its key."""
    using = router.db_for_write(Entry)
    connection = connections[using]
    statements = _AppendStatements.of(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statements.find_key, [entry.idempotency_key])  # the common redelivery case takes no lock
            found = cursor.fetchone()
            if found:
                return AppendResult(Entry.objects.using(using).get(pk=found[0]), False)
            with transaction.atomic(using=using):
                _link_and_insert(cursor, statements, entry)
    except IntegrityError:
        # Another writer recorded the same key between our check and our insert.
        existing = _recorded(entry.idempotency_key)
        if existing is None:
            raise InvalidInput([Problem(N_("event id {event_id} is already recorded under another idempotency key"),
                                        {"event_id": str(entry.event_id)}, where="id")]) from None
        return AppendResult(existing, False)
    return AppendResult(entry, True)


def append(event):
    """Record a validated :class:`~xblocks.criteria.credit.CreditEvent` once."""
    chain = chain_of(event.user_id)
    return _append_entry(_entry_from_event(event, chain=chain, position=0, recorded_at=timezone.now()))


def append_many(events):
    """
    Record many validated events in one transaction: all of them, or none if anything fails.

    Keys already in the ledger, and repeats of a key within ``events``, are skipped. Entries are
    recorded in the order given (each linked into its learner's chain). Returns
    ``(appended, skipped)`` counts. Chain heads are locked in chain order, so batches never
    deadlock each other.
    """
    unique = {}
    for event in events:
        unique.setdefault(event.idempotency_key, event)
    keys = list(unique)
    recorded_at = timezone.now()
    with transaction.atomic():
        chains = sorted({chain_of(event.user_id) for event in unique.values()})
        heads = {head.chain: head for head in ChainHead.objects.select_for_update().filter(chain__in=chains).order_by("chain")}
        existing = set()
        for start in range(0, len(keys), _KEY_SLICE):
            existing.update(Entry.objects.filter(idempotency_key__in=keys[start:start + _KEY_SLICE])
                            .values_list("idempotency_key", flat=True))
        new_entries, moved = [], set()
        for event in unique.values():
            if event.idempotency_key in existing:
                continue
            head = heads[chain_of(event.user_id)]
            entry = _entry_from_event(event, chain=head.chain, position=head.length + 1, recorded_at=recorded_at)
            entry.entry_hash = link_hash(head.head_hash, entry)
            head.length, head.head_hash = entry.position, entry.entry_hash
            new_entries.append(entry)
            moved.add(head.chain)
        Entry.objects.bulk_create(new_entries, batch_size=500)
        for chain in sorted(moved):
            ChainHead.objects.filter(chain=chain).update(length=heads[chain].length, head_hash=heads[chain].head_hash)
    return len(new_entries), len(events) - len(new_entries)


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
    reversal = Entry(
        chain=original.chain,
        position=0,
        event_id=uuid.uuid4(),
        idempotency_key=idempotency_key or f"reversal:{original.idempotency_key}"[:200],
        kind=Entry.Kind.REVERSAL,
        reverses=original,
        reason=reason.strip()[:500],
        user_id=original.user_id,
        anonymous_id=original.anonymous_id,
        framework_id=original.framework_id,
        framework_version=original.framework_version,
        indicator=original.indicator,
        points=-original.points,
        hours=None if original.hours is None else -original.hours,
        period=original.period,
        source_kind=original.source_kind,
        course_key=original.course_key,
        usage_key=original.usage_key,
        provenance=original.provenance,
        assurance=original.assurance,
        evidence=original.evidence,
        occurred_at=timezone.now(),
        recorded_at=timezone.now(),
    )
    result = _append_entry(reversal)
    if not result.created and result.entry.reverses_id != original.pk:
        raise InvalidInput([Problem(N_("idempotency key {key} is already used by another entry"),
                                    {"key": reversal.idempotency_key}, where="idempotency_key")])
    if result.created:
        transaction.on_commit(lambda: _announce_reversal(result.entry))
    return result


def _announce_reversal(reversal):
    """Tell in-process listeners about a committed reversal; a failing listener never undoes it."""
    for receiver_function, error in entry_reversed.send_robust(sender=Entry, entry=reversal):
        if isinstance(error, Exception):
            log.error("entry_reversed receiver %r failed for entry %s", receiver_function, reversal.pk, exc_info=error)


def entries(*, user_id=None, period=None, framework_id=None):
    """Entries in the order they were recorded, optionally for one learner, period or framework."""
    queryset = Entry.objects.order_by("id")
    if user_id is not None:
        queryset = queryset.filter(user_id=user_id)
    if period is not None:
        queryset = queryset.filter(period=period)
    if framework_id is not None:
        queryset = queryset.filter(framework_id=framework_id)
    return queryset


def standing(user_id, period, framework_id="learning-citizen-2021-2030"):
    """The learner's :class:`~xblocks.criteria.standing.Standing` for ``period``, derived from the ledger."""
    framework = get_framework(framework_id)
    totals = (
        Entry.objects.filter(user_id=user_id, period=period, framework_id=framework.id)
        .values("indicator").annotate(earned=Sum("points")).order_by()
    )
    return compute_standing(framework, period, {row["indicator"]: Decimal(row["earned"]) for row in totals})


def verify(chunk_size=2000):
    """
    Recompute every chain from its genesis and compare with what is stored.

    Finds an entry whose fields were edited (its hash no longer matches), a deleted or
    re-ordered entry (the positions or links stop following on), and a chain whose head does
    not match its last entry (entries cut from the end). Reads in chunks: memory stays flat.
    """
    breaks = []
    checked = 0
    heads = {head.chain: head for head in ChainHead.objects.all()}
    for chain in range(CHAIN_COUNT):
        if chain not in heads:
            breaks.append(Break(chain, None, None, _("the chain's head row is missing")))
    stray = Entry.objects.exclude(chain__in=list(range(CHAIN_COUNT))).order_by("id").first()
    if stray:
        breaks.append(Break(stray.chain, stray.position, stray.pk, _("entry belongs to no chain")))
    for chain, head in sorted(heads.items()):
        previous, expected_position, chain_break = genesis_hash(chain), 1, None
        for entry in Entry.objects.filter(chain=chain).order_by("position").iterator(chunk_size=chunk_size):
            checked += 1
            if entry.position != expected_position:
                chain_break = Break(chain, entry.position, entry.pk,
                                    _("expected position {expected}: an entry before it was deleted or moved").format(expected=expected_position))
            elif entry.chain != chain_of(entry.user_id):
                chain_break = Break(chain, entry.position, entry.pk, _("entry's learner belongs to another chain"))
            elif link_hash(previous, entry) != entry.entry_hash:
                chain_break = Break(chain, entry.position, entry.pk, _("hash does not match: the entry or the one before it was changed"))
            if chain_break:
                break
            previous, expected_position = entry.entry_hash, expected_position + 1
        if chain_break is None and (head.length != expected_position - 1 or head.head_hash != previous):
            chain_break = Break(chain, head.length, None,
                                _("head says {length} entries but the chain has {found}: entries were removed or added behind the API").format(
                                    length=head.length, found=expected_position - 1))
        if chain_break:
            breaks.append(chain_break)
    breaks.sort(key=lambda item: (item.entry_id is None, item.entry_id or 0, item.chain))
    return VerifyReport(checked, tuple(breaks))

