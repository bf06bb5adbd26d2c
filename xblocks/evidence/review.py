"""
The reviewer's side of evidence: the block's queue, what a reviewer should know before deciding,
and the decision (approve with points within the room left on each indicator: the indicator's
maximum less what already counts for the learner, and the policy's cap; request changes,
reject, or revoke an approval). Only course staff and reviewers may; nobody reviews their own
declaration, and a declaration changed since the reviewer opened it is not decided blind.
"""
import re
import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xblocks.criteria.problems import N_, InvalidInput, Problem

from .access import Refused
from .credit import credit_declaration, reverse_declaration_credit, room_left
from .models import Declaration, EvidenceFile, ReviewEvent
from .policy import clean_points, clean_reason

QUEUE_LIMIT = 200
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
Status = Declaration.Status
Action = ReviewEvent.Action


def _require_reviewer(actor):
    if not actor.can_review():
        raise Refused(403, N_("Only course staff and reviewers can do this."))


def _declaration_here(place, declaration_uuid, *, lock=True):
    try:
        key = uuid.UUID(str(declaration_uuid))
    except ValueError:
        raise Refused(404, N_("There is no such declaration.")) from None
    queryset = Declaration.objects.select_for_update() if lock else Declaration.objects
    declaration = queryset.filter(uuid=key, usage_key=place.usage_key).first()
    if declaration is None:
        raise Refused(404, N_("There is no such declaration."))
    return declaration


def queue(actor, place, *, status="submitted", indicator="", kind="", search="", submitted_from=None, submitted_to=None):
    """The block's declarations for a reviewer, oldest first, filtered (dates: the day each was first submitted, both ends included)."""
    _require_reviewer(actor)
    queryset = filtered(Declaration.objects.filter(usage_key=place.usage_key), status=status, indicator=indicator, kind=kind,
                        search=search, submitted_from=submitted_from, submitted_to=submitted_to)
    return list(queryset.prefetch_related("files", "events").order_by("created_at", "id")[:QUEUE_LIMIT])


def queue_from_request(actor, place, raw):
    """:func:`queue` with the filters a reviewer sent (:func:`clean_queue_filters`), checked after who is asking."""
    _require_reviewer(actor)
    return queue(actor, place, **clean_queue_filters(raw, indicators=place.offered_indicators, kinds=place.policy.kinds))


def filtered(queryset, *, status="submitted", indicator="", kind="", search="", submitted_from=None, submitted_to=None):
    """``queryset`` narrowed by a reviewer's checked filters (:func:`clean_queue_filters`)."""
    if status and status != "all":
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(description__icontains=search))
    if indicator:
        queryset = queryset.filter(indicator_codes__contains=f"|{indicator}|")
    if submitted_from is not None:
        queryset = queryset.filter(created_at__gte=_start_of(submitted_from))
    if submitted_to is not None:
        queryset = queryset.filter(created_at__lt=_start_of(submitted_to + timedelta(days=1)))
    return queryset


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def clean_queue_filters(raw, *, indicators, kinds):
    """
    A reviewer's queue filters (JSON or a query string's values), each checked against the
    ``indicators`` and ``kinds`` on offer: ``{status, indicator, kind, search, submitted_from, submitted_to}``.
    """
    problems = []
    raw = raw if isinstance(raw, dict) else {}

    def text(name, default=""):
        value = raw.get(name, default)
        if value is None:
            return default
        if not isinstance(value, str):
            problems.append(Problem(N_("This filter must be text."), where=name))
            return default
        return value.strip()

    status = text("status", "submitted") or "submitted"
    if status != "all" and status not in Status.values:
        problems.append(Problem(N_("Unknown status."), where="status"))
    indicator = text("indicator")
    if indicator and indicator not in indicators:
        problems.append(Problem(N_("Unknown indicator."), where="indicator"))
    kind = text("kind")
    if kind and kind not in kinds:
        problems.append(Problem(N_("Unknown kind of activity."), where="kind"))
    search = text("search")[:100]
    days = {}
    for name in ("submitted_from", "submitted_to"):
        value = text(name)
        days[name] = None
        if value:
            if not _ISO_DATE.match(value):
                problems.append(Problem(N_("Give the date as year-month-day, for example 2026-03-31."), where=name))
                continue
            try:
                days[name] = date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(N_("There is no such date."), where=name))
    if days["submitted_from"] and days["submitted_to"] and days["submitted_from"] > days["submitted_to"]:
        problems.append(Problem(N_("The first date comes after the last one."), where="submitted_to"))
    if problems:
        raise InvalidInput(problems)
    return {"status": status, "indicator": indicator, "kind": kind, "search": search, **days}


