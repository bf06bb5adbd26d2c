"""
Reading the ledger: its entries, and the points they add up to.

:func:`earned_points` is the one read of "points earned per indicator": standing, the progress
reports, the ob3 export and the evidence caps all ask it rather than summing entries themselves,
so they cannot disagree on what a reversal or another framework's credit counts for.
"""
from decimal import Decimal

from django.db import connection
from django.db.models import BigIntegerField, Case, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest, Least, Round

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


# Bits of :func:`learner_facts_code`.
HOLDER, DIGITAL, PROFICIENT = 1, 2, 4


def learner_facts_code(period, framework, targets, user_id=OuterRef("user_id")):
    """
    An expression for a learner's facts in ``period``, computed in the database by one grouped query
    on their entries (a correlated subquery on ``user_id``, by default the outer row's): HOLDER when
    ``framework``'s rule recognises them, plus DIGITAL and PROFICIENT when their credit on the targets'
    digital-skills indicators meets ``targets.has_digital_skills`` and ``targets.proficient``. 0 for
    someone with no entries.

    The same rule as :func:`xblocks.criteria.progress.learner_facts`, in SQL: per indicator the net
    credit (reversals subtract) is floored at 0 and capped at the indicator's maximum, the capped
    points are summed, and each indicator must reach its minimum. On SQLite, which sums decimals as
    floats, points are summed as whole cents (each entry rounded to its two places), so they compare
    exactly there too.
    """
    if connection.vendor == "sqlite":   # SQLite sums decimals as floats: sum whole cents instead
        amount, field, scale = Cast(Round(F("points") * 100), BigIntegerField()), BigIntegerField(), 100
    else:                                # the others sum DECIMAL exactly
        amount, field, scale = F("points"), DecimalField(max_digits=15, decimal_places=2), 1

    def value(points):
        return Value(int(points * scale) if scale != 1 else Decimal(points), output_field=field)

    zero = value(0)

    def earned(indicator, source_kinds=None):
        condition = Q(indicator=indicator.code)
        if source_kinds is not None:
            condition &= Q(source_kind__in=list(source_kinds))
        return Sum(Case(When(condition, then=amount), default=zero, output_field=field))

    def capped(indicator, source_kinds=None):
        return Least(Greatest(earned(indicator, source_kinds), zero), value(indicator.max_points))

    def total(parts):
        result = zero
        for part in parts:
            result = result + part
        return result

    def flag(condition):
        return Case(When(condition, then=Value(1)), default=Value(0), output_field=BigIntegerField())

    tagged = framework.indicators_tagged(targets.digital_skills_tag)
    annotations = {
        "lc_total": total(capped(indicator) for indicator in framework.indicators),
        "lc_digital": total(capped(indicator, targets.has_digital_skills.source_kinds) for indicator in tagged),
        "lc_proficient": total(capped(indicator, targets.proficient.source_kinds) for indicator in tagged),
    }
    # Capped at a maximum no smaller than the minimum, an indicator reaches its minimum exactly when its net credit does.
    holder = Q(lc_total__gte=value(framework.min_total))
    for index, indicator in enumerate(framework.indicators):
        if indicator.min_points > 0:
            annotations[f"lc_earned_{index}"] = earned(indicator)
            holder &= Q(**{f"lc_earned_{index}__gte": value(indicator.min_points)})
    # holder × (1 + digital × (2 + 4 × proficient)): each condition written once.
    code = flag(holder)
    if tagged:
        digital = flag(Q(lc_digital__gte=value(targets.has_digital_skills.min_points)))
        proficient = flag(Q(lc_proficient__gte=value(targets.proficient.min_points)))
        code = code * (Value(HOLDER) + digital * (Value(DIGITAL) + Value(PROFICIENT) * proficient))
    sums = (Entry.objects.filter(user_id=user_id, period=period, framework_id=framework.id)
            .order_by().values("user_id").annotate(**annotations)
            .annotate(lc_code=ExpressionWrapper(code, output_field=BigIntegerField())).values("lc_code"))
    return Coalesce(Subquery(sums[:1]), Value(0), output_field=BigIntegerField())


def standing(user_id, period, framework_id="learning-citizen-2021-2030"):
    """The learner's :class:`~xblocks.criteria.standing.Standing` for ``period``, derived from the ledger."""
    framework = get_framework(framework_id)
    return compute_standing(framework, period, earned_points([user_id], period, framework.id)[user_id])
