"""Criteria frameworks: the indicators, their points and the recognition rule, read from data."""
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .documents import fixture_names, load_fixture
from .problems import N_, InvalidInput, Problem

FRAMEWORKS_FOLDER = "frameworks"
_YEAR = re.compile(r"^[0-9]{4}$")


def as_points(value):
    """Points as an exact two-place Decimal (JSON numbers arrive as int or float)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    title: dict
    max_points: Decimal
    min_points: Decimal
    tags: tuple = ()


@dataclass(frozen=True)
class CriteriaFramework:
    """One version of a title's criteria. Indicators keep the order the data file gives."""

    id: str
    version: str
    title: dict
    period_kind: str
    indicators: tuple
    min_total: Decimal
    groups: tuple
    population_groups: tuple
    unconfirmed: tuple

    @classmethod
    def from_document(cls, document):
        min_per_indicator = as_points(document["recognition"].get("min_per_indicator", 0))
        indicators = []
        for group in document["groups"]:
            for item in group["indicators"]:
                indicators.append(Indicator(
                    code=item["code"],
                    group=group["code"],
                    title=item["title"],
                    max_points=as_points(item["max_points"]),
                    min_points=as_points(item.get("min_points", min_per_indicator)),
                    tags=tuple(item.get("tags", ())),
                ))
        codes = [indicator.code for indicator in indicators]
        problems = [
            Problem(N_("indicator code {code} appears more than once"), {"code": code}, where=document["id"])
            for code in sorted({code for code in codes if codes.count(code) > 1})
        ]
        problems += [
            Problem(N_("indicator {code}: minimum {minimum} is above its maximum {maximum}"),
                    {"code": i.code, "minimum": i.min_points, "maximum": i.max_points}, where=document["id"])
            for i in indicators if i.min_points > i.max_points
        ]
        if problems:
            raise InvalidInput(problems)
        return cls(
            id=document["id"],
            version=document["version"],
            title=document["title"],
            period_kind=document["period"]["kind"],
            indicators=tuple(indicators),
            min_total=as_points(document["recognition"]["min_total"]),
            groups=tuple((group["code"], group["title"]) for group in document["groups"]),
            population_groups=tuple(group["code"] for group in document.get("population_groups", ())),
            unconfirmed=tuple(document.get("unconfirmed", ())),
        )

    @property
    def max_total(self):
        return sum((indicator.max_points for indicator in self.indicators), Decimal("0.00"))

    def indicator(self, code):
        """The indicator with this code, or None."""
        return self._by_code.get(code)

    @property
    def _by_code(self):
        return {indicator.code: indicator for indicator in self.indicators}

    def indicators_tagged(self, tag):
        return [indicator for indicator in self.indicators if tag in indicator.tags]

    def period_problem(self, period):
        """A problem if ``period`` is not a period of this framework, else None."""
        if self.period_kind == "calendar-year" and not (isinstance(period, str) and _YEAR.match(period)):
            return Problem(N_("period {period!r} is not a calendar year such as 2026"), {"period": period}, where="period")
        return None

    def period_of(self, moment):
        """The assessment period a moment (a datetime) falls in."""
        return f"{moment.year:04d}"


@lru_cache(maxsize=None)
def available_frameworks():
    """Every shipped criteria framework, validated, keyed by (id, version)."""
    frameworks = {}
    for name in fixture_names(FRAMEWORKS_FOLDER):
        framework = CriteriaFramework.from_document(load_fixture(f"{FRAMEWORKS_FOLDER}/{name}", "criteria-framework"))
        frameworks[(framework.id, framework.version)] = framework
    return frameworks


def get_framework(framework_id, version=None):
    """The framework with this id (the newest version unless one is named), or raise InvalidInput."""
    candidates = [fw for (fid, _), fw in available_frameworks().items() if fid == framework_id]
    if version is not None:
        candidates = [fw for fw in candidates if fw.version == version]
    if not candidates:
        label = framework_id if version is None else f"{framework_id} {version}"
        raise InvalidInput([Problem(N_("unknown criteria framework {framework}"), {"framework": label}, where="framework")])
    return max(candidates, key=lambda fw: tuple(int(part) for part in fw.version.split(".")))
