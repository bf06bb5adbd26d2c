"""
What the evidence block's handlers do, with every permission check on the server.

* Learners declare, edit (while not approved) and withdraw their own declarations; they read
  only their own, and only their own files.
* Reviewers (course staff, or the reviewer permission) read the block's queue, open evidence and
  decide: approve with points within the policy's and framework's caps, request changes, reject,
  or revoke an approval. Nobody reviews their own declaration.
* An approval sends one credit event per indicator on the ledger's signal (provenance
  ``declared``, assurance ``staff-reviewed``); withdrawing or revoking an approved declaration
  reverses those entries. Both go through :mod:`xblocks.common.credit`.

Nothing is stored when a check fails: files reach storage only after every check has passed,
and are removed again if the database transaction does not commit. Files go only to the private
storage an operator configured (:func:`evidence_storage`); without one, uploads are refused and
declarations with links still work. Upload sizes are the policy's, clamped to what the platform
and its proxy accept (:mod:`xblocks.evidence.limits`).
"""
import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from xblocks.common.credit import give_credit, withdraw_credit
from xblocks.criteria.problems import N_, InvalidInput, Problem

from . import filetypes
from .limits import UPLOADS_OFF, upload_limits
from .models import Declaration, EvidenceFile, ReviewEvent
from .policy import clean_declaration, clean_points, clean_reason

log = logging.getLogger(__name__)

STORAGE_ALIAS = "learning_citizen_evidence"
SOURCE_KIND = "declaration"
CHUNK = 64 * 1024
QUEUE_LIMIT = 200
Status = Declaration.Status
Action = ReviewEvent.Action


class Refused(Exception):
    """The request is not allowed (403), names nothing this user may see (404), comes too late (409) or needs setup (503)."""

    def __init__(self, http_status, template, **params):
        self.status = http_status
        self.problem = Problem(template, params)
        super().__init__(str(self.problem))


@dataclass(frozen=True)
class Place:
    """Where the block sits, and what it offers."""

    course_key: str
    usage_key: str
    policy: object
    offered_indicators: tuple


@dataclass(frozen=True)
class Upload:
    """An uploaded file as a handler received it: the learner's name for it and a readable stream."""

    name: str
    stream: object


@dataclass(frozen=True)
class _Prepared:
    name: str
    content_type: str
    extension: str
    data: bytes
    sha256: str


def evidence_storage():
    """
    The storage named ``learning_citizen_evidence`` in STORAGES, or None when the site defines none.
    Never the default storage: on common deployments that is the media folder the web server
    publishes, and evidence (certificates, photos of people) must not be reachable by URL.
    """
    from django.core.files.storage import storages  # pylint: disable=import-outside-toplevel
    from django.core.files.storage.handler import InvalidStorageError  # pylint: disable=import-outside-toplevel
    try:
        return storages[STORAGE_ALIAS]
    except InvalidStorageError:
        return None


def uploads_enabled():
    return evidence_storage() is not None


# ---------------------------------------------------------------------------------------------
# Files

def _read_bounded(stream, limit):
    """Up to ``limit + 1`` bytes of ``stream``: enough to know a file is too large without reading it all."""
    if hasattr(stream, "seek"):
        try:
            stream.seek(0)
        except (OSError, ValueError):  # pragma: no cover - unseekable streams are read from where they are
            pass
    parts, size = [], 0
    while size <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def _prepare_uploads(uploads, policy, limits, problems):
    prepared = []
    for upload in uploads:
        shown = filetypes.safe_display_name(upload.name)
        data = _read_bounded(upload.stream, limits.max_file_bytes)
        if not data:
            problems.append(Problem(N_("\"{name}\" is empty."), {"name": shown}, where="files"))
            continue
        if len(data) > limits.max_file_bytes:
            problems.append(Problem(N_("\"{name}\" is too large: files can be at most {size}."),
                                    {"name": shown, "size": human_size(limits.max_file_bytes)}, where="files"))
            continue
        content_type, extension, problem = filetypes.check_file(upload.name, data[:filetypes.SNIFF_BYTES],
                                                                 allowed=policy.file_types)
        if problem:
            problems.append(problem)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if any(item.sha256 == digest for item in prepared):
            problems.append(Problem(N_("\"{name}\" is the same file as another one you chose."), {"name": shown}, where="files"))
            continue
        prepared.append(_Prepared(shown, content_type, extension, data, digest))
    if sum(len(item.data) for item in prepared) > limits.max_total_bytes:
        # The proxy would have cut such a request off; one sent past it (or with no proxy) is refused the same way.
        problems.append(Problem(N_("Together the files are too large to send at once: at most {size} in one submission. "
                                   "Attach fewer now and add the others by editing the declaration afterwards."),
                                {"size": human_size(limits.max_total_bytes)}, where="files"))
    return prepared


