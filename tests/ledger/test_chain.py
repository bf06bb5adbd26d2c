"""The canonical form an entry's hash covers: fixed bytes whatever wrote or read the entry."""
import json
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from xblocks.ledger.chain import canonical_bytes, canonical_document, link_hash

# Any text a producer may send, Vietnamese and control characters included.
TEXT = st.text(max_size=40)
MOMENTS = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30),
                       timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5))]))
POINTS = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
ENTRY_VALUES = st.fixed_dictionaries({
    "chain": st.integers(0, 15), "position": st.integers(1, 10**12), "event_id": st.uuids(),
    "idempotency_key": TEXT, "kind": st.sampled_from(["credit", "reversal"]),
    "reverses_id": st.none() | st.integers(1, 10**12), "reason": TEXT, "user_id": st.integers(0, 10**12),
    "anonymous_id": TEXT, "framework_id": TEXT, "framework_version": TEXT, "indicator": TEXT,
    "points": POINTS, "hours": st.none() | POINTS, "period": TEXT, "source_kind": TEXT, "course_key": TEXT,
    "usage_key": TEXT, "provenance": TEXT, "assurance": TEXT,
    "evidence": st.lists(st.fixed_dictionaries({"uri": TEXT, "sha256": TEXT}), max_size=3),
    "occurred_at": MOMENTS, "recorded_at": MOMENTS,
})


def reference_bytes(values):
    """The definition the ledger documents: json.dumps with sorted keys, no spaces, UTF-8."""
    return json.dumps(canonical_document(values), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@settings(max_examples=300)
@given(ENTRY_VALUES)
def test_the_canonical_bytes_are_sorted_json_of_the_document(values):
    assert canonical_bytes(values) == reference_bytes(values)


def test_a_known_entry_has_a_known_hash():
    """Pins the format: a change to the canonical form would make every stored hash fail to verify."""
    values = {
        "chain": 3, "position": 2, "event_id": uuid.UUID("6f1c1a52-7a9c-4c55-9a43-1c1f64b3f0aa"),
        "idempotency_key": "course-v1:VN+DS101+2026:unit-1", "kind": "credit", "reverses_id": None,
        "reason": "", "user_id": 35, "anonymous_id": "a35", "framework_id": "learning-citizen-2021-2030",
        "framework_version": "1.0", "indicator": "5", "points": Decimal("2.50"), "hours": None, "period": "2026",
        "source_kind": "completion", "course_key": "course-v1:VN+DS101+2026", "usage_key": "",
        "provenance": "verified", "assurance": "auto-scored",
        "evidence": [{"uri": "https://example.vn/chứng-nhận", "sha256": "ab" * 32}],
        "occurred_at": datetime(2026, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=7))),
        "recorded_at": datetime(2026, 3, 1, 1, 30, 0, 5, tzinfo=timezone.utc),
    }
    assert canonical_bytes(values).startswith(b'{"anonymous_id":"a35","assurance":"auto-scored","chain":3,')
    assert b'"occurred_at":"2026-03-01T01:30:00.000000Z"' in canonical_bytes(values)
    assert b'"recorded_at":"2026-03-01T01:30:00.000005Z"' in canonical_bytes(values)
    assert "chứng-nhận".encode() in canonical_bytes(values)
    assert link_hash("0" * 64, values) == EXPECTED_HASH


# The hash this entry had before the canonical form was written out field by field (commit ca65051).
EXPECTED_HASH = "e38f606946a4b3f46461e163e8cf740d621d794a2663ff2d2602bcd621b03a46"
