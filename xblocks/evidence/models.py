"""
Declarations, their evidence files and their review history. Written only by
:mod:`xblocks.evidence.declarations` and :mod:`xblocks.evidence.review`; the credit itself lives in the criteria ledger.
"""
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

REVIEW_PERMISSION = "learning_citizen_evidence.review_declaration"


class Declaration(models.Model):
    """One activity a learner declares, with the indicators it supports and the reviewer's decision."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REVOKED = "revoked", _("Revoked")

    # The learner may still change these (and the change goes back to the queue).
    EDITABLE = (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED)
    # A reviewer decides on these.
    REVIEWABLE = (Status.SUBMITTED,)
    # These count for duplicate detection: the learner still stands by them.
    LIVE = (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED)

    id = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user_id = models.BigIntegerField(db_index=True)
    learner_name = models.CharField(max_length=255, blank=True, default="",
                                    help_text=_("what the runtime's user service called the learner when they last submitted"))
    course_key = models.CharField(max_length=255, blank=True)
    usage_key = models.CharField(max_length=255)
    framework_id = models.CharField(max_length=100)
    framework_version = models.CharField(max_length=20)
    policy_id = models.CharField(max_length=100)
    policy_version = models.CharField(max_length=20)

    indicators = models.JSONField(default=list, help_text=_("codes of the indicators the activity supports"))
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    activity_date = models.DateField()
    period = models.CharField(max_length=20)
    hours = models.DecimalField(max_digits=8, decimal_places=2)
    description = models.TextField()
    links = models.JSONField(default=list, blank=True)
    indicator_codes = models.CharField(max_length=200, db_index=True, help_text=_("the indicators as |1|5|, for filtering on every database"))
    fingerprint = models.CharField(max_length=64, db_index=True, help_text=_("SHA-256 of kind, date and name: finds the same activity twice"))

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(blank=True, help_text=_("the reviewer's latest reason, shown to the learner"))
    reviewer_id = models.BigIntegerField(null=True, blank=True)
    awarded = models.JSONField(default=dict, blank=True, help_text=_("points per indicator, as decimal strings"))
    credit_keys = models.JSONField(default=list, blank=True, help_text=_("idempotency keys of the credit events sent"))
    revision = models.PositiveIntegerField(default=1, help_text=_("grows with every change; a review names the revision it saw"))

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evidence declaration")
        verbose_name_plural = _("evidence declarations")
        permissions = [("review_declaration", _("Can review learners' evidence declarations"))]
        indexes = [
            models.Index(fields=["usage_key", "status"], name="lc_decl_usage_status"),
            models.Index(fields=["user_id", "period"], name="lc_decl_user_period"),
        ]

    def __str__(self):
        return f"declaration {self.pk} by user {self.user_id}: {self.status}"

    @property
    def editable(self):
        return self.status in self.EDITABLE


class EvidenceFile(models.Model):
    """An uploaded file, stored through Django's storage API under a random name; the learner's name is only shown."""

    id = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="files")
    storage_name = models.CharField(max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text=_("detected from the content"))
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        ordering = ["id"]

    def __str__(self):
        return f"{self.original_name} ({self.sha256[:12]})"

    @property
    def uri(self):
        """How credit events name this file: stable, and reveals nothing about the learner."""
        return f"urn:uuid:{self.uuid}"


class ReviewEvent(models.Model):
    """What happened to a declaration, by whom: the trail the learner and reviewers read."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("submitted")
        EDIT = "edit", _("edited and resubmitted")
        WITHDRAW = "withdraw", _("withdrawn")
        APPROVE = "approve", _("approved")
        REQUEST_CHANGES = "request_changes", _("changes requested")
        REJECT = "reject", _("rejected")
        REVOKE = "revoke", _("revoked")

    id = models.BigAutoField(primary_key=True)
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="events")
    actor_id = models.BigIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    status = models.CharField(max_length=20, help_text=_("status after the action"))
    reason = models.TextField(blank=True)
    points = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declaration event")
        ordering = ["id"]

    def __str__(self):
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"
