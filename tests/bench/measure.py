"""
The measurements, run in a process whose Django points at one bench database.

``python -m tests.bench.measure --entries N … --json FILE`` is started by :mod:`tests.bench.run`
once per database, with LEARNING_CITIZEN_DATABASE_URL naming that database; it recreates the
database before each measurement and writes what it measured to FILE as JSON. Nothing here
asserts a time: the report states the numbers, whatever they are.

The raw baseline writes the very rows the ledger stored (the entries ``api.append`` returned, or
for batches the entries read back, turned into parameters by the same Django model fields) into
a plain table with the same columns and only a primary key, through the same connection and
driver: what a bare INSERT costs on this machine.
"""
import argparse
from importlib import metadata
import json
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path

import django

from tests.bench.common import recreate_connected_database

BENCH_DATABASE = "lc_bench"
SQLITE_NAME = "bench-ledger.sqlite3"


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
    django.setup()


# --- the bench database -------------------------------------------------------------------------

def vendor():
    from django.db import connection  # pylint: disable=import-outside-toplevel
    return connection.vendor


def reset_database():
    """Drop and recreate the bench database, then migrate it. Refuses any database but the bench's."""
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel

    if connection.vendor not in ("sqlite", "mysql"):
        raise SystemExit(f"the benchmark does not run on {connection.vendor}")
    recreate_connected_database(SQLITE_NAME, BENCH_DATABASE)
    call_command("migrate", interactive=False, verbosity=0)
    connection.ensure_connection()


def _mysql_driver():
    """The DB-API module under Django's MySQL backend: mysqlclient, or PyMySQL standing in for it."""
    import MySQLdb  # pylint: disable=import-outside-toplevel
    if getattr(MySQLdb, "__name__", "") == "pymysql":
        return f"PyMySQL {metadata.version('PyMySQL')}"
    return f"mysqlclient {metadata.version('mysqlclient')}"


def database_facts():
    """The server's version and the durability settings every commit pays for."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            import sqlite3  # pylint: disable=import-outside-toplevel
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(cursor.fetchone()[0], "?")
            return {"name": "SQLite", "version": sqlite3.sqlite_version,
                    "settings": f"journal_mode={journal}, synchronous={synchronous}, BEGIN IMMEDIATE",
                    "driver": f"Python sqlite3 {platform.python_version()}"}
        import pymysql  # pylint: disable=import-outside-toplevel
        cursor.execute("SELECT VERSION()")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW VARIABLES WHERE Variable_name IN ('innodb_flush_log_at_trx_commit', 'log_bin', "
                       "'innodb_buffer_pool_size', 'transaction_isolation')")
        variables = dict(cursor.fetchall())
        pool = int(variables.get("innodb_buffer_pool_size", 0)) // (1024 * 1024)
        return {"name": "MariaDB" if "mariadb" in version.lower() else "MySQL", "version": version,
                "settings": (f"innodb_flush_log_at_trx_commit={variables.get('innodb_flush_log_at_trx_commit')}, "
                             f"log_bin={variables.get('log_bin')}, buffer pool {pool} MiB, "
                             f"sessions at READ COMMITTED"),
                "driver": _mysql_driver()}


# --- the raw baseline ---------------------------------------------------------------------------

def raw_model(table):
    """
    A model for a plain table with the ledger entry's columns: same names and types, a BIGINT
    auto-increment key, no other index or constraint. Kept out of the app registry.
    """
    from django.apps.registry import Apps  # pylint: disable=import-outside-toplevel
    from django.db import models  # pylint: disable=import-outside-toplevel

    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel

    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"apps": Apps(), "app_label": "bench", "db_table": table}),
        "id": models.BigAutoField(primary_key=True),
    }
    for field in Entry._meta.concrete_fields:  # pylint: disable=protected-access
        if field.primary_key:
            continue
        if field.is_relation:  # reverses → a plain nullable BIGINT column of the same name
            attrs[field.attname] = models.BigIntegerField(null=True)
            continue
        _name, _path, args, kwargs = field.deconstruct()
        for option in ("unique", "db_index", "choices", "help_text"):
            kwargs.pop(option, None)
        attrs[field.name] = field.__class__(*args, **kwargs)
    return type(f"Raw_{table}", (models.Model,), attrs)


def create_raw_table(table):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    model = raw_model(table)
    with connection.schema_editor() as editor:
        editor.create_model(model)
    return model


def raw_insert_sql(model):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]  # pylint: disable=protected-access
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    return (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # pylint: disable=protected-access
            f"VALUES ({', '.join(['%s'] * len(fields))})")


def entry_fields(model):
    """For each column of ``model``'s table, the ledger Entry field whose value goes there."""
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    return [Entry._meta.get_field("reverses" if field.name == "reverses_id" else field.name)  # pylint: disable=protected-access
            for field in model._meta.concrete_fields if not field.primary_key]  # pylint: disable=protected-access