def human_size(size):
    """A limit for people to read, rounded down (a learner told "3.8 MB" must not be refused at 3.78)."""
    mib = 1024 * 1024
    if size >= mib:
        tenths = size * 10 // mib
        return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10} MB"
    return f"{max(size // 1024, 1)} KB"


def _store_files(declaration, prepared, saved_names):
    storage = evidence_storage()
    for item in prepared:
        file_uuid = uuid.uuid4()
        # A random name: nothing the learner typed reaches a path.
        name = storage.save(f"learning-citizen/evidence/{declaration.uuid}/{file_uuid}{item.extension}", ContentFile(item.data))
        saved_names.append(name)
        EvidenceFile.objects.create(
            uuid=file_uuid, declaration=declaration, storage_name=name, original_name=item.name,
            content_type=item.content_type, size=len(item.data), sha256=item.sha256,
        )


def _delete_stored(names):
    storage = evidence_storage()
    if storage is None:
        if names:
            log.warning("No evidence storage configured: %d evidence file(s) left in place", len(names))
        return
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # pylint: disable=broad-except
            log.exception("Could not delete evidence file %s from storage", name)


# ---------------------------------------------------------------------------------------------
# Learner side

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
        prepared = _prepare_uploads(uploads, policy, limits, problems)
    if clean is not None and not problems:
        if not (prepared or kept_files or clean.links):
            problems.append(Problem(N_("Attach at least one file or give a link as evidence."), where="files"))
        problems += _duplicate_problems(actor, clean, prepared, policy, exclude_id=exclude_id)
    if problems:
        raise InvalidInput(problems)
    return clean, prepared


def _apply(declaration, clean, policy):
    framework = policy.framework
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
            _apply(declaration, clean, place.policy)
            declaration.save()
            _store_files(declaration, prepared, saved)
            ReviewEvent.objects.create(declaration=declaration, actor_id=actor.user_id, action=Action.SUBMIT, status=Status.SUBMITTED)
    except BaseException:
        _delete_stored(saved)
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
            _apply(declaration, clean, place.policy)
            declaration.status, declaration.reason, declaration.revision = Status.SUBMITTED, "", declaration.revision + 1
            declaration.save()
            removed_names = [row.storage_name for row in removing]
            EvidenceFile.objects.filter(pk__in=[row.pk for row in removing]).delete()
            _store_files(declaration, prepared, saved)
            ReviewEvent.objects.create(declaration=declaration, actor_id=actor.user_id, action=Action.EDIT, status=Status.SUBMITTED)
            transaction.on_commit(lambda: _delete_stored(removed_names))
    except BaseException:
        _delete_stored(saved)
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
            _reverse_credit(declaration, reason=f"declaration {declaration.uuid} withdrawn by the learner")
        declaration.status, declaration.revision = Status.WITHDRAWN, declaration.revision + 1
        declaration.save()
        ReviewEvent.objects.create(declaration=declaration, actor_id=actor.user_id, action=Action.WITHDRAW, status=Status.WITHDRAWN)
    return declaration


def my_declarations(actor, place):
    if not actor.known:
        return []
    return list(Declaration.objects.filter(usage_key=place.usage_key, user_id=actor.user_id)
                .prefetch_related("files", "events").order_by("-created_at", "-id"))


# ---------------------------------------------------------------------------------------------
# Reviewer side

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


def declared_points(user_id, framework_id, period, indicators):
    """``{indicator: net points already recorded from declarations}`` (reversals subtracted), one ledger read."""
    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    earned = api.earned_points([user_id], period, framework_id, indicators=indicators, source_kinds=[SOURCE_KIND])[user_id]
    return {code: earned.get(code, Decimal("0")) for code in indicators}


def remaining_caps(declaration, policy):
    """``{indicator: points declarations may still earn this learner this period}``."""
    declared = declared_points(declaration.user_id, declaration.framework_id, declaration.period, declaration.indicators)
    return {code: max(policy.period_cap(code) - declared[code], Decimal("0.00")) for code in declaration.indicators}


