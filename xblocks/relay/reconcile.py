"""
Reconciliation: what the central ledger holds of a producing site's credit, compared without a
database link between the two (docs/event-bus.md).

1. On the central ledger, ``credit_relay digest`` writes, for a period, one record per range of
   learners: how many credit entries it holds, a digest of their idempotency keys, and the keys'
   fingerprints (the first 64 bits of each key's SHA-256).
2. On the producing site, ``credit_relay reconcile DIGEST.json`` computes the same for its own
   ledger. A range whose count and digest match is complete. In any other range, a local credit
   whose fingerprint the central ledger lacks is missing: it is listed and queued for the relay
   to publish again (re-sending is harmless, the central ledger records a key once).

The central ledger may hold more than one site's credit, so its ranges can differ from a site's
without anything missing; the fingerprints tell which of the site's credits are there. With a
database alias for the central ledger in ``DATABASES``, reconcile can read it directly instead.
"""
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from xblocks.ledger.models import Entry

from .models import Resend

DIGEST_FORMAT = "learning-citizen-ledger-digest/1"
DEFAULT_RANGE_SIZE = 1000  # learners (user ids) per range


def fingerprint(key):
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _credit_entries(using=None, *, period=None, since=None, until=None):
    entries = (Entry.objects.using(using) if using else Entry.objects).filter(kind=Entry.Kind.CREDIT)
    if period:
        entries = entries.filter(period=period)
    if since:
        entries = entries.filter(occurred_at__gte=since)
    if until:
        entries = entries.filter(occurred_at__lt=until)
    return entries


def _scope(period, since, until, range_size):
    return {"period": period or None, "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None, "range_size": range_size}


def digest(using=None, *, period=None, since=None, until=None, range_size=DEFAULT_RANGE_SIZE):
    """The digest document of a ledger's credit in the period (what ``credit_relay digest`` writes)."""
    keys = defaultdict(list)
    for user_id, key in _credit_entries(using, period=period, since=since, until=until).values_list(
            "user_id", "idempotency_key").iterator(chunk_size=5000):
        keys[user_id // range_size].append(key)
    ranges = {}
    for number in sorted(keys):
        prints = sorted(fingerprint(key) for key in keys[number])
        ranges[str(number)] = {
            "first_user_id": number * range_size, "last_user_id": (number + 1) * range_size - 1,
            "count": len(prints), "digest": hashlib.sha256("\n".join(prints).encode()).hexdigest(),
            "fingerprints": prints,
        }
    return {"format": DIGEST_FORMAT, **_scope(period, since, until, range_size), "ranges": ranges}


@dataclass
class RangeReport:
    number: int
    first_user_id: int
    last_user_id: int
    local: int
    central: int
    missing: list = field(default_factory=list)  # (entry id, idempotency key), in ledger order


@dataclass
class Reconciliation:
    ranges: list
    queued: int = 0

    @property
    def missing(self):
        return [item for report in self.ranges for item in report.missing]

    @property
    def matching(self):
        return sum(1 for report in self.ranges if not report.missing)


class BadDigest(ValueError):
    """The central digest is not one this version reads, or was made for another scope."""


def compare(central, *, period=None, since=None, until=None):
    """Compare the local ledger with a central digest document for the same scope."""
    if central.get("format") != DIGEST_FORMAT:
        raise BadDigest(_("not a {format} document").format(format=DIGEST_FORMAT))
    range_size = central.get("range_size")
    if not isinstance(range_size, int) or range_size < 1:
        raise BadDigest(_("the digest has no range size"))
    if _scope(period, since, until, range_size) != {name: central.get(name) for name in ("period", "since", "until", "range_size")}:
        raise BadDigest(_("the digest was made for another period or range size"))
    local = digest(period=period, since=since, until=until, range_size=range_size)
    wanted = {}
    reports = []
    for number, mine in local["ranges"].items():
        theirs = central["ranges"].get(number, {"count": 0, "digest": "", "fingerprints": []})
        report = RangeReport(int(number), mine["first_user_id"], mine["last_user_id"], mine["count"], theirs["count"])
        reports.append(report)
        if mine["count"] == theirs["count"] and mine["digest"] == theirs["digest"]:
            continue
        held = set(theirs["fingerprints"])
        wanted.update((key_print, report) for key_print in set(mine["fingerprints"]) - held)
    if wanted:
        # Look the missing keys up again in ledger order (by chain and position: a learner's order).
        first, last = min(r.number for r in wanted.values()), max(r.number for r in wanted.values())
        rows = (_credit_entries(period=period, since=since, until=until)
                .filter(user_id__gte=first * range_size, user_id__lt=(last + 1) * range_size)
                .order_by("chain", "position").values_list("pk", "idempotency_key").iterator(chunk_size=5000))
        for pk, key in rows:
            report = wanted.get(fingerprint(key))
            if report is not None:
                report.missing.append((pk, key))
    return Reconciliation(sorted(reports, key=lambda r: r.number))


def compare_with_database(alias, *, period=None, since=None, until=None, range_size=DEFAULT_RANGE_SIZE):
    """Compare with the central ledger read through the database alias ``alias``."""
    return compare(digest(alias, period=period, since=since, until=until, range_size=range_size),
                   period=period, since=since, until=until)


def queue_resends(reconciliation):
    """Ask the relay to publish the missing entries again; return how many were newly queued."""
    ids = [pk for pk, _key in reconciliation.missing]
    with transaction.atomic():
        already = set(Resend.objects.values_list("entry_id", flat=True))  # the queue: small, drained by the relay
        Resend.objects.bulk_create([Resend(entry_id=pk) for pk in ids if pk not in already], batch_size=500)
    reconciliation.queued = len(set(ids) - already)
    return reconciliation.queued


def load_digest(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
