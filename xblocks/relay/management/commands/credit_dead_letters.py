"""
``manage.py credit_dead_letters list|show|redrive``: the messages the credit consumer parked
(docs/event-bus.md). Exit 0 when all went well, 1 on a usage error (an unknown id), 2 when a
re-driven message failed again and is still parked.
"""
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xblocks.ledger.signals import to_credit_document
from xblocks.relay.dead_letters import decoded_credit, redrive
from xblocks.relay.models import DeadLetter

# Exit status of `redrive` when a message failed again (1 is a usage error).
STILL_PARKED_EXIT = 2
REASON_WIDTH = 100


class Command(BaseCommand):
    help = _("The credit consumer's dead letters: list, show or re-drive the messages it could not record.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help=_("list the parked messages, oldest first"))
        listing.add_argument("--all", action="store_true", help=_("also list the messages already re-driven"))
        listing.add_argument("--json", action="store_true", help=_("print JSON"))
        show = actions.add_parser("show", help=_("everything about one dead letter, with its decoded credit"))
        show.add_argument("letter", type=int, metavar="ID")
        again = actions.add_parser("redrive", help=_("deliver parked messages again; those recorded are marked re-driven"))
        which = again.add_mutually_exclusive_group(required=True)
        which.add_argument("letters", type=int, nargs="*", default=[], metavar="ID")
        which.add_argument("--all", action="store_true", help=_("every parked message"))

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_list(self, all=False, json=False, **options):  # pylint: disable=redefined-builtin,redefined-outer-name
        letters = DeadLetter.objects.all() if all else DeadLetter.objects.filter(status=DeadLetter.Status.PARKED)
        if json:
            self.stdout.write(_json_dumps([_summary(letter) for letter in letters]))
            return
        count = 0
        for letter in letters:
            count += 1
            reason = letter.reason if len(letter.reason) <= REASON_WIDTH else letter.reason[:REASON_WIDTH - 1] + "…"
            self.stdout.write(_("{id}  {parked_at}  {status}  {kind}  message {message_id}  key {key}  "
                                "tries {attempts}: {reason}").format(
                id=letter.pk, parked_at=letter.parked_at.isoformat(timespec="seconds"), status=letter.get_status_display(),
                kind=letter.get_kind_display(), message_id=letter.message_id, key=letter.idempotency_key or "-",
                attempts=letter.attempts, reason=reason))
        self.stdout.write(ngettext("{count} dead letter.", "{count} dead letters.", count).format(count=count))

    def handle_show(self, letter, **options):
        found = _get(letter)
        summary = _summary(found)
        labels = {
            "id": _("Dead letter"), "status": _("Status"), "kind": _("Kind"), "reason": _("Reason"),
            "stream": _("Stream"), "message_id": _("Message id"), "group": _("Consumer group"), "consumer": _("Consumer"),
            "event_type": _("Event type"), "event_id": _("Event id"), "idempotency_key": _("Idempotency key"),
            "attempts": _("Tries"), "parked_at": _("Parked at"), "redriven_at": _("Re-driven at"),
            "ledger_entry_id": _("Ledger entry"),
        }
        for name, label in labels.items():
            value = summary[name]
            self.stdout.write(f"{label}: {'-' if value in (None, '') else value}")
        raw = found.raw_fields()
        self.stdout.write(_("Headers:"))
        for name, value in raw.items():
            if name != b"event_data":
                self.stdout.write(f"  {name.decode('utf-8', 'replace')}: {value.decode('utf-8', 'replace')}")
        credit = decoded_credit(raw)
        if credit is None:
            self.stdout.write(_("Event data ({size} bytes) cannot be decoded.").format(size=len(raw.get(b"event_data", b""))))
        else:
            self.stdout.write(_("Credit:"))
            self.stdout.write(_json_dumps(to_credit_document(credit)))

    def handle_redrive(self, letters=(), all=False, **options):  # pylint: disable=redefined-builtin
        if all:
            chosen = list(DeadLetter.objects.filter(status=DeadLetter.Status.PARKED))
        else:
            chosen = [_get(number) for number in dict.fromkeys(letters)]
        recorded = failed = 0
        for letter in chosen:
            if letter.status == DeadLetter.Status.REDRIVEN:
                self.stdout.write(_("Dead letter {id} was already re-driven (ledger entry {entry}); nothing to do.").format(
                    id=letter.pk, entry=letter.ledger_entry_id or "-"))
                continue
            succeeded, reason = redrive(letter)
            if succeeded:
                recorded += 1
                self.stdout.write(_("Dead letter {id}: recorded (ledger entry {entry}).").format(
                    id=letter.pk, entry=letter.ledger_entry_id or "-"))
            else:
                failed += 1
                self.stderr.write(_("Dead letter {id}: still parked: {reason}").format(id=letter.pk, reason=reason))
        self.stdout.write(ngettext("{count} message re-driven", "{count} messages re-driven", recorded).format(count=recorded)
                          + "; " + ngettext("{count} still parked.", "{count} still parked.", failed).format(count=failed))
        if failed:
            raise CommandError(ngettext("{count} message could not be recorded; see the reasons above.",
                                        "{count} messages could not be recorded; see the reasons above.", failed).format(
                count=failed), returncode=STILL_PARKED_EXIT)


def _get(number):
    try:
        return DeadLetter.objects.get(pk=number)
    except DeadLetter.DoesNotExist:
        raise CommandError(_("There is no dead letter {id}.").format(id=number)) from None


def _summary(letter):
    return {
        "id": letter.pk, "status": letter.status, "kind": letter.kind, "reason": letter.reason,
        "stream": letter.stream, "message_id": letter.message_id, "group": letter.group, "consumer": letter.consumer,
        "event_type": letter.event_type, "event_id": letter.event_id, "idempotency_key": letter.idempotency_key,
        "attempts": letter.attempts, "parked_at": letter.parked_at.isoformat(),
        "redriven_at": letter.redriven_at.isoformat() if letter.redriven_at else None,
        "ledger_entry_id": letter.ledger_entry_id,
    }


def _json_dumps(value):
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
