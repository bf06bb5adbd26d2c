"""
The import benchmark (issue 15): ``learning-citizen import-members`` against a plain bulk INSERT of
the same file, at 10^4, 10^5 and 10^6 members, on SQLite, MariaDB and PostgreSQL.

    python -m tests.bench.import_bench --sizes 10000,100000,1000000 --markdown docs/benchmarks.md
    python -m tests.bench.import_bench --sizes 200,2000 --backends sqlite --rounds 1   # a smoke run

Each database is the benchmark's own: ``var/bench/import-bench.sqlite3``, and a database
``lc_import_bench`` on the MariaDB and PostgreSQL servers, recreated and migrated once per
database; the membership tables are emptied (untimed) before every measurement. The member file
is generated once per size (deterministic): about four members a family, ten families a clan,
five communities and a thousand members a commune, half the members in a unit of fifty, names
given on every row; it is written to the work directory and removed at the end.

Two kinds of fresh process are timed one after the other, alternating for ``--rounds`` rounds:

* ``import``: :func:`xblocks.reports.membership.import_members` on the file, into empty tables;
* ``baseline``: the hand-written floor: the same file read by ``csv.reader``, its numbers parsed,
  and every row inserted with ``executemany`` in batches of 2,000 into a plain table of the same
  17 columns (no index, no constraint, no check), in one transaction.

Each reports its seconds and memory: resident memory just before the work (VmRSS), its peak
(VmHWM) and the growth between them. "Flat" means that growth does not grow with the number of
rows. Nothing here asserts a time; the report states the numbers.
"""
import argparse
import csv
import json
import math
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

from tests.bench.common import (MarkdownSection, child_json, median_round, recreate_connected_database, remove_sqlite, save_json,
                                status_mib)

ROOT = Path(__file__).resolve().parents[2]
SQLITE_NAME = "import-bench.sqlite3"
BENCH_DATABASE = "lc_import_bench"
RAW_TABLE = "bench_import_raw"
BATCH = 2000
SECTION = MarkdownSection("import-benchmark")
START_MARK, END_MARK = SECTION.start, SECTION.end
NAMES = {"sqlite": "SQLite", "mariadb": "MariaDB", "postgresql": "PostgreSQL"}
SERVERS = {"mariadb": "mysql://root@127.0.0.1:3306", "postgresql": "postgres://postgres@127.0.0.1:5432"}
COLUMNS = ("user_id", "birth_year", "population_group", "province_code", "province_name", "commune_code", "commune_name",
           "family_code", "family_name", "clan_code", "clan_name", "community_code", "community_name",
           "unit_code", "unit_name", "unit_kind", "unit_role", "unit_commune_code")
GROUPS = ("farmers", "workers", "officials", "learners")
UNIT_KINDS = ("agency", "school", "enterprise")


def database_url(backend, work_dir, servers=None):
    if backend == "sqlite":
        return f"sqlite:///{Path(work_dir) / SQLITE_NAME}"
    if backend not in SERVERS:
        raise SystemExit(f"unknown backend {backend!r} (choose sqlite, mariadb, postgresql)")
    return f"{(servers or SERVERS)[backend].rstrip('/')}/{BENCH_DATABASE}"


