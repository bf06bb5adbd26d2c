"""
Course-level credit: the platform's passing and certificate signals, through the ledger's
CourseCreditRule (the rules are the ledger's data; reacting to the platform is this layer's job).
Connected by the reports app's ``ready()``.

* COURSE_PASSING_STATUS_UPDATED (is_passing) credits each enabled rule of the course that has
  ``on_passing``.
* CERTIFICATE_CREATED credits each enabled rule with ``on_certificate``, unless that rule's
  credit is already in the ledger and not withdrawn.
* CERTIFICATE_REVOKED withdraws (``api.reverse``) the credit of each rule with
  ``on_certificate``; a certificate issued again later credits again.

Every signal may arrive twice (the event bus delivers at least once) and concurrently. Keys make
that harmless: a rule's first credit for a learner has the key derived from (learner, course,
framework, indicator); after a withdrawal, a new certificate's credit takes the next
"generation" of that key (``…:2``, ``…:3``). Two deliveries compute the same key, so the ledger
records one entry. Passing uses only the first generation: grades are recomputed often, and a
revoked certificate must not be undone by the next grade change.
"""
import logging

from django.dispatch import receiver
from django.utils import timezone
from openedx_events.learning.signals import CERTIFICATE_CREATED, CERTIFICATE_REVOKED, COURSE_PASSING_STATUS_UPDATED

from xblocks.common.credit import credit_key, give_credit, withdraw_credit
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import InvalidInput
from xblocks.ledger.models import CourseCreditRule, Entry

log = logging.getLogger(__name__)

REVOKED_REASON = "certificate revoked"
# Certificate statuses that do not mean a certificate was awarded (CERTIFICATE_CREATED is trusted otherwise).
NOT_AWARDED = frozenset({"unavailable", "notpassing", "audit_notpassing", "error", "deleted", "unverified"})


def rule_key(user_id, course_key, framework_id, indicator):
    """The first-generation idempotency key of a rule's credit for one learner."""
    return credit_key("course-passing", user_id=user_id, course_key=course_key, framework_id=framework_id, indicator=indicator)


def _generation(key, base):
    suffix = key[len(base):]
    return int(suffix[1:]) if suffix.startswith(":") and suffix[1:].isdigit() else 1


def latest_credit(base):
    """``(entry, reversal)`` for the newest generation of a rule's credit; ``(None, None)`` if none."""
    credits = [entry for entry in Entry.objects.filter(kind=Entry.Kind.CREDIT, idempotency_key__startswith=base)
               if entry.idempotency_key == base or entry.idempotency_key.startswith(base + ":")]
    if not credits:
        return None, None
    latest = max(credits, key=lambda entry: _generation(entry.idempotency_key, base))
    return latest, Entry.objects.filter(reverses=latest).first()


def _rules(course_key, **trigger):
    return CourseCreditRule.objects.filter(course_key=str(course_key), **trigger).order_by("id")


def _when(metadata):
    moment = getattr(metadata, "time", None)
    return moment if moment is not None else timezone.now()


def _append(rule, user_id, course_key, generation, source_kind, occurred_at):
    try:
        delivery = give_credit(
            source_kind=source_kind, user_id=user_id, framework=get_framework(rule.framework_id),
            indicator=rule.indicator, points=rule.points, hours=rule.hours, provenance="verified",
            assurance="auto-scored", occurred_at=occurred_at, course_key=str(course_key),
            discriminator="" if generation == 1 else str(generation),
        )
    except InvalidInput as error:
        log.error("Course credit rule %s cannot credit user %s: %s", rule.pk, user_id, error)
        return None
    result = delivery.result
    if result is not None:
        log.info("Course credit rule %s, user %s: %s entry %s", rule.pk, user_id,
                 "recorded" if result.created else "already had", result.entry.pk)
    return result


@receiver(COURSE_PASSING_STATUS_UPDATED, dispatch_uid="learning_citizen.course_rules.passing")
def credit_on_passing(course_passing_status, metadata=None, **kwargs):
    """A learner passes a course: credit each of its passing rules (once, ever)."""
    if not course_passing_status.is_passing:
        return []
    course_key = course_passing_status.course.course_key
    user_id = course_passing_status.user.id
    return [
        _append(rule, user_id, course_key, 1, "course-passing", _when(metadata))
        for rule in _rules(course_key, enabled=True, on_passing=True)
    ]


@receiver(CERTIFICATE_CREATED, dispatch_uid="learning_citizen.course_rules.certificate_created")
def credit_on_certificate(certificate, metadata=None, **kwargs):
    """A certificate is issued: credit each certificate rule not already credited (and not withdrawn)."""
    if (certificate.current_status or "").lower() in NOT_AWARDED:
        return []
    course_key = certificate.course.course_key
    user_id = certificate.user.id
    occurred_at = _when(metadata)
    results = []
    for rule in _rules(course_key, enabled=True, on_certificate=True):
        base = rule_key(user_id, course_key, rule.framework_id, rule.indicator)
        latest, reversal = latest_credit(base)
        if latest is not None and reversal is None:
            continue  # credited already (by passing, or by this certificate delivered before)
        if reversal is not None and occurred_at <= reversal.recorded_at:
            continue  # a stale redelivery of the certificate that was since revoked
        generation = 1 if latest is None else _generation(latest.idempotency_key, base) + 1
        results.append(_append(rule, user_id, course_key, generation, "certificate", occurred_at))
    return results


@receiver(CERTIFICATE_REVOKED, dispatch_uid="learning_citizen.course_rules.certificate_revoked")
def withdraw_on_revocation(certificate, metadata=None, **kwargs):
    """A certificate is revoked: reverse the credit of each certificate rule (disabled ones too)."""
    course_key = certificate.course.course_key
    user_id = certificate.user.id
    results = []
    for rule in _rules(course_key, on_certificate=True):
        latest, reversal = latest_credit(rule_key(user_id, course_key, rule.framework_id, rule.indicator))
        if latest is None or reversal is not None:
            continue
        results.append(withdraw_credit(latest, reason=REVOKED_REASON))
        log.info("Course credit rule %s, user %s: entry %s withdrawn (certificate revoked)", rule.pk, user_id, latest.pk)
    return results
