"""
Membership: importing it from CSV (all or nothing). Choosing members by area is in :mod:`.areas`.

``import_members`` follows the ledger's ingest: the whole file is checked first; if any row is
bad, every bad row is reported with its line number and reason and nothing is changed. Otherwise
everything is written in one transaction. The file is authoritative: a member, place or group
already stored takes the file's values; members not in the file are left alone.

Memory stays the same whatever the file's length (a province has millions of members): the file
is read once, line by line; each line is checked on its own and staged, as read, in a table of
its own (:class:`~.models.StagedMember`, in batches); what needs several lines or the stored
membership (a user twice, a commune in two provinces, a unit without a kind) is checked by SQL
over the staged rows; and a file without problems is moved into the real tables by set-based
``INSERT … SELECT`` and ``UPDATE`` statements in one transaction.

Why staged rows are committed batch by batch and only the move is one transaction: on SQLite a
write transaction locks the whole database, and reading and checking a million lines takes
minutes during which the LMS must keep recording credit; committed batches let other writers in
between, and the real tables, which only the move touches, change all at once or not at all on
every database (MariaDB and PostgreSQL would allow one long transaction, but rolling back a
million staged rows because the last line is bad costs more than deleting them). Staged rows
belong to one run (:class:`~.models.MemberImport`) and are deleted when it ends, whatever the
outcome; those of a run that was killed are deleted by a later run.
"""
import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import N_, InvalidInput, Problem
from xblocks.criteria.targets import get_targets
from xblocks.ledger.ingest import MAX_LINE_BYTES, read_lines

from .models import Collective, Commune, Member, MemberImport, Province, StagedMember

