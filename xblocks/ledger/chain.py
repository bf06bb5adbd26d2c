"""Canonical form and SHA-256 links of ledger entries (pure functions, shared by append and verify)."""
import hashlib
import json
from datetime import timezone


def genesis_hash(chain):
    """The hash a chain starts from: fixed per chain so one chain's entries cannot pass for another's."""
    return hashlib.sha256(f"learning-citizen-ledger/chain/{chain}".encode()).hexdigest()


def _points(value):
    return None if value is None else f"{value:.2f}"


def _moment(value):
    """UTC with microseconds, like 2026-11-22T05:50:10.123456Z."""
    if value.tzinfo is not timezone.utc:
        value = value.astimezone(timezone.utc)
    return value.isoformat(timespec="microseconds")[:-6] + "Z"  # "+00:00" → "Z"


# For the evidence list: its items' keys are sorted too.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# Strings escaped exactly as json.dumps(ensure_ascii=False) escapes them (the same C function).
_string = json.encoder.encode_basestring


def _text(value):
    return "null" if value is None else _string(value)


def _number(value):
    return "null" if value is None else str(int(value))


def canonical_document(entry):
    """The fields an entry's hash covers, as the JSON object :func:`canonical_bytes` writes."""
    values = entry if isinstance(entry, dict) else entry.__dict__
    return {
        "chain": values["chain"],
        "position": values["position"],
        "event_id": str(values["event_id"]),
        "idempotency_key": values["idempotency_key"],
        "kind": values["kind"],
        "reverses": values["reverses_id"],
        "reason": values["reason"],
        "user_id": values["user_id"],
        "anonymous_id": values["anonymous_id"],
        "framework_id": values["framework_id"],
        "framework_version": values["framework_version"],
        "indicator": values["indicator"],
        "points": _points(values["points"]),
        "hours": _points(values["hours"]),
        "period": values["period"],
        "source_kind": values["source_kind"],
        "course_key": values["course_key"],
        "usage_key": values["usage_key"],
        "provenance": values["provenance"],
        "assurance": values["assurance"],
        "evidence": values["evidence"],
        "occurred_at": _moment(values["occurred_at"]),
        "recorded_at": _moment(values["recorded_at"]),
    }


def canonical_bytes(entry):
    """
    Every recorded field of an entry, as canonical JSON: sorted keys, no spaces, UTF-8.

    ``entry`` is an :class:`~xblocks.ledger.models.Entry` or a mapping of its field attnames
    (the append path hashes rows before it makes model instances of them).

    Numbers are written as fixed two-place strings and times as UTC with microseconds, so the
    bytes are the same whichever database returned the row (this keeps the JSON within the
    subset where RFC 8785 and ``json.dumps(sort_keys=True)`` agree: no floats).

    The bytes are exactly ``json.dumps(canonical_document(entry), sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` (a test holds them to it), written out field by
    field because every append and every verified entry passes through here and the general
    encoder took most of an append's hashing time.
    """
    values = entry if isinstance(entry, dict) else entry.__dict__
    evidence = values["evidence"]
    return (_CANONICAL_TEMPLATE % (
        _string(values["anonymous_id"]), _string(values["assurance"]), _number(values["chain"]),
        _string(values["course_key"]), _string(str(values["event_id"])),
        _ENCODER.encode(evidence) if evidence else "[]",
        _string(values["framework_id"]), _string(values["framework_version"]), _text(_points(values["hours"])),
        _string(values["idempotency_key"]), _string(values["indicator"]), _string(values["kind"]),
        _string(_moment(values["occurred_at"])), _string(values["period"]), _text(_points(values["points"])),
        _number(values["position"]), _string(values["provenance"]), _string(values["reason"]),
        _string(_moment(values["recorded_at"])), _number(values["reverses_id"]), _string(values["source_kind"]),
        _string(values["usage_key"]), _number(values["user_id"]),
    )).encode("utf-8")


_CANONICAL_TEMPLATE = "{" + ",".join(f'"{key}":%s' for key in (  # the document's keys, sorted
    "anonymous_id", "assurance", "chain", "course_key", "event_id", "evidence", "framework_id", "framework_version",
    "hours", "idempotency_key", "indicator", "kind", "occurred_at", "period", "points", "position", "provenance",
    "reason", "recorded_at", "reverses", "source_kind", "usage_key", "user_id")) + "}"


def link_hash(previous_hash, entry):
    """The entry's hash: SHA-256 over the previous link's hash and the entry's canonical bytes."""
    digest = hashlib.sha256(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_bytes(entry))
    return digest.hexdigest()