def rows_of(entries, fields):
    """Stored entries as the parameters the ORM sent when it inserted them (same fields, same conversions)."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    return [[field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields] for entry in entries]


def table_count(table):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


# --- timing -------------------------------------------------------------------------------------
#
# The machine a benchmark runs on may be busy with other work, and that changes from second to
# second. So the ledger and its baseline are timed in alternating blocks: a block of appends,
# then the same rows inserted raw, then the next block. Both sides see the same conditions, and
# the ratio holds even when the absolute numbers move.

def _rate(rows, seconds):
    return rows / seconds if seconds else None


def _result(rows, seconds, **extra):
    return {"rows": rows, "seconds": seconds, "rows_per_second": _rate(rows, seconds), **extra}


def _blocks(items, size):
    return [items[start:start + size] for start in range(0, len(items), size)]


def _load():
    return round(os.getloadavg()[0], 2)


def _verified(expected):
    """Check the ledger holds every appended event and its chains verify; time the verification."""
    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    stored = Entry.objects.count()
    if stored != expected:
        raise SystemExit(f"the ledger holds {stored} entries after appending {expected} distinct events")
    start = time.perf_counter()
    report = api.verify()
    seconds = time.perf_counter() - start
    if not report.intact or report.entries_checked != expected:
        raise SystemExit(f"the bench ledger does not verify: {report.first_break}")
    return {"entries": report.entries_checked, "seconds": seconds}


def _check_raw(table, expected):
    stored = table_count(table)
    if stored != expected:
        raise SystemExit(f"{table} holds {stored} rows after inserting {expected}")


def _append_each(events):
    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    entries = []
    for event in events:
        result = api.append(event)
        if not result.created:
            raise SystemExit(f"api.append did not record new event {event.idempotency_key}")
        entries.append(result.entry)
    return entries


def statements_per_append(sample_events):
    """
    The SQL statements one ``api.append`` sends, by kind, averaged over a few appends (untimed).
    Transaction control (BEGIN, COMMIT, SET autocommit) is left out: not every backend sends it
    through Django's cursor.
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel

    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel

    kinds = {}

    def count(execute, sql, params, many, context):
        words = sql.split()
        kind = words[0].upper()
        if kind == "SELECT" and "FOR UPDATE" in sql.upper():
            kind = "SELECT … FOR UPDATE"
        if kind not in ("BEGIN", "COMMIT", "SET", "SAVEPOINT", "RELEASE"):
            kinds[kind] = kinds.get(kind, 0) + 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for event in sample_events:
            api.append(event)
    return {kind: number / len(sample_events) for kind, number in kinds.items()}


