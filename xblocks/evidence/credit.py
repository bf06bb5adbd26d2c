"""
Evidence and the ledger: what an approval credits and a withdrawal takes back, and how much room
the policy's caps leave.

The room left (:func:`room_left`) is what an approval may still award on each indicator: the
smaller of what the policy's cap for declarations leaves and what the indicator's maximum leaves
once every credit the learner already has there (courses, assessments, declarations) is counted,
as :func:`xblocks.criteria.standing.compute_standing` counts it. A reviewer cannot award more:
the ledger never records points the learner's standing would cap away.

An approval sends one credit per indicator on the one producer road
(:func:`xblocks.common.credit.give_credit`: provenance ``declared``, assurance ``staff-reviewed``,
key per declaration and indicator); withdrawing or revoking it reverses those entries
(:func:`xblocks.common.credit.withdraw_credit`).
"""
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from xblocks.common.credit import give_credit, withdraw_credit

SOURCE_KIND = "declaration"
ZERO = Decimal("0.00")


def declared_points(user_id, framework_id, period, indicators):
    """``{indicator: net points already recorded from declarations}`` (reversals subtracted), one ledger read."""
    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    earned = api.earned_points([user_id], period, framework_id, indicators=indicators, source_kinds=[SOURCE_KIND])[user_id]
    return {code: earned.get(code, Decimal("0")) for code in indicators}


@dataclass(frozen=True)
class IndicatorRoom:
    """One learner's place on one indicator in one period: what counts now, its maximum, and what an approval may add."""

    code: str
    points: Decimal      # what counts toward the title now (capped at the maximum, never below 0)
    max_points: Decimal
    room: Decimal        # what an approval may still award: within the indicator's maximum and the policy's cap


def learner_points(user_ids, framework, period, policy=None):
    """
    ``{user_id: {indicator: IndicatorRoom}}`` for every indicator of ``framework``, two ledger reads
    for all the learners (all credit, and credit from declarations for the policy's caps).
    """
    from xblocks.criteria.standing import compute_standing  # pylint: disable=import-outside-toplevel
    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    user_ids = list(dict.fromkeys(user_ids))
    earned = api.earned_points(user_ids, period, framework.id)
    declared = api.earned_points(user_ids, period, framework.id, source_kinds=[SOURCE_KIND]) if policy else {}
    rooms = {}
    for user_id in user_ids:
        standing = compute_standing(framework, period, earned[user_id])
        rooms[user_id] = {}
        for item in standing.indicators:
            room = item.max_points - item.points
            if policy is not None:
                room = min(room, policy.period_cap(item.code) - declared[user_id].get(item.code, ZERO))
            rooms[user_id][item.code] = IndicatorRoom(item.code, item.points, item.max_points, max(room, ZERO))
    return rooms


def room_left(declaration, policy):
    """``{indicator: points an approval of ``declaration`` may still award}``: nothing above it would count."""
    rooms = learner_points([declaration.user_id], policy.framework, declaration.period, policy)[declaration.user_id]
    return {code: rooms[code].room if code in rooms else ZERO for code in declaration.indicators}


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
