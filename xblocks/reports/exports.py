"""
Streaming exports of ledger entries. Memory stays flat as the ledger grows.

Rows are read in pages by primary key (keyset pagination: ``id > last ORDER BY id LIMIT n``),
so no database cursor holds the whole result — MySQL/MariaDB drivers buffer a plain result set
in full on the client, so a server-side cursor alone would not do there.

Formats: ``csv`` and ``jsonl`` (one row per entry), ``xapi`` (one xAPI statement per entry, from
:mod:`xblocks.reports.xapi`), ``ob3`` (one unsigned Open Badges 3.0 OpenBadgeCredential per
learner recognised in the period, from :mod:`xblocks.credentials.ob3`).
"""
import io
import json
import uuid
from collections import defaultdict

from django.utils import timezone, translation

from xblocks.common.spreadsheet import csv_writer, spreadsheet_safe
from xblocks.credentials import ob3
from xblocks.credentials.settings import credential_settings
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import N_, InvalidInput, Problem
from xblocks.criteria.standing import compute_standing
from xblocks.ledger import api as ledger
from xblocks.ledger.models import Entry

from .areas import members_matching
from .xapi import entry_statement, home_page_setting

EXPORT_FIELDS = (
    "entry_id", "event_id", "kind", "reverses", "anonymous_id", "framework_id", "framework_version", "indicator",
    "points", "hours", "period", "source_kind", "course_key", "usage_key", "provenance", "assurance",
    "occurred_at", "recorded_at", "chain", "position", "entry_hash",
)
FORMATS = ("csv", "jsonl", "xapi", "ob3")
# CSV columns that are not text: numbers and timestamps the ledger writes itself. Every other
# column is guarded against spreadsheet formulas (a course key "=HYPERLINK(…)" comes out as
# "'=HYPERLINK(…)"); these are not, so a reversal's points stay the number -3.00.
_CSV_NOT_TEXT = ("entry_id", "reverses", "points", "hours", "occurred_at", "recorded_at", "chain", "position")
# Filters on the learner's membership (.areas): a unit's or community's members, the
# residents of a commune or province.
MEMBERSHIP_FILTERS = ("unit", "community", "commune", "province")
DEFAULT_FRAMEWORK = "learning-citizen-2021-2030"
CHUNK_SIZE = 2000
# The namespace of the ids ob3 exports give their credentials: the same learner, period and
# ledger entries always give the same id.
OB3_EXPORT_NAMESPACE = uuid.UUID("0f5d3c52-7a4e-5b8c-9d61-2f7a1c9e4b30")


def export_queryset(period=None, **filters):
    """Entries to export, oldest first. Learners appear by their anonymous id only."""
    queryset = Entry.objects.order_by("id")
    if period:
        queryset = queryset.filter(period=period)
    membership = {name: filters.pop(name, None) for name in MEMBERSHIP_FILTERS}
    lookups = {"course": "course_key", "indicator": "indicator", "provenance": "provenance", "framework": "framework_id"}
    for name, value in filters.items():
        if value:
            queryset = queryset.filter(**{lookups[name]: value})
    if any(membership.values()):
        queryset = queryset.filter(user_id__in=members_matching(**membership).values("user_id"))
    return queryset


