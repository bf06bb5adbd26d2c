"""
Progress of an area against the national targets, read from the membership and the ledger.

Members are read in pages by user id (keyset pagination: each page is one indexed query, and
memory holds one page), their period's credit is summed per indicator and source kind by the
ledger (:func:`xblocks.ledger.api.earned_points`), and each member is counted by
:class:`xblocks.criteria.progress.Tally`.
"""
from dataclasses import dataclass

from django.db.models import Q

from xblocks.criteria.frameworks import framework_document, get_framework
from xblocks.criteria.problems import InvalidInput
from xblocks.criteria.progress import MemberFacts, Tally, UnitInfo, learner_facts
from xblocks.criteria.targets import get_targets
from xblocks.ledger import api as ledger

from .areas import area_units, residents_q, resolve_area
from .models import Collective, Commune, Member, Province

PAGE_SIZE = 1000
_MEMBER_FIELDS = ("user_id", "birth_year", "population_group", "family_id", "clan_id", "community_id", "unit__code",
                  "unit_role", "commune__code", "commune__province__code", "community__code")


@dataclass(frozen=True)
class Report:
    area: object                  # areas.Area
    progress: object              # criteria.progress.Progress
    framework: object
    breakdown_kind: str | None    # what the breakdown rows are: province, commune or community
    breakdown_names: dict         # breakdown key -> name
    population_group_titles: dict  # code -> {"vi": …, "en": …}


def _breakdown(area):
    """(kind of the rows, names by key, key of a member row, key of a unit) for this area."""
    if area.kind == "all":
        names = dict(Province.objects.values_list("code", "name"))
        return "province", names, lambda row: row["commune__province__code"], lambda unit: unit.commune.province.code if unit.commune_id else None
    if area.kind == "province":
        names = dict(Commune.objects.filter(province__code=area.code).values_list("code", "name"))
        return "commune", names, lambda row: row["commune__code"], lambda unit: unit.commune.code if unit.commune_id else None
    if area.kind == "commune":
        names = dict(Collective.objects.filter(kind="community", commune__code=area.code).values_list("code", "name"))
        return "community", names, lambda row: row["community__code"], lambda unit: None
    return None, {}, lambda row: None, lambda unit: None


def _is_resident(area, row):
    return {
        "all": True,
        "province": row["commune__province__code"] == area.code,
        "commune": row["commune__code"] == area.code,
        "community": row["community__code"] == area.code,
        "unit": False,
    }[area.kind]


def build_report(period, area="all", *, targets=None, page_size=PAGE_SIZE, progress=None):
    """The :class:`Report` of ``area`` (text such as ``province:01``) for ``period``; ``progress`` gets update(n)."""
    targets = targets or get_targets()
    framework = get_framework(targets.criteria_framework)
    problem = framework.period_problem(period)
    if problem:
        raise InvalidInput([problem])
    area = resolve_area(area)
    breakdown_kind, names, member_key, unit_key = _breakdown(area)
    units = {
        unit.code: UnitInfo(unit.code, unit.name, unit.unit_kind, unit_key(unit))
        for unit in area_units(area).select_related("commune__province")
    }
    tally = Tally(targets, period, units)
    members = _population(area)
    last = None
    while True:
        page = members.order_by("user_id")
        if last is not None:
            page = page.filter(user_id__gt=last)
        rows = list(page.values(*_MEMBER_FIELDS)[:page_size])
        if not rows:
            break
        last = rows[-1]["user_id"]
        earned = ledger.earned_points([row["user_id"] for row in rows], period, framework.id, by_source_kind=True)
        for row in rows:
            holder, digital, proficient = learner_facts(framework, targets, period, earned[row["user_id"]])
            tally.add(MemberFacts(
                user_id=row["user_id"],
                resident=_is_resident(area, row),
                adult=targets.is_adult(row["birth_year"], period),
                groups=frozenset(kind for kind in ("family", "clan", "community") if row[f"{kind}_id"]),
                population_group=row["population_group"],
                unit=row["unit__code"],
                unit_role=row["unit_role"],
                holder=holder,
                digital=digital,
                proficient=proficient,
                area_key=member_key(row),
            ))
        if progress is not None:
            progress.update(len(rows))
    return Report(area, tally.result(), framework, breakdown_kind, names,
                  population_group_titles(framework.id, framework.version))


def _population(area):
    """Everyone a report for ``area`` counts: its residents, and the members of its units."""
    residents = residents_q(area)
    if area.kind == "all":
        return Member.objects.all()
    in_units = Q(unit__in=area_units(area).values("pk"))
    return Member.objects.filter(in_units if residents is None else residents | in_units)


def count_population(area):
    """How many members a report for ``area`` reads (for a progress bar)."""
    return _population(resolve_area(area) if isinstance(area, str) else area).count()


def population_group_titles(framework_id, version):
    """{code: {"vi": …, "en": …}} for the framework's population groups, read from its data file (shipped or the operator's)."""
    document = framework_document(framework_id, version) or {}
    return {group["code"]: group["title"] for group in document.get("population_groups", [])}
