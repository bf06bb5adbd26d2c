"""Streaming exports of ledger entries. Rows are read in chunks, so memory stays flat."""
import csv
import json

from .models import Entry

EXPORT_FIELDS = (
    "entry_id", "event_id", "kind", "reverses", "anonymous_id", "framework_id", "framework_version", "indicator",
    "points", "hours", "period", "source_kind", "course_key", "usage_key", "provenance", "assurance",
    "occurred_at", "recorded_at", "chain", "position", "entry_hash",
)
FORMATS = ("csv", "jsonl")


def export_queryset(period=None, **filters):
    """Entries to export, oldest first. Learners appear by their anonymous id only."""
    queryset = Entry.objects.order_by("id")
    if period:
        queryset = queryset.filter(period=period)
    lookups = {"course": "course_key", "indicator": "indicator", "provenance": "provenance", "framework": "framework_id"}
    for name, value in filters.items():
        if value:
            queryset = queryset.filter(**{lookups[name]: value})
    return queryset


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


def write_export(queryset, out, file_format, chunk_size=2000, progress=None):
    """Write ``queryset`` to the text stream ``out`` as csv or jsonl; returns the number of rows."""
    count = 0
    writer = None
    if file_format == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
    for entry in queryset.iterator(chunk_size=chunk_size):
        row = entry_row(entry)
        if writer:
            writer.writerow({key: "" if value is None else value for key, value in row.items()})
        else:
            row["evidence"] = entry.evidence
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
        count += 1
        if progress is not None:
            progress.update(1)
    return count
