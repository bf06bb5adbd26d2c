"""
The credit-event contract (``schemas/credit-event.v1.schema.json``) and its checks against a
criteria framework. A :class:`CreditEvent` is what the ledger appends: validated, exact.
"""
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from .documents import schema_problems
from .frameworks import as_points, get_framework
from .problems import N_, InvalidInput, Problem

SCHEMA = "credit-event.v1"
SOURCE_KINDS = ("completion", "assessment", "declaration", "course-passing", "certificate", "import")
PROVENANCES = ("verified", "declared")
ASSURANCES = ("self-reported", "auto-scored", "staff-reviewed")


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


def parse_credit_event(document):
    """
    Validate a credit event (a dict parsed from JSON) and return a :class:`CreditEvent`.

    Raises :class:`InvalidInput` with every problem found: the schema first, then the
    framework (known framework and version, known indicator, points within the indicator's
    maximum, a period of the framework's kind).
    """
    problems = schema_problems(SCHEMA, document)
    if problems:
        raise InvalidInput(problems)
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
        # The schema's date-time format (RFC 3339) already required a time zone.
        occurred_at=datetime.fromisoformat(document["occurred_at"].upper()).astimezone(timezone.utc),
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
        "points": float(points),
        "period": framework.period_of(occurred_at),
        "source": {"kind": source_kind, "course_key": course_key or None, "usage_key": usage_key or None},
        "provenance": provenance,
        "assurance": assurance,
        "evidence": [dict(item) for item in evidence],
        "occurred_at": occurred_at.isoformat(),
    }
    if hours is not None:
        document["hours"] = float(hours)
    return parse_credit_event(document)
