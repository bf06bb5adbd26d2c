"""
Digital competence frameworks (Circular 02/2025/TT-BGDĐT, DigComp 2.2, ...), read from data.
The crosswalks between them are in :mod:`.crosswalks`.

Every code, level and tier comes from the files in ``fixtures/competences/``: a file named
``crosswalk-*.json`` is a crosswalk (``schemas/crosswalk.schema.json``), any other is a
competence framework (``schemas/competence-framework.schema.json``). Loading checks the schema,
then what a schema cannot say: unique codes, competence codes under their domain's code, levels
numbered 1..N, every level in exactly one tier. Any problem raises :class:`InvalidInput` listing
all of them.
"""
from dataclasses import dataclass, field
from functools import lru_cache

from .documents import fixture_names, load_fixture, schema_problems
from .problems import N_, InvalidInput, Problem

COMPETENCES_FOLDER = "competences"
CROSSWALK_PREFIX = "crosswalk-"
FRAMEWORK_SCHEMA = "competence-framework"
CROSSWALK_SCHEMA = "crosswalk"


def version_key(version):
    """A semantic version ("1.10.0") as a tuple that sorts numerically."""
    return tuple(int(part) for part in version.split("."))


def repeated(values):
    """The values that occur more than once, in order of first appearance."""
    seen, found = set(), []
    for value in values:
        if value in seen and value not in found:
            found.append(value)
        seen.add(value)
    return found


def check_schema(schema_name, document, where):
    problems = schema_problems(schema_name, document)
    if problems:
        raise InvalidInput([Problem(p.template, p.params, where=f"{where} {p.where}".strip()) for p in problems])


def document_label(document, where):
    if where:
        return where
    return str(document.get("id", "")) if isinstance(document, dict) else ""


@dataclass(frozen=True)
class Level:
    number: int
    title: dict | None = None
    description: dict | None = None


@dataclass(frozen=True)
class Tier:
    """A named group of levels, e.g. Basic (Cơ bản) = levels 1 and 2."""

    code: str
    title: dict
    levels: tuple
    description: dict | None = None


@dataclass(frozen=True)
class Competence:
    code: str
    domain: str
    title: dict
    description: dict | None = None


@dataclass(frozen=True)
class Domain:
    code: str
    title: dict
    competences: tuple
    description: dict | None = None


@dataclass(frozen=True)
class CompetenceFramework:  # pylint: disable=too-many-instance-attributes
    """One version of a competence framework. Domains and competences keep the file's order."""

    id: str
    version: str
    title: dict
    short_title: dict
    description: dict | None
    domains: tuple
    competences: tuple
    levels: tuple
    tiers: tuple
    sources: tuple = ()
    unconfirmed: tuple = ()
    _competence_index: dict = field(init=False, repr=False, compare=False)
    _domain_index: dict = field(init=False, repr=False, compare=False)
    _tier_of_level: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_competence_index", {c.code: c for c in self.competences})
        object.__setattr__(self, "_domain_index", {d.code: d for d in self.domains})
        object.__setattr__(self, "_tier_of_level", {n: tier for tier in self.tiers for n in tier.levels})

    @classmethod
    def from_document(cls, document, where=None):
        """Build a framework from a parsed data file, or raise InvalidInput with every problem found."""
        where = document_label(document, where)
        check_schema(FRAMEWORK_SCHEMA, document, where)
        problems = _framework_problems(document, where)
        if problems:
            raise InvalidInput(problems)

        domains, competences = [], []
        for item in document["domains"]:
            members = tuple(
                Competence(code=c["code"], domain=item["code"], title=c["title"], description=c.get("description"))
                for c in item["competences"]
            )
            competences.extend(members)
            domains.append(Domain(code=item["code"], title=item["title"], competences=members,
                                  description=item.get("description")))
        levels = sorted(
            (Level(number=item["level"], title=item.get("title"), description=item.get("description"))
             for item in document["levels"]),
            key=lambda level: level.number,
        )
        tiers = [
            Tier(code=item["code"], title=item["title"], levels=tuple(sorted(item["levels"])),
                 description=item.get("description"))
            for item in document["tiers"]
        ]
        return cls(
            id=document["id"],
            version=document["version"],
            title=document["title"],
            short_title=document.get("short_title", document["title"]),
            description=document.get("description"),
            domains=tuple(domains),
            competences=tuple(competences),
            levels=tuple(levels),
            tiers=tuple(tiers),
            sources=tuple(document.get("sources", ())),
            unconfirmed=tuple(document.get("unconfirmed", ())),
        )

    @property
    def max_level(self):
        return len(self.levels)

    def competence(self, code):
        """The competence with this code, or None."""
        return self._competence_index.get(code)

    def domain(self, code):
        """The domain with this code, or None."""
        return self._domain_index.get(code)

    def domain_of(self, code):
        """The domain a competence code belongs to, or None if the code is not a competence here."""
        competence = self.competence(code)
        return None if competence is None else self._domain_index[competence.domain]

    def level(self, number):
        """The level with this number, or None."""
        return self.levels[number - 1] if isinstance(number, int) and 1 <= number <= len(self.levels) else None

    def tier(self, code):
        """The tier with this code, or None."""
        return next((tier for tier in self.tiers if tier.code == code), None)

    def tier_of_level(self, level):
        """The tier a level number falls in, or None if it is not a level of this framework."""
        return self._tier_of_level.get(level)


