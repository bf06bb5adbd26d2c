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
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(entry):
    """
    Every recorded field of an entry, as canonical JSON: sorted keys, no spaces, UTF-8.

    Numbers are written as fixed two-place strings and times as UTC with microseconds, so the
    bytes are the same whichever database returned the row (this keeps the JSON within the
    subset where RFC 8785 and ``json.dumps(sort_keys=True)`` agree: no floats).
    """
    document = {
        "chain": entry.chain,
        "position": entry.position,
        "event_id": str(entry.event_id),
        "idempotency_key": entry.idempotency_key,
        "kind": entry.kind,
        "reverses": entry.reverses_id,
        "reason": entry.reason,
        "user_id": entry.user_id,
        "anonymous_id": entry.anonymous_id,
        "framework_id": entry.framework_id,
        "framework_version": entry.framework_version,
        "indicator": entry.indicator,
        "points": _points(entry.points),
        "hours": _points(entry.hours),
        "period": entry.period,
        "source_kind": entry.source_kind,
        "course_key": entry.course_key,
        "usage_key": entry.usage_key,
        "provenance": entry.provenance,
        "assurance": entry.assurance,
        "evidence": entry.evidence,
        "occurred_at": _moment(entry.occurred_at),
        "recorded_at": _moment(entry.recorded_at),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def link_hash(previous_hash, entry):
    """The entry's hash: SHA-256 over the previous link's hash and the entry's canonical bytes."""
    digest = hashlib.sha256(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_bytes(entry))
    return digest.hexdigest()
