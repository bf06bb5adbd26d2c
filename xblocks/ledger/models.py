"""
Ledger tables. Rows are written only by :mod:`xblocks.ledger.api`, never updated or deleted.

Entries are spread over a fixed set of hash chains by learner (``user_id % CHAIN_COUNT``) so
that appends for different learners do not wait on one lock, while every chain still orders
and links its entries. The chain heads are created by the initial migration; a missing head,
like a missing or altered entry, is reported by ``verify``.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

# Fixed at installation (the migration creates this many heads): changing it would re-assign
# learners to chains. 16 lets 8 concurrent writers rarely meet on one lock.
CHAIN_COUNT = 16


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
    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CREDIT)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
    )
    reason = models.CharField(max_length=500, blank=True)

    user_id = models.BigIntegerField(db_index=True)
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
        ]

    def __str__(self):
        return f"{self.kind} {self.points} → {self.framework_id}/{self.indicator} (user {self.user_id}, {self.period})"