def duplicate_flags(declaration, policy):
    """What a reviewer should know: the same file or activity elsewhere (other learners only counted, never named)."""
    flags = []
    hashes = [row.sha256 for row in declaration.files.all()]
    live = Declaration.objects.filter(status__in=Declaration.LIVE).exclude(pk=declaration.pk)
    if hashes and policy.duplicates["same_file"] == "flag":
        for row in EvidenceFile.objects.filter(declaration__in=live.filter(user_id=declaration.user_id), sha256__in=hashes).select_related("declaration"):
            flags.append(Problem(N_("\"{name}\" is also evidence for this learner's declaration \"{title}\"."),
                                 {"name": row.original_name, "title": row.declaration.title}))
    if hashes and policy.duplicates["same_file_other_learner"] == "flag":
        others = (EvidenceFile.objects.filter(declaration__in=live.exclude(user_id=declaration.user_id), sha256__in=hashes)
                  .values("declaration").distinct().count())
        if others:
            flags.append(Problem(N_("The same file is evidence in {count} declaration(s) by other learners."), {"count": others}))
    if policy.duplicates["same_activity"] == "flag":
        twin = live.filter(user_id=declaration.user_id, fingerprint=declaration.fingerprint).first()
        if twin is not None:
            flags.append(Problem(N_("This learner declared the same activity before: \"{title}\"."), {"title": twin.title}))
    return flags


def review(actor, place, declaration_uuid, *, action, reason="", points=None, revision=None):
    """A reviewer's decision. ``revision`` is the one the reviewer saw: a declaration changed since is not decided blind."""
    _require_reviewer(actor)
    policy = place.policy
    if action not in ("approve", "request_changes", "reject", "revoke"):
        raise InvalidInput([Problem(N_("Unknown review action."), where="action")])
    with transaction.atomic():
        declaration = _declaration_here(place, declaration_uuid)
        if declaration.user_id == actor.user_id:
            raise Refused(403, N_("You cannot review your own declaration."))
        if revision is not None and str(revision) != str(declaration.revision):
            raise Refused(409, N_("The learner changed this declaration after you opened it: read it again before deciding."))
        allowed_from = {"approve": (Status.SUBMITTED,), "request_changes": (Status.SUBMITTED,),
                        "reject": (Status.SUBMITTED, Status.CHANGES_REQUESTED), "revoke": (Status.APPROVED,)}[action]
        if declaration.status not in allowed_from:
            raise Refused(409, N_("This declaration is {status}: it cannot be decided that way now."), status=declaration.status)
        reason = clean_reason(reason, policy, required=action != "approve")
        now = timezone.now()
        if action == "approve":
            # Lock the learner's other declarations too: two approvals at once cannot both use the same room under a cap.
            list(Declaration.objects.select_for_update().filter(user_id=declaration.user_id).order_by("pk").values_list("pk", flat=True))
            awarded = clean_points(points, indicators=declaration.indicators, remaining=room_left(declaration, policy))
            declaration.credit_keys = credit_declaration(declaration, awarded, place)
            declaration.awarded = {code: f"{value:.2f}" for code, value in awarded.items() if value > 0}
            declaration.status = Status.APPROVED
            event_action = Action.APPROVE
        elif action == "request_changes":
            declaration.status, event_action = Status.CHANGES_REQUESTED, Action.REQUEST_CHANGES
        elif action == "reject":
            declaration.status, event_action = Status.REJECTED, Action.REJECT
        else:
            reverse_declaration_credit(declaration, reason=f"declaration {declaration.uuid} revoked: {reason}"[:500])
            declaration.status, event_action = Status.REVOKED, Action.REVOKE
        declaration.reason, declaration.reviewer_id, declaration.decided_at = reason, actor.user_id, now
        declaration.revision += 1
        declaration.save()
        ReviewEvent.objects.create(declaration=declaration, actor_id=actor.user_id, action=event_action,
                                   status=declaration.status, reason=reason,
                                   points=declaration.awarded if action == "approve" else {})
    return declaration
