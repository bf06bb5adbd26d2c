"""
The credit-event contract (``schemas/credit-event.v1.schema.json``) and its checks against a
criteria framework. A :class:`CreditEvent` is what the ledger appends: validated, exact.
"""
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal


from .documents import validator
from .exact import exact_number
from .frameworks import as_points, get_framework
from .problems import N_, InvalidInput, Problem

SCHEMA = "credit-event.v1"
SOURCE_KINDS = ("completion", "assessment", "declaration", "course-passing", "certificate", "import")
PROVENANCES = ("verified", "declared")
ASSURANCES = ("self-reported", "auto-scored", "staff-reviewed")
# A credit event is three levels deep (event, evidence list, evidence item); deeper is not one.
MAX_DEPTH = 8
# What a database can hold: MariaDB's DATETIME starts at year 1000, and a year-1 time zone offset
# overflows Python's datetime; no credit was earned before 1900.
EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9999, 1, 1, tzinfo=timezone.utc)
# NUL cannot be stored by PostgreSQL (text or jsonb); a lone surrogate is not a character and has no UTF-8.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_TOO_DEEP = object()


def _validator():
    return validator(SCHEMA)


@dataclass(frozen=True)
class CreditEvent:
    """A validated credit event. Points and hours are two-place Decimals; times are UTC."""

    id: str
    idempotency_key: str
    user_id: int
    anonymous_id: str
    framework_id: str
    framework_version: str
    indicator: str
    points: Decimal
    period: str
    source_kind: str
    provenance: str
    assurance: str
    occurred_at: datetime
    hours: Decimal | None = None
    course_key: str = ""
    usage_key: str = ""
    evidence: tuple = field(default_factory=tuple)

    def as_dict(self):
        """The event in its published JSON shape."""
        document = {
            "id": self.id,
            "idempotency_key": self.idempotency_key,
            "learner": {"user_id": self.user_id, "anonymous_id": self.anonymous_id},
            "framework": {"id": self.framework_id, "version": self.framework_version},
            "indicator": self.indicator,
            "points": float(self.points),
            "period": self.period,
            "source": {"kind": self.source_kind, "course_key": self.course_key or None, "usage_key": self.usage_key or None},
            "provenance": self.provenance,
            "assurance": self.assurance,
            "evidence": [dict(item) for item in self.evidence],
            "occurred_at": self.occurred_at.isoformat().replace("+00:00", "Z"),
        }
        if self.hours is not None:
            document["hours"] = float(self.hours)
        return document


