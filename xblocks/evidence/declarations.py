"""
The learner's side of evidence: declare, edit (while not approved), withdraw and list their own
declarations. A learner reads and changes only their own: another learner's declaration answers
exactly as one that does not exist.

Nothing is stored when a check fails: files reach storage only after every check has passed, and
are removed again if the database transaction does not commit.
"""
import uuid

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from xblocks.criteria.problems import N_, InvalidInput, Problem

from .access import Refused
from .credit import reverse_declaration_credit
from .files import delete_stored, human_size, prepare_uploads, store_files, uploads_enabled
from .limits import UPLOADS_OFF, upload_limits
from .models import Declaration, EvidenceFile, ReviewEvent
from .policy import clean_declaration

Status = Declaration.Status
Action = ReviewEvent.Action


def _require_learner(actor):
    if not actor.known:
        raise Refused(403, N_("Sign in to declare your learning."))


def _own_declaration(actor, place, declaration_uuid, *, lock=True):
    """The actor's declaration in this block, or 404 (another learner's looks exactly like none)."""
    try:
        key = uuid.UUID(str(declaration_uuid))
    except ValueError:
        raise Refused(404, N_("There is no such declaration.")) from None
    queryset = Declaration.objects.select_for_update() if lock else Declaration.objects
    declaration = queryset.filter(uuid=key, usage_key=place.usage_key, user_id=actor.user_id).first()
    if declaration is None:
        raise Refused(404, N_("There is no such declaration."))
    return declaration


def _duplicate_problems(actor, clean, prepared, policy, exclude_id=None):
    """The learner's own duplicates the policy refuses (same file, same activity)."""
    problems = []
    live = Declaration.objects.filter(user_id=actor.user_id, status__in=Declaration.LIVE)
    if exclude_id is not None:
        live = live.exclude(pk=exclude_id)
    if policy.duplicates["same_file"] == "refuse" and prepared:
        hashes = {item.sha256: item.name for item in prepared}
        for row in EvidenceFile.objects.filter(declaration__in=live, sha256__in=list(hashes)).select_related("declaration"):
            problems.append(Problem(N_("\"{name}\" is already evidence for your declaration \"{title}\"."),
                                    {"name": hashes[row.sha256], "title": row.declaration.title}, where="files"))
    if policy.duplicates["same_activity"] == "refuse":
        twin = live.filter(fingerprint=clean.fingerprint).first()
        if twin is not None:
            problems.append(Problem(N_("You have already declared this activity (same kind, date and name): \"{title}\"."),
                                    {"title": twin.title}, where="title"))
    return problems


def period_start(now=None):
    """When the current period began, in the site's time zone: the framework's periods are calendar years."""
    local = timezone.localtime(now)
    return local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


def _limit_problems(actor, policy, prepared, *, new_declaration):
    """
    The policy's limits per learner and period: how many declarations they sent, and how many
    bytes of files they stored, since the period began (under this policy, in any block).
    """
    problems = []
    since = period_start()
    mine = Declaration.objects.filter(user_id=actor.user_id, policy_id=policy.id)
    if new_declaration and mine.filter(created_at__gte=since).count() >= policy.declarations_per_period:
        problems.append(Problem(N_("You have reached this year's limit of {maximum} declarations. You can still edit the "
                                   "ones you have sent."), {"maximum": policy.declarations_per_period}))
    adding = sum(len(item.data) for item in prepared)
    if adding:
        stored = (EvidenceFile.objects.filter(declaration__in=mine, uploaded_at__gte=since)
                  .aggregate(total=Sum("size"))["total"] or 0)
        if stored + adding > policy.bytes_per_period:
            problems.append(Problem(N_("These files would take you past this year's limit of {maximum} of evidence files "
                                       "({used} used). Remove files from a declaration, or give a link instead."),
                                    {"maximum": human_size(policy.bytes_per_period), "used": human_size(stored)},
                                    where="files"))
    return problems


