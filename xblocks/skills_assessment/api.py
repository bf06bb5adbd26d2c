"""
The assessment's tables, read and written here only.

* :func:`record_attempt` keeps a submitted attempt once (its block-issued attempt id is unique per
  learner and block, so a repeated or concurrent submission never makes a second row).
* :func:`item_statistics` gives staff facility and discrimination per item of a block.
* :func:`digital_skills_facts` gives, per learner and period, what the national reports count:
  whether the learner has digital skills and is proficient, the level and tier, and how the
  result was obtained. The ledger carries the same facts as credit on the digital-skills
  indicator; these rows add the levels and the per-competence detail.
"""
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, transaction

from xblocks.criteria.item_statistics import item_statistics as compute_item_statistics

APP_LABEL = "learning_citizen_assessment"


def installed():
    """Whether the tables exist in this process (the app is installed: LMS plugin, workbench)."""
    return apps.is_installed("xblocks.skills_assessment")


def _model():
    return apps.get_model(APP_LABEL, "Attempt")


def record_attempt(**fields):
    """Insert one attempt row; returns ``(row, created)``. A known attempt id returns the existing row."""
    model = _model()
    key = {"usage_key": fields["usage_key"], "user_id": fields["user_id"], "attempt_id": fields["attempt_id"]}
    existing = model.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return model.objects.create(**fields), True
    except IntegrityError:
        return model.objects.get(**key), False


def attempts(usage_key=None, user_id=None, period=None):
    queryset = _model().objects.order_by("id")
    if usage_key is not None:
        queryset = queryset.filter(usage_key=usage_key)
    if user_id is not None:
        queryset = queryset.filter(user_id=user_id)
    if period is not None:
        queryset = queryset.filter(period=period)
    return queryset


def _latest_per_learner(rows):
    """The newest row per (learner, block) of rows in id order."""
    latest = {}
    for row in rows:
        latest[(row.user_id, row.usage_key)] = row
    return list(latest.values())


def item_statistics(usage_key, item_ids=None):
    """
    Facility and discrimination per item of one block, from each learner's latest attempt there
    (a learner who tries five times is one learner, not five). Expired attempts are left out:
    their unanswered items say nothing about the items.
    """
    rows = _latest_per_learner(attempts(usage_key=usage_key).filter(status="submitted").only(
        "user_id", "usage_key", "item_scores"))
    return compute_item_statistics([row.item_scores for row in rows], item_ids)


@dataclass(frozen=True)
class DigitalSkillsFact:
    user_id: int
    anonymous_id: str
    period: str
    has_digital_skills: bool
    proficient: bool
    level: int | None
    tier: str
    percent: float
    assurance: str
    usage_key: str


def digital_skills_facts(period):
    """
    One fact per learner assessed in ``period``: across the blocks they took, the counted result
    after their latest attempt at each block, and of those the best (highest level, then percent).
    """
    best = {}
    for row in _latest_per_learner(attempts(period=period)):
        fact = DigitalSkillsFact(row.user_id, row.anonymous_id, row.period, row.has_digital_skills, row.proficient,
                                 row.counted_level, row.counted_tier, row.counted_percent, row.assurance, row.usage_key)
        current = best.get(row.user_id)
        if current is None or (fact.level or 0, fact.percent) > (current.level or 0, current.percent):
            best[row.user_id] = fact
    return [best[user_id] for user_id in sorted(best)]