REQUIRED_COLUMNS = ("user_id", "birth_year", "population_group", "province_code", "commune_code")
OPTIONAL_COLUMNS = (
    "province_name", "commune_name",
    "family_code", "family_name", "clan_code", "clan_name", "community_code", "community_name",
    "unit_code", "unit_name", "unit_kind", "unit_role", "unit_commune_code",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
GROUP_KINDS = ("family", "clan", "community", "unit")
ROLES = ("staff", "learner")
MAX_CODE, MAX_NAME = 50, 200
# At most 19 digits (a user id below 2**63, a year): Python refuses to convert longer strings at 4300.
_DIGITS = re.compile(r"[0-9]{1,19}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHOWN = 60
# Staged rows written per INSERT batch (and transaction): memory is this many rows, whatever the file.
STAGING_BATCH = 2000
# Staged lines deleted per statement when a run ends (see _remove_run).
_DELETE_SLICE = 20_000
# A run older than this that still has staged rows was killed before it could clean up.
_ABANDONED_AFTER = timedelta(days=1)
_STAGED_COLUMNS = ("member_import_id", "line", "user_id", "birth_year", "population_group", "province", "province_name",
                   "commune", "commune_name", "family", "family_name", "clan", "clan_name", "community", "community_name",
                   "unit", "unit_name", "unit_kind", "unit_role", "unit_commune")
# What one code must have the same of on every line that gives it: (kind, code column, value column,
# the file's column named in the message). The staged column holds the file's value when it was valid.
_AGREEMENTS = (
    ("province", "province", "province_name", "province_name"),
    ("commune", "commune", "commune_name", "commune_name"),
    ("commune", "commune", "province", "province_code"),
    ("family", "family", "family_name", "family_name"),
    ("family", "family", "commune", "commune_code"),
    ("clan", "clan", "clan_name", "clan_name"),
    ("community", "community", "community_name", "community_name"),
    ("community", "community", "commune", "commune_code"),
    ("unit", "unit", "unit_name", "unit_name"),
    ("unit", "unit", "unit_kind", "unit_kind"),
    ("unit", "unit", "unit_commune", "unit_commune_code"),
)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    places_created: int    # provinces and communes
    groups_created: int    # families, clans, communities, units


class _LineChecker:
    """The checks one line needs on its own; what a line gave correctly is staged for the rest."""

    def __init__(self, population_groups, unit_kinds):
        self.population_groups = population_groups
        self.unit_kinds = unit_kinds
        self.this_year = date.today().year
        self.problems = []

    def problem(self, line, template, **params):
        """A problem on ``line``; a long value is shown by its start (a 5000-digit user_id is not a message)."""
        self.problems.append(_problem(line, template, **params))

    @staticmethod
    def valid_code(value):
        return len(value) <= MAX_CODE and not _CONTROL.search(value)

    def check_code(self, line, column, value, required=False):
        if not value:
            if required:
                self.problem(line, N_("{column} is required"), column=column)
            return False
        if not self.valid_code(value):
            self.problem(line, N_("{column} must be at most {limit} characters, without control characters"),
                         column=column, limit=MAX_CODE)
            return False
        return True

    def check_name(self, line, column, value):
        if value and (len(value) > MAX_NAME or _CONTROL.search(value)):
            self.problem(line, N_("{column} must be at most {limit} characters, without control characters"),
                         column=column, limit=MAX_NAME)
            return ""
        return value

    def staged_row(self, line, row):  # pylint: disable=too-many-branches
        """Check ``row`` (the file's line ``line``); return its values for :class:`StagedMember`, a bad value empty."""
        staged = dict.fromkeys(_STAGED_COLUMNS[2:], "")
        staged.update(line=line, user_id=None, birth_year=None)
        user_id = row["user_id"]
        if not _DIGITS.fullmatch(user_id) or not 0 < int(user_id) < 2 ** 63:
            self.problem(line, N_("user_id {value!r} is not a positive whole number"), value=user_id)
        else:
            staged["user_id"] = int(user_id)   # a user on two lines is found in the staged rows
        birth_year = row["birth_year"]
        if not (_DIGITS.fullmatch(birth_year) and 1900 <= int(birth_year) <= self.this_year):
            self.problem(line, N_("birth_year {value!r} is not a year between 1900 and this year"), value=birth_year)
        else:
            staged["birth_year"] = int(birth_year)
        if row["population_group"] not in self.population_groups:
            self.problem(line, N_("population_group {value!r} is not one of: {choices}"), value=row["population_group"],
                         choices=", ".join(self.population_groups))
        else:
            staged["population_group"] = row["population_group"]
        for place in ("province", "commune"):
            if self.check_code(line, f"{place}_code", row[f"{place}_code"], required=True):
                staged[place] = row[f"{place}_code"]
                staged[f"{place}_name"] = self.check_name(line, f"{place}_name", row[f"{place}_name"])
        for kind in GROUP_KINDS:
            code, name = row[f"{kind}_code"], row[f"{kind}_name"]
            if not code:
                if name:
                    self.problem(line, N_("{column} is given without {code_column}"), column=f"{kind}_name",
                                 code_column=f"{kind}_code")
            elif self.check_code(line, f"{kind}_code", code):
                staged[kind] = code
                staged[f"{kind}_name"] = self.check_name(line, f"{kind}_name", name)
        unit = row["unit_code"]
        role, unit_kind, seat = row["unit_role"], row["unit_kind"], row["unit_commune_code"]
        if unit and not self.valid_code(unit):
            pass  # reported with the groups above; a unit code no database could hold is never looked up
        elif unit:
            if role not in ROLES:
                self.problem(line, N_("unit_role {value!r} is not one of: {choices}"), value=role, choices=", ".join(ROLES))
            else:
                staged["unit_role"] = role
            if unit_kind and unit_kind not in self.unit_kinds:
                self.problem(line, N_("unit_kind {value!r} is not one of: {choices}"), value=unit_kind,
                             choices=", ".join(self.unit_kinds))
            else:
                staged["unit_kind"] = unit_kind
            if seat and self.check_code(line, "unit_commune_code", seat):
                staged["unit_commune"] = seat
        else:
            for column in ("unit_role", "unit_kind", "unit_commune_code"):
                if row[column]:
                    self.problem(line, N_("{column} is given without {code_column}"), column=column, code_column="unit_code")
        return staged


def _problem(line, template, **params):
    shown = {name: value[:_SHOWN] + "…" if isinstance(value, str) and len(value) > _SHOWN else value
             for name, value in params.items()}
    return Problem(template, shown).at_line(line)


def _csv_lines(handle, checker):
    """Decoded lines for csv.reader; a line that is too long or not UTF-8 is reported and read as empty."""
    for number, raw in read_lines(handle):
        if raw is None:
            checker.problem(number, N_("line is longer than {limit} bytes"), limit=MAX_LINE_BYTES)
            yield "\n"
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):   # the byte-order mark spreadsheets write
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            checker.problem(number, N_("line is not UTF-8 text"))
            yield "\n"


def _read_file(handle, checker, stage):
    """Read a binary CSV stream line by line, checking each and passing what it gave to ``stage``."""
    reader = csv.reader(_csv_lines(handle, checker), strict=True)
    header = None
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            checker.problem(start, N_("the CSV cannot be read here: {detail}"), detail=str(error))
            break
        if not any(value.strip() for value in record):
            continue
        if header is None:
            header = [name.strip().lower() for name in record]
            unknown = [name for name in header if name not in COLUMNS]
            missing = [name for name in REQUIRED_COLUMNS if name not in header]
            repeated = sorted({name for name in header if header.count(name) > 1})
            if unknown:
                checker.problem(start, N_("unknown columns: {columns}; the columns are: {known}"),
                                columns=", ".join(unknown), known=", ".join(COLUMNS))
            if missing:
                checker.problem(start, N_("missing columns: {columns}"), columns=", ".join(missing))
            if repeated:
                checker.problem(start, N_("columns appear more than once: {columns}"), columns=", ".join(repeated))
            if unknown or missing or repeated:
                break
            continue
        if len(record) > len(header):
            checker.problem(start, N_("{count} fields, but the header names {columns} columns"),
                            count=len(record), columns=len(header))
            continue
        values = dict.fromkeys(COLUMNS, "")
        values.update({name: value.strip() for name, value in zip(header, record)})
        stage(checker.staged_row(start, values))
    if header is None and not checker.problems:
        checker.problem(1, N_("the file is empty: it needs a header row and one row per member"))


def import_members(handle, *, framework=None, targets=None):
    """
    Check the whole file, then write it in one transaction; returns an :class:`ImportResult` or
    raises :class:`InvalidInput` naming every bad line, with nothing changed.
    """
    targets = targets or get_targets()
    framework = framework or get_framework(targets.criteria_framework)
    checker = _LineChecker(framework.population_groups, targets.unit_kind_codes)
    _remove_abandoned_runs()
    run = MemberImport.objects.create()
    try:
        staged = _stage_file(handle, checker, run.pk)
        problems = checker.problems + _problems_across_lines(run.pk)
        if problems:
            raise InvalidInput(sorted(problems, key=lambda problem: problem.line or 0))
        with transaction.atomic():
            result = _move(run.pk, staged)
            _remove_run(run.pk)
        return result
    except BaseException:
        try:
            _remove_run(run.pk)
        except DatabaseError:   # the connection itself failed: a later run removes these rows
            pass
        raise


def _remove_run(run_id):
    """
    The run's staged rows and the run, deleted in slices of lines: SQLite gathers the row ids a DELETE
    removes before removing them (18 MiB for 10^6 rows), a slice's are a slice's. Plain SQL, not the
    ORM's cascade from the run, which would scan the emptied rows once more (seconds at 10^6 on MariaDB).
    """
    staged = _table(StagedMember)
    with transaction.atomic():
        last = StagedMember.objects.filter(member_import_id=run_id).aggregate(last=Max("line"))["last"] or 0
        for first in range(0, last + 1, _DELETE_SLICE):
            _execute(f"DELETE FROM {staged} WHERE member_import_id = %s AND line >= %s AND line < %s",
                     [run_id, first, first + _DELETE_SLICE])
        _execute(f"DELETE FROM {_table(MemberImport)} WHERE id = %s", [run_id])


def _remove_abandoned_runs():
    for run_id in MemberImport.objects.filter(started_at__lt=timezone.now() - _ABANDONED_AFTER).values_list("pk", flat=True):
        _remove_run(run_id)


def _stage_file(handle, checker, run_id):
    """Read, check and stage the file in batches of :data:`STAGING_BATCH` rows; returns how many were staged."""
    table = _table(StagedMember)
    insert = (f"INSERT INTO {table} ({', '.join(_quote(column) for column in _STAGED_COLUMNS)}) "
              f"VALUES ({', '.join(['%s'] * len(_STAGED_COLUMNS))})")
    batch, count = [], 0

    def flush():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, batch)
        batch.clear()

    def stage(values):
        nonlocal count
        batch.append([run_id, *(values[column] for column in _STAGED_COLUMNS[1:])])
        count += 1
        if len(batch) >= STAGING_BATCH:
            flush()

    _read_file(handle, checker, stage)
    if batch:
        flush()
    return count


