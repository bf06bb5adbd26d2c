"""
The relay's tables: what a producing site has published of its own ledger.

The ledger is the outbox. Its entries are linked one after another in each hash chain (a
learner's entries all in one chain), and a chain's positions are committed in order, without
gaps, under the chain head's lock: so "published up to position N of chain C" is the whole
state the relay needs, and publishing chain by chain in position order keeps each learner's
credit in order.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainCursor(models.Model):
    """How far the relay has published one chain of the local ledger."""

    chain = models.PositiveSmallIntegerField(primary_key=True)
    published_position = models.BigIntegerField(
        default=0, help_text=_("the last position of this chain published to the event bus"))
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("relay chain cursor")

    def __str__(self):
        return f"chain {self.chain}: published to position {self.published_position}"


class Resend(models.Model):
    """A ledger entry to publish again, asked for by reconciliation (the stream lost it)."""

    entry_id = models.BigIntegerField(unique=True, help_text=_("id of the local ledger entry"))
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entry to re-send")
        verbose_name_plural = _("entries to re-send")

    def __str__(self):
        return f"re-send entry {self.entry_id}"
