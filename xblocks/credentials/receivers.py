"""Credentials follow the ledger: a reversal that takes a learner below the threshold revokes them."""
import logging

from django.dispatch import receiver

from xblocks.ledger.signals import entry_reversed

from .credentials import revoke_unsupported

log = logging.getLogger(__name__)


@receiver(entry_reversed, dispatch_uid="learning_citizen.credentials.revoke_after_reversal")
def revoke_after_reversal(entry, **kwargs):
    """Re-check the learner's standing for the reversal's period; revoke credentials it no longer supports."""
    reason = f"ledger entry {entry.pk} reversed entry {entry.reverses_id}: {entry.reason}"
    return revoke_unsupported(entry.user_id, entry.period, entry.framework_id, reason=reason)
