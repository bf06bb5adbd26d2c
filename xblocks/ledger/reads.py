"""
Reading the ledger: its entries, and the points they add up to.

:func:`earned_points` is the one read of "points earned per indicator": standing, the progress
reports, the ob3 export and the evidence caps all ask it rather than summing entries themselves,
so they cannot disagree on what a reversal or another framework's credit counts for.
"""
from decimal import Decimal

from django.db.models import Sum

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.standing import compute_standing

from .models import Entry

# Learners are summed this many to a query (keeps the IN list well under the drivers' limits).
_LEARNER_SLICE = 1000


def entries(*, user_id=None, period=None, framework_id=None):
    """Entries in the order they were recorded, optionally for one learner, period or framework."""
    queryset = Entry.objects.order_by("id")
    if user_id is not None:
        queryset = queryset.filter(user_id=user_id)
    if period is not None:
        queryset = queryset.filter(period=period)
    if framework_id is not None:
        queryset = queryset.filter(framework_id=framework_id)
    return queryset


def earned_points(user_ids, period, framework_id, *, indicators=None, source_kinds=None, by_source_kind=False):
    """
    Net points each learner has recorded per indicator of ``framework_id`` in ``period``.

    Reversals are entries with the opposite points, so the sum nets them out. The database sums,
    in one grouped query per thousand learners. Returns ``{user_id: {indicator: Decimal}}`` with
    every learner asked for present (an empty dict when they have nothing recorded); with
    ``by_source_kind`` the keys are ``(indicator, source_kind)``. ``indicators`` and
    ``source_kinds`` narrow what is summed. The sums are not capped or floored: that is the
    framework's rule (:func:`xblocks.criteria.standing.compute_standing`).
    """
    user_ids = list(dict.fromkeys(user_ids))
    earned = {user_id: {} for user_id in user_ids}
    group = ("user_id", "indicator", "source_kind") if by_source_kind else ("user_id", "indicator")
    queryset = Entry.objects.filter(period=period, framework_id=framework_id)
    if indicators is not None:
        queryset = queryset.filter(indicator__in=list(indicators))
    if source_kinds is not None:
        queryset = queryset.filter(source_kind__in=list(source_kinds))
    for start in range(0, len(user_ids), _LEARNER_SLICE):
        sums = (queryset.filter(user_id__in=user_ids[start:start + _LEARNER_SLICE])
                .values(*group).annotate(earned=Sum("points")).order_by())
        for row in sums:
            key = (row["indicator"], row["source_kind"]) if by_source_kind else row["indicator"]
            earned[row["user_id"]][key] = Decimal(row["earned"])
    return earned


def standing(user_id, period, framework_id="learning-citizen-2021-2030"):
    """The learner's :class:`~xblocks.criteria.standing.Standing` for ``period``, derived from the ledger."""
    framework = get_framework(framework_id)
    return compute_standing(framework, period, earned_points([user_id], period, framework.id)[user_id])
