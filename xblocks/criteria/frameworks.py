"""
Criteria frameworks: the indicators, their points and the recognition rule, read from data.

The package ships its frameworks (``fixtures/frameworks``); an operator can add their own, such
as a province's variant of a title, from directories they name (:func:`configure_framework_dirs`).
Both are checked the same way: the JSON Schema, then :meth:`CriteriaFramework.from_document`.
"""
import copy
import os
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .documents import fixture_names, load_file, load_fixture
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


# Directories an operator names (LEARNING_CITIZEN_FRAMEWORK_DIRS): the Django-aware layer reads the
# setting and passes them in through configure_framework_dirs(), so this module stays free of Django.
_operator_dirs = ()


@dataclass(frozen=True)
class _Loaded:
    """Every framework this site knows, the document each came from, and which an operator supplied."""

    frameworks: dict      # (id, version) -> CriteriaFramework
    documents: dict       # (id, version) -> the validated JSON document
    operator_keys: frozenset


def configure_framework_dirs(directories):
    """
    Load criteria frameworks from these directories too (every ``*.json`` in each), after the
    shipped ones; an empty list leaves only the shipped ones. The files are read and checked now:
    raises :class:`InvalidInput` naming each bad file and what is wrong with it. The directories
    stay configured even then, so every later read of a framework is refused as well: nothing goes
    on with the shipped frameworks alone while the operator's are broken.
    """
    global _operator_dirs  # pylint: disable=global-statement
    _operator_dirs = tuple(os.fspath(directory) for directory in directories)
    return available_frameworks()


def framework_dirs():
    """The operator's directories in use (what :func:`configure_framework_dirs` was given)."""
    return _operator_dirs


def _shipped():
    for name in fixture_names(FRAMEWORKS_FOLDER):
        yield load_fixture(f"{FRAMEWORKS_FOLDER}/{name}", "criteria-framework")


def _operators(directories, problems):
    """(path, document) of every framework file in the directories; what cannot be loaded goes to ``problems``."""
    for directory in directories:
        if not os.path.isdir(directory):
            problems.append(Problem(N_("criteria framework directory {directory} does not exist or is not a directory"),
                                    {"directory": directory}, where=directory))
            continue
        for path in sorted(Path(directory).glob("*.json")):
            try:
                yield str(path), load_file(path, "criteria-framework")
            except InvalidInput as error:
                problems.extend(error.problems)


def _framework(document, where):
    """The framework of a validated document; its own problems are located at ``where`` (the file)."""
    try:
        return CriteriaFramework.from_document(document)
    except InvalidInput as error:
        raise InvalidInput([replace(problem, where=where) for problem in error.problems]) from None


@lru_cache(maxsize=None)
def _load(directories):
    frameworks, documents = {}, {}
    for document in _shipped():
        framework = CriteriaFramework.from_document(document)
        frameworks[(framework.id, framework.version)] = framework
        documents[(framework.id, framework.version)] = document
    shipped = set(frameworks)
    problems, found_in = [], {}
    for path, document in list(_operators(directories, problems)):
        key = (document["id"], document["version"])
        params = {"framework": document["id"], "version": document["version"]}
        if key in shipped:
            problems.append(Problem(N_("{framework} {version} is a criteria framework this package ships; "
                                       "give your variant another version or another id"), params, where=path))
        elif key in found_in:
            problems.append(Problem(N_("{framework} {version} is already defined in {other}"),
                                    {**params, "other": found_in[key]}, where=path))
        else:
            try:
                frameworks[key] = _framework(document, path)
            except InvalidInput as error:
                problems.extend(error.problems)
                continue
            documents[key] = document
            found_in[key] = path
    if problems:
        raise InvalidInput(problems)
    return _Loaded(frameworks, documents, frozenset(found_in))


def available_frameworks():
    """Every criteria framework, shipped and the operator's, validated, keyed by (id, version)."""
    return _load(_operator_dirs).frameworks


def framework_document(framework_id, version):
    """The data file a framework was read from (a new dict, without ``$schema``), or None."""
    document = _load(_operator_dirs).documents.get((framework_id, version))
    if document is None:
        return None
    document = copy.deepcopy(document)
    document.pop("$schema", None)
    return document


def from_operator(framework):
    """True when an operator's directory supplied this framework rather than the package."""
    return (framework.id, framework.version) in _load(_operator_dirs).operator_keys


def get_framework(framework_id, version=None):
    """
    The framework with this id, or raise InvalidInput. Without a version: the newest version an
    operator loaded, else the newest shipped one, so a province's variant of a title stays the
    site's rule when a later release of this package ships a newer version of it.
    """
    candidates = [fw for (fid, _), fw in available_frameworks().items() if fid == framework_id]
    if version is not None:
        candidates = [fw for fw in candidates if fw.version == version]
    if not candidates:
        label = framework_id if version is None else f"{framework_id} {version}"
        raise InvalidInput([Problem(N_("unknown criteria framework {framework}"), {"framework": label}, where="framework")])
    return max(candidates, key=lambda fw: (from_operator(fw), tuple(int(part) for part in fw.version.split("."))))
