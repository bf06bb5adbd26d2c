"""
The relay's tables: what a producing site has published of its own ledger.

The ledger is the outbox. Its entries are linked one after another in each hash chain (a
learner's entries all in one chain), and a chain's positions are committed in order, without
gaps, under the chain head's lock: so "published up to position N of chain C" is the whole
state the relay needs, and publishing chain by chain in position order keeps each learner's
credit in order.

Dead letters (:class:`DeadLetter`) are the consumer's: messages from the credit stream it could
not record, kept for an operator.
"""
import base64

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


class DeadLetter(models.Model):
    """
    A message from the credit stream that the consumer could not record: invalid, a key reused for
    another credit, undecodable, or failing after every try. Kept whole (its Redis fields), so an
    operator can inspect it and re-drive it once the cause is fixed (docs/event-bus.md).
    """

    class Kind(models.TextChoices):
        INVALID = "invalid", _("invalid credit")
        KEY_CONFLICT = "key_conflict", _("idempotency key reused for another credit")
        UNDECODABLE = "undecodable", _("undecodable message")
        FAILED = "failed", _("failed after every try")

    class Status(models.TextChoices):
        PARKED = "parked", _("parked")
        REDRIVEN = "redriven", _("re-driven")

    stream = models.CharField(max_length=255)
    message_id = models.CharField(max_length=64)  # the Redis stream id, "<ms>-<seq>"
    group = models.CharField(max_length=255, blank=True)
    consumer = models.CharField(max_length=255, blank=True)
    event_type = models.CharField(max_length=255, blank=True)
    event_id = models.CharField(max_length=64, blank=True)  # the credit event's id, when it could be decoded
    idempotency_key = models.CharField(max_length=200, blank=True)
    # The message's Redis fields, each value base64-encoded: headers and the Avro event data, byte for byte.
    fields = models.JSONField(default=dict)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    attempts = models.PositiveIntegerField(default=1)
    parked_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PARKED)
    redriven_at = models.DateTimeField(null=True, blank=True)
    ledger_entry_id = models.BigIntegerField(null=True, blank=True)  # what re-driving recorded it as

    class Meta:
        app_label = "learning_citizen_relay"
        constraints = [models.UniqueConstraint(fields=["stream", "message_id"], name="lc_relay_dead_letter_message")]
        indexes = [models.Index(fields=["status", "parked_at"], name="lc_relay_dead_letter_status")]
        ordering = ["parked_at", "id"]

    def raw_fields(self):
        """The message's fields as Redis holds them (bytes to bytes)."""
        return {name.encode(): base64.b64decode(value) for name, value in self.fields.items()}

    @staticmethod
    def encode_fields(raw):
        return {(name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)):
                base64.b64encode(value if isinstance(value, bytes) else str(value).encode()).decode("ascii")
                for name, value in raw.items()}