def _checked(actor, place, raw, uploads, *, kept_files=0, exclude_id=None):
    """Clean fields and files together, so the learner sees every problem at once."""
    policy = place.policy
    limits = upload_limits(policy)
    problems = []
    try:
        clean = clean_declaration(raw, policy=policy, offered_indicators=place.offered_indicators)
    except InvalidInput as error:
        clean, problems = None, list(error.problems)
    prepared = []
    if uploads and not uploads_enabled():
        problems.append(Problem(UPLOADS_OFF, where="files"))
    elif len(uploads) + kept_files > limits.max_files:
        problems.append(Problem(N_("Attach at most {maximum} files."), {"maximum": limits.max_files}, where="files"))
    else:
        prepared = prepare_uploads(uploads, policy, limits, problems)
    if clean is not None and not problems:
        if not (prepared or kept_files or clean.links):
            problems.append(Problem(N_("Attach at least one file or give a link as evidence."), where="files"))
        problems += _duplicate_problems(actor, clean, prepared, policy, exclude_id=exclude_id)
        problems += _limit_problems(actor, policy, prepared, new_declaration=exclude_id is None)
    if problems:
        raise InvalidInput(problems)
    return clean, prepared


def _apply(declaration, clean, policy, actor):
    framework = policy.framework
    declaration.learner_name = actor.name[:255]
    declaration.framework_id, declaration.framework_version = framework.id, framework.version
    declaration.policy_id, declaration.policy_version = policy.id, policy.version
    declaration.indicators = list(clean.indicators)
    declaration.indicator_codes = "|" + "|".join(clean.indicators) + "|"
    declaration.kind, declaration.title = clean.kind, clean.title
    declaration.activity_date, declaration.period = clean.activity_date, framework.period_of(clean.activity_date)
    declaration.hours, declaration.description, declaration.links = clean.hours, clean.description, list(clean.links)
    declaration.fingerprint = clean.fingerprint


def declare(actor, place, raw, uploads):
    """Record a new declaration (status submitted) with its files; returns it."""
    _require_learner(actor)
    clean, prepared = _checked(actor, place, raw, uploads)
    saved = []
    try:
        with transaction.atomic():
            declaration = Declaration(user_id=actor.user_id, course_key=place.course_key, usage_key=place.usage_key)
            _apply(declaration, clean, place.policy, actor)
            declaration.save()
            store_files(declaration, prepared, saved)
            ReviewEvent.objects.create(declaration=declaration, actor_id=actor.user_id, action=Action.SUBMIT, status=Status.SUBMITTED)
    except BaseException:
        delete_stored(saved)
        raise
    return declaration


def edit(actor, place, declaration_uuid, raw, uploads, remove_files=()):
    """Change a declaration that is not approved (nor withdrawn or revoked); it goes back to the queue."""
    _require_learner(actor)
    saved = []
    try:
        with transaction.atomic():
            declaration = _own_declaration(actor, place, declaration_uuid)
            if not declaration.editable:
                raise Refused(409, N_("This declaration can no longer be changed (it is {status})."), status=declaration.status)
            removing = [row for row in declaration.files.all() if str(row.uuid) in {str(item) for item in remove_files}]
            kept = declaration.files.count() - len(removing)
            clean, prepared = _checked(actor, place, raw, uploads, kept_files=kept, exclude_id=declaration.pk)
            _apply(declaration, clean, place.policy, actor)
            declaration.status, declaration.reason, declaration.revision = Status.SUBMITTED, "", declaration.revision + 1
            declaration.save()
            removed_names = [row.storage_name for row in removing]
            EvidenceFile.objects.filter(pk__in=[row.pk for row in removing]).delete()
            store_files(declaration, prepared, saved)
            ReviewEvent.objects.create(declaration=declaration, actor_id=actor.user_id, action=Action.EDIT, status=Status.SUBMITTED)
            transaction.on_commit(lambda: delete_stored(removed_names))
    except BaseException:
        delete_stored(saved)
        raise
    return declaration


def withdraw(actor, place, declaration_uuid):
    """The learner takes a declaration back; an approved one has its credit reversed."""
    _require_learner(actor)
    with transaction.atomic():
        declaration = _own_declaration(actor, place, declaration_uuid)
        if declaration.status not in (*Declaration.EDITABLE, Status.APPROVED):
            raise Refused(409, N_("This declaration can no longer be withdrawn (it is {status})."), status=declaration.status)
        if declaration.status == Status.APPROVED:
            reverse_declaration_credit(declaration, reason=f"declaration {declaration.uuid} withdrawn by the learner")
        declaration.status, declaration.revision = Status.WITHDRAWN, declaration.revision + 1
        declaration.save()
        ReviewEvent.objects.create(declaration=declaration, actor_id=actor.user_id, action=Action.WITHDRAW, status=Status.WITHDRAWN)
    return declaration


def my_declarations(actor, place):
    if not actor.known:
        return []
    return list(Declaration.objects.filter(usage_key=place.usage_key, user_id=actor.user_id)
                .prefetch_related("files", "events").order_by("-created_at", "-id"))
