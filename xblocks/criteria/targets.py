"""
National targets as data: the shares reports compare against and the rules behind them.

``fixtures/targets/*.json`` (schema ``schemas/national-targets.schema.json``) holds the QĐ 677 and
QĐ 387 target shares per milestone year, the Circular 24/2023 levels of a learning unit, who
counts as an adult, and what "has digital skills" and "proficient" mean in ledger terms. Nothing
here knows a percentage or a year: it reads them.
"""
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .documents import fixture_names, load_fixture
from .frameworks import as_points
from .problems import N_, InvalidInput, Problem

TARGETS_FOLDER = "targets"
SCHEMA = "national-targets"

# What a report can measure (the schema lists the same names).
MEASURES = (
    "holders-among-adults-in-groups",
    "holders-among-unit-staff",
    "digital-skills-among-holders",
    "proficient-among-digital-skills",
    "units-at-level-1",
    "units-at-level-2",
)
BASIS_MEMBERS, BASIS_LEARNERS = "members", "learners"


def as_percent(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Level:
    level: int
    min_percent: Decimal


@dataclass(frozen=True)
class UnitRule:
    """How a unit of one kind reaches its levels: the share of ``basis`` members holding the title."""

    basis: str
    levels: tuple

    def level_of(self, holders, count):
        """
        The highest level reached (0: none), or None when the unit has nobody on its basis.

        Exact: ``holders / count >= min_percent / 100`` is compared as integers times 100, so a
        share of 89.95 % never rounds up into 90 %.
        """
        if count <= 0:
            return None
        reached = 0
        for level in self.levels:
            if Decimal(holders) * 100 >= level.min_percent * count:
                reached = max(reached, level.level)
        return reached


@dataclass(frozen=True)
class PointsRule:
    """At least ``min_points`` on the tagged indicators, from credit of the listed source kinds."""

    min_points: Decimal
    source_kinds: tuple | None
    description: dict | None

    def counts(self, source_kind):
        return self.source_kinds is None or source_kind in self.source_kinds

    def met(self, indicators, earned):
        """
        ``indicators``: the tagged indicators; ``earned``: {(indicator code, source kind): points}.

        Points from counted sources are added per indicator, capped at the indicator's maximum and
        floored at zero (as standing does), then summed over the tagged indicators.
        """
        total = Decimal("0.00")
        for indicator in indicators:
            points = sum((value for (code, kind), value in earned.items() if code == indicator.code and self.counts(kind)),
                         Decimal("0.00"))
            total += min(max(points, Decimal("0.00")), indicator.max_points)
        return bool(indicators) and total >= self.min_points


@dataclass(frozen=True)
class Target:
    code: str
    title: dict
    source: object  # a {"vi", "en"} text or a plain string (a document number reads the same in both)
    measure: str | None
    percent: dict        # milestone year -> Decimal, or None where the source sets none
    note: dict | None

    def percent_for(self, milestone):
        return self.percent.get(milestone)


@dataclass(frozen=True)
class NationalTargets:  # pylint: disable=too-many-instance-attributes
    id: str
    version: str
    title: dict
    criteria_framework: str
    milestones: tuple
    adult_age: int
    unit_kinds: tuple          # ((code, title), ...) in the data's order
    default_unit_rule: UnitRule
    unit_rules: dict           # kind -> UnitRule, for kinds with their own rule
    unit_levels_source: object  # a {"vi", "en"} text or a plain string, as the report shows it
    digital_skills_tag: str
    has_digital_skills: PointsRule
    proficient: PointsRule
    targets: tuple
    sources: tuple = ()
    unconfirmed: tuple = ()

    @classmethod
    def from_document(cls, document):
        where = document["id"]
        problems = []
        milestones = tuple(document["milestones"])
        if list(milestones) != sorted(milestones):
            problems.append(Problem(N_("milestones must be in order, oldest first"), where=f"{where} milestones"))
        kinds = [kind["code"] for kind in document["unit_kinds"]]
        problems += [Problem(N_("unit kind {kind} appears more than once"), {"kind": kind}, where=f"{where} unit_kinds")
                     for kind in sorted({kind for kind in kinds if kinds.count(kind) > 1})]

        def unit_rule(rule, path):
            levels = tuple(Level(item["level"], as_percent(item["min_percent"])) for item in rule["levels"])
            if [level.level for level in levels] != sorted({level.level for level in levels}) or \
                    [level.min_percent for level in levels] != sorted(level.min_percent for level in levels):
                problems.append(Problem(N_("levels must rise: each level higher, and needing no smaller share, than the one before"),
                                        where=path))
            return UnitRule(rule["basis"], levels)

        levels = document["unit_levels"]
        default_rule = unit_rule(levels["default"], f"{where} unit_levels.default")
        rules = {}
        for kind, rule in sorted(levels.get("by_kind", {}).items()):
            if kind not in kinds:
                problems.append(Problem(N_("unit kind {kind} is not listed in unit_kinds"), {"kind": kind},
                                        where=f"{where} unit_levels.by_kind"))
            rules[kind] = unit_rule(rule, f"{where} unit_levels.by_kind.{kind}")

        def points_rule(rule):
            kinds_ = rule.get("source_kinds")
            return PointsRule(as_points(rule["min_points"]), tuple(kinds_) if kinds_ else None, rule.get("description"))

        targets = []
        codes = [item["code"] for item in document["targets"]]
        problems += [Problem(N_("target {code} appears more than once"), {"code": code}, where=f"{where} targets")
                     for code in sorted({code for code in codes if codes.count(code) > 1})]
        for item in document["targets"]:
            unknown = sorted(set(item["percent"]) - set(milestones))
            if unknown:
                problems.append(Problem(N_("target {code} names years that are not milestones: {years}"),
                                        {"code": item["code"], "years": ", ".join(unknown)}, where=f"{where} targets"))
            targets.append(Target(
                code=item["code"],
                title=item["title"],
                source=item["source"],
                measure=item["measure"],
                percent={year: None if item["percent"].get(year) is None else as_percent(item["percent"][year])
                         for year in milestones},
                note=item.get("note"),
            ))
        if problems:
            raise InvalidInput(problems)
        digital = document["digital_skills"]
        return cls(
            id=document["id"],
            version=document["version"],
            title=document["title"],
            criteria_framework=document["criteria_framework"],
            milestones=milestones,
            adult_age=document["adult_age"],
            unit_kinds=tuple((kind["code"], kind["title"]) for kind in document["unit_kinds"]),
            default_unit_rule=default_rule,
            unit_rules=rules,
            unit_levels_source=levels.get("source", ""),
            digital_skills_tag=digital["indicator_tag"],
            has_digital_skills=points_rule(digital["has_digital_skills"]),
            proficient=points_rule(digital["proficient"]),
            targets=tuple(targets),
            sources=tuple(document.get("sources", ())),
            unconfirmed=tuple(document.get("unconfirmed", ())),
        )

    @property
    def unit_kind_codes(self):
        return tuple(code for code, _ in self.unit_kinds)

    def unit_kind_title(self, code):
        return dict(self.unit_kinds).get(code)

    def unit_rule(self, kind):
        return self.unit_rules.get(kind, self.default_unit_rule)

    @property
    def level_numbers(self):
        """Every level any unit can reach, rising."""
        rules = [self.default_unit_rule, *self.unit_rules.values()]
        return tuple(sorted({level.level for rule in rules for level in rule.levels}))

    def is_adult(self, birth_year, period):
        """Adult in ``period`` (a calendar year such as "2026"): that year minus the birth year reaches adult_age."""
        return int(period[:4]) - int(birth_year) >= self.adult_age


@lru_cache(maxsize=None)
def available_targets():
    """Every shipped set of national targets, validated, keyed by (id, version)."""
    found = {}
    for name in fixture_names(TARGETS_FOLDER):
        targets = NationalTargets.from_document(load_fixture(f"{TARGETS_FOLDER}/{name}", SCHEMA))
        found[(targets.id, targets.version)] = targets
    return found


def get_targets(targets_id=None):
    """The targets with this id (newest version), or the only/newest shipped set when no id is given."""
    candidates = [item for (tid, _), item in available_targets().items() if targets_id is None or tid == targets_id]
    if not candidates:
        raise InvalidInput([Problem(N_("unknown national targets {targets}"), {"targets": targets_id or "-"}, where="targets")])
    return max(candidates, key=lambda item: (item.milestones[-1], tuple(int(part) for part in item.version.split("."))))
