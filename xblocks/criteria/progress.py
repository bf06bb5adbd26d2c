"""
Progress of a population against the national targets: counting, shares, levels and gaps.

Pure Python: the reports app reads members and the ledger, grouped, and feeds each group to a
:class:`Tally` as :class:`MemberFacts` with its number of members (:func:`learner_facts` is the
same rule for one learner, in Python, which the reports' tests hold the database's to). Counting is
one pass with a fixed set of counters (plus one per unit and per breakdown row), so a province
of millions streams through it.

Shares are exact fractions; they are rounded only for display (one decimal, half up). Whether a
target is met, and how many more title holders would meet it, are decided on the exact values.
"""
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .standing import compute_standing
from .targets import BASIS_LEARNERS

GROUP_KINDS = ("family", "clan", "community")
ROLE_STAFF, ROLE_LEARNER = "staff", "learner"
_TENTH = Decimal("0.1")


def _rounded(fraction):
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Comparison:
    """A share against one milestone's target."""

    milestone: str
    target_percent: Decimal | None   # None: no target for this milestone
    met: bool | None                 # None: no target, or nobody to count
    gap_points: Decimal | None       # percentage points still missing (0 when met), one decimal
    more_needed: int | None          # how many more would have to hold the title (0 when met)


@dataclass(frozen=True)
class Share:
    count: int
    of: int

    @property
    def exact(self):
        return Fraction(self.count * 100, self.of) if self.of else None

    @property
    def percent(self):
        """The share in percent, one decimal (half up); None when there is nobody to count."""
        return None if not self.of else _rounded(self.exact)

    def against(self, milestone, target_percent):
        if target_percent is None or not self.of:
            return Comparison(milestone, target_percent, None, None, None)
        target = Fraction(target_percent)
        exact = self.exact
        met = exact >= target
        gap = Decimal("0.0") if met else _rounded(target - exact)
        more = max(math.ceil(target * self.of / 100) - self.count, 0)
        return Comparison(milestone, target_percent, met, gap, more)


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    kind: str
    area_key: str | None = None   # the breakdown row of the unit's seat


@dataclass(frozen=True)
class MemberFacts:  # pylint: disable=too-many-instance-attributes
    """One member of the population, as far as counting goes."""

    user_id: int
    resident: bool            # lives in the area: counts toward the families/clans/communities measure
    adult: bool
    groups: frozenset         # the GROUP_KINDS the member belongs to
    population_group: str
    unit: str | None          # unit code; only units of the area (UnitInfo given to the Tally) count
    unit_role: str
    holder: bool
    digital: bool
    proficient: bool
    area_key: str | None = None   # the breakdown row of the member's residence


def learner_facts(framework, targets, period, earned):
    """
    (holder, digital, proficient) for one learner from ``earned``: {(indicator, source kind): points}.

    Holder: the framework's recognition rule on points per indicator (all sources). Digital and
    proficient: the targets' points rules on the digital-skills indicators; only holders count.
    """
    by_indicator = defaultdict(lambda: Decimal("0.00"))
    for (code, _), points in earned.items():
        by_indicator[code] += points
    # The total counts each indicator capped and floored, so it never exceeds the positive credit:
    # below the threshold there, the rule cannot be met (most members of a large area, cheaply).
    if sum((points for points in by_indicator.values() if points > 0), Decimal("0.00")) < framework.min_total:
        return False, False, False
    holder = compute_standing(framework, period, by_indicator).recognised
    tagged = framework.indicators_tagged(targets.digital_skills_tag)
    digital = holder and targets.has_digital_skills.met(tagged, earned)
    proficient = digital and targets.proficient.met(tagged, earned)
    return holder, digital, proficient


@dataclass(frozen=True)
class UnitResult:
    code: str
    name: str
    kind: str
    basis: str
    share: Share
    level: int | None         # None: nobody on the unit's basis; 0: below every level


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    adults_in_groups: Share
    unit_staff: Share


@dataclass(frozen=True)
class TargetLine:
    target: object            # criteria.targets.Target
    share: Share | None       # None: the report cannot measure this target
    comparisons: tuple


