"""
Progress of an area against the national targets, read from the membership and the ledger.

The database does the counting, in one grouped query: each member's facts (title holder, digital
skills, proficient) come from :func:`xblocks.ledger.api.learner_facts_code`, a correlated subquery
on the ledger's (user, period) index that applies the framework's rule to the member's entries,
and the members are grouped by what the counting needs (residence, adult, kinds of groups,
population group, unit and role, those facts). Python gets one row per group with its number of
members and feeds it to :class:`xblocks.criteria.progress.Tally`: its memory and time do not grow
with the population, only with the number of distinct groups (units, communes, population groups).

The query reads only the member table's own columns (its commune, community and unit ids): codes
are looked up afterwards for the few ids that came back, so no join decides how the members are read.
"""
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When

from xblocks.criteria.frameworks import framework_document, get_framework
from xblocks.criteria.problems import InvalidInput
from xblocks.criteria.progress import GROUP_KINDS, MemberFacts, Tally, UnitInfo
from xblocks.criteria.targets import get_targets
from xblocks.ledger import api as ledger

from .areas import area_units, resolve_area
from .models import Collective, Commune, Member, Province

# The member table's own columns a group is keyed by, besides the annotations below.
_GROUP_FIELDS = ("population_group", "unit_id", "unit_role")


@dataclass(frozen=True)
class Report:
    area: object                  # areas.Area
    progress: object              # criteria.progress.Progress
    framework: object
    breakdown_kind: str | None    # what the breakdown rows are: province, commune or community
    breakdown_names: dict         # breakdown key -> name
    population_group_titles: dict  # code -> {"vi": …, "en": …}


def _breakdown(area):
    """(kind of the rows, names by key, member column the rows follow, key of a unit) for this area."""
    if area.kind == "all":
        names = dict(Province.objects.values_list("code", "name"))
        return "province", names, "commune_id", lambda unit: unit.commune.province.code if unit.commune_id else None
    if area.kind == "province":
        names = dict(Commune.objects.filter(province__code=area.code).values_list("code", "name"))
        return "commune", names, "commune_id", lambda unit: unit.commune.code if unit.commune_id else None
    if area.kind == "commune":
        names = dict(Collective.objects.filter(kind="community", commune__code=area.code).values_list("code", "name"))
        return "community", names, "community_id", lambda unit: None
    return None, {}, None, lambda unit: None


def _breakdown_keys(area, column, ids):
    """{id: breakdown key} for the commune or community ids the members' groups named."""
    ids = [pk for pk in ids if pk is not None]
    if column is None or not ids:
        return {}
    if area.kind == "all":
        return dict(Commune.objects.filter(pk__in=ids).values_list("pk", "province__code"))
    if area.kind == "province":
        return dict(Commune.objects.filter(pk__in=ids).values_list("pk", "code"))
    return dict(Collective.objects.filter(pk__in=ids).values_list("pk", "code"))


def _residents(area):
    """A condition on the member table for living in the area (None: everyone; False: nobody)."""
    if area.kind == "all":
        return None
    if area.kind == "province":
        return Q(commune_id__in=list(Commune.objects.filter(province__code=area.code).values_list("pk", flat=True)))
    if area.kind == "commune":
        return Q(commune_id__in=list(Commune.objects.filter(code=area.code).values_list("pk", flat=True)))
    if area.kind == "community":
        return Q(community_id__in=list(Collective.objects.filter(kind="community", code=area.code).values_list("pk", flat=True)))
    return False


def _population(area):
    """(everyone a report for ``area`` counts: its residents and the members of its units, the residents' condition)."""
    residents = _residents(area)
    if residents is None:
        return Member.objects.all(), residents
    in_units = Q(unit_id__in=list(area_units(area).values_list("pk", flat=True)))
    return Member.objects.filter(in_units if residents is False else residents | in_units), residents


def _flag(condition):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def member_groups(period, area, framework, targets):
    """
    The grouped query of a report: one row per distinct combination of what counting needs, with
    ``members``, the number of members in it. ``area`` is an :class:`~.areas.Area`.
    """
    members, residents = _population(area)
    _, _, column, _ = _breakdown(area)
    annotations = {
        "lc_resident": Value(1) if residents is None else Value(0) if residents is False else _flag(residents),
        "lc_adult": _flag(Q(birth_year__lte=int(period[:4]) - targets.adult_age)),
        **{f"lc_in_{kind}": _flag(Q(**{f"{kind}_id__isnull": False})) for kind in GROUP_KINDS},
        "lc_facts": ledger.learner_facts_code(period, framework, targets),
    }
    fields = (*_GROUP_FIELDS, *annotations, *((column,) if column else ()))
    return members.order_by().annotate(**annotations).values(*fields).annotate(members=Count("pk"))


@contextmanager
def grouping_plan():
    """
    Around the grouped query (and its EXPLAIN). PostgreSQL cannot tell how many groups the facts'
    correlated subquery makes, so it assumes one per member and, past work_mem, sorts every member
    of the area before grouping; the groups are a few hundred, so sorting is turned off for the
    query (it hashes instead) and put back as it was. A failed query rolls the setting back with it.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_sort'), set_config('enable_sort', 'off', true)")
        (previous, _), = cursor.fetchall()
        yield
        cursor.execute("SELECT set_config('enable_sort', %s, true)", [previous])


def build_report(period, area="all", *, targets=None, progress=None):
    """The :class:`Report` of ``area`` (text such as ``province:01``) for ``period``; ``progress`` gets update(n)."""
    targets = targets or get_targets()
    framework = get_framework(targets.criteria_framework)
    problem = framework.period_problem(period)
    if problem:
        raise InvalidInput([problem])
    area = resolve_area(area)
    breakdown_kind, names, column, unit_key = _breakdown(area)
    area_unit_list = list(area_units(area).select_related("commune__province"))
    units = {unit.code: UnitInfo(unit.code, unit.name, unit.unit_kind, unit_key(unit)) for unit in area_unit_list}
    unit_codes = {unit.pk: unit.code for unit in area_unit_list}
    tally = Tally(targets, period, units)
    with grouping_plan():
        rows = list(member_groups(period, area, framework, targets))
    keys = _breakdown_keys(area, column, {row[column] for row in rows} if column else ())
    for row in rows:
        facts = row["lc_facts"]
        tally.add(MemberFacts(
            user_id=None,
            resident=bool(row["lc_resident"]),
            adult=bool(row["lc_adult"]),
            groups=frozenset(kind for kind in GROUP_KINDS if row[f"lc_in_{kind}"]),
            population_group=row["population_group"],
            unit=unit_codes.get(row["unit_id"]),
            unit_role=row["unit_role"],
            holder=bool(facts & ledger.HOLDER),
            digital=bool(facts & ledger.DIGITAL),
            proficient=bool(facts & ledger.PROFICIENT),
            area_key=keys.get(row[column]) if column else None,
        ), count=row["members"])
        if progress is not None:
            progress.update(row["members"])
    return Report(area, tally.result(), framework, breakdown_kind, names,
                  population_group_titles(framework.id, framework.version))


def count_population(area):
    """How many members a report for ``area`` reads (for a progress bar)."""
    return _population(resolve_area(area) if isinstance(area, str) else area)[0].count()


def population_group_titles(framework_id, version):
    """{code: {"vi": …, "en": …}} for the framework's population groups, read from its data file (shipped or the operator's)."""
    document = framework_document(framework_id, version) or {}
    return {group["code"]: group["title"] for group in document.get("population_groups", [])}
