"""
The progress report benchmark (issue 15): ``learning-citizen report --period 2026`` (the whole
membership) against a hand-written SQL aggregate of the same headline figures, at 10^4, 10^5 and
10^6 members with 10 ledger entries each, on SQLite, MariaDB and PostgreSQL.

    python -m tests.bench.report_bench --sizes 10000,100000,1000000 --backends sqlite,mariadb,postgres --markdown docs/benchmarks.md
    python -m tests.bench.report_bench --sizes 300 --backends sqlite --quick     # a smoke run

For each backend and size the bench's own database (an SQLite file ``var/bench/report-bench.sqlite3``,
a database ``lc_report_bench`` on the MariaDB and PostgreSQL servers; nothing else is touched) is
recreated, migrated and filled with raw rows in batches (``executemany``; ``COPY`` on PostgreSQL):
two provinces, 20 communes, 100 units, 200 communities, 100 clans, a family for every 5 members,
and per member 10 entries (one per indicator, 5 to 10 points; indicator 5 from the assessment for
three quarters of them; every tenth member's tenth entry reverses their indicator 1). The entries' chain
positions are unique but their hashes are placeholders: the report reads sums, it never verifies.

Then fresh processes alternate, round after round: ``hand`` runs one SQL statement (a CTE summing
per learner and indicator, capping, applying the rule, joined to the members and counted), and
``report`` runs :func:`xblocks.reports.progress.build_report` for the whole membership. Each gives
its headline figures (people, holders, adults in groups and their holders, unit staff and their
holders, holders with digital skills, proficient), which must be equal, its seconds, and its memory:
the peak resident size (VmHWM) minus the resident size just before the measured call, and the
tracemalloc peak of the Python allocations during it. Nothing here asserts a time.
"""
import argparse
import contextlib
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

from tests.bench.common import (MarkdownSection, child_json, median_round, recreate_server_database, remove_sqlite, save_json,
                                status_mib)

ROOT = Path(__file__).resolve().parents[2]
DATABASE = os.environ.get("LEARNING_CITIZEN_REPORT_BENCH_DATABASE", "lc_report_bench")
SQLITE_NAME = "report-bench.sqlite3"
PERIOD = "2026"
BATCH = 20_000
COMMUNES, UNITS, COMMUNITIES, CLANS = 20, 100, 200, 100
SECTION = MarkdownSection("report-benchmark")
START_MARK, END_MARK = SECTION.start, SECTION.end
SERVERS = {"mariadb": "mysql://root@127.0.0.1:3306", "postgres": "postgres://postgres@127.0.0.1:5432"}
BACKEND_NAMES = {"sqlite": "SQLite", "mariadb": "MariaDB", "postgres": "PostgreSQL"}
# Areas of the bench's population: half of it (a province), a twentieth (a commune), a unit (1 %).
AREAS = ("province:01", "commune:00001", "unit:U2")
# A unit nobody belongs to (units 2, 12, … 92 have the members): its report is the report's fixed cost.
EMPTY_AREA = "unit:U1"


def database_url(backend, work_dir):
    if backend == "sqlite":
        return f"sqlite:///{Path(work_dir) / SQLITE_NAME}"
    if backend not in SERVERS:
        raise SystemExit(f"unknown backend {backend!r} (choose sqlite, mariadb, postgres)")
    return f"{SERVERS[backend]}/{DATABASE}"