def iterate(queryset, chunk_size=CHUNK_SIZE):
    """Every entry of ``queryset`` (ordered by id), one page of ``chunk_size`` at a time."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(id__gt=last)
        entries = list(page[:chunk_size])
        if not entries:
            return
        yield from entries
        last = entries[-1].pk
        if len(entries) < chunk_size:
            return


# The columns csv and jsonl read, in EXPORT_FIELDS order, then the evidence (jsonl only).
_COLUMNS = ("id", "event_id", "kind", "reverses_id", "anonymous_id", "framework_id", "framework_version", "indicator",
            "points", "hours", "period", "source_kind", "course_key", "usage_key", "provenance", "assurance",
            "occurred_at", "recorded_at", "chain", "position", "entry_hash", "evidence")


def iterate_values(queryset, columns, chunk_size=CHUNK_SIZE):
    """
    Tuples of ``columns`` (the first must be ``id``) for every entry of ``queryset``, a keyset
    page at a time. No model instances: the rows csv and jsonl write need only their values.
    """
    rows = queryset.values_list(*columns)
    last = None
    while True:
        page = list((rows if last is None else rows.filter(id__gt=last))[:chunk_size])
        if not page:
            return
        yield from page
        last = page[-1][0]
        if len(page) < chunk_size:
            return


def _formatted(values):
    """A row of EXPORT_FIELDS from a _COLUMNS tuple: the same text entry_row gives."""
    (pk, event_id, kind, reverses, anonymous_id, framework_id, framework_version, indicator, points, hours, period,
     source_kind, course_key, usage_key, provenance, assurance, occurred_at, recorded_at, chain, position, entry_hash) = values[:21]
    return [pk, str(event_id), kind, reverses, anonymous_id, framework_id, framework_version, indicator, f"{points:.2f}",
            None if hours is None else f"{hours:.2f}", period, source_kind, course_key, usage_key, provenance, assurance,
            occurred_at.isoformat(), recorded_at.isoformat(), chain, position, entry_hash]


def entry_row(entry):
    return {
        "entry_id": entry.pk,
        "event_id": str(entry.event_id),
        "kind": entry.kind,
        "reverses": entry.reverses_id,
        "anonymous_id": entry.anonymous_id,
        "framework_id": entry.framework_id,
        "framework_version": entry.framework_version,
        "indicator": entry.indicator,
        "points": f"{entry.points:.2f}",
        "hours": None if entry.hours is None else f"{entry.hours:.2f}",
        "period": entry.period,
        "source_kind": entry.source_kind,
        "course_key": entry.course_key,
        "usage_key": entry.usage_key,
        "provenance": entry.provenance,
        "assurance": entry.assurance,
        "occurred_at": entry.occurred_at.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(),
        "chain": entry.chain,
        "position": entry.position,
        "entry_hash": entry.entry_hash,
    }


def _as_is(value):
    return "" if value is None else value


# One function per EXPORT_FIELDS column that turns its value into a CSV cell.
_CSV_CELLS = tuple(_as_is if name in _CSV_NOT_TEXT else spreadsheet_safe for name in EXPORT_FIELDS)


def _csv_row(values):
    """A row of EXPORT_FIELDS (from _formatted) as CSV cells: text columns formula-guarded, numbers as they are."""
    return [cell(value) for cell, value in zip(_CSV_CELLS, values)]


def _json_text(document):
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


class _Line(io.StringIO):
    """A reusable buffer for the CSV writer: one row in, its text out."""

    def take(self):
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


def export_records(queryset, file_format, *, chunk_size=CHUNK_SIZE, progress=None, period=None):
    """
    The export as text, one record (a CSV row or a JSON line) at a time, the CSV header first.
    ``progress.update(n)`` is called as entries (ob3: learners) are read.
    """
    if file_format == "ob3":
        yield from ob3_records(queryset, period, chunk_size=chunk_size, progress=progress)
        return
    if file_format not in FORMATS:
        raise InvalidInput([Problem(N_("unknown export format {format}"), {"format": file_format}, where="format")])
    if file_format == "xapi":
        home_page = home_page_setting()
        queryset = queryset.select_related("reverses")   # a reversal's statement names the original's
    if file_format == "csv":
        line = _Line()
        writer = csv_writer(line)
        writer.writerow(EXPORT_FIELDS)
        yield line.take()
    if file_format == "xapi":
        records = iterate(queryset, chunk_size)
    else:   # csv has no evidence column: its JSON is not even read
        records = iterate_values(queryset, _COLUMNS if file_format == "jsonl" else _COLUMNS[:-1], chunk_size)
    pending = 0
    for record in records:
        if file_format == "csv":
            writer.writerow(_csv_row(_formatted(record)))
            yield line.take()
        elif file_format == "xapi":
            yield _json_text(entry_statement(record, home_page))
        else:
            row = dict(zip(EXPORT_FIELDS, _formatted(record)))
            row["evidence"] = record[-1]
            yield _json_text(row)
        pending += 1
        if progress is not None and pending == chunk_size:
            progress.update(pending)
            pending = 0
    if progress is not None and pending:
        progress.update(pending)


def write_export(queryset, out, file_format, chunk_size=CHUNK_SIZE, progress=None, period=None):
    """
    Write ``queryset`` to the text stream ``out`` in ``file_format``; returns how many records
    (rows, statements or credentials) were written, the CSV header not counted.
    """
    count = 0
    for record in export_records(queryset, file_format, chunk_size=chunk_size, progress=progress, period=period):
        out.write(record)
        count += 1
    return count - 1 if file_format == "csv" else count


def learners_of(queryset, page_size=500):
    """Pages of the distinct user ids behind ``queryset``, rising, without holding them all."""
    ids = queryset.order_by("user_id").values_list("user_id", flat=True).distinct()
    last = None
    while True:
        page = list((ids if last is None else ids.filter(user_id__gt=last))[:page_size])
        if not page:
            return
        yield page
        last = page[-1]


def count_learners(queryset):
    return queryset.order_by().values("user_id").distinct().count()


def ob3_records(queryset, period, *, chunk_size=CHUNK_SIZE, progress=None, framework_id=None, now=None, language=None):
    """
    One unsigned OpenBadgeCredential (a JSON line) per learner behind ``queryset`` who is
    recognised in ``period``: built by the credentials builder from all of the learner's entries
    in the period, so the figures match their standing whatever narrowed the selection. Unsigned:
    the signed credential, with its revocation status, is the one the learner downloads.
    """
    if not period:
        raise InvalidInput([Problem(N_("the ob3 format needs a period: credentials are given for one period"), where="period")])
    framework = get_framework(framework_id or DEFAULT_FRAMEWORK)
    config = credential_settings()
    issuer = {"id": config["ISSUER_ID"], "name": config["ISSUER_NAME"], "url": config["ISSUER_URL"]}
    language = language or ("vi" if (translation.get_language() or "").startswith("vi") else "en")
    issued_at = now or timezone.now()
    for users in learners_of(queryset.filter(framework_id=framework.id), page_size=max(1, chunk_size // 4)):
        by_user = defaultdict(list)
        for entry in Entry.objects.filter(period=period, framework_id=framework.id, user_id__in=users).order_by("user_id", "id"):
            by_user[entry.user_id].append(entry)
        earned = ledger.earned_points(users, period, framework.id)  # the ledger's one read, as standing reads it
        for user_id in users:
            entries = by_user[user_id]
            standing = compute_standing(framework, period, earned[user_id])
            if not standing.recognised:
                continue
            basis = ",".join(f"{entry.pk}:{entry.entry_hash}" for entry in entries)
            yield _json_text(ob3.build_credential(
                credential_id=uuid.uuid5(OB3_EXPORT_NAMESPACE, f"{framework.id}|{period}|{user_id}|{basis}"),
                base_url=config["BASE_URL"], issuer=issuer, framework=framework, standing=standing, entries=entries,
                subject={"anonymous_id": entries[0].anonymous_id}, issued_at=issued_at, language=language,
            ))
        if progress is not None:
            progress.update(len(users))