def write_members(path, count, seed=15):
    """A valid membership file of ``count`` members, the same for the same size and seed."""
    rng = random.Random(seed)
    communes = max(2, count // 1000)
    units = max(1, count // 100)   # half the members are in one, fifty to a unit
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number in range(count):
            family = number // 4
            commune = family % communes
            province = commune % 2 + 1
            community = commune * 5 + family % 5
            row = [number + 1, rng.randrange(1940, 2016), GROUPS[rng.randrange(4)],
                   f"{province:02d}", f"Tỉnh {province:02d}", f"{commune:05d}", f"Xã {commune:05d}",
                   f"GD-{family:07d}", f"Gia đình {family}", f"HO-{family // 10:06d}", f"Họ {family // 10}",
                   f"TDP-{community:06d}", f"Tổ dân phố {community}"]
            if number % 2:
                unit = rng.randrange(units)
                row += [f"DV-{unit:05d}", f"Đơn vị {unit}", UNIT_KINDS[unit % 3], ("staff", "learner")[rng.randrange(2)],
                        f"{unit % communes:05d}"]
            else:
                row += ["", "", "", "", ""]
            writer.writerow(row)


# --- inside a measuring process ----------------------------------------------------------------

def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
    import django  # pylint: disable=import-outside-toplevel
    django.setup()


def _reset_database():
    """Drop and recreate the bench database, then migrate it. Refuses any database but the bench's."""
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel
    recreate_connected_database(SQLITE_NAME, BENCH_DATABASE, "the import bench")
    # The membership app and what it depends on: the import needs no other table.
    call_command("migrate", "learning_citizen_reports", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        columns = ", ".join(f"{connection.ops.quote_name(name)} {'BIGINT' if name in ('user_id', 'birth_year') else 'VARCHAR(200)'}"
                            for name in COLUMNS)
        cursor.execute(f"CREATE TABLE {connection.ops.quote_name(RAW_TABLE)} ({columns})")


def _empty_tables():
    """Untimed, before each measurement: no members, places, groups or raw rows."""
    from django.db import connection, transaction  # pylint: disable=import-outside-toplevel
    from xblocks.reports.models import Collective, Commune, MemberImport, Member, Province, StagedMember  # pylint: disable=import-outside-toplevel
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Member, Collective, Commune, Province, StagedMember, MemberImport):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # pylint: disable=protected-access
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(RAW_TABLE)}")


def _import(path):
    from xblocks.reports.membership import import_members  # pylint: disable=import-outside-toplevel
    from xblocks.reports.models import Member  # pylint: disable=import-outside-toplevel
    with open(path, "rb") as handle:
        started = time.perf_counter()
        result = import_members(handle)
        seconds = time.perf_counter() - started
    if Member.objects.count() != result.created:
        raise SystemExit(f"import bench: {result.created} members reported added, {Member.objects.count()} stored")
    return result.created, seconds


def _baseline(path):
    """The same rows, parsed the same way (numbers as numbers), into a plain table: no checks, no upserts."""
    from django.db import connection, transaction  # pylint: disable=import-outside-toplevel
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(RAW_TABLE)} ({', '.join(quote(name) for name in COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")
    rows = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        started = time.perf_counter()
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader)]
        order = [header.index(name) for name in COLUMNS]
        with transaction.atomic(), connection.cursor() as cursor:
            batch = []
            for record in reader:
                values = [record[index].strip() for index in order]
                values[0], values[1] = int(values[0]), int(values[1])
                batch.append(values)
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    rows += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                rows += len(batch)
        seconds = time.perf_counter() - started
    return rows, seconds


def measure_one(kind, path):
    """
    Run in a fresh process: one import or one baseline load, with its time and memory. ``traced``
    is an import under tracemalloc, for the peak of Python's own allocations apart from the database
    engine's (SQLite's runs in this process); tracing slows the import, so its time is not compared.
    """
    _setup()
    from django.db import connection  # pylint: disable=import-outside-toplevel
    _empty_tables()
    connection.ensure_connection()
    before = status_mib("VmRSS")
    if kind == "traced":
        tracemalloc.start()
    rows, seconds = _baseline(path) if kind == "baseline" else _import(path)
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if kind == "traced" else None
    tracemalloc.stop()
    peak = status_mib("VmHWM")
    return {"kind": kind, "rows": rows, "seconds": seconds, "rss_before_mib": before, "peak_mib": peak,
            "growth_mib": None if peak is None or before is None else peak - before, "traced_mib": traced}


# --- the runner ----------------------------------------------------------------------------------

def _child(backend, work_dir, arguments, servers=None):
    environment = dict(os.environ, LEARNING_CITIZEN_DATABASE_URL=database_url(backend, work_dir, servers),
                       LEARNING_CITIZEN_VAR=str(work_dir), DJANGO_SETTINGS_MODULE="tests.bench.settings")
    return child_json("tests.bench.import_bench", arguments, environment, what=f"import bench on {backend}")


def run(sizes, backends, work_dir, say=print, rounds=3, servers=None, single_round_from=None, save=None,  # pylint: disable=too-many-arguments
        traced_backends=()):
    """
    Measure every size on every backend; returns the results as a dict (what :func:`section` renders).
    On ``traced_backends`` one more import per size runs under tracemalloc (Python's peak alone).
    Sizes of ``single_round_from`` members or more get one round (a deadline can afford no more).
    ``save(results)`` is called after every size, so a long run that is stopped keeps what it measured.
    """
    from tests.servers import ensure_server_for_url  # pylint: disable=import-outside-toplevel
    work_dir = Path(work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for size in sizes:
        files[size] = work_dir / f"import-bench-{size}.csv"
        say(f"import bench: writing a file of {size:,} members")
        write_members(files[size], size)
    results = {}
    try:
        for backend in backends:
            ensure_server_for_url(database_url(backend, work_dir, servers))
            say(f"import bench: recreating the {NAMES.get(backend, backend)} bench database")
            _child(backend, work_dir, ["--prepare"], servers)
            results[backend] = []
            for size in sizes:
                # The baseline and the import alternate, round after round, so load from elsewhere on a
                # shared machine falls on both alike; each is summed up by its median round.
                measured = {"baseline": [], "import": []}
                size_rounds = 1 if single_round_from and size >= single_round_from else rounds
                for number in range(1, size_rounds + 1):
                    for kind in ("baseline", "import"):
                        say(f"import bench: {NAMES.get(backend, backend)}, {kind} of {size:,} members, round {number} of {size_rounds}")
                        item = _child(backend, work_dir, ["--one", kind, "--file", str(files[size])], servers)
                        if item["rows"] != size:
                            raise SystemExit(f"import bench: {kind} wrote {item['rows']} rows, expected {size}")
                        measured[kind].append(item)
                traced = None
                if backend in traced_backends:
                    say(f"import bench: {NAMES.get(backend, backend)}, import of {size:,} members under tracemalloc")
                    traced = _child(backend, work_dir, ["--one", "traced", "--file", str(files[size])], servers)["traced_mib"]
                results[backend].append({"members": size, **{kind: median_round(items) for kind, items in measured.items()},
                                         "traced_mib": traced,
                                         "round_ratios": sorted(i["seconds"] / b["seconds"]
                                                                for b, i in zip(measured["baseline"], measured["import"]))})
                if save:
                    save({"rounds": rounds, "single_round_from": single_round_from, "backends": results})
    finally:
        for path in files.values():
            path.unlink(missing_ok=True)
        remove_sqlite(work_dir / SQLITE_NAME)
    return {"rounds": rounds, "single_round_from": single_round_from, "backends": results}


def merge(saved, note=None):
    """
    Results of several runs as one (one run per database, or a largest size run on its own); a
    database's sizes are put in order. ``note`` is printed under the table.
    """
    backends = {}
    for item in saved:
        for backend, items in item["backends"].items():
            backends.setdefault(backend, []).extend(items)
    for items in backends.values():
        items.sort(key=lambda item: item["members"])
    thresholds = [item["single_round_from"] for item in saved if item.get("single_round_from")]
    return {"rounds": max(item["rounds"] for item in saved), "single_round_from": min(thresholds) if thresholds else None,
            "backends": backends, "note": note}


# --- the report ----------------------------------------------------------------------------------

def _growth(items, index, kind):
    """Time at this size ÷ time at the size before, per tenfold N (None for the first size)."""
    if index == 0:
        return None
    before, now = items[index - 1], items[index]
    tenfolds = math.log10(now["members"] / before["members"])
    if tenfolds <= 0 or not before[kind]["seconds"]:
        return None
    return (now[kind]["seconds"] / before[kind]["seconds"]) ** (1 / tenfolds)


def section(results):
    """The Markdown section for docs/benchmarks.md, between markers so it can be replaced alone."""
    lines = [
        START_MARK,
        "## Membership import (issue 15)",
        "",
        "`learning-citizen import-members` (`import_members`) of a generated file into empty membership tables,",
        "against a hand-written floor in the same run: the same file read by `csv.reader`, its numbers parsed,",
        "and every row inserted by `executemany` in batches of 2,000 into a plain table of the same columns (no",
        "index, no constraint, no check), in one transaction. Each is a fresh process; the two alternate for",
        f"{results['rounds']} round(s) at every size"
        + (f" below {results['single_round_from']:,} members, one round from there" if results.get("single_round_from") else "")
        + "; the median round of each is shown. Produced by",
        "`tests/bench/import_bench.py` (`make bench` runs it).",
        "",
        "| database | members | import s | baseline s | import ÷ baseline | ÷ baseline, each round | import time per tenfold N |"
        " baseline time per tenfold N | import peak RSS growth | baseline peak RSS growth |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, items in results["backends"].items():
        for index, item in enumerate(items):
            imported, baseline = item["import"], item["baseline"]
            ratio = imported["seconds"] / baseline["seconds"] if baseline["seconds"] else None
            each = ", ".join(f"{value:.1f}" for value in item.get("round_ratios", ()))
            growth = [_growth(items, index, kind) for kind in ("import", "baseline")]
            lines.append(
                f"| {NAMES.get(backend, backend)} | {item['members']:,} | {imported['seconds']:.1f} | {baseline['seconds']:.1f} | "
                f"{'–' if ratio is None else f'{ratio:.1f}'} | {each or '–'} | "
                + " | ".join("–" if value is None else f"×{value:.1f}" for value in growth)
                + f" | {imported['growth_mib']:.1f} MiB | {baseline['growth_mib']:.1f} MiB |")
    flat = []
    for backend, items in results["backends"].items():
        if len(items) > 1:
            first, last = items[-2], items[-1]
            flat.append(f"{NAMES.get(backend, backend)} {first['import']['growth_mib']:.1f} MiB at {first['members']:,} "
                        f"and {last['import']['growth_mib']:.1f} MiB at {last['members']:,}")
    traced = [f"{NAMES.get(backend, backend)} " + ", ".join(f"{item['traced_mib']:.1f} MiB at {item['members']:,}" for item in items
                                                             if item.get("traced_mib") is not None)
              for backend, items in results["backends"].items() if any(item.get("traced_mib") is not None for item in items)]
    if results.get("note"):
        lines += ["", results["note"]]
    lines += [
        "",
        "Peak RSS growth is VmHWM at the end minus VmRSS just before the work, in the measuring process (with",
        "SQLite that includes the database engine, which runs in it); time per tenfold N is the time at that size",
        "divided by the time at the size before it, per tenfold (×10 is linear). "
        + (f"Import memory between the two largest sizes: {'; '.join(flat)}." if flat else "")
        + (" Python's own allocations at their peak (tracemalloc, one more import per size, the database engine"
           f" not included): {'; '.join(traced)}." if traced else ""),
        "",
        "Why memory stays flat: the file is read once, line by line; each line is checked on its own and staged",
        "in a table (`StagedMember`) 2,000 rows at a time; the checks that need several lines or the stored",
        "membership (a user twice, a commune in two provinces, a unit without a kind) are SQL over the staged rows,",
        "and a file without problems is moved into the membership tables by set-based `INSERT … SELECT` and",
        "`UPDATE` in one transaction. Nothing holds the file, its members or its places in Python.",
        "",
        "Why the import is slower than the floor: it writes every row twice (staged, then into `Member` with",
        "its unique key and five foreign-key indexes), reads the staged rows again for the checks between",
        "lines (a user twice; one grouped pass per code column for codes given two values, each agreement then",
        "checked line by line only where one is), creates the provinces, communes, families, clans,",
        "communities and units, and deletes the staged rows at the end; the floor inserts each row once into a",
        "table with no index. Times move between runs; compare the ratios of one run.",
        END_MARK,
        "",
    ]
    return "\n".join(lines)


replace_section = SECTION.replace


def kept_section(path):
    """The import section already in the file at ``path``, for a report that did not measure it this time; or None."""
    return SECTION.kept(Path(path).read_text(encoding="utf-8")) if Path(path).exists() else None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.import_bench", description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="member counts, comma-separated")
    parser.add_argument("--backends", default="sqlite,mariadb,postgresql", help="comma-separated: sqlite, mariadb, postgresql")
    parser.add_argument("--work-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--rounds", type=int, default=3, help="rounds of baseline and import per size (default 3)")
    parser.add_argument("--single-round-from", type=int, help="sizes from this many members get one round only")
    parser.add_argument("--markdown", help="write the section to this file, replacing an earlier import section in it")
    parser.add_argument("--json", help="write the raw results here")
    parser.add_argument("--from-json", help="measure nothing: render the section from results saved by --json "
                                            "(several files, comma-separated, are merged: e.g. one per database)")
    parser.add_argument("--note", help="with --from-json: a paragraph printed under the table (how the runs were made)")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one", choices=("import", "baseline", "traced"), help=argparse.SUPPRESS)
    parser.add_argument("--traced-backends", default="sqlite",
                        help="backends on which one more import per size runs under tracemalloc (default sqlite; '' for none)")
    parser.add_argument("--file", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.prepare:
        _setup()
        _reset_database()
        print(json.dumps({"prepared": True}))
        return 0
    if options.one:
        print(json.dumps(measure_one(options.one, options.file)))
        return 0
    if options.from_json:
        results = merge([json.loads(Path(name).read_text(encoding="utf-8")) for name in options.from_json.split(",")],
                        note=options.note)
    else:
        sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
        backends = [name.strip() for name in options.backends.split(",") if name.strip()]
        results = run(sizes, backends, options.work_dir, say=lambda message: print(message, file=sys.stderr, flush=True),
                      rounds=max(1, options.rounds), single_round_from=options.single_round_from,
                      save=lambda partial: save_json(options.json, partial),
                      traced_backends=[name.strip() for name in options.traced_backends.split(",") if name.strip()])
    save_json(options.json, results)
    SECTION.publish(section(results), options.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