def _setup(url, work_dir):
    os.environ["LEARNING_CITIZEN_DATABASE_URL"] = url
    os.environ["LEARNING_CITIZEN_VAR"] = str(work_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"   # DEBUG off: no query log
    import django  # pylint: disable=import-outside-toplevel
    django.setup()


# --- the bench database --------------------------------------------------------------------------

def recreate(backend, work_dir):
    """Drop and create the bench's own database (nothing else), before Django connects to it."""
    if backend == "sqlite":
        remove_sqlite(Path(work_dir) / SQLITE_NAME)
    else:
        recreate_server_database("mysql" if backend == "mariadb" else "postgresql", DATABASE,
                                 user="root" if backend == "mariadb" else "postgres")


def _table(model):
    return model._meta.db_table  # pylint: disable=protected-access


def _membership_rows(members):
    """(table model, columns, rows) of the places, groups and members, by the recipe in the module's docstring."""
    from xblocks.reports.models import Collective, Commune, Member, Province  # pylint: disable=import-outside-toplevel
    families = max(1, members // 5)
    yield Province, ("id", "code", "name"), [(1, "01", "Tỉnh Một"), (2, "02", "Tỉnh Hai")]
    yield Commune, ("id", "code", "name", "province_id"), [(c, f"{c:05d}", f"Xã {c}", 1 + c % 2) for c in range(1, COMMUNES + 1)]
    kinds = ("agency", "school", "enterprise")
    collectives = [(u, "unit", f"U{u}", f"Đơn vị {u}", kinds[u % 3], 1 + u % COMMUNES) for u in range(1, UNITS + 1)]
    collectives += [(UNITS + c, "community", f"C{c}", f"Thôn {c}", "", 1 + (c - 1) // 10) for c in range(1, COMMUNITIES + 1)]
    collectives += [(UNITS + COMMUNITIES + k, "clan", f"K{k}", f"Dòng họ {k}", "", None) for k in range(1, CLANS + 1)]
    yield Collective, ("id", "kind", "code", "name", "unit_kind", "commune_id"), collectives
    first_family = UNITS + COMMUNITIES + CLANS + 1
    for start in range(0, families, BATCH):
        yield Collective, ("id", "kind", "code", "name", "unit_kind", "commune_id"), [
            (first_family + f, "family", f"F{f}", f"Gia đình {f}", "", 1 + f % COMMUNES) for f in range(start, min(families, start + BATCH))]
    groups = ("farmers", "workers", "officials", "learners")
    for start in range(1, members + 1, BATCH):
        rows = []
        for user in range(start, min(members + 1, start + BATCH)):
            commune = 1 + user % COMMUNES
            in_unit = user % 10 == 1
            rows.append((user, user, 1950 + user % 66, groups[user % 4], commune,
                         first_family + (user // 5) % families if user % 2 == 0 else None,
                         UNITS + COMMUNITIES + 1 + user % CLANS if user % 5 == 0 else None,
                         UNITS + (commune - 1) * 10 + 1 + (user // 20) % 10 if user % 3 else None,
                         1 + user % UNITS if in_unit else None,
                         ("staff" if user % 20 == 1 else "learner") if in_unit else "", "2026-01-01 00:00:00"))
        yield Member, ("id", "user_id", "birth_year", "population_group", "commune_id", "family_id", "clan_id", "community_id",
                       "unit_id", "unit_role", "updated_at"), rows


ENTRY_COLUMNS = ("id", "chain", "position", "entry_hash", "event_id", "idempotency_key", "kind", "reverses_id", "reason",
                 "user_id", "anonymous_id", "framework_id", "framework_version", "indicator", "points", "hours", "period",
                 "source_kind", "course_key", "usage_key", "provenance", "assurance", "evidence", "occurred_at", "recorded_at")


def _entry_rows(members, moment):
    """Batches of entry rows: 10 per member (see the module's docstring)."""
    import uuid  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import CHAIN_COUNT  # pylint: disable=import-outside-toplevel
    positions = [0] * CHAIN_COUNT
    number = 0
    rows = []
    for user in range(1, members + 1):
        chain = user % CHAIN_COUNT
        points_1 = 5 + (user * 7 + 3) % 6
        for code in range(1, 11):
            number += 1
            positions[chain] += 1
            reversal = code == 10 and user % 10 == 0
            earned = 5 + (user // 7) % 6 if code == 5 else 5 + (user * 7 + code * 3) % 6
            indicator, points = ("1", -points_1) if reversal else (str(code), earned)
            source = "assessment" if code == 5 and user % 4 != 3 else "completion"
            rows.append((number, chain, positions[chain], "0" * 64, uuid.UUID(int=number).hex, f"bench-report:{number}",
                         "reversal" if reversal else "credit", None, "bench" if reversal else "", user, f"anon-{user}",
                         "learning-citizen-2021-2030", "1.0.0", indicator, points, None, PERIOD, source,
                         f"course-v1:VN+C{code}+2026", "", "verified", "auto-scored", "[]", moment, moment))
            if len(rows) >= BATCH:
                yield rows
                rows = []
    if rows:
        yield rows


def _insert(connection, model, columns, rows):
    table = connection.ops.quote_name(_table(model))
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
                           f"VALUES ({placeholders})", rows)


def populate(members, analyze=True):
    """
    Fill the (migrated, empty) database Django is connected to: the membership and 10 entries per
    member; then refresh the planner's statistics (not inside a test's transaction: on MariaDB,
    ANALYZE TABLE commits it).
    """
    from django.db import connection, transaction  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    moment = "2026-05-01 08:00:00+00:00" if connection.vendor == "postgresql" else "2026-05-01 08:00:00"
    for model, columns, rows in _membership_rows(members):
        with transaction.atomic():
            _insert(connection, model, columns, rows)
    for rows in _entry_rows(members, moment):
        with transaction.atomic():
            _insert(connection, Entry, ENTRY_COLUMNS, rows)
    if not analyze:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM too, as autovacuum would by now: it marks the pages all-visible, which index-only scans need.
            cursor.execute("VACUUM ANALYZE")
    elif connection.vendor == "mysql":
        with connection.cursor() as cursor:
            for model in (Entry, *{model for model, _, _ in _membership_rows(0)}):
                cursor.execute(f"ANALYZE TABLE {connection.ops.quote_name(_table(model))}")
                cursor.fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def fill(backend, work_dir, members):
    recreate(backend, work_dir)
    _setup(database_url(backend, work_dir), work_dir)
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    populate(members)
    return {"members": members, "fill_seconds": time.perf_counter() - started}


def count_members(backend, work_dir):
    _setup(database_url(backend, work_dir), work_dir)
    from django.db import DatabaseError  # pylint: disable=import-outside-toplevel
    from xblocks.reports.models import Member  # pylint: disable=import-outside-toplevel
    try:
        members = Member.objects.count()
    except DatabaseError:   # never filled, or removed at the end of an SQLite run
        members = 0
    return {"members": members, "fill_seconds": None}


# --- the two measured computations ---------------------------------------------------------------

FIGURES = ("people", "holders", "adults_in_groups", "adult_holders_in_groups", "unit_staff", "staff_holders",
           "holders_digital", "digital_proficient")


def report_figures(area="all"):
    """The headline figures of ``area``'s report (the whole membership by default), as :func:`build_report` counts them."""
    from xblocks.reports.progress import build_report  # pylint: disable=import-outside-toplevel
    progress = build_report(PERIOD, area).progress
    return dict(zip(FIGURES, (progress.people, progress.holders.count, progress.adults_in_groups.of,
                              progress.adults_in_groups.count, progress.unit_staff.of, progress.unit_staff.count,
                              progress.holders_digital.count, progress.digital_proficient.count)))


def hand_sql():
    """The statement a database administrator would write for the same figures, with the shipped rule's numbers in it."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from xblocks.criteria.frameworks import get_framework  # pylint: disable=import-outside-toplevel
    from xblocks.criteria.targets import get_targets  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    from xblocks.reports.models import Member  # pylint: disable=import-outside-toplevel
    targets = get_targets()
    framework = get_framework(targets.criteria_framework)
    codes = ", ".join(f"'{indicator.code}'" for indicator in framework.indicators)
    maximum = max(indicator.max_points for indicator in framework.indicators)
    minimum = max(indicator.min_points for indicator in framework.indicators)
    if {i.max_points for i in framework.indicators} != {maximum} or {i.min_points for i in framework.indicators} != {minimum}:
        raise SystemExit("the hand-written SQL assumes one maximum and one minimum for every indicator")
    (digital_code,) = [indicator.code for indicator in framework.indicators_tagged(targets.digital_skills_tag)]
    sources = ", ".join(f"'{kind}'" for kind in targets.has_digital_skills.source_kinds)
    adult_born_by = int(PERIOD) - targets.adult_age
    in_groups = "(m.family_id IS NOT NULL OR m.clan_id IS NOT NULL OR m.community_id IS NOT NULL)"
    quote = connection.ops.quote_name
    # One grouped pass over the entries, one row per learner with a column per indicator. On MariaDB
    # the planner would pick the (period, id) index and group a million rows in a temporary table
    # that spills to disk (×50 per tenfold N); a DBA reads the covering (user, period, framework,
    # indicator, …) index instead, in its own order, so GROUP BY user_id needs no temporary table.
    covering = " FORCE INDEX (lc_entry_user_credit)" if connection.vendor == "mysql" else ""
    columns = range(len(framework.indicators))
    sums = ",\n".join(f"         SUM(CASE WHEN indicator = '{indicator.code}' THEN points ELSE 0 END) AS e{number}"
                      for number, indicator in zip(columns, framework.indicators))

    def capped(value):
        return f"CASE WHEN {value} < 0 THEN 0 WHEN {value} > {maximum} THEN {maximum} ELSE {value} END"

    total = " + ".join(capped(f"e{number}") for number in columns)
    reached = " AND ".join(f"e{number} >= {minimum}" for number in columns)
    return f"""
WITH per_user AS (
  SELECT user_id,
{sums},
         SUM(CASE WHEN indicator = '{digital_code}' AND source_kind IN ({sources}) THEN points ELSE 0 END) AS assessed
  FROM {quote(_table(Entry))}{covering}
  WHERE period = %s AND framework_id = %s AND indicator IN ({codes})
  GROUP BY user_id
), facts AS (
  SELECT user_id, CASE WHEN {total} >= {framework.min_total} AND {reached} THEN 1 ELSE 0 END AS holder,
         {capped("assessed")} AS digital
  FROM per_user
)
SELECT COUNT(*),
       SUM(COALESCE(f.holder, 0)),
       SUM(CASE WHEN m.birth_year <= {adult_born_by} AND {in_groups} THEN 1 ELSE 0 END),
       SUM(CASE WHEN m.birth_year <= {adult_born_by} AND {in_groups} THEN COALESCE(f.holder, 0) ELSE 0 END),
       SUM(CASE WHEN m.unit_id IS NOT NULL AND m.unit_role = 'staff' THEN 1 ELSE 0 END),
       SUM(CASE WHEN m.unit_id IS NOT NULL AND m.unit_role = 'staff' THEN COALESCE(f.holder, 0) ELSE 0 END),
       SUM(CASE WHEN f.holder = 1 AND f.digital >= {targets.has_digital_skills.min_points} THEN 1 ELSE 0 END),
       SUM(CASE WHEN f.holder = 1 AND f.digital >= {targets.proficient.min_points} THEN 1 ELSE 0 END)
FROM {quote(_table(Member))} m LEFT JOIN facts f ON f.user_id = m.user_id
""", [PERIOD, framework.id]


def hand_figures(statement=None):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    sql, params = statement or hand_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return dict(zip(FIGURES, (int(value or 0) for value in row)))


def measure_one(backend, work_dir, kind, area="all"):
    """Run in a fresh process: the report (of ``area``) or the hand SQL, with its figures, time and memory."""
    _setup(database_url(backend, work_dir), work_dir)
    from django.db import connection  # pylint: disable=import-outside-toplevel
    connection.ensure_connection()
    # Both sides start warm: the shipped criteria and targets read and validated, the modules imported,
    # the hand SQL written. What is timed is the work on the data.
    import xblocks.reports.progress  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    statement = hand_sql()
    compute = (lambda: report_figures(area)) if kind == "report" else lambda: hand_figures(statement)
    before = status_mib("VmRSS")
    started = time.perf_counter()
    figures = compute()
    seconds = time.perf_counter() - started
    peak = status_mib("VmHWM")
    # Python's own allocations are traced in a second, untimed call: tracing slows every allocation
    # several times over, which would weigh on the report's Python side and not on the hand SQL.
    tracemalloc.start()
    compute()
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"kind": kind, "area": area, "figures": figures, "seconds": seconds, "growth_mib": peak - before,
            "traced_mib": traced_peak, "cache": database_cache()}


def database_cache():
    """The database's own page cache, as configured (what decides whether an area's scattered reads hit memory)."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    with connection.cursor() as cursor:
        if connection.vendor == "mysql":
            cursor.execute("SELECT @@innodb_buffer_pool_size")
            return f"InnoDB buffer pool {int(cursor.fetchone()[0]) // 2**20:,} MiB"
        if connection.vendor == "postgresql":
            cursor.execute("SHOW shared_buffers")
            return f"shared_buffers {cursor.fetchone()[0]}"
        cursor.execute("PRAGMA cache_size")
        size = cursor.fetchone()[0]
        return f"page cache {-size / 1024:.1f} MiB" if size < 0 else f"page cache {size} pages"


@contextlib.contextmanager
def innodb_buffer_pool(mib, say=print):
    """MariaDB's buffer pool resized to ``mib`` for the measurements inside, then put back (None: left alone)."""
    if not mib:
        yield
        return
    import MySQLdb  # pylint: disable=import-outside-toplevel
    connection = MySQLdb.connect(host="127.0.0.1", port=3306, user="root")
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT @@innodb_buffer_pool_size")
        before = int(cursor.fetchone()[0])
        say(f"report bench: MariaDB's buffer pool set to {mib:,} MiB for the run (was {before // 2**20:,} MiB)")
        cursor.execute(f"SET GLOBAL innodb_buffer_pool_size = {int(mib) * 2**20}")
        yield
    finally:
        try:
            cursor.execute(f"SET GLOBAL innodb_buffer_pool_size = {before}")
        finally:
            connection.close()


def explain(backend, work_dir, areas=("all", "province:01")):
    """EXPLAIN of the report's grouped query for ``areas`` on the filled bench database (``--explain``)."""
    _setup(database_url(backend, work_dir), work_dir)
    from xblocks.criteria.frameworks import get_framework  # pylint: disable=import-outside-toplevel
    from xblocks.criteria.targets import get_targets  # pylint: disable=import-outside-toplevel
    from xblocks.reports.areas import resolve_area  # pylint: disable=import-outside-toplevel
    from xblocks.reports.models import Member  # pylint: disable=import-outside-toplevel
    from xblocks.reports.progress import grouping_plan, member_groups  # pylint: disable=import-outside-toplevel
    targets = get_targets()
    framework = get_framework(targets.criteria_framework)
    out = [f"-- {BACKEND_NAMES[backend]}, {Member.objects.count():,} members"]
    for area in areas:
        queryset = member_groups(PERIOD, resolve_area(area), framework, targets)
        with grouping_plan():
            plan = queryset.explain()
        out += [f"-- the report's query, area {area}:", str(queryset.query), "", plan, ""]
    return "\n".join(out)


def _child(arguments):
    environment = {name: value for name, value in os.environ.items() if name != "LEARNING_CITIZEN_DATABASE_URL"}
    return child_json("tests.bench.report_bench", arguments, environment, what="report bench")


def run(backends, sizes, work_dir, say=print, rounds=3, save=None, areas=AREAS, buffer_pool_mib=None,  # pylint: disable=too-many-arguments
        reuse=False):
    """
    Fill and measure every backend and size; returns what :func:`section` renders (also given to
    ``save`` after each size). After the whole membership, the report of each of ``areas`` is
    measured on the same data, for its cost per member. ``reuse``: measure the data an earlier run
    left in the bench database (one size; after changing a server setting, say), without filling.
    """
    if reuse and len(sizes) != 1:
        raise SystemExit("report bench: --reuse measures the one size already filled")
    from tests.servers import ensure_server_for_url  # pylint: disable=import-outside-toplevel
    work_dir = Path(work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    results = {"backends": {}}
    for backend in backends:
        ensure_server_for_url(database_url(backend, work_dir))
        measured_sizes = []
        with innodb_buffer_pool(buffer_pool_mib if backend == "mariadb" else None, say):
            for size in sizes:
                measured_sizes.append(_measure_size(backend, size, work_dir, say, rounds, areas, reuse))
                results["backends"][backend] = measured_sizes
                if save:
                    save(results)
        results["backends"][backend] = measured_sizes
        if backend == "sqlite" and not reuse:
            recreate("sqlite", work_dir)
    return results


def _measure_size(backend, size, work_dir, say, rounds, areas, reuse=False):  # pylint: disable=too-many-arguments
    """Fill ``size`` members, then alternate the hand SQL and the whole report; then each area's report."""
    if reuse:
        filled = _child(["--work-dir", str(work_dir), "--backend", backend, "--count"])
        if filled["members"] != size:
            raise SystemExit(f"report bench: the {backend} bench database holds {filled['members']:,} members, not {size:,}")
    else:
        say(f"report bench: {backend}, filling {size:,} members and {10 * size:,} entries")
        filled = _child(["--work-dir", str(work_dir), "--backend", backend, "--fill", str(size)])
    items = {"hand": [], "report": []}
    for number in range(1, rounds + 1):
        for kind in ("hand", "report"):   # alternate, so load from elsewhere falls on both alike
            say(f"report bench: {backend}, {kind} of {size:,} members, round {number} of {rounds}")
            items[kind].append(_child(["--work-dir", str(work_dir), "--backend", backend, "--one", kind]))
    figures = {json.dumps(item["figures"], sort_keys=True) for kind in items for item in items[kind]}
    if len(figures) != 1:
        raise SystemExit(f"report bench: the report and the hand SQL disagree on {backend} at {size:,}: {figures}")
    by_area = {}
    for area in (EMPTY_AREA, *areas) if areas else ():
        say(f"report bench: {backend}, report of {area} among {size:,} members")
        by_area[area] = median_round([_child(["--work-dir", str(work_dir), "--backend", backend, "--one", "report",
                                         "--area", area]) for _ in range(rounds)])
    return {
        "members": size, "fill_seconds": filled["fill_seconds"], "figures": items["report"][0]["figures"],
        "hand": median_round(items["hand"]), "report": median_round(items["report"]), "areas": by_area,
        "round_ratios": [report["seconds"] / hand["seconds"] for hand, report in zip(items["hand"], items["report"])],
    }


# --- the report ----------------------------------------------------------------------------------

def _name(backend):
    """A backend's name in the tables; a second run of one database is told apart by its cache (see :func:`merge`)."""
    base, _, second = backend.partition(" (")
    return BACKEND_NAMES.get(base, base) + (f" ({second}" if second else "")


def merge(saved):
    """Results of several runs as one; a database measured again (another cache size, say) is named with its cache."""
    backends = {}
    for results in saved:
        for backend, items in results["backends"].items():
            key = backend if backend not in backends else f"{backend} ({items[0]['report'].get('cache') or 'another run'})"
            backends[key] = items
    return {"backends": backends}


def _growth(items, index, kind):
    if index == 0:
        return "–"
    previous, current = items[index - 1], items[index]
    factor = current["members"] / previous["members"]
    return f"×{current[kind]['seconds'] / previous[kind]['seconds']:.1f}" + ("" if factor == 10 else f" (N ×{factor:g})")


def section(results, note=""):
    """The Markdown section for docs/benchmarks.md, between markers so it can be replaced alone."""
    lines = [
        START_MARK,
        "## Progress reports (issue 15)",
        "",
        "`build_report(\"2026\", \"all\")` (what `learning-citizen report --period 2026` computes) against one",
        "hand-written SQL statement giving the same headline figures (one grouped pass over the entries with a",
        "column per indicator, capped, the rule applied, joined to the members; on MariaDB reading the covering",
        "index in its order), in the same run, on each database.",
        "10 ledger entries per member, filled as raw rows. Each measurement is a fresh process; the hand",
        "SQL and the report alternate for several rounds and each column gives the median round. The",
        "figures of every round were equal. Produced by `tests/bench/report_bench.py`",
        "(`make bench` runs it; `--reports` and `--report-backends` choose sizes and databases).",
        "",
        "| database | members | hand SQL s | report s | report ÷ hand | ÷ hand, each round | hand growth per ×10 N | report growth per ×10 N | report peak RSS growth | report traced peak |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, items in results["backends"].items():
        for index, item in enumerate(items):
            hand, report = item["hand"], item["report"]
            each = ", ".join(f"{value:.2f}" for value in item.get("round_ratios", ()))
            lines.append(f"| {_name(backend)} | {item['members']:,} | {hand['seconds']:.2f} | "
                         f"{report['seconds']:.2f} | {report['seconds'] / hand['seconds']:.2f} | {each or '–'} | "
                         f"{_growth(items, index, 'hand')} | {_growth(items, index, 'report')} | "
                         f"{report['growth_mib']:.1f} MiB | {report['traced_mib']:.2f} MiB |")
    lines += _area_lines(results)
    lines += [
        "",
        "Peak RSS growth is VmHWM at the end minus VmRSS just before the measured call (the driver's",
        "buffers and, on SQLite, its page cache included); the traced peak is tracemalloc's peak of",
        "Python's allocations during the call. The report's Python side holds one row per distinct",
        "group (residence, adult, kinds of groups, population group, unit and role, facts), not per",
        "member." + _fill_sentence(results),
    ]
    if note:
        lines += ["", note]
    lines += [END_MARK, ""]
    return "\n".join(lines)


def _fill_sentence(results):
    filled = ["{} {}".format(_name(backend), ", ".join(f"{item['fill_seconds']:.0f} s for {item['members']:,}" for item in items
                                                        if item["fill_seconds"] is not None))
              for backend, items in results["backends"].items() if any(item["fill_seconds"] is not None for item in items)]
    return f" Filling took {'; '.join(filled)} (not part of the comparison)." if filled else ""


def _area_lines(results):
    """The per-area table: each area's report time per member it counts, against the whole membership's."""
    rows = []
    for backend, items in results["backends"].items():
        for item in items:
            areas = dict(item.get("areas", {}))
            if not areas:
                continue
            fixed = areas.pop(EMPTY_AREA, {"seconds": 0.0})["seconds"]
            whole = (item["report"]["seconds"] - fixed) / item["figures"]["people"]
            for area, measured in areas.items():
                people = measured["figures"]["people"]
                # None: an area so small that its report took no longer than the fixed cost (noise decides)
                per_member = (measured["seconds"] - fixed) / people if people and measured["seconds"] > fixed else None
                rows.append(f"| {_name(backend)} | {item['members']:,} | `{area}` | {people:,} | "
                            f"{measured['seconds']:.3f} | {fixed:.3f} | "
                            f"{'–' if per_member is None else f'{per_member * 1e6:.1f}'} | "
                            f"{whole * 1e6:.1f} | {'–' if per_member is None else f'{per_member / whole:.2f}'} | "
                            f"{measured.get('cache', '–')} |")
    if not rows:
        return []
    return [
        "",
        "**Per-area reports** (`--area`), on the same data, after the whole membership: the report of a",
        "province (half the members), a commune (a twentieth) and a unit (1 %), each the median of the same",
        f"number of rounds. Fixed cost is the report of a unit without members (`{EMPTY_AREA}`: reading the",
        "criteria, building the query, the area's units and names); the cost per member is the report's",
        "seconds less that fixed cost, divided by the members it counts, and is compared with the same figure",
        "for the whole membership (– where an area's report took no longer than the fixed cost).",
        "",
        "| database | members | area | members counted | report s | fixed cost s | µs per member | whole membership µs per member |"
        " area ÷ whole, per member | database cache |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---|",
        *rows,
    ]


replace_section = SECTION.replace
kept_section = SECTION.kept


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.report_bench", description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="member counts, comma-separated")
    parser.add_argument("--backends", default="sqlite,mariadb,postgres", help="comma-separated: sqlite, mariadb, postgres")
    parser.add_argument("--work-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--markdown", help="write the section to this file, replacing an earlier report section in it")
    parser.add_argument("--json", help="write the raw results here")
    parser.add_argument("--from-json", help="measure nothing: render the section from results saved by --json "
                                            "(several files, comma-separated, are merged)")
    parser.add_argument("--note", default="", help="a paragraph added to the section (e.g. what did not fit)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of hand SQL and report per size (default 3)")
    parser.add_argument("--quick", action="store_true", help="one round")
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true",
                        help="measure the one size an earlier run left in the bench database, without filling it again")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--area", default="all", help=argparse.SUPPRESS)
    parser.add_argument("--areas", default=",".join(AREAS),
                        help=f"after the whole membership, the report of each of these areas (default {','.join(AREAS)}; '' for none)")
    parser.add_argument("--innodb-buffer-pool-mib", type=int,
                        help="resize MariaDB's buffer pool for the run (SET GLOBAL), then put it back")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN of the report's query on the filled --backend database")
    options = parser.parse_args(argv)
    if options.explain:
        print(explain(options.backend, options.work_dir))
        return 0
    if options.fill is not None:
        print(json.dumps(fill(options.backend, options.work_dir, options.fill)))
        return 0
    if options.count:
        print(json.dumps(count_members(options.backend, options.work_dir)))
        return 0
    if options.one:
        print(json.dumps(measure_one(options.backend, options.work_dir, options.one, options.area)))
        return 0
    if options.from_json:
        results = merge([json.loads(Path(name).read_text(encoding="utf-8")) for name in options.from_json.split(",")])
    else:
        sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
        backends = [name.strip() for name in options.backends.split(",") if name.strip()]
        results = run(backends, sizes, options.work_dir, say=lambda message: print(message, file=sys.stderr, flush=True),
                      rounds=1 if options.quick else max(1, options.rounds),
                      areas=[area.strip() for area in options.areas.split(",") if area.strip()],
                      buffer_pool_mib=options.innodb_buffer_pool_mib, reuse=options.reuse,
                      save=lambda partial: save_json(options.json, partial))
    save_json(options.json, results)
    SECTION.publish(section(results, options.note), options.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
