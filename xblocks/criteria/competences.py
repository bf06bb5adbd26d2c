"""
Digital competence frameworks (Circular 02/2025/TT-BGDĐT, DigComp 2.2, ...) and the crosswalks
between them, read from data.

Every code, level and tier comes from the files in ``fixtures/competences/``: a file named
``crosswalk-*.json`` is a crosswalk (``schemas/crosswalk.schema.json``), any other is a
competence framework (``schemas/competence-framework.schema.json``). Loading checks the schema,
then what a schema cannot say: unique codes, competence codes under their domain's code, levels
numbered 1..N, every level in exactly one tier, and crosswalk codes that exist in the frameworks
they name. Any problem raises :class:`InvalidInput` listing all of them.
"""
from dataclasses import dataclass, field
from functools import lru_cache

from .documents import fixture_names, load_fixture, schema_problems
from .problems import N_, InvalidInput, Problem

COMPETENCES_FOLDER = "competences"
CROSSWALK_PREFIX = "crosswalk-"
FRAMEWORK_SCHEMA = "competence-framework"
CROSSWALK_SCHEMA = "crosswalk"

# Reading a link the other way: "the target is broader than the source" becomes "narrower".
_INVERSE_RELATION = {"exact": "exact", "broader": "narrower", "narrower": "broader", "related": "related"}


def version_key(version):
    """A semantic version ("1.10.0") as a tuple that sorts numerically."""
    return tuple(int(part) for part in version.split("."))


def _repeated(values):
    """The values that occur more than once, in order of first appearance."""
    seen, repeated = set(), []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


def _check_schema(schema_name, document, where):
    problems = schema_problems(schema_name, document)
    if problems:
        raise InvalidInput([Problem(p.template, p.params, where=f"{where} {p.where}".strip()) for p in problems])


def _label(document, where):
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
        where = _label(document, where)
        _check_schema(FRAMEWORK_SCHEMA, document, where)
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
    for code in _repeated(domain_codes):
        problem(N_("domain code {code} appears more than once"), "$.domains", code=code)
    competence_codes = []
    for d_index, domain in enumerate(document["domains"]):
        for c_index, competence in enumerate(domain["competences"]):
            competence_codes.append(competence["code"])
            if not competence["code"].startswith(domain["code"] + "."):
                problem(N_("competence code {code} does not start with its domain code {domain} followed by a dot"),
                        f"$.domains[{d_index}].competences[{c_index}]", code=competence["code"], domain=domain["code"])
    for code in _repeated(competence_codes):
        problem(N_("competence code {code} appears more than once"), "$.domains", code=code)

    numbers = [item["level"] for item in document["levels"]]
    for number in _repeated(numbers):
        problem(N_("level {level} appears more than once"), "$.levels", level=number)
    if sorted(set(numbers)) != list(range(1, len(set(numbers)) + 1)):
        problem(N_("levels must be numbered 1 to {count} without gaps; found {levels}"), "$.levels",
                count=len(set(numbers)), levels=", ".join(str(n) for n in sorted(set(numbers))))

    for code in _repeated([tier["code"] for tier in document["tiers"]]):
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


@dataclass(frozen=True)
class Link:
    """One correspondence: ``from_code`` (in the "from" framework) relates to ``to_code``."""

    from_code: str
    to_code: str
    relation: str

    def reversed(self):
        return Link(from_code=self.to_code, to_code=self.from_code, relation=_INVERSE_RELATION[self.relation])


