"""
Membership: importing it from CSV (all or nothing). Choosing members by area is in :mod:`.areas`.

``import_members`` follows the ledger's ingest: the whole file is read and checked first; if any
row is bad, every bad row is reported with its line number and reason and nothing is changed.
Otherwise everything is written in one transaction. The file is authoritative: a member, place
or group already stored takes the file's values; members not in the file are left alone.
"""
import csv
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import N_, InvalidInput, Problem
from xblocks.criteria.targets import get_targets
from xblocks.ledger.ingest import MAX_LINE_BYTES, read_lines

from .models import Collective, Commune, Member, Province

REQUIRED_COLUMNS = ("user_id", "birth_year", "population_group", "province_code", "commune_code")
OPTIONAL_COLUMNS = (
    "province_name", "commune_name",
    "family_code", "family_name", "clan_code", "clan_name", "community_code", "community_name",
    "unit_code", "unit_name", "unit_kind", "unit_role", "unit_commune_code",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
GROUP_KINDS = ("family", "clan", "community", "unit")
ROLES = ("staff", "learner")
MAX_CODE, MAX_NAME = 50, 200
# At most 19 digits (a user id below 2**63, a year): Python refuses to convert longer strings at 4300.
_DIGITS = re.compile(r"[0-9]{1,19}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SLICE = 1000
_SHOWN = 60


@dataclass
class _Entity:
    """A place or group met in the file: its attributes and the line each was first given on."""

    first_line: int
    values: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MemberRow:
    line: int
    user_id: int
    birth_year: int
    population_group: str
    commune: str
    family: str
    clan: str
    community: str
    unit: str
    unit_role: str


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    places_created: int    # provinces and communes
    groups_created: int    # families, clans, communities, units


class _MemberFile:  # pylint: disable=too-few-public-methods
    """The parsed file: member rows plus every place and group with its attributes."""

    def __init__(self, population_groups, unit_kinds):
        self.population_groups = population_groups
        self.unit_kinds = unit_kinds
        self.rows = []
        self.problems = []
        self.entities = {}         # (kind, code) -> _Entity; kinds: province, commune, family, clan, community, unit
        self.user_lines = {}

    def problem(self, line, template, **params):
        """A problem on ``line``; a long value is shown by its start (a 5000-digit user_id is not a message)."""
        shown = {name: value[:_SHOWN] + "…" if isinstance(value, str) and len(value) > _SHOWN else value
                 for name, value in params.items()}
        self.problems.append(Problem(template, shown).at_line(line))

    def entity(self, kind, code, line):
        return self.entities.setdefault((kind, code), _Entity(line))

    def attribute(self, line, kind, code, name, value, column):
        """Record ``name = value`` for an entity; a different value on an earlier line is a problem."""
        if not value:
            return
        entity = self.entity(kind, code, line)
        if name not in entity.values:
            entity.values[name], entity.lines[name] = value, line
        elif entity.values[name] != value:
            self.problem(line, N_("{code_column} {code} has {column} {earlier} on line {earlier_line}, but {value} here"),
                         code_column=f"{kind}_code", code=code, column=column, earlier=entity.values[name],
                         earlier_line=entity.lines[name], value=value)

    @staticmethod
    def valid_code(value):
        return len(value) <= MAX_CODE and not _CONTROL.search(value)

    def check_code(self, line, column, value, required=False):
        if not value:
            if required:
                self.problem(line, N_("{column} is required"), column=column)
            return False
        if not self.valid_code(value):
            self.problem(line, N_("{column} must be at most {limit} characters, without control characters"),
                         column=column, limit=MAX_CODE)
            return False
        return True

    def check_name(self, line, column, value):
        if value and (len(value) > MAX_NAME or _CONTROL.search(value)):
            self.problem(line, N_("{column} must be at most {limit} characters, without control characters"),
                         column=column, limit=MAX_NAME)
            return ""
        return value

    def add_row(self, line, row):  # pylint: disable=too-many-branches,too-many-locals
        before = len(self.problems)
        user_id = row["user_id"]
        if not _DIGITS.fullmatch(user_id) or not 0 < int(user_id) < 2 ** 63:
            self.problem(line, N_("user_id {value!r} is not a positive whole number"), value=user_id)
        elif int(user_id) in self.user_lines:
            self.problem(line, N_("user {user_id} is already on line {earlier_line}"), user_id=int(user_id),
                         earlier_line=self.user_lines[int(user_id)])
        else:
            self.user_lines[int(user_id)] = line
        birth_year = row["birth_year"]
        if not (_DIGITS.fullmatch(birth_year) and 1900 <= int(birth_year) <= date.today().year):
            self.problem(line, N_("birth_year {value!r} is not a year between 1900 and this year"), value=birth_year)
        if row["population_group"] not in self.population_groups:
            self.problem(line, N_("population_group {value!r} is not one of: {choices}"), value=row["population_group"],
                         choices=", ".join(self.population_groups))
        province, commune = row["province_code"], row["commune_code"]
        province_ok = self.check_code(line, "province_code", province, required=True)
        if province_ok:
            self.entity("province", province, line)
            self.attribute(line, "province", province, "name", self.check_name(line, "province_name", row["province_name"]),
                           "province_name")
        if self.check_code(line, "commune_code", commune, required=True):
            self.entity("commune", commune, line)
            self.attribute(line, "commune", commune, "name", self.check_name(line, "commune_name", row["commune_name"]),
                           "commune_name")
            if province_ok:
                self.attribute(line, "commune", commune, "province", province, "province_code")
        for kind in GROUP_KINDS:
            code, name = row[f"{kind}_code"], row[f"{kind}_name"]
            if not code:
                if name:
                    self.problem(line, N_("{column} is given without {code_column}"), column=f"{kind}_name",
                                 code_column=f"{kind}_code")
                continue
            if not self.check_code(line, f"{kind}_code", code):
                continue
            self.entity(kind, code, line)
            self.attribute(line, kind, code, "name", self.check_name(line, f"{kind}_name", name), f"{kind}_name")
            if kind in ("family", "community") and commune:
                self.attribute(line, kind, code, "commune", commune, "commune_code")
        unit = row["unit_code"]
        role, unit_kind, seat = row["unit_role"], row["unit_kind"], row["unit_commune_code"]
        if unit and not self.valid_code(unit):
            pass  # reported with the groups above; a unit code no database could hold is never looked up
        elif unit:
            if role not in ROLES:
                self.problem(line, N_("unit_role {value!r} is not one of: {choices}"), value=role, choices=", ".join(ROLES))
            if unit_kind and unit_kind not in self.unit_kinds:
                self.problem(line, N_("unit_kind {value!r} is not one of: {choices}"), value=unit_kind,
                             choices=", ".join(self.unit_kinds))
            else:
                self.attribute(line, "unit", unit, "kind", unit_kind, "unit_kind")
            if seat and self.check_code(line, "unit_commune_code", seat):
                self.attribute(line, "unit", unit, "commune", seat, "unit_commune_code")
            self.entity("unit", unit, line).values.setdefault("default_commune", commune)
        else:
            for column in ("unit_role", "unit_kind", "unit_commune_code"):
                if row[column]:
                    self.problem(line, N_("{column} is given without {code_column}"), column=column, code_column="unit_code")
        if len(self.problems) == before:
            self.rows.append(MemberRow(
                line=line, user_id=int(user_id), birth_year=int(birth_year), population_group=row["population_group"],
                commune=commune, family=row["family_code"], clan=row["clan_code"], community=row["community_code"],
                unit=unit, unit_role=role if unit else "",
            ))


def _csv_lines(handle, member_file):
    """Decoded lines for csv.reader; a line that is too long or not UTF-8 is reported and read as empty."""
    for number, raw in read_lines(handle):
        if raw is None:
            member_file.problem(number, N_("line is longer than {limit} bytes"), limit=MAX_LINE_BYTES)
            yield "\n"
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):   # the byte-order mark spreadsheets write
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            member_file.problem(number, N_("line is not UTF-8 text"))
            yield "\n"


def parse_members(handle, *, framework=None, targets=None):
    """Read a binary CSV stream; return the parsed file or raise InvalidInput naming every bad line."""
    targets = targets or get_targets()
    framework = framework or get_framework(targets.criteria_framework)
    member_file = _MemberFile(framework.population_groups, targets.unit_kind_codes)
    reader = csv.reader(_csv_lines(handle, member_file), strict=True)
    header = None
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            member_file.problem(start, N_("the CSV cannot be read here: {detail}"), detail=str(error))
            break
        if not any(value.strip() for value in record):
            continue
        if header is None:
            header = [name.strip().lower() for name in record]
            unknown = [name for name in header if name not in COLUMNS]
            missing = [name for name in REQUIRED_COLUMNS if name not in header]
            repeated = sorted({name for name in header if header.count(name) > 1})
            if unknown:
                member_file.problem(start, N_("unknown columns: {columns}; the columns are: {known}"),
                                    columns=", ".join(unknown), known=", ".join(COLUMNS))
            if missing:
                member_file.problem(start, N_("missing columns: {columns}"), columns=", ".join(missing))
            if repeated:
                member_file.problem(start, N_("columns appear more than once: {columns}"), columns=", ".join(repeated))
            if unknown or missing or repeated:
                break
            continue
        if len(record) > len(header):
            member_file.problem(start, N_("{count} fields, but the header names {columns} columns"),
                                count=len(record), columns=len(header))
            continue
        values = dict.fromkeys(COLUMNS, "")
        values.update({name: value.strip() for name, value in zip(header, record)})
        member_file.add_row(start, values)
    if header is None and not member_file.problems:
        member_file.problem(1, N_("the file is empty: it needs a header row and one row per member"))
    _check_stored_entities(member_file)
    if member_file.problems:
        raise InvalidInput(sorted(member_file.problems, key=lambda problem: problem.line or 0))
    return member_file


def _check_stored_entities(member_file):
    """What needs the database: units without a kind anywhere, seats in communes nobody knows."""
    units = {code: entity for (kind, code), entity in member_file.entities.items() if kind == "unit"}
    stored_units = {}
    codes = list(units)
    for start in range(0, len(codes), _SLICE):
        stored_units.update({unit.code: unit for unit in Collective.objects.filter(kind="unit", code__in=codes[start:start + _SLICE])})
    file_communes = {code for (kind, code) in member_file.entities if kind == "commune"}
    seats = {entity.values["commune"] for entity in units.values() if "commune" in entity.values} - file_communes
    stored_communes = set(Commune.objects.filter(code__in=list(seats)).values_list("code", flat=True)) if seats else set()
    for code, entity in sorted(units.items(), key=lambda item: item[1].first_line):
        stored = stored_units.get(code)
        if "kind" not in entity.values and not (stored and stored.unit_kind):
            member_file.problem(entity.first_line, N_("unit {code} needs a unit_kind on at least one of its rows"), code=code)
        seat = entity.values.get("commune")
        if seat and seat not in file_communes and seat not in stored_communes:
            member_file.problem(entity.lines["commune"], N_("unit_commune_code {code} is not a commune of this file or of the stored membership"),
                                code=seat)


def import_members(handle, **options):
    """Check the whole file, then write it in one transaction; returns an :class:`ImportResult`."""
    member_file = parse_members(handle, **options)
    with transaction.atomic():
        return _write(member_file)


def _upsert(model, wanted, lookup, fields):
    """
    Create or update rows of ``model`` so that ``wanted`` {key: {field: value}} holds; returns
    ({key: instance}, created count). ``lookup(keys)`` returns a queryset of the existing rows.
    """
    keys = list(wanted)
    existing = {}
    for start in range(0, len(keys), _SLICE):
        for instance in lookup(keys[start:start + _SLICE]):
            existing[instance.code] = instance
    new, changed = [], []
    for key, values in wanted.items():
        instance = existing.get(key)
        if instance is None:
            instance = model(code=key, **values)
            new.append(instance)
            existing[key] = instance
        elif any(getattr(instance, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(instance, name, value)
            changed.append(instance)
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=500)
    if new and new[0].pk is None:   # backends that do not return ids from bulk inserts (MariaDB)
        for start in range(0, len(keys), _SLICE):
            for instance in lookup(keys[start:start + _SLICE]):
                existing[instance.code] = instance
    return existing, len(new)


def _stored_value(instances, code, name, default):
    instance = instances.get(code)
    return getattr(instance, name) if instance is not None else default


def _write(member_file):  # pylint: disable=too-many-locals
    entities = member_file.entities

    def of_kind(kind):
        return {code: entity for (entity_kind, code), entity in entities.items() if entity_kind == kind}

    stored_provinces = {p.code: p for p in Province.objects.filter(code__in=list(of_kind("province")))}
    provinces, provinces_created = _upsert(
        Province,
        {code: {"name": entity.values.get("name") or _stored_value(stored_provinces, code, "name", code)}
         for code, entity in of_kind("province").items()},
        lambda keys: Province.objects.filter(code__in=keys), ["name"])
    communes_wanted = of_kind("commune")
    stored_communes = {}
    codes = list(communes_wanted)
    for start in range(0, len(codes), _SLICE):
        stored_communes.update({c.code: c for c in Commune.objects.filter(code__in=codes[start:start + _SLICE])})
    communes, communes_created = _upsert(
        Commune,
        {code: {"name": entity.values.get("name") or _stored_value(stored_communes, code, "name", code),
                "province": provinces[entity.values["province"]]}
         for code, entity in communes_wanted.items()},
        lambda keys: Commune.objects.filter(code__in=keys), ["name", "province"])
    seats = {entity.values["commune"] for entity in of_kind("unit").values() if "commune" in entity.values}
    missing = sorted(seats - set(communes))
    if missing:
        communes.update({c.code: c for c in Commune.objects.filter(code__in=missing)})

    groups, groups_created = {}, 0
    for kind in GROUP_KINDS:
        wanted_entities = of_kind(kind)
        codes = list(wanted_entities)
        stored = {}
        for start in range(0, len(codes), _SLICE):
            stored.update({g.code: g for g in Collective.objects.filter(kind=kind, code__in=codes[start:start + _SLICE])})
        wanted = {}
        for code, entity in wanted_entities.items():
            values = {"kind": kind, "name": entity.values.get("name") or _stored_value(stored, code, "name", code)}
            if kind in ("family", "community"):
                values["commune"] = communes[entity.values["commune"]]
            elif kind == "unit":
                values["unit_kind"] = entity.values.get("kind") or stored[code].unit_kind
                seat = entity.values.get("commune")
                if seat:
                    values["commune"] = communes[seat]
                elif code in stored and stored[code].commune_id:
                    values["commune"] = stored[code].commune
                else:
                    values["commune"] = communes[entity.values["default_commune"]]
            wanted[code] = values
        found, created = _upsert(Collective, wanted, lambda keys, kind=kind: Collective.objects.filter(kind=kind, code__in=keys),
                                 ["name", "unit_kind", "commune"])
        groups[kind] = found
        groups_created += created

    fields = ("birth_year", "population_group", "commune_id", "family_id", "clan_id", "community_id", "unit_id", "unit_role")
    created = updated = unchanged = 0
    now = timezone.now()
    rows = member_file.rows
    for start in range(0, len(rows), _SLICE):
        chunk = rows[start:start + _SLICE]
        existing = {m.user_id: m for m in Member.objects.filter(user_id__in=[row.user_id for row in chunk])}
        new, changed = [], []
        for row in chunk:
            values = {
                "birth_year": row.birth_year,
                "population_group": row.population_group,
                "commune_id": communes[row.commune].pk,
                "family_id": groups["family"][row.family].pk if row.family else None,
                "clan_id": groups["clan"][row.clan].pk if row.clan else None,
                "community_id": groups["community"][row.community].pk if row.community else None,
                "unit_id": groups["unit"][row.unit].pk if row.unit else None,
                "unit_role": row.unit_role,
            }
            member = existing.get(row.user_id)
            if member is None:
                new.append(Member(user_id=row.user_id, **values))
            elif any(getattr(member, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(member, name, value)
                member.updated_at = now   # bulk_update does not apply auto_now
                changed.append(member)
            else:
                unchanged += 1
        Member.objects.bulk_create(new, batch_size=500)
        if changed:
            Member.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=500)
        created += len(new)
        updated += len(changed)
    return ImportResult(created, updated, unchanged, provinces_created + communes_created, groups_created)
