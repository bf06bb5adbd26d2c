"""
Proficiency: from item scores to competence, domain and overall results, levels and tiers.

The pattern is DigCompSAT's: every item scores 0..1; a competence's score is the mean of its
items' scores (an item tagged with two competences counts for both), a domain's the mean of its
assessed competences, the overall score the mean of the assessed domains, each as a percentage.
A :class:`ProficiencyScale` (data, ``schemas/proficiency-scale.schema.json``) turns a percentage
into a band and a level, and says which results count as "has digital skills" and "proficient",
which competences are gaps, and how many points each level earns toward the criteria framework's
digital-skills indicator. Tiers come from the competence framework.

Attempts combine by ``latest`` (the last one), ``highest`` (the best overall score; the later
one on a tie) or ``average`` (each competence's mean over the attempts that assessed it).
"""
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .competences import version_key
from .documents import fixture_names, load_fixture, schema_problems
from .frameworks import as_points, get_framework
from .problems import N_, InvalidInput, Problem

SCALES_FOLDER = "proficiency"
SCHEMA = "proficiency-scale"
LATEST, HIGHEST, AVERAGE = "latest", "highest", "average"
POLICIES = (LATEST, HIGHEST, AVERAGE)


@dataclass(frozen=True)
class Band:
    code: str
    title: dict
    from_percent: float
    to_percent: float      # where the next band starts (100 for the last band, which includes it)
    levels: tuple

    def level_of(self, percent):
        """The level within this band: the band's range split evenly among its levels, lowest first."""
        if not self.levels:
            return None
        width = (self.to_percent - self.from_percent) / len(self.levels)
        step = int((percent - self.from_percent) // width) if width > 0 else 0
        return self.levels[min(max(step, 0), len(self.levels) - 1)]


@dataclass(frozen=True)
class Rule:
    min_overall_level: int
    min_domain_level: int | None
    description: dict | None

    def met_by(self, overall_level, domain_levels):
        if (overall_level or 0) < self.min_overall_level:
            return False
        return self.min_domain_level is None or all((level or 0) >= self.min_domain_level for level in domain_levels)


@dataclass(frozen=True)
class ProficiencyScale:  # pylint: disable=too-many-instance-attributes
    id: str
    version: str
    title: dict
    description: dict | None
    bands: tuple
    has_digital_skills: Rule
    proficient: Rule
    gap_below_level: int
    criteria_framework: str
    indicator_tag: str
    points_by_level: tuple   # ((level, Decimal points), ...) rising
    unconfirmed: tuple = ()

    @classmethod
    def from_document(cls, document, where=None):
        where = where or (document.get("id", "") if isinstance(document, dict) else "")
        problems = [Problem(p.template, p.params, where=f"{where} {p.where}".strip()) for p in schema_problems(SCHEMA, document)]
        if problems:
            raise InvalidInput(problems)
        problems = _scale_problems(document, where)
        if problems:
            raise InvalidInput(problems)
        raw_bands = document["bands"]
        bands = tuple(
            Band(code=band["code"], title=band["title"], from_percent=float(band["from_percent"]),
                 to_percent=float(raw_bands[index + 1]["from_percent"]) if index + 1 < len(raw_bands) else 100.0,
                 levels=tuple(band["levels"]))
            for index, band in enumerate(raw_bands)
        )
        rules = document["rules"]

        def rule(raw):
            return Rule(raw["min_overall_level"], raw.get("min_domain_level"), raw.get("description"))

        credit = document["credit"]
        return cls(
            id=document["id"], version=document["version"], title=document["title"],
            description=document.get("description"), bands=bands,
            has_digital_skills=rule(rules["has_digital_skills"]), proficient=rule(rules["proficient"]),
            gap_below_level=rules.get("gap_below_level", rules["has_digital_skills"]["min_overall_level"]),
            criteria_framework=credit["criteria_framework"], indicator_tag=credit["indicator_tag"],
            points_by_level=tuple((entry["level"], as_points(entry["points"])) for entry in credit["points_by_level"]),
            unconfirmed=tuple(document.get("unconfirmed", ())),
        )

    def band_of(self, percent):
        """The band a percentage (0..100) falls in."""
        found = self.bands[0]
        for band in self.bands:
            if percent >= band.from_percent:
                found = band
        return found

    def level_of(self, percent):
        """The level a percentage reaches, or None ("not yet level 1")."""
        return None if percent is None else self.band_of(percent).level_of(percent)

    @property
    def levels(self):
        return [level for band in self.bands for level in band.levels]

    def points_for_level(self, level):
        """Points toward the digital-skills indicator for an overall level (0 below the first entry)."""
        points = Decimal("0.00")
        for threshold, value in self.points_by_level:
            if level is not None and level >= threshold:
                points = value
        return points

    def credit_indicator(self):
        """The criteria framework and its digital-skills indicator this scale credits, or raise InvalidInput."""
        framework = get_framework(self.criteria_framework)
        tagged = framework.indicators_tagged(self.indicator_tag)
        if len(tagged) != 1:
            raise InvalidInput([Problem(N_("criteria framework {framework} has {count} indicators tagged {tag}; exactly one is needed"),
                                        {"framework": framework.id, "count": len(tagged), "tag": self.indicator_tag},
                                        where="credit")])
        return framework, tagged[0]

    def problems_with(self, competence_framework):
        """What does not fit between this scale and a competence framework, or the criteria framework."""
        problems = []
        for level in sorted(set(self.levels) | {self.has_digital_skills.min_overall_level, self.proficient.min_overall_level,
                                                 self.gap_below_level} | {level for level, _ in self.points_by_level}):
            if competence_framework.level(level) is None:
                problems.append(Problem(N_("level {level} is not a level of {framework} {version}"),
                                        {"level": level, "framework": competence_framework.id,
                                         "version": competence_framework.version}, where=self.id))
        try:
            _, indicator = self.credit_indicator()
        except InvalidInput as error:
            return problems + error.problems
        for level, points in self.points_by_level:
            if points > indicator.max_points:
                problems.append(Problem(N_("level {level} earns {points} points, more than indicator {indicator} allows ({maximum})"),
                                        {"level": level, "points": points, "indicator": indicator.code,
                                         "maximum": indicator.max_points}, where=self.id))
        return problems


def _scale_problems(document, where):
    problems = []
    bands = document["bands"]
    if bands[0]["from_percent"] != 0:
        problems.append(Problem(N_("the first band must start at 0 %"), where=f"{where} $.bands[0]"))
    starts = [band["from_percent"] for band in bands]
    if any(b <= a for a, b in zip(starts, starts[1:])):
        problems.append(Problem(N_("bands must start at rising percentages"), where=f"{where} $.bands"))
    levels = [level for band in bands for level in band["levels"]]
    if levels != sorted(set(levels)):
        problems.append(Problem(N_("band levels must rise from band to band without repeats"), where=f"{where} $.bands"))
    codes = [band["code"] for band in bands]
    if len(set(codes)) != len(codes):
        problems.append(Problem(N_("band codes must be unique"), where=f"{where} $.bands"))
    thresholds = [entry["level"] for entry in document["credit"]["points_by_level"]]
    points = [entry["points"] for entry in document["credit"]["points_by_level"]]
    if thresholds != sorted(set(thresholds)) or points != sorted(points):
        problems.append(Problem(N_("points by level must list rising levels with points that never fall"),
                                where=f"{where} $.credit.points_by_level"))
    return problems


@lru_cache(maxsize=None)
def available_scales():
    """Every shipped proficiency scale, validated, keyed by (id, version)."""
    scales = {}
    for name in fixture_names(SCALES_FOLDER):
        path = f"{SCALES_FOLDER}/{name}"
        scale = ProficiencyScale.from_document(load_fixture(path, SCHEMA), where=path)
        scales[(scale.id, scale.version)] = scale
    return scales


def get_scale(scale_id, version=None):
    """The shipped scale with this id (the newest version unless one is named), or raise InvalidInput."""
    candidates = [s for (sid, _), s in available_scales().items() if sid == scale_id and version in (None, s.version)]
    if not candidates:
        raise InvalidInput([Problem(N_("unknown proficiency scale {scale}"), {"scale": scale_id}, where="scale")])
    return max(candidates, key=lambda scale: version_key(scale.version))


# -- results ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    """A percentage with its band, level and tier (``tier`` None: no level yet)."""

    code: str
    percent: float
    band: Band
    level: int | None
    tier: object


@dataclass(frozen=True)
class DomainResult:
    score: Score
    competences: tuple   # Scores of the assessed competences, framework order


@dataclass(frozen=True)
class Result:
    overall: Score
    domains: tuple        # DomainResults of the assessed domains, framework order
    has_digital_skills: bool
    proficient: bool
    gaps: tuple           # codes of competences below the scale's gap level

    @property
    def competences(self):
        return tuple(score for domain in self.domains for score in domain.competences)

    def competence_percents(self):
        return {score.code: score.percent for score in self.competences}

    def as_dict(self):
        """A JSON-able summary (what the block stores and reports), levels and tiers by code."""
        def one(score):
            return {"percent": round(score.percent, 1), "band": score.band.code, "level": score.level,
                    "tier": score.tier.code if score.tier else None}
        return {
            "overall": one(self.overall),
            "domains": {domain.score.code: one(domain.score) for domain in self.domains},
            "competences": {score.code: one(score) for score in self.competences},
            "has_digital_skills": self.has_digital_skills,
            "proficient": self.proficient,
            "gaps": list(self.gaps),
        }


def competence_percents(items, item_scores):
    """
    Percent per competence from item scores: ``items`` maps item id -> competence codes,
    ``item_scores`` item id -> 0..1. Items without a score are not counted.
    """
    sums, counts = {}, {}
    for item_id, score in item_scores.items():
        for code in items[item_id]:
            sums[code] = sums.get(code, 0.0) + score
            counts[code] = counts.get(code, 0) + 1
    return {code: 100.0 * sums[code] / counts[code] for code in sums}


def _mean(values):
    return sum(values) / len(values)


def evaluate(framework, scale, percents):
    """The :class:`Result` of percents per competence code (codes the framework lacks are ignored)."""
    def score(code, percent):
        level = scale.level_of(percent)
        return Score(code, percent, scale.band_of(percent), level, framework.tier_of_level(level) if level else None)

    domains = []
    for domain in framework.domains:
        assessed = [score(c.code, percents[c.code]) for c in domain.competences if c.code in percents]
        if assessed:
            domains.append(DomainResult(score(domain.code, _mean([s.percent for s in assessed])), tuple(assessed)))
    if not domains:
        raise InvalidInput([Problem(N_("no competence of {framework} was assessed"), {"framework": framework.id})])
    overall = score("overall", _mean([domain.score.percent for domain in domains]))
    domain_levels = [domain.score.level for domain in domains]
    gaps = tuple(s.code for domain in domains for s in domain.competences if (s.level or 0) < scale.gap_below_level)
    return Result(overall=overall, domains=tuple(domains),
                  has_digital_skills=scale.has_digital_skills.met_by(overall.level, domain_levels),
                  proficient=scale.proficient.met_by(overall.level, domain_levels), gaps=gaps)


def combine(framework, scale, attempts, policy):
    """
    The :class:`Result` that counts, from the attempts' percents per competence (oldest first) and
    a policy: ``latest``, ``highest`` or ``average``.
    """
    if policy not in POLICIES:
        raise InvalidInput([Problem(N_("unknown attempt policy {policy}"), {"policy": policy}, where="attempt_policy")])
    if not attempts:
        raise InvalidInput([Problem(N_("there is no attempt to combine"))])
    if policy == LATEST:
        return evaluate(framework, scale, attempts[-1])
    if policy == HIGHEST:
        results = [evaluate(framework, scale, percents) for percents in attempts]
        best = max(range(len(results)), key=lambda index: (results[index].overall.percent, index))
        return results[best]
    codes = {code for percents in attempts for code in percents}
    return evaluate(framework, scale, {code: _mean([p[code] for p in attempts if code in p]) for code in codes})
