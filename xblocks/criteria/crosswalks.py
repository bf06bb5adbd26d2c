"""
Crosswalks between digital competence frameworks, read from data: how one framework version's
competences (and levels) correspond to another's, readable both ways.

A file named ``crosswalk-*.json`` in ``fixtures/competences/`` is a crosswalk
(``schemas/crosswalk.schema.json``). Loading checks the schema, then what a schema cannot say:
that both frameworks are shipped, that every code exists in the framework it names, and that
every competence of both is either linked or listed as unmapped. Any problem raises
:class:`InvalidInput` listing all of them.
"""
from dataclasses import dataclass
from functools import lru_cache

from .competences import (
    COMPETENCES_FOLDER,
    CROSSWALK_SCHEMA,
    available_competence_frameworks,
    check_schema,
    document_label,
    keyed_by_version,
    repeated,
    shipped_documents,
    version_key,
)
from .problems import N_, InvalidInput, Problem

# Reading a link the other way: "the target is broader than the source" becomes "narrower".
_INVERSE_RELATION = {"exact": "exact", "broader": "narrower", "narrower": "broader", "related": "related"}


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
        where = document_label(document, where)
        check_schema(CROSSWALK_SCHEMA, document, where)
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
    for pair in repeated([(link["from"], link["to"]) for link in document["links"]]):
        problem(N_("the link {source} -> {target} appears more than once"), "$.links", source=pair[0], target=pair[1])

    for side in ("from", "to"):
        unmapped = [item["code"] for item in document["unmapped"][side]]
        for index, code in enumerate(unmapped):
            check_code(side, code, f"$.unmapped.{side}[{index}]")
        for code in repeated(unmapped):
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


@lru_cache(maxsize=None)
def available_crosswalks():
    """Every shipped crosswalk, checked against the shipped frameworks, keyed by (id, version)."""
    frameworks = available_competence_frameworks()
    built = [(name, Crosswalk.from_document(document, frameworks, where=f"{COMPETENCES_FOLDER}/{name}"))
             for name, document in shipped_documents(crosswalks=True)]
    return keyed_by_version(built, N_("crosswalk {id} {version} is defined by more than one file"))


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
