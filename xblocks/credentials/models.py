"""
Credentials issued, and the status lists that say which were revoked.

A credential is signed once and handed out as it was signed; these rows only remember it (so
the learner gets the same file again and the issuer can revoke it). Revocation sets
``revoked_at``; the published status list is derived from these rows, never stored as truth.
"""
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusList(models.Model):
    """One Bitstring Status List (purpose: revocation). Credentials take a random free index in it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purpose = models.CharField(max_length=20, default="revocation")
    size = models.PositiveIntegerField(help_text=_("number of bits in the list"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status list")

    def __str__(self):
        return f"status list {self.id} ({self.size} bits)"


class IssuedCredential(models.Model):
    """An Open Badges 3.0 credential issued to a learner for one period of a criteria framework."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_id = models.BigIntegerField()
    framework_id = models.CharField(max_length=100)
    framework_version = models.CharField(max_length=20)
    period = models.CharField(max_length=20)
    total = models.DecimalField(max_digits=9, decimal_places=2)
    # SHA-256 over the ledger entries the credential was built from: the same entries, the same file.
    basis = models.CharField(max_length=64)
    key_id = models.CharField(max_length=300, help_text=_("the signing key's JWK thumbprint"))
    token = models.TextField(help_text=_("the credential as signed (compact VC-JWT)"))
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="credentials")
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("issued credential")
        # Given in the Django admin to people (say, a provincial office) who may look up any
        # learner's standing in the standing block; see xblocks/standing/identity.py.
        permissions = [("view_any_standing", _("Can view any learner's Learning Citizen standing"))]
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="lc_credential_status_slot"),
        ]
        indexes = [models.Index(fields=["user_id", "period"], name="lc_credential_user_period")]

    @property
    def revoked(self):
        return self.revoked_at is not None

    def __str__(self):
        return f"credential {self.id} (user {self.user_id}, {self.period})"
