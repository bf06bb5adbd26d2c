"""
Ledger tables. Rows are written only by :mod:`xblocks.ledger.api`, never updated or deleted.

Entries are spread over a fixed set of hash chains by learner (``user_id % CHAIN_COUNT``) so
that appends for different learners do not wait on one lock, while every chain still orders
and links its entries. The chain heads are created by the initial migration; a missing head,
like a missing or altered entry, is reported by ``verify``.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import KeyField

# Fixed at installation (the migration creates this many heads): changing it would re-assign
# learners to chains. 16 lets 8 concurrent writers rarely meet on one lock.
CHAIN_COUNT = 16


def chain_of(user_id):
    """The chain a learner's entries belong to."""
    return user_id % CHAIN_COUNT


class ChainHead(models.Model):
    """The newest link of one chain: the serialisation point for appends to that chain."""

    chain = models.PositiveSmallIntegerField(primary_key=True)
    length = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("chain head")

    def __str__(self):
        return f"chain {self.chain}: {self.length} entries"


class Entry(models.Model):
    """One credit (positive points) or reversal (negative points, pointing at the original)."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("credit")
        REVERSAL = "reversal", _("reversal")

    id = models.BigAutoField(primary_key=True)
    chain = models.PositiveSmallIntegerField()
    position = models.BigIntegerField(help_text=_("1-based place of this entry in its chain"))
    entry_hash = models.CharField(max_length=64, help_text=_("SHA-256 of the previous hash and this entry"))

    event_id = models.UUIDField(unique=True)
    idempotency_key = KeyField(max_length=200, unique=True)  # compared exactly on every database
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CREDIT)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
    )
    reason = models.CharField(max_length=500, blank=True)

    user_id = models.BigIntegerField()  # indexed with the period, below
    anonymous_id = models.CharField(max_length=64)
    framework_id = models.CharField(max_length=100)
    framework_version = models.CharField(max_length=20)
    indicator = models.CharField(max_length=20)
    points = models.DecimalField(max_digits=9, decimal_places=2)
    hours = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    period = models.CharField(max_length=20)
    source_kind = models.CharField(max_length=20)
    course_key = models.CharField(max_length=255, blank=True)
    usage_key = models.CharField(max_length=255, blank=True)
    provenance = models.CharField(max_length=10)
    assurance = models.CharField(max_length=20)
    evidence = models.JSONField(default=list, blank=True)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [models.UniqueConstraint(fields=["chain", "position"], name="lc_entry_chain_position")]
        indexes = [
            models.Index(fields=["user_id", "period"], name="lc_entry_user_period"),
            models.Index(fields=["period", "id"], name="lc_entry_period"),
            # Covers the progress report's per-learner sums (ledger.reads.learner_facts_code): the
            # database answers them from the index alone, without reading the entries' rows.
            models.Index(fields=["user_id", "period", "framework_id", "indicator", "source_kind", "points"],
                         name="lc_entry_user_credit"),
        ]

    def __str__(self):
        return f"{self.kind} {self.points} → {self.framework_id}/{self.indicator} (user {self.user_id}, {self.period})"


class CourseCreditRule(models.Model):
    """
    A course-level rule: passing a course, or receiving its certificate, earns credit toward one
    indicator. Administrators keep these in the Django admin; the operations layer
    (``xblocks.reports.course_rules``) applies them when the platform sends COURSE_PASSING_STATUS_UPDATED / CERTIFICATE_CREATED / CERTIFICATE_REVOKED.
    Editing a rule changes future credit only: what the ledger recorded stays as recorded.
    """

    course_key = models.CharField(_("course key"), max_length=255, db_index=True,
                                  help_text=_("For example course-v1:LearningCitizenVN+KNS101+2026"))
    framework_id = models.CharField(_("criteria framework"), max_length=100, default="learning-citizen-2021-2030")
    indicator = models.CharField(_("indicator"), max_length=20)
    points = models.DecimalField(_("points"), max_digits=9, decimal_places=2)
    hours = models.DecimalField(_("learning hours"), max_digits=9, decimal_places=2, null=True, blank=True)
    on_passing = models.BooleanField(_("credit on passing"), default=True,
                                     help_text=_("Credit when the learner's grade first passes the course."))
    on_certificate = models.BooleanField(_("credit on certificate"), default=False,
                                         help_text=_("Credit when a certificate is issued; withdraw it if the certificate is revoked."))
    enabled = models.BooleanField(_("enabled"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course credit rule")
        verbose_name_plural = _("course credit rules")
        constraints = [models.UniqueConstraint(fields=["course_key", "framework_id", "indicator"],
                                               name="lc_course_rule_unique")]

    def __str__(self):
        return f"{self.course_key} → {self.framework_id}/{self.indicator} ({self.points})"

    def problems(self):
        """What is wrong with the rule, as criteria problems (translated by the caller)."""
        from xblocks.criteria.frameworks import get_framework  # pylint: disable=import-outside-toplevel
        from xblocks.criteria.problems import N_, InvalidInput, Problem  # pylint: disable=import-outside-toplevel

        found = []
        try:
            framework = get_framework(self.framework_id)
        except InvalidInput as error:
            return error.problems
        indicator = framework.indicator(self.indicator)
        if indicator is None:
            found.append(Problem(N_("unknown indicator {indicator} in framework {framework}"),
                                 {"indicator": self.indicator, "framework": framework.id}, where="indicator"))
        elif self.points is not None and self.points > indicator.max_points:
            found.append(Problem(N_("{points} points is more than indicator {indicator} allows ({maximum})"),
                                 {"points": self.points, "indicator": indicator.code, "maximum": indicator.max_points},
                                 where="points"))
        if self.points is not None and self.points <= 0:
            found.append(Problem(N_("points must be more than 0"), where="points"))
        if self.hours is not None and self.hours < 0:
            found.append(Problem(N_("learning hours cannot be negative"), where="hours"))
        if not (self.on_passing or self.on_certificate):
            found.append(Problem(N_("choose when the credit is earned: on passing, on a certificate, or both"),
                                 where="on_passing"))
        return found

    def clean(self):
        from django.core.exceptions import ValidationError  # pylint: disable=import-outside-toplevel
        from django.utils.translation import gettext  # pylint: disable=import-outside-toplevel

        errors = {}
        fields = {field.name for field in self._meta.fields}
        for problem in self.problems():
            where = {"framework": "framework_id"}.get(problem.where, problem.where)
            errors.setdefault(where if where in fields else "__all__", []).append(
                gettext(problem.template).format(**problem.params))
        if errors:
            raise ValidationError(errors)
