"""
Evidence and the ledger: what an approval credits and a withdrawal takes back, and how much room
the policy's caps leave.

An approval sends one credit per indicator on the one producer road
(:func:`xblocks.common.credit.give_credit`: provenance ``declared``, assurance ``staff-reviewed``,
key per declaration and indicator); withdrawing or revoking it reverses those entries
(:func:`xblocks.common.credit.withdraw_credit`).
"""
from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from xblocks.common.credit import give_credit, withdraw_credit

SOURCE_KIND = "declaration"


def declared_points(user_id, framework_id, period, indicators):
    """``{indicator: net points already recorded from declarations}`` (reversals subtracted), one ledger read."""
    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    earned = api.earned_points([user_id], period, framework_id, indicators=indicators, source_kinds=[SOURCE_KIND])[user_id]
    return {code: earned.get(code, Decimal("0")) for code in indicators}


def remaining_caps(declaration, policy):
    """``{indicator: points declarations may still earn this learner this period}``."""
    declared = declared_points(declaration.user_id, declaration.framework_id, declaration.period, declaration.indicators)
    return {code: max(policy.period_cap(code) - declared[code], Decimal("0.00")) for code in declaration.indicators}


def _occurred_at(activity_date):
    return timezone.make_aware(datetime.combine(activity_date, time(12, 0)), timezone.get_default_timezone())


def _evidence(declaration):
    items = [{"uri": row.uri, "sha256": row.sha256} for row in declaration.files.all()]
    items += [{"uri": link} for link in declaration.links]
    return items[:20]


def credit_declaration(declaration, points, place):
    """One credit event per indicator awarded; the ledger appends each once (idempotency key per declaration and indicator)."""
    framework = place.policy.framework
    keys, hours_given = [], False
    for code in declaration.indicators:
        if points.get(code, 0) <= 0:
            continue
        delivery = give_credit(
            source_kind=SOURCE_KIND, discriminator=str(declaration.uuid), user_id=declaration.user_id,
            framework=framework, indicator=code, points=points[code], provenance="declared",
            assurance="staff-reviewed", occurred_at=_occurred_at(declaration.activity_date),
            # The activity's hours are counted once, on its first indicator: they are not learned twice.
            hours=None if hours_given else declaration.hours,
            course_key=declaration.course_key, usage_key=declaration.usage_key, evidence=_evidence(declaration),
        )
        hours_given = True
        for _receiver, error in delivery.failures:
            raise error  # the approval is not saved: its transaction rolls back
        keys.append(delivery.key)
    return keys


def reverse_declaration_credit(declaration, *, reason):
    """Reverse what the declaration's approval credited (its keys are kept on the declaration)."""
    for key in declaration.credit_keys:
        withdraw_credit(key, reason=reason)
