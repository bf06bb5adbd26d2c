"""
Completion and scores in the workbench, kept the way the LMS keeps them.

In the LMS a block calls ``runtime.publish(block, "completion", {"completion": 1.0})`` and the
platform records a BlockCompletion row; ``grade`` events become scores in the grades app; blocks
read completions back through the ``completion`` XBlock service. The XBlock SDK workbench only
logs published events and offers no completion service, so nothing would ever be complete.

:func:`install` gives the workbench that behaviour, for real rather than as a test stub:

* ``completion`` and ``grade`` events published through the workbench runtime are recorded
  (per learner and usage) in the workbench's own state table, so "reset state" clears them;
* every workbench runtime gets a ``completion`` service with the methods of the LMS's
  ``completion.services.CompletionService`` that the suite uses, plus :meth:`get_scores`
  (the workbench's stand-in for the grades the LMS reads through ``xblocks.compat``).

It is only ever installed by the workbench settings' own app (:mod:`xblocks.workbench.apps`),
never on import, so an LMS that happens to have xblock-sdk installed is not touched.
"""
import json
import logging
import threading

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

COMPLETION = "completion"
GRADE = "grade"
_SUFFIX = {COMPLETION: "#completion", GRADE: "#grade"}
_TAG = "lc-tracking"
_install_lock = threading.Lock()


def _state_model():
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    return XBlockState


def _scope_id(usage_id, kind):
    return f"{usage_id}{_SUFFIX[kind]}"


def _record(kind, user_id, usage_id, value):
    """Store ``value`` (a JSON-able dict) as the learner's latest ``kind`` record for the usage."""
    model = _state_model()
    usage_id = str(usage_id)
    state = json.dumps({**value, "modified": timezone.now().isoformat()}, sort_keys=True)
    with transaction.atomic():
        row = (model.objects.select_for_update()
               .filter(scope="usage", scope_id=_scope_id(usage_id, kind), user_id=str(user_id), tag=_TAG)
               .order_by("-id").first())
        if row is None:
            model.objects.create(scope="usage", scope_id=_scope_id(usage_id, kind), user_id=str(user_id),
                                 scenario=usage_id.split(".", 1)[0], tag=_TAG, state=state)
        else:
            row.state = state
            row.save(update_fields=["state"])


def _read(kind, user_id, usage_ids):
    """``{usage id string: stored dict}`` for the usages that have a ``kind`` record."""
    wanted = {_scope_id(str(usage_id), kind): str(usage_id) for usage_id in usage_ids}
    found = {}
    rows = (_state_model().objects
            .filter(scope="usage", scope_id__in=list(wanted), user_id=str(user_id), tag=_TAG)
            .order_by("id").values_list("scope_id", "state"))
    for scope_id, state in rows:  # a later row (if two writers raced) wins
        found[wanted[scope_id]] = json.loads(state)
    return found


def record_completion(user_id, usage_id, completion):
    completion = float(completion)
    if not 0.0 <= completion <= 1.0:
        raise ValueError(f"completion must be within [0.0, 1.0], not {completion}")
    _record(COMPLETION, user_id, usage_id, {"completion": completion})


def record_grade(user_id, usage_id, earned, possible):
    _record(GRADE, user_id, usage_id, {"earned": float(earned), "possible": float(possible)})


def completions(user_id, usage_ids):
    """``{usage id string: completion}`` for the usages the learner has any completion for."""
    return {key: value["completion"] for key, value in _read(COMPLETION, user_id, usage_ids).items()}


def scores(user_id, usage_ids):
    """``{usage id string: (earned, possible)}`` for the usages the learner has a score for."""
    return {key: (value["earned"], value["possible"]) for key, value in _read(GRADE, user_id, usage_ids).items()}


def runtime_user(runtime):
    """The learner a workbench runtime serves (from its user service; ``runtime.user_id`` is deprecated)."""
    service = runtime._services.get("user")  # pylint: disable=protected-access
    user = service.get_current_user() if service is not None else None
    return (getattr(user, "opt_attrs", None) or {}).get("xblock-workbench.user_id")


class WorkbenchCompletionService:
    """The ``completion`` service of a workbench runtime (the LMS service's interface, in part)."""

    def __init__(self, runtime):
        self._runtime = runtime

    @property
    def _user_id(self):
        return runtime_user(self._runtime)

    def completion_tracking_enabled(self):
        return self._user_id is not None

    def get_completions(self, candidates):
        """``{candidate: completion}`` for every candidate usage key; 0.0 when never completed."""
        found = completions(self._user_id, candidates) if self._user_id is not None else {}
        return {candidate: found.get(str(candidate), 0.0) for candidate in candidates}

    def submit_completion(self, block_key, completion):
        record_completion(self._user_id, block_key, completion)

    def get_scores(self, candidates):
        """Workbench only: ``{candidate: (earned, possible)}`` for the candidates that were scored."""
        found = scores(self._user_id, candidates) if self._user_id is not None else {}
        return {candidate: found[str(candidate)] for candidate in candidates if str(candidate) in found}


def record_published_event(runtime, block, event_type, event_data):
    """What the LMS's event-publishing service does with ``completion`` and ``grade`` events."""
    user_id = runtime_user(runtime)
    if user_id is None or event_type not in (COMPLETION, GRADE):
        return
    usage_id = block.scope_ids.usage_id
    if event_type == COMPLETION:
        record_completion(user_id, usage_id, event_data["completion"])
    else:
        record_grade(user_id, usage_id, event_data["value"], event_data["max_value"])


def install():
    """Give every workbench runtime completion tracking (idempotent)."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    with _install_lock:
        if getattr(WorkbenchRuntime, "_learning_citizen_tracking", False):
            return
        original_init = WorkbenchRuntime.__init__
        original_publish = WorkbenchRuntime.publish

        def __init__(self, *args, **kwargs):
            original_init(self, *args, **kwargs)
            self._services.setdefault(COMPLETION, WorkbenchCompletionService(self))  # pylint: disable=protected-access

        def publish(self, block, event_type, event_data):
            original_publish(self, block, event_type, event_data)
            record_published_event(self, block, event_type, event_data)

        WorkbenchRuntime.__init__ = __init__
        WorkbenchRuntime.publish = publish
        WorkbenchRuntime._learning_citizen_tracking = True  # pylint: disable=protected-access
        log.info("Workbench completion tracking installed")
