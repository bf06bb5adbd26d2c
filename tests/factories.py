"""Valid credit events to start tests from; each test changes only what it is about."""
import copy
import itertools
import uuid

from xblocks.criteria.credit import parse_credit_event

_COUNTER = itertools.count(1)


def credit_document(**overrides):
    """A valid credit-event document (dict). Nested keys are replaced whole."""
    number = next(_COUNTER)
    document = {
        "id": str(uuid.uuid4()),
        "idempotency_key": f"test:{uuid.uuid4()}",
        "learner": {"user_id": 1000 + number % 50, "anonymous_id": f"anon-{1000 + number % 50}"},
        "framework": {"id": "learning-citizen-2021-2030", "version": "1.0.0"},
        "indicator": "5",
        "points": 4,
        "hours": 2.5,
        "period": "2026",
        "source": {"kind": "completion", "course_key": "course-v1:VN+DS101+2026", "usage_key": None},
        "provenance": "verified",
        "assurance": "auto-scored",
        "evidence": [],
        "occurred_at": "2026-03-01T08:00:00+07:00",
    }
    document.update(copy.deepcopy(overrides))
    return document


def credit_event(**overrides):
    """A validated :class:`~xblocks.criteria.credit.CreditEvent`."""
    return parse_credit_event(credit_document(**overrides))
