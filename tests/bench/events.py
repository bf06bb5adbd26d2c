"""Valid credit events for the benchmark, many and fast, the same for the same seed."""
import dataclasses
import random
import uuid

from tests.factories import credit_document
from xblocks.criteria.credit import parse_credit_event

# Ten indicators × two sources: every template goes through the real schema and framework checks.
_SOURCES = (
    {"kind": "completion", "course_key": "course-v1:VN+DS101+2026", "usage_key": None},
    {"kind": "assessment", "course_key": "course-v1:VN+DS101+2026",
     "usage_key": "block-v1:VN+DS101+2026+type@skills_assessment+block@unit-3"},
)


def _templates():
    return [
        parse_credit_event(credit_document(indicator=str(code), points=1 + code % 4, source=source,
                                           assurance="auto-scored", provenance="verified"))
        for code in range(1, 11) for source in _SOURCES
    ]


def credit_events(count, *, seed, learners=10_000, prefix="bench"):
    """
    ``count`` validated events with unique ids and idempotency keys, for learners drawn at
    random from ``learners`` user ids (so they fall on every chain, in no particular order).

    Only the templates are parsed; the rest are copies with a new id, key and learner, which
    keeps building 10^5 events to a second or two and out of the timed part.
    """
    rng = random.Random(seed)
    templates = _templates()
    events = []
    for number in range(count):
        user_id = 1 + rng.randrange(learners)
        events.append(dataclasses.replace(
            templates[rng.randrange(len(templates))],
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            idempotency_key=f"{prefix}:{seed}:{number}",
            user_id=user_id,
            anonymous_id=f"anon-{user_id:08d}",
        ))
    return events
