"""
The one road by which credit reaches the ledger, and the one by which it is taken back.

:func:`give_credit` is what every producer calls (the completion block, the skills assessment,
evidence review, the course rules): it builds the idempotency key (:func:`credit_key`), looks up
the learner's anonymous id, builds and validates the event once, and sends it on the ledger's
``CREDIT_EARNED`` signal, so the credit rides the event bus where one is configured. In one
process the ledger's receiver appends the event it was handed without validating it again; an
event that arrives from the bus is validated again (:func:`xblocks.ledger.signals.received_event`).

:func:`withdraw_credit` reverses a recorded credit. Reversals are corrections made where the
ledger is: they go straight to :func:`xblocks.ledger.api.reverse`.

Layer: this module sits above the ledger and criteria and uses :mod:`xblocks.compat`; it never
imports a block or the reports.
"""
import hashlib
import json
import logging
from dataclasses import dataclass

from xblocks import compat
from xblocks.criteria.credit import new_credit_event

log = logging.getLogger(__name__)

# The key recipes, one per kind of source, frozen: ledgers hold keys built by them, and a key that
# changed would let the same credit be recorded a second time after an upgrade.
HASHED_PREFIXES = {
    # sha256 of [learner, source key, framework, indicator]: the source key is the block's usage
    # key for a completion block, the course key for a course rule.
    "completion": "completion-credit:v1:",
    "course-passing": "course-rule:v1:",
    "certificate": "course-rule:v1:",
}


def _hashed_key(prefix, user_id, source_key, framework_id, indicator):
    payload = json.dumps([int(user_id), str(source_key), str(framework_id), str(indicator)], separators=(",", ":"))
    return prefix + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def credit_key(source_kind, *, user_id, framework_id, indicator, usage_key="", course_key="", discriminator=""):
    """
    The idempotency key of one credit: the same parts always give the same key.

    ``discriminator`` tells apart the credits one source gives the same learner on the same
    indicator: a course rule's generation after a withdrawal ("" for the first, then "2", "3", …),
    the assessment's period and total reached (``"2026:7.00"``), the declaration's uuid.
    """
    if source_kind in HASHED_PREFIXES:
        source_key = usage_key if source_kind == "completion" else course_key
        key = _hashed_key(HASHED_PREFIXES[source_kind], user_id, source_key, framework_id, indicator)
        return f"{key}:{discriminator}" if discriminator else key
    if source_kind == "assessment":
        # One indicator per block; the discriminator names the period and the total reached.
        return f"skills-assessment:{usage_key}:{user_id}:{discriminator}"
    if source_kind == "declaration":
        # The declaration (its uuid) is the source: one key per declaration and indicator.
        return f"declaration:{discriminator}:{indicator}"
    raise ValueError(f"no idempotency key recipe for source kind {source_kind!r}")


@dataclass(frozen=True)
class Delivery:
    """
    What became of a credit sent: the event, and what the receivers in this process answered.

    Over the event bus nobody in this process answers: ``results`` is empty, and the caller's own
    memory must decide whether the credit is new.
    """

    event: object           # the validated CreditEvent
    results: tuple = ()     # the ledger's AppendResults, from receivers in this process
    failures: tuple = ()    # (receiver, exception) for receivers that raised

    @property
    def key(self):
        return self.event.idempotency_key

    @property
    def answered(self):
        """A receiver in this process recorded (or found) the credit."""
        return bool(self.results)

    @property
    def created(self):
        """This call wrote the ledger entry (not a repeat, not a conflict)."""
        return any(result.created for result in self.results)

    @property
    def conflicts(self):
        """The fields in which an entry already recorded under this key differs (empty: none)."""
        return tuple(field for result in self.results for field in result.conflicts)

    @property
    def result(self):
        """The ledger's answer, or None when nobody in this process answered."""
        return self.results[0] if self.results else None


def give_credit(*, source_kind, user_id, framework, indicator, points, provenance, assurance, occurred_at,
                course_key="", usage_key="", discriminator="", hours=None, evidence=()):
    """
    Build, validate and send one credit; return its :class:`Delivery`.

    Raises :class:`~xblocks.criteria.problems.InvalidInput` (and sends nothing) when the credit
    does not fit the framework. Receivers that fail do not raise here: they are in
    ``Delivery.failures``, and the caller decides.
    """
    from xblocks.ledger.api import AppendResult  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.signals import send_credit  # pylint: disable=import-outside-toplevel

    key = credit_key(source_kind, user_id=user_id, framework_id=framework.id, indicator=indicator,
                     usage_key=usage_key, course_key=course_key, discriminator=discriminator)
    event = new_credit_event(
        idempotency_key=key, user_id=user_id, anonymous_id=compat.anonymous_id(user_id), framework=framework,
        indicator=indicator, points=points, hours=hours, source_kind=source_kind, provenance=provenance,
        assurance=assurance, occurred_at=occurred_at, course_key=str(course_key or ""),
        usage_key=str(usage_key or ""), evidence=evidence,
    )
    responses = send_credit(event) or ()
    results = tuple(response for _receiver, response in responses if isinstance(response, AppendResult))
    failures = tuple((receiver, response) for receiver, response in responses if isinstance(response, Exception))
    for receiver, error in failures:
        log.error("Credit receiver %r failed for %s", receiver, key, exc_info=error)
    return Delivery(event, results, failures)


def withdraw_credit(credit, *, reason):
    """
    Reverse a recorded credit, given its ledger entry or its idempotency key; returns the ledger's
    AppendResult (a repeated call returns the reversal already made), or None when no credit is
    recorded under that key (possible only while a ledger in another process has not received it).
    """
    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel

    entry = credit
    if not isinstance(credit, Entry):
        entry = Entry.objects.filter(kind=Entry.Kind.CREDIT, idempotency_key=credit).first()
        if entry is None:
            log.error("No ledger entry for %s to reverse (%s)", credit, reason)
            return None
    return api.reverse(entry, reason=reason)