# --- SQL over the staged rows ----------------------------------------------------------------------
# Table and column names come from the models; the run's id is an integer this module created, so it
# is written into the statements (it appears many times in each); the file's values are never.

def _quote(name):
    return connection.ops.quote_name(name)


def _table(model):
    return _quote(model._meta.db_table)  # pylint: disable=protected-access


def _rows(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            page = cursor.fetchmany(1000)
            if not page:
                return
            yield from page


def _execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _differ(left, right):
    """SQL true when two values differ, NULL counting as a value."""
    if connection.vendor == "mysql":
        return f"NOT ({left} <=> {right})"
    if connection.vendor == "sqlite":
        return f"{left} IS NOT {right}"
    return f"{left} IS DISTINCT FROM {right}"


def _no_id():
    """A NULL of an id's type: PostgreSQL will not insert an untyped NULL of a subquery into a bigint column."""
    return "CAST(NULL AS SIGNED)" if connection.vendor == "mysql" else "CAST(NULL AS BIGINT)"


def _update(table, alias, assignments, sources, where, params=None):
    """
    ``UPDATE table alias … FROM sources WHERE where`` in the database's dialect: PostgreSQL and
    SQLite (3.33 and later) write UPDATE … SET … FROM, MariaDB and MySQL a multi-table UPDATE.
    Returns the number of rows matched (Django asks MariaDB for found rows, not changed ones).
    """
    if connection.vendor == "mysql":
        setting = ", ".join(f"{alias}.{column} = {value}" for column, value in assignments)
        sql = f"UPDATE {table} {alias}, {sources} SET {setting} WHERE {where}"
    else:
        setting = ", ".join(f"{column} = {value}" for column, value in assignments)
        sql = f"UPDATE {table} AS {alias} SET {setting} FROM {sources} WHERE {where}"
    return _execute(sql, params)


def _problems_across_lines(run_id):
    """What needs more than one line, or the stored membership: each problem on the line it shows on."""
    staged = _table(StagedMember)
    run = f"member_import_id = {int(run_id)}"
    problems = [
        _problem(line, N_("user {user_id} is already on line {earlier_line}"), user_id=user_id, earlier_line=earlier_line)
        for line, user_id, earlier_line in _rows(
            f"SELECT line, user_id, earliest FROM (SELECT line, user_id, MIN(line) OVER (PARTITION BY user_id) AS earliest "
            f"FROM {staged} WHERE {run} AND user_id IS NOT NULL) w WHERE line > earliest")
    ]
    # A code's value is the one on the first line that gives it; any other value on a later line is refused.
    # Each code's first line is found differently per database, because each is quadratic somewhere:
    # MariaDB evaluates window aggregates over a large partition row by row (minutes for a province of
    # 10^5 members), so there a grouped subquery is joined on the code (MariaDB gives the derived table a
    # key), keeping only the codes given two values: joining every code's group, spilled to disk past
    # tmp_table_size, grew ×150 from 10^5 to 10^6 members; SQLite does not index such a subquery, so
    # there and on PostgreSQL MIN() OVER the code's partition gives it in one sort. The first value then
    # comes by the staged rows' (run, line) key.
    disagreeing = _codes_given_two_values(run_id)
    for kind, key, value, column in _AGREEMENTS:
        if (key, value) not in disagreeing:
            continue
        if connection.vendor == "mysql":
            sql = (f"SELECT s.line, s.{key}, s.{value}, f.{value}, f.line FROM {staged} s "
                   f"JOIN (SELECT {key} AS code, MIN(line) AS line FROM {staged} WHERE {run} AND {key} <> '' AND {value} <> '' "
                   f"GROUP BY {key} HAVING COUNT(DISTINCT {value}) > 1) earliest ON earliest.code = s.{key} "
                   f"JOIN {staged} f ON f.{run} AND f.line = earliest.line "
                   f"WHERE s.{run} AND s.{value} <> '' AND s.{value} <> f.{value}")
        else:
            sql = (f"SELECT w.line, w.code, w.given, f.{value}, w.earlier_line FROM (SELECT line, {key} AS code, {value} AS given, "
                   f"MIN(line) OVER (PARTITION BY {key}) AS earlier_line "
                   f"FROM {staged} WHERE {run} AND {key} <> '' AND {value} <> '') w "
                   f"JOIN {staged} f ON f.{run} AND f.line = w.earlier_line WHERE w.given <> f.{value}")
        for line, code, given, earlier, earlier_line in _rows(sql):
            problems.append(_problem(line, N_("{code_column} {code} has {column} {earlier} on line {earlier_line}, but {value} here"),
                                     code_column=f"{kind}_code", code=code, column=column, earlier=earlier,
                                     earlier_line=earlier_line, value=given))
    collectives, communes = _table(Collective), _table(Commune)
    for code, line in _rows(
            f"SELECT u.code, u.line FROM (SELECT unit AS code, MIN(line) AS line, MAX(unit_kind) AS unit_kind FROM {staged} "
            f"WHERE {run} AND unit <> '' GROUP BY unit) u WHERE u.unit_kind = '' AND NOT EXISTS "
            f"(SELECT 1 FROM {collectives} c WHERE c.kind = 'unit' AND c.code = u.code AND c.unit_kind <> '')"):
        problems.append(_problem(line, N_("unit {code} needs a unit_kind on at least one of its rows"), code=code))
    for code, line in _rows(
            f"SELECT seat, line FROM (SELECT unit_commune AS seat, line, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY line) AS n "
            f"FROM {staged} WHERE {run} AND unit <> '' AND unit_commune <> '') w WHERE n = 1 "
            f"AND seat NOT IN (SELECT commune FROM {staged} WHERE {run}) AND seat NOT IN (SELECT code FROM {communes})"):
        problems.append(_problem(line, N_("unit_commune_code {code} is not a commune of this file or of the stored membership"),
                                 code=code))
    return problems


def _codes_given_two_values(run_id):
    """
    The (code column, value column) pairs of :data:`_AGREEMENTS` where some code is given two values:
    one grouped pass per code column answers for all its values, so a file whose lines agree (the
    usual case) is not read again per agreement to find each code's first line.
    """
    staged = _table(StagedMember)
    run = f"member_import_id = {int(run_id)}"
    values_by_key = {}
    for _, key, value, _ in _AGREEMENTS:
        values_by_key.setdefault(key, []).append(value)
    found = set()
    for key, values in values_by_key.items():
        # Two values differ (by the same comparison as the check's own <>) exactly when the smallest and
        # the largest do; MIN and MAX cost far less than COUNT(DISTINCT), which MariaDB sorts per group.
        differs = ", ".join(f"CASE WHEN MIN(NULLIF({value}, '')) <> MAX(NULLIF({value}, '')) THEN 1 ELSE 0 END AS d{index}"
                            for index, value in enumerate(values))
        totals = ", ".join(f"SUM(d{index})" for index in range(len(values)))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {totals} FROM (SELECT {differs} FROM {staged} WHERE {run} AND {key} <> '' GROUP BY {key}) g")
            row = cursor.fetchone() or ()
        found.update((key, value) for value, codes in zip(values, row) if codes)
    return found


def _move(run_id, staged_count):  # pylint: disable=too-many-locals
    """
    Write a checked file's staged rows into the membership tables, set-based. Every code's values
    agree across its lines (checked), so MAX() over a code's lines is its one value, or empty.
    """
    staged, provinces, communes = _table(StagedMember), _table(Province), _table(Commune)
    collectives, members = _table(Collective), _table(Member)
    run = f"member_import_id = {int(run_id)}"

    def named(source, stored):
        return f"CASE WHEN {source}.name <> '' THEN {source}.name ELSE {stored} END"

    province_source = (f"(SELECT province AS code, MAX(province_name) AS name FROM {staged} WHERE {run} "
                       f"GROUP BY province) g")
    places_created = _execute(
        f"INSERT INTO {provinces} (code, name) SELECT g.code, {named('g', 'g.code')} FROM {province_source} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {provinces} p WHERE p.code = g.code)")
    _update(provinces, "p", [("name", "g.name")], province_source, "p.code = g.code AND g.name <> '' AND p.name <> g.name")

    commune_source = (f"(SELECT g.code, g.name, p.id AS province_id FROM (SELECT commune AS code, MAX(commune_name) AS name, "
                      f"MAX(province) AS province FROM {staged} WHERE {run} GROUP BY commune) g "
                      f"JOIN {provinces} p ON p.code = g.province) g")
    places_created += _execute(
        f"INSERT INTO {communes} (code, name, province_id) SELECT g.code, {named('g', 'g.code')}, g.province_id "
        f"FROM {commune_source} WHERE NOT EXISTS (SELECT 1 FROM {communes} c WHERE c.code = g.code)")
    _update(communes, "c", [("name", named("g", "c.name")), ("province_id", "g.province_id")], commune_source,
            f"c.code = g.code AND ((g.name <> '' AND c.name <> g.name) OR c.province_id <> g.province_id)")

    no_id = _no_id()
    groups_created = 0
    for kind in GROUP_KINDS:
        # Per group: its name, a unit's kind and seat as given, and the commune it lies in: a family's or
        # community's from its rows, a unit's first row's (its seat when none is given or stored).
        if kind == "unit":
            source = (f"(SELECT g.code, g.name, g.unit_kind, seat.id AS seat_id, home.id AS commune_id FROM "
                      f"(SELECT unit AS code, MAX(unit_name) AS name, MAX(unit_kind) AS unit_kind, MAX(unit_commune) AS seat, "
                      f"MIN(line) AS line FROM {staged} WHERE {run} AND unit <> '' GROUP BY unit) g "
                      f"JOIN {staged} s ON s.{run} AND s.line = g.line JOIN {communes} home ON home.code = s.commune "
                      f"LEFT JOIN {communes} seat ON seat.code = g.seat) g")
            commune = "CASE WHEN g.seat_id IS NOT NULL THEN g.seat_id WHEN x.commune_id IS NULL THEN g.commune_id ELSE x.commune_id END"
        elif kind == "clan":
            source = (f"(SELECT clan AS code, MAX(clan_name) AS name, '' AS unit_kind, {no_id} AS seat_id, {no_id} AS commune_id "
                      f"FROM {staged} WHERE {run} AND clan <> '' GROUP BY clan) g")
            commune = "x.commune_id"   # clans span communes
        else:
            source = (f"(SELECT g.code, g.name, '' AS unit_kind, {no_id} AS seat_id, c.id AS commune_id FROM "
                      f"(SELECT {kind} AS code, MAX({kind}_name) AS name, MAX(commune) AS commune FROM {staged} "
                      f"WHERE {run} AND {kind} <> '' GROUP BY {kind}) g JOIN {communes} c ON c.code = g.commune) g")
            commune = "g.commune_id"
        # The stored groups are brought to the file's values before the new ones are added: the update
        # then joins only what was stored before (nothing, on a first import), not the groups just made.
        unit_kind = "CASE WHEN g.unit_kind <> '' THEN g.unit_kind ELSE x.unit_kind END"
        _update(collectives, "x", [("name", named("g", "x.name")), ("unit_kind", unit_kind), ("commune_id", commune)], source,
                f"x.kind = '{kind}' AND x.code = g.code AND ({_differ('x.name', named('g', 'x.name'))} OR "
                f"{_differ('x.unit_kind', unit_kind)} OR {_differ('x.commune_id', commune)})")
        groups_created += _execute(
            f"INSERT INTO {collectives} (kind, code, name, unit_kind, commune_id) "
            f"SELECT '{kind}', g.code, {named('g', 'g.code')}, g.unit_kind, COALESCE(g.seat_id, g.commune_id) FROM {source} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {collectives} x WHERE x.kind = '{kind}' AND x.code = g.code)")

    def group(alias, kind):
        return f"LEFT JOIN {collectives} {alias} ON s.{kind} <> '' AND {alias}.kind = '{kind}' AND {alias}.code = s.{kind}"

    fields = ("birth_year", "population_group", "commune_id", "family_id", "clan_id", "community_id", "unit_id", "unit_role")
    member_source = (f"(SELECT s.user_id, s.birth_year, s.population_group, c.id AS commune_id, f.id AS family_id, "
                     f"k.id AS clan_id, m.id AS community_id, u.id AS unit_id, s.unit_role FROM {staged} s "
                     f"JOIN {communes} c ON c.code = s.commune {group('f', 'family')} {group('k', 'clan')} "
                     f"{group('m', 'community')} {group('u', 'unit')} WHERE s.{run}) v")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    updated = _update(members, "x", [*((name, f"v.{name}") for name in fields), ("updated_at", "%s")], member_source,
                      "x.user_id = v.user_id AND (" + " OR ".join(_differ(f"x.{name}", f"v.{name}") for name in fields) + ")",
                      [now])
    created = _execute(
        f"INSERT INTO {members} (user_id, {', '.join(fields)}, updated_at) SELECT v.user_id, "
        f"{', '.join(f'v.{name}' for name in fields)}, %s FROM {member_source} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {members} x WHERE x.user_id = v.user_id)", [now])
    return ImportResult(created, updated, staged_count - created - updated, places_created, groups_created)
