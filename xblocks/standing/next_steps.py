"""
What would close a shortfall: for an indicator below its minimum (or with room left while the
total is short), the activities and courses on this site that credit it, and the declarations
the evidence policy allows for it.

Where "what credits an indicator" comes from, all of it data the site already keeps:

- the ledger's own sources: every block (completion credit, skills assessment, evidence
  declaration) that has recorded credit on the indicator for any learner. A block's settings
  cannot be queried across a course (not in the workbench, and in the LMS only by loading every
  course), but a block that has credited someone is live and credits that indicator. A block no
  learner has used yet is not found until its first credit; reversed credit still counts, as the
  block still credits the indicator;
- the course credit rules (:class:`~xblocks.ledger.models.CourseCreditRule`, enabled ones): the
  courses whose passing or certificate credits the indicator;
- the evidence policy, through :func:`xblocks.common.places.declarations_allowed`.

Activities the learner already earned once-only credit from (a completion block, a course
passed or certified) are left out: doing them again adds nothing. The ledger's sources are
grouped once and cached per framework; later reads add only the entries recorded since.
"""
from decimal import Decimal

from django.core.cache import cache

from xblocks.common import places

# Credit a learner receives once per source, whatever the period: no use suggesting it again.
ONCE_ONLY_KINDS = ("completion", "course-passing", "certificate")
SOURCES_CACHE_SECONDS = 24 * 3600
MOST_WAYS_PER_INDICATOR = 8


def _ledger_sources(framework_id):
    """
    ``{indicator: [(source_kind, course_key, usage_key), ...]}`` of blocks that have credited it.

    Kept in the cache with the id of the last entry read: each read adds only the sources of the
    entries recorded since (the primary key's index), so the whole ledger is grouped once, not on
    every page.
    """
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    cache_key = f"learning-citizen:standing:sources:{framework_id}"
    cached = cache.get(cache_key)
    queryset = Entry.objects.filter(framework_id=framework_id, kind=Entry.Kind.CREDIT).exclude(usage_key="")
    latest = queryset.order_by("-id").values_list("id", flat=True).first() or 0
    if cached is not None and cached["last_id"] == latest:
        return cached["sources"]
    if cached is None or cached["last_id"] > latest:  # first read, or a ledger the cache does not describe
        cached = {"last_id": 0, "sources": {}}
    rows = (queryset.filter(id__gt=cached["last_id"], id__lte=latest)
            .values_list("indicator", "source_kind", "course_key", "usage_key").distinct().order_by())
    sources = {code: set(found) for code, found in cached["sources"].items()}
    for indicator, source_kind, course_key, usage_key in rows:
        sources.setdefault(indicator, set()).add((source_kind, course_key, usage_key))
    cached = {"last_id": latest, "sources": {code: sorted(found) for code, found in sources.items()}}
    cache.set(cache_key, cached, SOURCES_CACHE_SECONDS)
    return cached["sources"]


def _rule_courses(framework_id):
    """``{indicator: [course_key, ...]}`` of the enabled course credit rules."""
    from xblocks.ledger.models import CourseCreditRule  # pylint: disable=import-outside-toplevel
    found = {}
    for indicator, course_key in (CourseCreditRule.objects.filter(framework_id=framework_id, enabled=True)
                                  .values_list("indicator", "course_key").order_by("course_key")):
        found.setdefault(indicator, []).append(course_key)
    return found


def _already_earned(user_id, framework_id):
    """Sources the learner already has once-only credit from: usage keys and course keys."""
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    done = set()
    for source_kind, course_key, usage_key in (Entry.objects.filter(user_id=user_id, framework_id=framework_id,
                                                                    source_kind__in=ONCE_ONLY_KINDS)
                                               .values_list("source_kind", "course_key", "usage_key").distinct()):
        done.add(usage_key if source_kind == "completion" else f"course:{course_key}")
    return done


def ways_to_earn(user_id, framework_id, indicators):
    """
    ``{indicator: [{"kind": source kind, "place": Place}, ...]}``: where on this site the learner
    can still earn credit on each of ``indicators``, named and linked; only what a directory can
    name is offered (a place nobody can name cannot be found by the learner either).
    """
    if not indicators:
        return {}
    sources, rules = _ledger_sources(framework_id), _rule_courses(framework_id)
    done = _already_earned(user_id, framework_id)
    found = {}
    for code in indicators:
        ways, seen = [], set()
        for course_key in rules.get(code, []):
            if f"course:{course_key}" in done or course_key in seen:
                continue
            seen.add(course_key)
            place = places.course(course_key)
            if place is not None:
                ways.append({"kind": "course", "place": place})
        for source_kind, _course_key, usage_key in sources.get(code, []):
            if usage_key in done or usage_key in seen:
                continue
            seen.add(usage_key)
            place = places.activity(usage_key)
            if place is not None:
                ways.append({"kind": source_kind, "place": place})
        found[code] = ways[:MOST_WAYS_PER_INDICATOR]
    return found


def declaration_room(framework_id, indicator, declared):
    """``(allowed, room)``: what the policy allows declaring for the indicator, and the points still open this period."""
    allowed = places.declarations_allowed(framework_id, indicator)
    if allowed is None:
        return None, Decimal("0")
    return allowed, max(Decimal(allowed.cap) - declared, Decimal("0"))
