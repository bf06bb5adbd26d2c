"""Load JSON data files and validate them against the schemas shipped in ``schemas/``."""
import json
import math
from functools import lru_cache
from importlib import resources

from jsonschema import FormatChecker

from .exact import ExactValidator
from .problems import N_, InvalidInput, Problem

SCHEMA_PACKAGE = "xblocks.criteria.schemas"
FIXTURES_PACKAGE = "xblocks.fixtures"


@lru_cache(maxsize=None)
def validator(schema_name):
    """A compiled validator for ``schemas/<schema_name>.schema.json`` (formats are checked, numbers exactly)."""
    schema = json.loads(resources.files(SCHEMA_PACKAGE).joinpath(f"{schema_name}.schema.json").read_text("utf-8"))
    ExactValidator.check_schema(schema)
    return ExactValidator(schema, format_checker=FormatChecker())


def schema_problems(schema_name, document):
    """Every way ``document`` breaks the schema, as problems located by JSON path."""
    errors = sorted(validator(schema_name).iter_errors(document), key=lambda error: list(error.path))
    return [
        Problem(N_("does not match the schema: {detail}"), {"detail": error.message}, where=error.json_path)
        for error in errors
    ]


def validate(schema_name, document):
    """Raise :class:`InvalidInput` listing every schema problem of ``document``."""
    problems = schema_problems(schema_name, document)
    if problems:
        raise InvalidInput(problems)
    return document


def load_fixture(relative_path, schema_name):
    """Read a JSON file from the shipped fixtures and validate it; the file name leads each problem."""
    path = resources.files(FIXTURES_PACKAGE).joinpath(relative_path)
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput([Problem(N_("cannot be read as JSON: {detail}"), {"detail": str(error)}, where=relative_path)]) from error
    problems = schema_problems(schema_name, document)
    if problems:
        raise InvalidInput([Problem(p.template, p.params, where=f"{relative_path} {p.where}") for p in problems])
    return document


def fixture_names(folder):
    """Names of the JSON files in a fixtures folder, sorted."""
    base = resources.files(FIXTURES_PACKAGE).joinpath(folder)
    return sorted(entry.name for entry in base.iterdir() if entry.name.endswith(".json"))


class _Refused(ValueError):
    """A JSON value the strict reader refuses, as a translatable problem."""

    def __init__(self, template, **params):
        super().__init__(template.format(**params))
        self.template, self.params = template, params


def _refuse_constant(name):
    raise _Refused(N_("{value} is not allowed: JSON has no NaN or Infinity"), value=name)


def _finite_float(text):
    if not math.isfinite(float(text)):
        raise _Refused(N_("the number {value} is too large"), value=text)
    return float(text)


def _unique_keys(pairs):
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise _Refused(N_("key {key} appears more than once in one object"), key=repr(repeated[0]))
    return dict(pairs)


def load_file(path, schema_name):
    """
    Read a JSON data file an operator supplies (a filesystem path) and validate it as shipped
    fixtures are. Stricter JSON than the fixtures need: NaN, Infinity, numbers too large for a
    float and a key given twice in one object are refused rather than read silently. The file's
    path leads each problem.
    """
    where = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle, parse_constant=_refuse_constant, parse_float=_finite_float,
                                 object_pairs_hook=_unique_keys)
    except _Refused as error:
        raise InvalidInput([Problem(error.template, error.params, where=where)]) from error
    except (OSError, ValueError) as error:
        raise InvalidInput([Problem(N_("cannot be read as JSON: {detail}"), {"detail": str(error)}, where=where)]) from error
    problems = schema_problems(schema_name, document)
    if problems:
        raise InvalidInput([Problem(p.template, p.params, where=f"{where} {p.where}") for p in problems])
    return document
