"""
The reviewer's desk across courses, at /learning-citizen/evidence/desk: every evidence block's
declarations waiting for review (or filtered otherwise), with the learner's name and points on the
declared indicators, each linked to the block where the decision is made. Reading only: decisions
stay in the block, where the policy and the course are known.

Only users holding the reviewer permission (given in Django admin; superusers hold every
permission) may open it: course staff review in their own course's blocks.
"""
from xblocks.criteria.problems import N_

from .models import REVIEW_PERMISSION, Declaration
from .policy import available_policies
from .review import QUEUE_LIMIT, clean_queue_filters, filtered

DESK_STRINGS = {
    "title": N_("Reviewer's desk"),
    "intro": N_("Declarations from every course, oldest first. Open one in its course to decide on it."),
    "filters": N_("Filters"),
    "status": N_("Status"),
    "indicator": N_("Indicator"),
    "course": N_("Course key"),
    "submitted_from": N_("Submitted from"),
    "submitted_to": N_("Submitted until"),
    "show": N_("Show"),
    "all": N_("All"),
    "learner": N_("Learner"),
    "submitted": N_("Submitted on {date}"),
    "open": N_("Open in its course to decide"),
    "no_link": N_("This block is not in a course of this site: open its page to decide."),
    "empty": N_("Nothing matches these filters."),
    "errors": N_("There is a problem"),
    "unnamed": N_("A learner this site has no name for"),
    "points_heading": N_("Points on the declared indicators"),
    "points_line": N_("Indicator {code}: {points} of {maximum} count now; room left {room}"),
}
DESK_REFUSED = N_("Only reviewers can open the reviewer's desk.")


def can_use_desk(user):
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
                and user.has_perm(REVIEW_PERMISSION))


def offered():
    """Indicator codes and kinds of every policy on this site (the filters' choices)."""
    indicators, kinds = [], []
    for policy in available_policies().values():
        indicators += [item.code for item in policy.framework.indicators if item.code not in indicators]
        kinds += [kind for kind in policy.kinds if kind not in kinds]
    return tuple(indicators), tuple(kinds)


def desk_declarations(raw, course=""):
    """``(filters, declarations)``: the checked filters and the declarations they select, oldest first (InvalidInput on bad filters)."""
    indicators, kinds = offered()
    filters = clean_queue_filters(raw, indicators=indicators, kinds=kinds)
    queryset = filtered(Declaration.objects.all(), **filters)
    if course:
        queryset = queryset.filter(course_key=course)
    return filters, list(queryset.order_by("created_at", "id")[:QUEUE_LIMIT])


def rooms_of(declarations):
    """``{(user_id, period, policy_id): {indicator: IndicatorRoom}}``: two ledger reads per period and policy."""
    from .credit import learner_points  # pylint: disable=import-outside-toplevel
    policies = available_policies()
    groups = {}
    for row in declarations:
        if row.policy_id in policies:
            groups.setdefault((row.period, row.policy_id), set()).add(row.user_id)
    rooms = {}
    for (period, policy_id), user_ids in groups.items():
        policy = policies[policy_id]
        for user_id, indicators in learner_points(sorted(user_ids), policy.framework, period, policy).items():
            rooms[(user_id, period, policy_id)] = indicators
    return rooms
