"""
Ledger entries as xAPI statements (xAPI 1.0.3), for an LRS or an ``export --format xapi``.

* A credit is ``<learner> earned <indicator>``: verb ``http://id.tincanapi.com/verb/earned`` (the
  one Open edX's event-routing-backends uses for grades), the points in ``result.score`` against
  the indicator's maximum, the exact figures and the ledger's record in our own extensions.
* A reversal voids the statement of the entry it reverses (verb ``voided``, object a StatementRef).
  A reversal is never reversed, so no voiding statement is voided; the credit given back is a new
  entry, so a new statement id (xAPI: a voided statement is sent again under a new id). An LRS
  without voiding (Ralph) leaves the consumer to apply it: docs/xapi.md says how.
* Statement ids are UUIDv5 of the entry's event id: sending the same entry twice sends the same
  statement, so an LRS keeps one (and answers 409 only if the content differs).

The learner appears by the anonymous id exports use (``account`` on the site's home page), never
by the platform's user id. docs/xapi.md describes every IRI.
"""
import uuid
from datetime import timezone

from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import InvalidInput

XAPI_VERSION = "1.0.3"
IRI_BASE = "https://learningcitizen.vn/xapi"
# Namespace of statement ids: UUIDv5(NAMESPACE_URL, IRI_BASE + "/statements").
STATEMENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"{IRI_BASE}/statements")

VERB_EARNED = {"id": "http://id.tincanapi.com/verb/earned", "display": {"en-US": "earned", "vi-VN": "đạt được"}}
VERB_VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided", "vi-VN": "hủy"}}
ACTIVITY_TYPE_INDICATOR = f"{IRI_BASE}/activity-types/criteria-indicator"
ACTIVITY_TYPE_FRAMEWORK = f"{IRI_BASE}/activity-types/criteria-framework"
ACTIVITY_TYPE_COURSE = "http://adlnet.gov/expapi/activities/course"
EXTENSIONS = {
    "points": f"{IRI_BASE}/extensions/points",              # exact points, a two-place decimal string
    "hours": f"{IRI_BASE}/extensions/hours",                # learning hours, decimal string
    "period": f"{IRI_BASE}/extensions/period",              # assessment period, e.g. "2026"
    "source": f"{IRI_BASE}/extensions/source",              # {"kind", "course_key", "usage_key"}
    "provenance": f"{IRI_BASE}/extensions/provenance",      # "verified" | "declared"
    "assurance": f"{IRI_BASE}/extensions/assurance",        # "self-reported" | "auto-scored" | "staff-reviewed"
    "evidence": f"{IRI_BASE}/extensions/evidence",          # [{"uri", "sha256"?}]
    "ledger-entry": f"{IRI_BASE}/extensions/ledger-entry",  # {"id", "event_id", "chain", "position", "hash"}
    "reason": f"{IRI_BASE}/extensions/reason",              # why a reversal voided a credit
}
SYSTEM_ACCOUNT = "learning-citizen-ledger"


def statement_id(event_id):
    """The statement id of the entry with this event id (a UUID or its string)."""
    return str(uuid.uuid5(STATEMENT_NAMESPACE, str(event_id)))


def _timestamp(moment):
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _decimal(value):
    return None if value is None else f"{value:.2f}"


def _agent(home_page, name):
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def framework_iri(framework_id, version):
    return f"{IRI_BASE}/frameworks/{framework_id}/{version}"


def _names(titles):
    return {"vi-VN" if language == "vi" else "en-US" if language == "en" else language: text for language, text in titles.items()}


def _ledger_record(entry):
    return {"id": entry.pk, "event_id": str(entry.event_id), "chain": entry.chain, "position": entry.position, "hash": entry.entry_hash}


def _framework(entry):
    try:
        return get_framework(entry.framework_id, entry.framework_version)
    except InvalidInput:
        return None


