"""
``manage.py credit_relay <action>``: the producing side of the event bus (docs/event-bus.md).

* ``run`` publishes the local ledger's unpublished credit (``--once``, or as a long-lived loop);
* ``status`` shows how much is waiting;
* ``digest`` (on the central ledger) writes the digest file reconciliation compares with;
* ``reconcile`` (on a producing site) compares with that file, lists what the central ledger
  lacks and queues it for the relay to publish again.
"""
import json
import signal
import time
from datetime import datetime, time as day_start

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xblocks.relay import reconcile
from xblocks.relay.outbox import Backoff, DeliveryFailed, NotConfigured, Publisher, Relay, Stopped, direct_producing_enabled


def _day(value):
    day = parse_date(value) if value else None
    if value and day is None:
        raise CommandError(_("{value} is not a date (YYYY-MM-DD)").format(value=value))
    return timezone.make_aware(datetime.combine(day, day_start.min)) if day else None


class Command(BaseCommand):
    help = _("Relay this site's credit to the event bus, and reconcile it with the central ledger.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        run = actions.add_parser("run", help=_("publish the local ledger's unpublished credit to the event bus"))
        run.add_argument("--once", action="store_true", help=_("publish what is waiting, then exit"))
        run.add_argument("--interval", type=float, default=1.0, metavar="SECONDS",
                         help=_("how often the loop looks for new credit (default 1 s)"))
        run.add_argument("--max-backoff", type=float, default=30.0, metavar="SECONDS",
                         help=_("the longest wait between tries while the event bus is down (default 30 s)"))
        run.add_argument("--max-tries", type=int, default=None, metavar="N",
                         help=_("with --once: give up after N failed tries in a row (default: keep trying)"))

        actions.add_parser("status", help=_("how many local credit entries wait to be published"))

        digest = actions.add_parser("digest", help=_("write the digest of this ledger's credit (run it on the central ledger)"))
        reconciling = actions.add_parser("reconcile", help=_("compare with the central ledger's digest and re-send what it lacks"))
        for action in (digest, reconciling):  # the same scope on both sides
            action.add_argument("--period", help=_("only credit of this ledger period (for example 2026)"))
            action.add_argument("--since", metavar="YYYY-MM-DD", help=_("only credit that occurred on or after this day"))
            action.add_argument("--until", metavar="YYYY-MM-DD", help=_("only credit that occurred before this day"))
        digest.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output"))
        digest.add_argument("--range-size", type=int, default=reconcile.DEFAULT_RANGE_SIZE, metavar="N",
                            help=_("learners (user ids) per range (default 1000)"))
        source = reconciling.add_mutually_exclusive_group(required=True)
        source.add_argument("digest_file", nargs="?", metavar="DIGEST.json", help=_("the central ledger's digest file"))
        source.add_argument("--central-database", metavar="ALIAS",
                            help=_("read the central ledger through this database alias instead of a file"))
        reconciling.add_argument("--dry-run", action="store_true", help=_("list what is missing, queue nothing"))
        reconciling.add_argument("--json", action="store_true", help=_("print JSON"))

    def handle(self, *args, **options):
        return getattr(self, "_" + options["action"])(options)

    def _run(self, options):
        if options["max_tries"] is not None and options["max_tries"] < 1:
            raise CommandError(_("--max-tries must be at least 1"))
        try:
            publisher = Publisher()
        except NotConfigured:
            raise CommandError(_("no event bus producer is configured (EVENT_BUS_PRODUCER): nothing would be published")) from None
        if direct_producing_enabled():
            self.stderr.write(_("Warning: credit is also produced inside requests (EVENT_BUS_PRODUCER_CONFIG enables "
                                "the credit topic); with the relay, disable it."))
        stopping = []
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signal_number, lambda *_args: stopping.append(True))
        relay = Relay(publisher, backoff=Backoff(longest=options["max_backoff"]),
                      max_tries=options["max_tries"] if options["once"] else None, stop=lambda: bool(stopping))
        started = time.monotonic()
        with publisher:
            if options["once"]:
                try:
                    relay.run_once()
                except (DeliveryFailed, Stopped) as error:
                    raise CommandError(_("the event bus did not take the credit ({error}); {published} published before "
                                         "that, the rest is still waiting").format(error=error, published=relay.stats.published)) from None
            else:
                relay.run_forever(interval=options["interval"])
        figures = relay.stats.as_dict()
        figures["seconds"] = round(time.monotonic() - started, 2)
        self.stdout.write(ngettext("Published {published} credit event ({resent} re-sent, {failures} failed tries).",
                                   "Published {published} credit events ({resent} re-sent, {failures} failed tries).",
                                   figures["published"]).format(**figures))
        self.stdout.write(json.dumps(figures))

    def _status(self, options):
        relay = Relay(publisher=None)
        waiting = relay.pending()
        self.stdout.write(ngettext("{count} credit entry waits to be published.",
                                   "{count} credit entries wait to be published.", waiting).format(count=waiting))

    @staticmethod
    def _scope(options):
        return {"period": options["period"], "since": _day(options["since"]), "until": _day(options["until"])}

    def _digest(self, options):
        if options["range_size"] < 1:
            raise CommandError(_("--range-size must be at least 1"))
        document = json.dumps(reconcile.digest(range_size=options["range_size"], **self._scope(options)))
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(document)
        else:
            self.stdout.write(document)

    def _reconcile(self, options):
        scope = self._scope(options)
        try:
            if options["central_database"]:
                from django.db import connections  # pylint: disable=import-outside-toplevel
                if options["central_database"] not in connections.settings:
                    raise CommandError(_("there is no database alias {alias}").format(alias=options["central_database"]))
                result = reconcile.compare_with_database(options["central_database"], **scope)
            else:
                result = reconcile.compare(reconcile.load_digest(options["digest_file"]), **scope)
        except (OSError, ValueError) as error:
            raise CommandError(_("cannot use the digest: {error}").format(error=error)) from None
        if not options["dry_run"]:
            reconcile.queue_resends(result)
        missing = result.missing
        if options["json"]:
            self.stdout.write(json.dumps({
                "ranges": [{"range": r.number, "local": r.local, "central": r.central, "missing": len(r.missing)} for r in result.ranges],
                "missing": [key for _pk, key in missing], "queued": result.queued}))
            return
        for report in result.ranges:
            if report.missing:
                self.stdout.write(_("learners {first}-{last}: {local} here, {central} centrally, {missing} missing").format(
                    first=report.first_user_id, last=report.last_user_id,
                    local=report.local, central=report.central, missing=len(report.missing)))
        for _pk, key in missing[:1000]:
            self.stdout.write(f"  {key}")
        self.stdout.write(ngettext("{missing} credit missing from the central ledger; {queued} queued for the relay to re-send.",
                                   "{missing} credits missing from the central ledger; {queued} queued for the relay to re-send.",
                                   len(missing)).format(missing=len(missing), queued=result.queued))