@dataclass(frozen=True)
class Progress:  # pylint: disable=too-many-instance-attributes
    period: str
    targets: object           # criteria.targets.NationalTargets
    people: int
    holders: Share            # title holders among everyone counted
    adults_in_groups: Share
    by_group_kind: dict       # kind -> Share
    unit_staff: Share
    holders_digital: Share
    digital_proficient: Share
    units: tuple              # UnitResult, by code
    units_at_level: dict      # level -> Share of assessable units at that level or above
    units_without_basis: int
    by_population_group: tuple   # (code, Share)
    breakdown: tuple             # BreakdownRow, by key

    def measure(self, code):
        measures = {
            "holders-among-adults-in-groups": self.adults_in_groups,
            "holders-among-unit-staff": self.unit_staff,
            "digital-skills-among-holders": self.holders_digital,
            "proficient-among-digital-skills": self.digital_proficient,
        }
        measures.update({f"units-at-level-{level}": share for level, share in self.units_at_level.items()})
        return measures.get(code)

    def target_lines(self):
        lines = []
        for target in self.targets.targets:
            share = self.measure(target.measure) if target.measure else None
            comparisons = tuple(
                share.against(year, target.percent_for(year)) if share is not None
                else Comparison(year, target.percent_for(year), None, None, None)
                for year in self.targets.milestones
            )
            lines.append(TargetLine(target, share, comparisons))
        return tuple(lines)


class _Counter:
    __slots__ = ("count", "of")

    def __init__(self):
        self.count = 0
        self.of = 0

    def add(self, hit, count=1):
        self.of += count
        if hit:
            self.count += count

    def share(self):
        return Share(self.count, self.of)


@dataclass
class Tally:  # pylint: disable=too-many-instance-attributes
    """Counts members one at a time; :meth:`result` gives the :class:`Progress`."""

    targets: object
    period: str
    units: dict = field(default_factory=dict)   # code -> UnitInfo: the area's units

    def __post_init__(self):
        self._people = _Counter()
        self._adults_in_groups = _Counter()
        self._by_group_kind = {kind: _Counter() for kind in GROUP_KINDS}
        self._unit_staff = _Counter()
        self._digital = _Counter()
        self._proficient = _Counter()
        self._unit_members = defaultdict(_Counter)
        self._unit_learners = defaultdict(_Counter)
        self._population_groups = defaultdict(_Counter)
        self._breakdown_groups = defaultdict(_Counter)
        self._breakdown_staff = defaultdict(_Counter)

    def add(self, member, count=1):
        """Count ``member``, or ``count`` members with the same facts (a grouped row of a report's query)."""
        in_unit = member.unit in self.units
        if not (member.resident or in_unit):
            return
        self._people.add(member.holder, count)
        self._population_groups[member.population_group].add(member.holder, count)
        if member.holder:
            self._digital.add(member.digital, count)
            if member.digital:
                self._proficient.add(member.proficient, count)
        if member.resident and member.adult and member.groups:
            self._adults_in_groups.add(member.holder, count)
            self._breakdown_groups[member.area_key].add(member.holder, count)
            for kind in member.groups:
                self._by_group_kind[kind].add(member.holder, count)
        if in_unit:
            self._unit_members[member.unit].add(member.holder, count)
            if member.unit_role == ROLE_LEARNER:
                self._unit_learners[member.unit].add(member.holder, count)
            if member.unit_role == ROLE_STAFF:
                self._unit_staff.add(member.holder, count)
                self._breakdown_staff[self.units[member.unit].area_key].add(member.holder, count)

    def result(self):
        units = []
        for code in sorted(self.units):
            info = self.units[code]
            rule = self.targets.unit_rule(info.kind)
            counter = self._unit_learners[code] if rule.basis == BASIS_LEARNERS else self._unit_members[code]
            share = counter.share()
            units.append(UnitResult(code, info.name, info.kind, rule.basis, share, rule.level_of(share.count, share.of)))
        assessable = [unit for unit in units if unit.level is not None]
        units_at_level = {
            level: Share(sum(1 for unit in assessable if unit.level >= level), len(assessable))
            for level in self.targets.level_numbers
        }
        keys = sorted(key for key in set(self._breakdown_groups) | set(self._breakdown_staff) if key is not None)
        breakdown = tuple(
            BreakdownRow(key, self._breakdown_groups[key].share(), self._breakdown_staff[key].share()) for key in keys
        )
        return Progress(
            period=self.period,
            targets=self.targets,
            people=self._people.of,
            holders=self._people.share(),
            adults_in_groups=self._adults_in_groups.share(),
            by_group_kind={kind: counter.share() for kind, counter in self._by_group_kind.items()},
            unit_staff=self._unit_staff.share(),
            holders_digital=self._digital.share(),
            digital_proficient=self._proficient.share(),
            units=tuple(units),
            units_at_level=units_at_level,
            units_without_basis=len(units) - len(assessable),
            by_population_group=tuple((code, self._population_groups[code].share()) for code in sorted(self._population_groups)),
            breakdown=breakdown,
        )