def _walk(document):
    """Every value (and key) of a JSON document with its JSON path; _TOO_DEEP, once, past MAX_DEPTH levels."""
    stack = [(document, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            yield _TOO_DEEP, path
            return
        yield value, path
        if isinstance(value, dict):
            stack.extend((item, f"{path}.{key}", depth + 1) for key, item in reversed(value.items()))
            stack.extend((key, f"{path} key", depth + 1) for key in value)
        elif isinstance(value, (list, tuple)):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in reversed(list(enumerate(value))))


def _value_problems(document):
    """What no schema says but no database stores: deep nesting, non-finite numbers, NUL and lone surrogates."""
    problems = []
    for value, path in _walk(document):
        if value is _TOO_DEEP:
            problems.append(Problem(N_("nested more than {limit} levels deep"), {"limit": MAX_DEPTH}, where=path))
        elif isinstance(value, (float, Decimal)) and not Decimal(value).is_finite():
            problems.append(Problem(N_("{value} is not a finite number"), {"value": value}, where=path))
        elif isinstance(value, str):
            found = _UNSTORABLE.search(value)
            if found:
                problems.append(Problem(N_("text holds the character U+{code:04X}, which cannot be stored"),
                                        {"code": ord(found.group())}, where=path))
    return problems


def _exact_numbers(value):
    """The document with every float or Decimal as an exact :class:`JSONNumber` (bools and ints stay)."""
    if isinstance(value, dict):
        return {key: _exact_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact_numbers(item) for item in value]
    if isinstance(value, (float, Decimal)):
        return exact_number(value)
    return value


def _occurred_at(text):
    """``occurred_at`` in UTC, or a problem: a time zone can push year 1 or 9999 past what datetime holds."""
    try:
        moment = datetime.fromisoformat(text.upper())
        # Without a time zone (the schema's format check needs rfc3339-validator) the time is not known.
        moment = moment.astimezone(timezone.utc) if moment.tzinfo else None
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not EARLIEST <= moment < LATEST:
        return None, Problem(N_("{value} is not a time between {earliest} and {latest}"),
                             {"value": text, "earliest": EARLIEST.date().isoformat(), "latest": LATEST.date().isoformat()},
                             where="$.occurred_at")
    return moment, None


def parse_credit_event(document):
    """
    Validate a credit event (a dict parsed from JSON) and return a :class:`CreditEvent`.

    Raises :class:`InvalidInput` with every problem found: values no database can store (too deep,
    not finite, NUL or a lone surrogate), then the schema (numbers checked exactly: 2.3 is a
    multiple of 0.01), then the time and the framework (known framework and version, known
    indicator, points within the indicator's maximum, a period of the framework's kind).
    """
    problems = _value_problems(document)
    if problems:
        raise InvalidInput(problems)
    document = _exact_numbers(document)
    errors = sorted(_validator().iter_errors(document), key=lambda error: list(map(str, error.path)))
    problems = [Problem(N_("does not match the schema: {detail}"), {"detail": error.message}, where=error.json_path)
                for error in errors]
    if problems:
        raise InvalidInput(problems)
    occurred_at, problem = _occurred_at(document["occurred_at"])
    if problem:
        raise InvalidInput([problem])
    try:
        framework = get_framework(document["framework"]["id"], document["framework"]["version"])
    except InvalidInput as error:
        raise InvalidInput(error.problems) from None
    indicator = framework.indicator(document["indicator"])
    points = as_points(document["points"])
    if indicator is None:
        problems.append(Problem(N_("unknown indicator {indicator} in framework {framework}"),
                                {"indicator": document["indicator"], "framework": framework.id}, where="indicator"))
    elif points > indicator.max_points:
        problems.append(Problem(N_("{points} points is more than indicator {indicator} allows ({maximum})"),
                                {"points": points, "indicator": indicator.code, "maximum": indicator.max_points},
                                where="points"))
    period_problem = framework.period_problem(document["period"])
    if period_problem:
        problems.append(period_problem)
    if problems:
        raise InvalidInput(problems)
    source = document["source"]
    return CreditEvent(
        id=str(uuid.UUID(document["id"])),
        idempotency_key=document["idempotency_key"],
        user_id=document["learner"]["user_id"],
        anonymous_id=document["learner"]["anonymous_id"],
        framework_id=framework.id,
        framework_version=framework.version,
        indicator=indicator.code,
        points=points,
        hours=as_points(document["hours"]) if "hours" in document else None,
        period=document["period"],
        source_kind=source["kind"],
        course_key=source.get("course_key") or "",
        usage_key=source.get("usage_key") or "",
        provenance=document["provenance"],
        assurance=document["assurance"],
        evidence=tuple(tuple(sorted(item.items())) for item in document.get("evidence", ())),
        occurred_at=occurred_at,
    )


def new_credit_event(*, idempotency_key, user_id, anonymous_id, framework, indicator, points, source_kind,
                     provenance, assurance, occurred_at, hours=None, course_key="", usage_key="", evidence=()):
    """Build and validate a credit event for a block or receiver (the period follows ``occurred_at``)."""
    document = {
        "id": str(uuid.uuid4()),
        "idempotency_key": idempotency_key,
        "learner": {"user_id": user_id, "anonymous_id": anonymous_id},
        "framework": {"id": framework.id, "version": framework.version},
        "indicator": indicator,
        "points": points,  # kept exact: a Decimal or int as given, a float as its shortest repr
        "period": framework.period_of(occurred_at),
        "source": {"kind": source_kind, "course_key": course_key or None, "usage_key": usage_key or None},
        "provenance": provenance,
        "assurance": assurance,
        "evidence": [dict(item) for item in evidence],
        "occurred_at": occurred_at.isoformat(),
    }
    if hours is not None:
        document["hours"] = hours
    return parse_credit_event(document)