def queue(actor, place, *, status="submitted", indicator="", kind="", search=""):
    """The block's declarations for a reviewer, oldest first, filtered."""
    _require_reviewer(actor)
    queryset = Declaration.objects.filter(usage_key=place.usage_key)
    if status and status != "all":
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        from django.db.models import Q  # pylint: disable=import-outside-toplevel
        queryset = queryset.filter(Q(title__icontains=search) | Q(description__icontains=search))
    if indicator:
        queryset = queryset.filter(indicator_codes__contains=f"|{indicator}|")
    return list(queryset.prefetch_related("files", "events").order_by("created_at", "id")[:QUEUE_LIMIT])


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


def _occurred_at(activity_date):
    return timezone.make_aware(datetime.combine(activity_date, time(12, 0)), timezone.get_default_timezone())


def _evidence(declaration):
    items = [{"uri": row.uri, "sha256": row.sha256} for row in declaration.files.all()]
    items += [{"uri": link} for link in declaration.links]
    return items[:20]


def _send_credit(declaration, points, place):
    """One credit event per indicator awarded; the ledger appends each once (idempotency key per declaration and indicator)."""
    framework = place.policy.framework
    keys, hours_given = [], False
    for code in declaration.indicators:
        if points.get(code, 0) <= 0:
            continue
        delivery = give_credit(
            source_kind=SOURCE_KIND, discriminator=str(declaration.uuid), user_id=declaration.user_id,
            framework=framework, indicator=code, points=points[code], provenance="declared",
            assurance="staff-reviewed", occurred_at=_occurred_at(declaration.activity_date),
            # The activity's hours are counted once, on its first indicator: they are not learned twice.
            hours=None if hours_given else declaration.hours,
            course_key=declaration.course_key, usage_key=declaration.usage_key, evidence=_evidence(declaration),
        )
        hours_given = True
        for _receiver, error in delivery.failures:
            raise error  # the approval is not saved: its transaction rolls back
        keys.append(delivery.key)
    return keys


def _reverse_credit(declaration, *, reason):
    for key in declaration.credit_keys:
        withdraw_credit(key, reason=reason)


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
            awarded = clean_points(points, indicators=declaration.indicators, remaining=remaining_caps(declaration, policy))
            declaration.credit_keys = _send_credit(declaration, awarded, place)
            declaration.awarded = {code: f"{value:.2f}" for code, value in awarded.items() if value > 0}
            declaration.status = Status.APPROVED
            event_action = Action.APPROVE
        elif action == "request_changes":
            declaration.status, event_action = Status.CHANGES_REQUESTED, Action.REQUEST_CHANGES
        elif action == "reject":
            declaration.status, event_action = Status.REJECTED, Action.REJECT
        else:
            _reverse_credit(declaration, reason=f"declaration {declaration.uuid} revoked: {reason}"[:500])
            declaration.status, event_action = Status.REVOKED, Action.REVOKE
        declaration.reason, declaration.reviewer_id, declaration.decided_at = reason, actor.user_id, now
        declaration.revision += 1
        declaration.save()
        ReviewEvent.objects.create(declaration=declaration, actor_id=actor.user_id, action=event_action,
                                   status=declaration.status, reason=reason,
                                   points=declaration.awarded if action == "approve" else {})
    return declaration


# ---------------------------------------------------------------------------------------------
# Files, for the owner and reviewers only

def open_file(actor, place, declaration_uuid, file_uuid):
    """``(EvidenceFile, open file)`` if the actor owns the declaration or may review it; 404 otherwise."""
    if not actor.known:
        raise Refused(404, N_("There is no such file."))
    try:
        declaration_key, file_key = uuid.UUID(str(declaration_uuid)), uuid.UUID(str(file_uuid))
    except ValueError:
        raise Refused(404, N_("There is no such file.")) from None
    row = (EvidenceFile.objects.select_related("declaration")
           .filter(uuid=file_key, declaration__uuid=declaration_key, declaration__usage_key=place.usage_key).first())
    if row is None or (row.declaration.user_id != actor.user_id and not actor.can_review()):
        raise Refused(404, N_("There is no such file."))
    storage = evidence_storage()
    if storage is None:
        raise Refused(503, N_("Evidence files cannot be opened until an administrator sets up private storage for evidence."))
    return row, storage.open(row.storage_name, "rb")
