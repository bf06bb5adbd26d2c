"""
Submitted attempts of the digital-skills assessment, one row each, never updated.

A row keeps what the attempt scored (per item and per competence, with its level), and the
result that counted for the learner after it under the block's attempt policy. Item statistics
read the item scores; the national reports read the counted results (see :mod:`.api`).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    """One submitted (or expired) attempt of one learner at one assessment block."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        EXPIRED = "expired", _("expired")

    id = models.BigAutoField(primary_key=True)
    usage_key = models.CharField(max_length=255)
    course_key = models.CharField(max_length=255, blank=True)
    user_id = models.BigIntegerField()
    anonymous_id = models.CharField(max_length=64)
    attempt_id = models.CharField(max_length=64, help_text=_("the block's id for this attempt"))
    number = models.PositiveIntegerField(help_text=_("1 for the learner's first attempt at this block"))
    status = models.CharField(max_length=10, choices=Status.choices)
    period = models.CharField(max_length=20, help_text=_("assessment period of the criteria framework"))
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField()

    item_bank = models.CharField(max_length=100)
    item_bank_version = models.CharField(max_length=20)
    competence_framework = models.CharField(max_length=100)
    competence_framework_version = models.CharField(max_length=20)
    scale = models.CharField(max_length=100)
    scale_version = models.CharField(max_length=20)

    item_scores = models.JSONField(help_text=_("item id -> score from 0 to 1"))
    result = models.JSONField(help_text=_("this attempt's percents, bands, levels and tiers"))
    percent = models.FloatField()
    level = models.PositiveSmallIntegerField(null=True, blank=True)

    policy = models.CharField(max_length=10, help_text=_("how attempts combined: latest, highest or average"))
    counted_percent = models.FloatField()
    counted_level = models.PositiveSmallIntegerField(null=True, blank=True)
    counted_tier = models.CharField(max_length=40, blank=True)
    has_digital_skills = models.BooleanField(help_text=_("the counted result meets the scale's rule"))
    proficient = models.BooleanField(help_text=_("the counted result meets the scale's rule"))
    assurance = models.CharField(max_length=20, help_text=_("self-reported or auto-scored"))

    class Meta:
        verbose_name = _("assessment attempt")
        constraints = [
            models.UniqueConstraint(fields=["usage_key", "user_id", "attempt_id"], name="lc_assessment_attempt_once"),
        ]
        indexes = [
            models.Index(fields=["period", "user_id"], name="lc_assessment_period_user"),
            models.Index(fields=["usage_key", "user_id", "number"], name="lc_assessment_usage_user"),
        ]

    def __str__(self):
        return f"attempt {self.number} of user {self.user_id} at {self.usage_key}: {self.percent:.1f} %"
