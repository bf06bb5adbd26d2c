"""
Areas of the membership: where a report looks (all, a province, commune, community or unit), and
the members an export's membership filters choose.
"""
from dataclasses import dataclass

from django.db.models import Q

from xblocks.criteria.problems import N_, InvalidInput, Problem

from .models import Collective, Commune, Member, Province

AREA_KINDS = ("all", "province", "commune", "community", "unit")
NOT_FOUND = {
    "province": N_("there is no province with code {code} in the membership"),
    "commune": N_("there is no commune with code {code} in the membership"),
    "community": N_("there is no community with code {code} in the membership"),
    "unit": N_("there is no unit with code {code} in the membership"),
}


@dataclass(frozen=True)
class Area:
    """Where a report looks. ``code`` and ``name`` are empty for the whole membership."""

    kind: str
    code: str = ""
    name: str = ""
    parent: str = ""          # the province of a commune, the commune of a community or unit, for titles


def parse_area(text):
    """``all``, or ``KIND:CODE`` with KIND one of province, commune, community, unit."""
    text = (text or "all").strip()
    if text == "all":
        return "all", ""
    kind, _, code = text.partition(":")
    kind, code = kind.strip().lower(), code.strip()
    if kind not in AREA_KINDS[1:] or not code:
        raise InvalidInput([Problem(N_("area {area!r} is not 'all' or KIND:CODE with KIND one of province, commune, community, unit"),
                                    {"area": text}, where="area")])
    return kind, code


def resolve_area(text):
    """The :class:`Area` named by ``text``; raises InvalidInput when no such place or group is stored."""
    kind, code = parse_area(text)
    if kind == "all":
        return Area("all")
    if kind == "province":
        found = Province.objects.filter(code=code).first()
        parent = ""
    elif kind == "commune":
        found = Commune.objects.select_related("province").filter(code=code).first()
        parent = found.province.name if found else ""
    else:
        found = Collective.objects.select_related("commune").filter(kind=kind, code=code).first()
        parent = found.commune.name if found and found.commune_id else ""
    if found is None:
        raise InvalidInput([Problem(NOT_FOUND[kind], {"code": code}, where="area")])
    return Area(kind, code, found.name, parent)


def residents_q(area):
    """Members counted for the families/clans/communities measure: those living in the area (None: nobody)."""
    return {
        "all": Q(),
        "province": Q(commune__province__code=area.code),
        "commune": Q(commune__code=area.code),
        "community": Q(community__kind="community", community__code=area.code),
        "unit": None,
    }[area.kind]


def area_units(area):
    """The units a report for ``area`` covers: those seated in it (or the unit itself)."""
    units = Collective.objects.filter(kind="unit")
    return {
        "all": units,
        "province": units.filter(commune__province__code=area.code),
        "commune": units.filter(commune__code=area.code),
        "community": units.none(),
        "unit": units.filter(code=area.code),
    }[area.kind]


def members_matching(unit=None, community=None, commune=None, province=None):
    """
    Members chosen by export filters: of a unit or community, living in a commune or province.
    Several filters narrow together. Returns None when no filter is given (everyone); raises
    InvalidInput naming any code the membership does not have.
    """
    if not any((unit, community, commune, province)):
        return None
    stored = {
        "unit": unit and Collective.objects.filter(kind="unit", code=unit).exists(),
        "community": community and Collective.objects.filter(kind="community", code=community).exists(),
        "commune": commune and Commune.objects.filter(code=commune).exists(),
        "province": province and Province.objects.filter(code=province).exists(),
    }
    given = {"unit": unit, "community": community, "commune": commune, "province": province}
    unknown = [Problem(NOT_FOUND[kind], {"code": code}, where=kind)
               for kind, code in given.items() if code and not stored[kind]]
    if unknown:
        raise InvalidInput(unknown)
    members = Member.objects.all()
    if unit:
        members = members.filter(unit__kind="unit", unit__code=unit)
    if community:
        members = members.filter(community__kind="community", community__code=community)
    if commune:
        members = members.filter(commune__code=commune)
    if province:
        members = members.filter(commune__province__code=province)
    return members