@dataclass(frozen=True)
class Crosswalk:  # pylint: disable=too-many-instance-attributes
    """
    How one framework version's competences correspond to another's, readable both ways:
    :meth:`forward` maps a "from" code to "to" codes, :meth:`backward` the reverse, and
    :meth:`reversed` swaps the sides. A code with no counterpart maps to ``()``.
    """

    id: str
    version: str
    title: dict
    description: dict | None
    from_framework: tuple   # (id, version)
    to_framework: tuple     # (id, version)
    links: tuple
    unmapped_from: dict     # code -> reason text {"vi", "en"}
    unmapped_to: dict
    level_links: tuple      # ((from level, to level), ...)
    from_codes: frozenset   # every competence code of the "from" framework
    to_codes: frozenset
    sources: tuple = ()
    unconfirmed: tuple = ()

    @classmethod
    def from_document(cls, document, frameworks, where=None):
        """
        Build a crosswalk from a parsed data file, checking its codes against ``frameworks``
        (a mapping ``(id, version) -> CompetenceFramework``); raise InvalidInput with every problem.
        """
        where = _label(document, where)
        _check_schema(CROSSWALK_SCHEMA, document, where)
        ends = {side: (document[side]["id"], document[side]["version"]) for side in ("from", "to")}
        problems = _crosswalk_problems(document, {side: frameworks.get(ref) for side, ref in ends.items()}, ends, where)
        if problems:
            raise InvalidInput(problems)
        source, target = frameworks[ends["from"]], frameworks[ends["to"]]
        return cls(
            id=document["id"],
            version=document["version"],
            title=document["title"],
            description=document.get("description"),
            from_framework=ends["from"],
            to_framework=ends["to"],
            links=tuple(Link(item["from"], item["to"], item["relation"]) for item in document["links"]),
            unmapped_from={item["code"]: item["reason"] for item in document["unmapped"]["from"]},
            unmapped_to={item["code"]: item["reason"] for item in document["unmapped"]["to"]},
            level_links=tuple((item["from"], item["to"]) for item in document.get("levels", ())),
            from_codes=frozenset(c.code for c in source.competences),
            to_codes=frozenset(c.code for c in target.competences),
            sources=tuple(document.get("sources", ())),
            unconfirmed=tuple(document.get("unconfirmed", ())),
        )

    def reversed(self):
        """The same crosswalk read from the "to" framework to the "from" framework."""
        return Crosswalk(
            id=self.id, version=self.version, title=self.title, description=self.description,
            from_framework=self.to_framework, to_framework=self.from_framework,
            links=tuple(link.reversed() for link in self.links),
            unmapped_from=self.unmapped_to, unmapped_to=self.unmapped_from,
            level_links=tuple((b, a) for a, b in self.level_links),
            from_codes=self.to_codes, to_codes=self.from_codes,
            sources=self.sources, unconfirmed=self.unconfirmed,
        )

    def _known(self, code, codes, framework):
        if code not in codes:
            raise InvalidInput([Problem(N_("competence {code} is not in {framework} {version}"),
                                        {"code": code, "framework": framework[0], "version": framework[1]},
                                        where="competence")])

    def links_from(self, code):
        """The links leaving a "from" competence (empty when it has no counterpart)."""
        self._known(code, self.from_codes, self.from_framework)
        return tuple(link for link in self.links if link.from_code == code)

    def forward(self, code):
        """The "to" codes a "from" competence corresponds to; ``()`` when it is unmapped."""
        return tuple(link.to_code for link in self.links_from(code))

    def backward(self, code):
        """The "from" codes a "to" competence corresponds to; ``()`` when it is unmapped."""
        self._known(code, self.to_codes, self.to_framework)
        return tuple(link.from_code for link in self.links if link.to_code == code)

    def unmapped_reason(self, code):
        """Why a "from" competence has no counterpart (text by language), or None if it has one."""
        self._known(code, self.from_codes, self.from_framework)
        return self.unmapped_from.get(code)

    def as_mapping(self):
        """Every "from" code with the tuple of "to" codes it maps to (``()`` for unmapped ones)."""
        return {code: self.forward(code) for code in sorted(self.from_codes, key=_code_key)}

    def forward_level(self, level):
        """The "to" levels a "from" level corresponds to (``()`` if the crosswalk says nothing)."""
        return tuple(b for a, b in self.level_links if a == level)

    def backward_level(self, level):
        return tuple(a for a, b in self.level_links if b == level)


