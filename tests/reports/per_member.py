"""
The progress report as it was computed before issue 15, member by member in Python: the oracle the
SQL path (:func:`xblocks.reports.progress.build_report`) is held to.

Members are read in keyset pages by user id with their area codes; each page's credit is summed per
indicator and source kind by :func:`xblocks.ledger.api.earned_points`, and each member's facts come
from :func:`xblocks.criteria.progress.learner_facts` (the framework's rule in Python).
"""
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.progress import MemberFacts, Tally, UnitInfo, learner_facts
from xblocks.criteria.targets import get_targets
from xblocks.ledger import api as ledger
from xblocks.reports.areas import area_units, resolve_area, residents_q
from xblocks.reports.models import Member

from django.db.models import Q

_MEMBER_FIELDS = ("user_id", "birth_year", "population_group", "family_id", "clan_id", "community_id", "unit__code",
                  "unit_role", "commune__code", "commune__province__code", "community__code")
_MEMBER_KEY = {"all": "commune__province__code", "province": "commune__code", "commune": "community__code"}


def _unit_key(area, unit):
    if area.kind == "all":
        return unit.commune.province.code if unit.commune_id else None
    if area.kind == "province":
        return unit.commune.code if unit.commune_id else None
    return None


def _is_resident(area, row):
    return {
        "all": True,
        "province": row["commune__province__code"] == area.code,
        "commune": row["commune__code"] == area.code,
        "community": row["community__code"] == area.code,
        "unit": False,
    }[area.kind]


def per_member_progress(period, area="all", *, page_size=1000):
    """The :class:`~xblocks.criteria.progress.Progress` of ``area`` for ``period``, one member at a time."""
    targets = get_targets()
    framework = get_framework(targets.criteria_framework)
    area = resolve_area(area)
    units = {unit.code: UnitInfo(unit.code, unit.name, unit.unit_kind, _unit_key(area, unit))
             for unit in area_units(area).select_related("commune__province")}
    tally = Tally(targets, period, units)
    residents = residents_q(area)
    in_units = Q(unit__in=area_units(area).values("pk"))
    members = Member.objects.all() if area.kind == "all" else \
        Member.objects.filter(in_units if residents is None else residents | in_units)
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
                area_key=row[_MEMBER_KEY[area.kind]] if area.kind in _MEMBER_KEY else None,
            ))
    return tally.result()
