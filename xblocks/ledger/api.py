"""
The ledger's public API: the only door for writes, and the reads everyone else uses.

* :func:`append` and :func:`append_many` record credit events; the same idempotency key never
  yields a second entry, whatever the concurrency (:mod:`.append`).
* :func:`reverse` corrects an entry by appending its opposite; history is never changed.
* :func:`entries`, :func:`earned_points` and :func:`standing` read (:mod:`.reads`);
  :func:`learner_facts_code` is the same rule as an SQL expression, for reports over many learners.
* :func:`verify` recomputes every hash chain (:mod:`.verify`).

Callers import this module (``from xblocks.ledger import api``), not the ones it names.
"""
from .append import (
    CREDIT_IDENTITY,
    AppendResult,
    KeyConflict,
    append,
    append_many,
    differing_fields,
    key_conflict_problem,
    recorded_credits,
    reverse,
)
from .models import chain_of
from .reads import DIGITAL, HOLDER, PROFICIENT, earned_points, entries, learner_facts_code, standing
from .verify import Break, VerifyReport, verify

__all__ = [
    "CREDIT_IDENTITY", "AppendResult", "KeyConflict", "append", "append_many", "differing_fields",
    "key_conflict_problem", "recorded_credits", "reverse", "chain_of",
    "earned_points", "entries", "standing", "learner_facts_code", "HOLDER", "DIGITAL", "PROFICIENT",
    "Break", "VerifyReport", "verify",
]