def _code_key(code):
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def _crosswalk_problems(document, frameworks, ends, where):  # pylint: disable=too-many-locals
    """What the schema cannot check in a crosswalk: that its frameworks and codes exist, and coverage."""
    problems = []

    def problem(template, path="", **params):
        problems.append(Problem(template, params, where=f"{where} {path}".strip()))

    for side in ("from", "to"):
        if frameworks[side] is None:
            problem(N_("crosswalk names competence framework {framework} {version}, which is not available"),
                    f"$.{side}", framework=ends[side][0], version=ends[side][1])
    if ends["from"][0] == ends["to"][0]:
        problem(N_("a crosswalk must join two different frameworks, not {framework} with itself"),
                "$.to", framework=ends["from"][0])

    def check_code(side, code, path):
        framework = frameworks[side]
        if framework is not None and framework.competence(code) is None:
            problem(N_("competence {code} is not in {framework} {version}"), path,
                    code=code, framework=framework.id, version=framework.version)

    for index, link in enumerate(document["links"]):
        check_code("from", link["from"], f"$.links[{index}].from")
        check_code("to", link["to"], f"$.links[{index}].to")
    for pair in _repeated([(link["from"], link["to"]) for link in document["links"]]):
        problem(N_("the link {source} -> {target} appears more than once"), "$.links", source=pair[0], target=pair[1])

    for side in ("from", "to"):
        unmapped = [item["code"] for item in document["unmapped"][side]]
        for index, code in enumerate(unmapped):
            check_code(side, code, f"$.unmapped.{side}[{index}]")
        for code in _repeated(unmapped):
            problem(N_("competence {code} is listed as unmapped more than once"), f"$.unmapped.{side}", code=code)
        linked = {link[side] for link in document["links"]}
        for code in [code for code in dict.fromkeys(unmapped) if code in linked]:
            problem(N_("competence {code} of {framework} is both linked and listed as unmapped"),
                    f"$.unmapped.{side}", code=code, framework=ends[side][0])
        framework = frameworks[side]
        if framework is not None:
            for competence in framework.competences:
                if competence.code not in linked and competence.code not in unmapped:
                    problem(N_("competence {code} of {framework} {version} is neither linked nor listed as unmapped"),
                            f"$.unmapped.{side}", code=competence.code, framework=framework.id,
                            version=framework.version)

    for index, item in enumerate(document.get("levels", ())):
        for side in ("from", "to"):
            framework = frameworks[side]
            if framework is not None and framework.level(item[side]) is None:
                problem(N_("level {level} is not a level of {framework} {version}"), f"$.levels[{index}].{side}",
                        level=item[side], framework=framework.id, version=framework.version)
    return problems


def _shipped_documents():
    """(file name, parsed and schema-valid document) for the frameworks, then for the crosswalks."""
    names = fixture_names(COMPETENCES_FOLDER)
    frameworks = [(name, load_fixture(f"{COMPETENCES_FOLDER}/{name}", FRAMEWORK_SCHEMA))
                  for name in names if not name.startswith(CROSSWALK_PREFIX)]
    crosswalks = [(name, load_fixture(f"{COMPETENCES_FOLDER}/{name}", CROSSWALK_SCHEMA))
                  for name in names if name.startswith(CROSSWALK_PREFIX)]
    return frameworks, crosswalks


def _keyed(items, template):
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
    documents, _ = _shipped_documents()
    built = [(name, CompetenceFramework.from_document(document, where=f"{COMPETENCES_FOLDER}/{name}"))
             for name, document in documents]
    return _keyed(built, N_("competence framework {id} {version} is defined by more than one file"))


@lru_cache(maxsize=None)
def available_crosswalks():
    """Every shipped crosswalk, checked against the shipped frameworks, keyed by (id, version)."""
    frameworks = available_competence_frameworks()
    _, documents = _shipped_documents()
    built = [(name, Crosswalk.from_document(document, frameworks, where=f"{COMPETENCES_FOLDER}/{name}"))
             for name, document in documents]
    return _keyed(built, N_("crosswalk {id} {version} is defined by more than one file"))


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


def crosswalk(from_id, to_id, from_version=None, to_version=None):
    """
    The crosswalk from one competence framework to another, oriented as asked (a crosswalk
    stored the other way round is reversed), or raise InvalidInput. Unless versions are named,
    the one joining the newest framework versions (then the newest crosswalk version) wins.
    """
    candidates = []
    for stored in available_crosswalks().values():
        for oriented in (stored, stored.reversed()):
            if (oriented.from_framework[0], oriented.to_framework[0]) != (from_id, to_id):
                continue
            if from_version is not None and oriented.from_framework[1] != from_version:
                continue
            if to_version is not None and oriented.to_framework[1] != to_version:
                continue
            candidates.append(oriented)
    if not candidates:
        raise InvalidInput([Problem(N_("no crosswalk from {source} to {target}"),
                                    {"source": _ref(from_id, from_version), "target": _ref(to_id, to_version)},
                                    where="crosswalk")])
    return max(candidates, key=lambda cw: (version_key(cw.from_framework[1]), version_key(cw.to_framework[1]),
                                           version_key(cw.version)))


def _ref(framework_id, version):
    return framework_id if version is None else f"{framework_id} {version}"