def measure_single(events, window):
    """One event per transaction: ``api.append`` vs one autocommitted INSERT per row."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    reset_database()
    model = create_raw_table("bench_raw_single")
    fields, sql = entry_fields(model), raw_insert_sql(model)
    ledger_seconds, raw_seconds = [], []
    cpu = {"ledger": 0.0, "raw": 0.0}
    load = [_load()]
    with connection.cursor() as cursor:
        for block in _blocks(events, window):
            start, start_cpu = time.perf_counter(), time.process_time()
            entries = _append_each(block)
            ledger_seconds.append(time.perf_counter() - start)
            cpu["ledger"] += time.process_time() - start_cpu
            rows = rows_of(entries, fields)
            start, start_cpu = time.perf_counter(), time.process_time()
            for row in rows:
                cursor.execute(sql, row)
            raw_seconds.append(time.perf_counter() - start)
            cpu["raw"] += time.process_time() - start_cpu
    load.append(_load())
    _check_raw("bench_raw_single", len(events))
    sizes = [len(block) for block in _blocks(events, window)]
    return {
        "window": window,
        "ledger": _result(len(events), sum(ledger_seconds), cpu_seconds=cpu["ledger"],
                          first=_rate(sizes[0], ledger_seconds[0]), last=_rate(sizes[-1], ledger_seconds[-1])),
        "raw": _result(len(events), sum(raw_seconds), cpu_seconds=cpu["raw"],
                       first=_rate(sizes[0], raw_seconds[0]), last=_rate(sizes[-1], raw_seconds[-1])),
        "ledger_windows": [_rate(size, seconds) for size, seconds in zip(sizes, ledger_seconds)],
        "raw_windows": [_rate(size, seconds) for size, seconds in zip(sizes, raw_seconds)],
        "verify": _verified(len(events)),
        "load": load,
    }


def measure_batch(events, batch_size):
    """Batches in one transaction each: ``api.append_many`` vs ``executemany`` of the same rows."""
    from django.db import connection, transaction  # pylint: disable=import-outside-toplevel

    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel

    reset_database()
    model = create_raw_table("bench_raw_batch")
    fields, sql = entry_fields(model), raw_insert_sql(model)
    ledger_seconds = raw_seconds = ledger_cpu = raw_cpu = 0.0
    last_id = 0
    load = [_load()]
    with connection.cursor() as cursor:
        for batch in _blocks(events, batch_size):
            start, start_cpu = time.perf_counter(), time.process_time()
            appended, _skipped = api.append_many(batch)
            ledger_seconds += time.perf_counter() - start
            ledger_cpu += time.process_time() - start_cpu
            if appended != len(batch):
                raise SystemExit(f"append_many recorded {appended} of {len(batch)} new events")
            entries = list(Entry.objects.filter(pk__gt=last_id).order_by("pk"))  # the rows it stored
            last_id = entries[-1].pk
            rows = rows_of(entries, fields)
            start, start_cpu = time.perf_counter(), time.process_time()
            with transaction.atomic():
                cursor.executemany(sql, rows)
            raw_seconds += time.perf_counter() - start
            raw_cpu += time.process_time() - start_cpu
    load.append(_load())
    _check_raw("bench_raw_batch", len(events))
    return {"batch_size": batch_size, "ledger": _result(len(events), ledger_seconds, cpu_seconds=ledger_cpu),
            "raw": _result(len(events), raw_seconds, cpu_seconds=raw_cpu), "verify": _verified(len(events)), "load": load}


# --- concurrent writers -------------------------------------------------------------------------

def _writer(index, rounds, table, barrier, results):
    """
    One concurrent writer process, with its own Django and connection. In each round it appends
    its events through the API, then (once every writer has) inserts the same rows raw.
    """
    setup_django()
    from django.db import connection  # pylint: disable=import-outside-toplevel

    model = raw_model(table)
    fields, sql = entry_fields(model), raw_insert_sql(model)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        for number, events in enumerate(rounds):
            barrier.wait(timeout=1800)
            ledger_start = time.monotonic()  # CLOCK_MONOTONIC: comparable across processes
            entries = _append_each(events)
            ledger_end = time.monotonic()
            rows = rows_of(entries, fields)
            barrier.wait(timeout=1800)
            raw_start = time.monotonic()
            for row in rows:
                cursor.execute(sql, row)
            raw_end = time.monotonic()
            results.put((index, number, ledger_start, ledger_end, raw_start, raw_end, len(rows)))
    connection.close()


def measure_concurrent(events, writers, rounds):
    """
    ``writers`` processes appending through ``api.append`` vs as many inserting the same rows raw.

    Each side's time in a round runs from the first writer's start to the last writer's end;
    the rounds alternate the two sides, as the single-writer blocks do.
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel

    reset_database()
    create_raw_table("bench_raw_concurrent")
    connection.close()  # the writers open their own connections
    shares = [events[index::writers] for index in range(writers)]
    per_round = [[share[number::rounds] for number in range(rounds)] for share in shares]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(writers)
    results = context.Queue()
    processes = [context.Process(target=_writer, args=(index, per_round[index], "bench_raw_concurrent", barrier, results))
                 for index in range(writers)]
    load = [_load()]
    for process in processes:
        process.start()
    reports = []
    while len(reports) < writers * rounds:
        try:
            reports.append(results.get(timeout=5))
        except Exception:  # pylint: disable=broad-except  # queue.Empty: is everyone still alive?
            if any(process.exitcode not in (None, 0) for process in processes):
                for process in processes:
                    process.terminate()
                raise SystemExit("a concurrent writer failed; see its traceback above") from None
    for process in processes:
        process.join()
    load.append(_load())
    ledger_seconds = raw_seconds = 0.0
    for number in range(rounds):
        this_round = [report for report in reports if report[1] == number]
        ledger_seconds += max(report[3] for report in this_round) - min(report[2] for report in this_round)
        raw_seconds += max(report[5] for report in this_round) - min(report[4] for report in this_round)
    rows = sum(report[6] for report in reports)
    _check_raw("bench_raw_concurrent", rows)
    return {"writers": writers, "rounds": rounds, "ledger": _result(rows, ledger_seconds),
            "raw": _result(rows, raw_seconds), "verify": _verified(len(events)), "load": load}


# --- the command --------------------------------------------------------------------------------

def run(options):
    from tests.bench.events import credit_events  # pylint: disable=import-outside-toplevel

    def say(message):
        if not options.quiet:
            print(f"[{vendor()}] {message}", file=sys.stderr, flush=True)

    reset_database()
    results = {"database": database_facts(), "entries": options.entries, "load": [_load()]}
    say(f"{options.entries} appends, one per transaction")
    results["single"] = measure_single(credit_events(options.entries, seed=1, prefix="single"), options.window)
    say(f"{options.entries} appends in batches of {options.batch}")
    results["batch"] = measure_batch(credit_events(options.entries, seed=2, prefix="batch"), options.batch)
    if options.writers:
        say(f"{options.entries} appends from {options.writers} concurrent writers")
        rounds = max(1, options.entries // (options.writers * options.window))
        results["concurrent"] = measure_concurrent(credit_events(options.entries, seed=3, prefix="concurrent"),
                                                   options.writers, rounds)
    reset_database()
    results["statements_per_append"] = statements_per_append(credit_events(50, seed=4, prefix="count"))
    results["load"].append(_load())
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--window", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--writers", type=int, default=0, help="0: no concurrent measurement")
    parser.add_argument("--json", required=True, help="where to write the results")
    parser.add_argument("--quiet", action="store_true")
    options = parser.parse_args(argv)
    setup_django()
    results = run(options)
    Path(options.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