def credit_statement(entry, home_page):
    """The ``earned`` statement of a credit entry."""
    framework = _framework(entry)
    indicator = framework.indicator(entry.indicator) if framework else None
    definition = {"type": ACTIVITY_TYPE_INDICATOR}
    if indicator is not None:
        definition["name"] = _names(indicator.title)
    score = {"raw": float(entry.points), "min": 0}
    if indicator is not None:
        score["max"] = float(indicator.max_points)
        if indicator.max_points:
            score["scaled"] = round(float(entry.points / indicator.max_points), 4)
    grouping = [{"objectType": "Activity", "id": framework_iri(entry.framework_id, entry.framework_version),
                 "definition": {"type": ACTIVITY_TYPE_FRAMEWORK, **({"name": _names(framework.title)} if framework else {})}}]
    if entry.course_key:
        grouping.append({"objectType": "Activity", "id": f"{home_page}/courses/{entry.course_key}",
                         "definition": {"type": ACTIVITY_TYPE_COURSE}})
    result_extensions = {EXTENSIONS["points"]: _decimal(entry.points)}
    if entry.hours is not None:
        result_extensions[EXTENSIONS["hours"]] = _decimal(entry.hours)
    return {
        "id": statement_id(entry.event_id),
        "version": XAPI_VERSION,
        "actor": _agent(home_page, entry.anonymous_id),
        "verb": VERB_EARNED,
        "object": {
            "objectType": "Activity",
            "id": f"{framework_iri(entry.framework_id, entry.framework_version)}/indicators/{entry.indicator}",
            "definition": definition,
        },
        "result": {"score": score, "extensions": result_extensions},
        "context": {
            "platform": "Open edX",
            "contextActivities": {"grouping": grouping},
            "extensions": {
                EXTENSIONS["period"]: entry.period,
                EXTENSIONS["source"]: {"kind": entry.source_kind, "course_key": entry.course_key or None, "usage_key": entry.usage_key or None},
                EXTENSIONS["provenance"]: entry.provenance,
                EXTENSIONS["assurance"]: entry.assurance,
                EXTENSIONS["evidence"]: list(entry.evidence or []),
                EXTENSIONS["ledger-entry"]: _ledger_record(entry),
            },
        },
        "timestamp": _timestamp(entry.occurred_at),
    }


def voiding_statement(entry, original_event_id, home_page):
    """The statement that voids the credit a reversal entry cancels. The ledger itself is the actor."""
    return {
        "id": statement_id(entry.event_id),
        "version": XAPI_VERSION,
        "actor": _agent(home_page, SYSTEM_ACCOUNT),
        "verb": VERB_VOIDED,
        "object": {"objectType": "StatementRef", "id": statement_id(original_event_id)},
        "context": {"extensions": {EXTENSIONS["reason"]: entry.reason, EXTENSIONS["ledger-entry"]: _ledger_record(entry)}},
        "timestamp": _timestamp(entry.occurred_at),
    }


def home_page_setting():
    """Where learners' accounts live: LMS_ROOT_URL in the LMS, the workbench's address otherwise."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    return (getattr(settings, "LEARNING_CITIZEN_XAPI_HOME_PAGE", None) or getattr(settings, "LMS_ROOT_URL", None)
            or "http://127.0.0.1:8000").rstrip("/")


def entry_statement(entry, home_page=None):
    """Any ledger entry as its statement (a reversal needs ``entry.reverses`` loadable)."""
    home_page = home_page or home_page_setting()
    if entry.kind == "reversal":
        return voiding_statement(entry, entry.reverses.event_id, home_page)
    return credit_statement(entry, home_page)


def statements(queryset, home_page=None, chunk_size=2000):
    """Statements for a queryset of entries, streamed (reversals' originals fetched with them)."""
    home_page = home_page or home_page_setting()
    for entry in queryset.select_related("reverses").iterator(chunk_size=chunk_size):
        yield entry_statement(entry, home_page)