def _framework_problems(document, where):
    """What the schema cannot check in a competence framework document."""
    problems = []

    def problem(template, path="", **params):
        problems.append(Problem(template, params, where=f"{where} {path}".strip()))

    domain_codes = [domain["code"] for domain in document["domains"]]
    for code in repeated(domain_codes):
        problem(N_("domain code {code} appears more than once"), "$.domains", code=code)
    competence_codes = []
    for d_index, domain in enumerate(document["domains"]):
        for c_index, competence in enumerate(domain["competences"]):
            competence_codes.append(competence["code"])
            if not competence["code"].startswith(domain["code"] + "."):
                problem(N_("competence code {code} does not start with its domain code {domain} followed by a dot"),
                        f"$.domains[{d_index}].competences[{c_index}]", code=competence["code"], domain=domain["code"])
    for code in repeated(competence_codes):
        problem(N_("competence code {code} appears more than once"), "$.domains", code=code)

    numbers = [item["level"] for item in document["levels"]]
    for number in repeated(numbers):
        problem(N_("level {level} appears more than once"), "$.levels", level=number)
    if sorted(set(numbers)) != list(range(1, len(set(numbers)) + 1)):
        problem(N_("levels must be numbered 1 to {count} without gaps; found {levels}"), "$.levels",
                count=len(set(numbers)), levels=", ".join(str(n) for n in sorted(set(numbers))))

    for code in repeated([tier["code"] for tier in document["tiers"]]):
        problem(N_("tier code {code} appears more than once"), "$.tiers", code=code)
    known = set(numbers)
    tiers_of = {}
    for t_index, tier in enumerate(document["tiers"]):
        for number in tier["levels"]:
            if number not in known:
                problem(N_("tier {tier} covers level {level}, which is not a level of this framework"),
                        f"$.tiers[{t_index}]", tier=tier["code"], level=number)
            tiers_of.setdefault(number, []).append(tier["code"])
    for number in sorted(known):
        owners = tiers_of.get(number, [])
        if not owners:
            problem(N_("level {level} is in no tier"), "$.tiers", level=number)
        elif len(owners) > 1:
            problem(N_("level {level} is in more than one tier: {tiers}"), "$.tiers",
                    level=number, tiers=", ".join(owners))
    return problems


def shipped_documents(crosswalks=False):
    """(file name, parsed and schema-valid document) for the shipped frameworks, or for the crosswalks."""
    schema = CROSSWALK_SCHEMA if crosswalks else FRAMEWORK_SCHEMA
    return [(name, load_fixture(f"{COMPETENCES_FOLDER}/{name}", schema))
            for name in fixture_names(COMPETENCES_FOLDER) if name.startswith(CROSSWALK_PREFIX) == crosswalks]


def keyed_by_version(items, template):
    """Index built objects by (id, version), refusing two files that claim the same pair."""
    keyed, problems = {}, []
    for name, built in items:
        key = (built.id, built.version)
        if key in keyed:
            problems.append(Problem(template, {"id": key[0], "version": key[1]}, where=f"{COMPETENCES_FOLDER}/{name}"))
        keyed[key] = built
    if problems:
        raise InvalidInput(problems)
    return keyed


@lru_cache(maxsize=None)
def available_competence_frameworks():
    """Every shipped competence framework, validated, keyed by (id, version)."""
    built = [(name, CompetenceFramework.from_document(document, where=f"{COMPETENCES_FOLDER}/{name}"))
             for name, document in shipped_documents()]
    return keyed_by_version(built, N_("competence framework {id} {version} is defined by more than one file"))


def get_competence_framework(framework_id, version=None):
    """The competence framework with this id (the newest version unless one is named), or raise InvalidInput."""
    candidates = [fw for (fid, _), fw in available_competence_frameworks().items() if fid == framework_id]
    if version is not None:
        candidates = [fw for fw in candidates if fw.version == version]
    if not candidates:
        label = framework_id if version is None else f"{framework_id} {version}"
        raise InvalidInput([Problem(N_("unknown competence framework {framework}"), {"framework": label},
                                    where="competence_framework")])
    return max(candidates, key=lambda fw: version_key(fw.version))
