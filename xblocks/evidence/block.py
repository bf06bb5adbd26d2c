"""
The evidence declaration XBlock (``evidence-declaration`` in OLX and Studio's Advanced Module List).

Handlers only parse the request, ask :mod:`xblocks.evidence.identity` who is calling and hand over
to :mod:`xblocks.evidence.declarations`, :mod:`~xblocks.evidence.review` and
:mod:`~xblocks.evidence.files`, which check every permission themselves. Replies are JSON with
messages already in the learner's language; the browser builds the page with text nodes only, so
nothing a learner typed is ever read as HTML.
"""
import json
import logging
from urllib.parse import quote

from django.utils import timezone
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import List, Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import StudioEditableXBlockMixin

from xblocks.common.mixins import READ_ONLY_MESSAGE, CurrentUserMixin, TranslatorMixin
from xblocks.criteria.language import localised
from xblocks.criteria.problems import N_, InvalidInput

from .limits import UPLOADS_OFF
from .policy import DEFAULT_POLICY, KIND_LABELS, available_policies, get_policy, latest_date_anywhere

log = logging.getLogger(__name__)
loader = ResourceLoader(__name__)

STATUS_LABELS = {
    "submitted": N_("Submitted"),
    "changes_requested": N_("Changes requested"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
    "revoked": N_("Revoked"),
}
ACTION_LABELS = {
    "submit": N_("Submitted"),
    "edit": N_("Edited and resubmitted"),
    "withdraw": N_("Withdrawn by the learner"),
    "approve": N_("Approved"),
    "request_changes": N_("Changes requested"),
    "reject": N_("Rejected"),
    "revoke": N_("Approval revoked"),
}
FIELD_LABELS = {
    "indicators": N_("Indicators"),
    "kind": N_("Kind of activity"),
    "title": N_("Name of the activity"),
    "activity_date": N_("Date"),
    "hours": N_("Hours"),
    "description": N_("What you did and learned"),
    "links": N_("Links"),
    "files": N_("Files"),
    "reason": N_("Reason"),
    "points": N_("Points"),
}
# Interface text for the browser, translated on the server (no JavaScript catalogue to keep in step).
UI_STRINGS = {
    "errorSummary": N_("There is a problem"),
    "saved": N_("Your declaration was submitted for review."),
    "updated": N_("Your changes were saved and the declaration is back in the review queue."),
    "withdrawn": N_("The declaration was withdrawn."),
    "confirmWithdraw": N_("Withdraw this declaration? If it was approved, its points are taken back."),
    "edit": N_("Edit"),
    "withdraw": N_("Withdraw"),
    "cancelEdit": N_("Cancel editing"),
    "editing": N_("Editing: {title}"),
    "declareHeading": N_("Declare a learning activity"),
    "submit": N_("Submit for review"),
    "saveChanges": N_("Save and resubmit"),
    "none": N_("You have not declared anything here yet."),
    "queueEmpty": N_("Nothing matches these filters."),
    "status": N_("Status"),
    "reviewerSays": N_("Reviewer's reason"),
    "awarded": N_("Points awarded"),
    "indicator": N_("Indicator {code}"),
    "hoursValue": N_("{hours} hours"),
    "files": N_("Files"),
    "links": N_("Links"),
    "keepFile": N_("Keep {name}"),
    "history": N_("History"),
    "learner": N_("Learner"),
    "approve": N_("Approve"),
    "requestChanges": N_("Request changes"),
    "reject": N_("Reject"),
    "revoke": N_("Revoke approval"),
    "reason": N_("Reason (the learner reads it)"),
    "pointsFor": N_("Points for indicator {code} (at most {maximum})"),
    "decided": N_("Decision recorded: {status}."),
    "ownDeclaration": N_("This is your own declaration: another reviewer must decide on it."),
    "flags": N_("Check before deciding"),
    "loading": N_("Loading…"),
    "networkError": N_("The request could not be completed. Check your connection and try again."),
    "filesNote": N_("Files already attached"),
    "kind": N_("Kind of activity"),
    "date": N_("Date"),
    "description": N_("Description"),
    "open": N_("Open"),
    "sizeKB": N_("{size} KB"),
    "reviewFor": N_("Decide on \"{title}\""),
    "queueCount": N_("{count} declaration(s)"),
    # Checked in the browser before sending, so a request the platform or proxy would cut off is never sent.
    "fileTooLarge": N_("\"{name}\" is too large: files can be at most {size}."),
    "filesTooLarge": N_("Together the files are too large to send at once: at most {size} in one submission. "
                        "Attach fewer now and add the others by editing the declaration afterwards."),
    # The platform or the proxy answered 413 (its own message is English and not about this form).
    "requestTooLarge": N_("The files are too large for this site to receive. Send fewer or smaller files."),
}
# Said to course staff and authors (Studio, the review queue) when uploads are refused for want of storage.
UPLOADS_OFF_FOR_STAFF = N_("File uploads are off until an administrator configures private storage for evidence "
                           "(the \"learning_citizen_evidence\" storage, see the administrator guide). "
                           "Learners can still declare with links.")


def _plain(value):
    text = f"{value}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@XBlock.wants("user", "i18n")
class EvidenceBlock(TranslatorMixin, CurrentUserMixin, StudioEditableXBlockMixin, XBlock):
    """Learners declare learning done elsewhere, with evidence; reviewers turn it into credit."""

    display_name = String(display_name=N_("Display name"), default="Kê khai hoạt động học tập", scope=Scope.settings)
    instructions = String(display_name=N_("Instructions"), default="", scope=Scope.settings, multiline_editor=True,
                          help=N_("Shown above the form, as plain text."))
    policy_id = String(display_name=N_("Evidence policy"), default=DEFAULT_POLICY, scope=Scope.settings,
                       help=N_("Which policy file (fixtures/evidence-policies) sets the caps, limits and duplicate rules."))
    indicators = List(display_name=N_("Indicators offered"), default=[], scope=Scope.settings,
                      help=N_("Codes of the indicators learners may choose here; empty offers them all."))

    editable_fields = ("display_name", "instructions", "policy_id", "indicators")
    # Declaring is optional and reviewed later: it neither completes nor blocks a unit.
    completion_mode = XBlockCompletionMode.EXCLUDED
    has_author_view = True

    # -----------------------------------------------------------------------------------------
    # Helpers

    def _policy(self):
        return get_policy(self.policy_id)

    def _upload_limits(self):
        from .limits import upload_limits  # pylint: disable=import-outside-toplevel
        return upload_limits(self._policy())

    @staticmethod
    def _uploads_enabled():
        from .files import uploads_enabled  # pylint: disable=import-outside-toplevel
        return uploads_enabled()

    def _files_hint(self, policy, limits):
        t = self.translator
        types = ", ".join(filetypes_labels(policy.file_types))
        if limits.clamped_total:
            return t.gettext(N_("{types}; at most {count} files of up to {size} each, {total} in all per submission.")).format(
                types=types, count=limits.max_files, size=_size(limits.max_file_bytes), total=_size(limits.max_total_bytes))
        return t.gettext(N_("{types}; at most {count} files of up to {size} each.")).format(
            types=types, count=limits.max_files, size=_size(limits.max_file_bytes))

    def _place(self):
        from .access import Place  # pylint: disable=import-outside-toplevel
        policy = self._policy()
        codes = [indicator.code for indicator in policy.framework.indicators]
        offered = tuple(code for code in codes if not self.indicators or code in [str(item) for item in self.indicators])
        context_key = getattr(self.scope_ids.usage_id, "context_key", None)
        return Place(course_key=str(context_key) if context_key else "", usage_key=str(self.scope_ids.usage_id),
                     policy=policy, offered_indicators=offered)

    def _actor(self):
        from .identity import current_actor  # pylint: disable=import-outside-toplevel
        return current_actor(self)

    def _problems(self, error):
        t = self.translator
        return [{"field": problem.where or "", "message": t.sentence(problem, {"status": STATUS_LABELS})}
                for problem in error.problems]

    def _error(self, status, message, problems=()):
        body = {"message": message, "problems": list(problems)}
        return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")

    def _json(self, body, status=200):
        return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")

    def _call(self, function, *args, **kwargs):
        """Run a call into declarations, review or files; its refusals become JSON errors with translated messages."""
        from .access import Refused  # pylint: disable=import-outside-toplevel
        try:
            return function(*args, **kwargs), None
        except InvalidInput as error:
            return None, self._error(400, self.translator.gettext(UI_STRINGS["errorSummary"]), self._problems(error))
        except Refused as error:
            return None, self._error(error.status, self.translator.sentence(error.problem, {"status": STATUS_LABELS}))

    def _writing_actor(self):
        """(the actor, None), or (None, a refusal) when the view is read-only (staff viewing as a learner, Studio)."""
        actor = self._actor()
        if actor.read_only:
            return None, self._error(403, self.translator.gettext(READ_ONLY_MESSAGE))
        return actor, None

    def _read_json(self, request):
        """The JSON object a POST handler received, or (None, an error response)."""
        if request.method != "POST":
            return None, self._error(405, "POST")
        try:
            data = json.loads(request.body.decode("utf-8") or "{}")
        except (ValueError, UnicodeDecodeError):
            return None, self._error(400, self.translator.gettext(N_("The request could not be read.")))
        return (data if isinstance(data, dict) else {}), None

    # -----------------------------------------------------------------------------------------
    # Serialising (plain data; the browser shows it as text)

    def _file_url(self, declaration, row):
        return self.runtime.handler_url(self, "evidence", f"{declaration.uuid}/{row.uuid}")

    def _declaration_data(self, declaration, *, for_reviewer=False, place=None):
        t = self.translator
        data = {
            "id": str(declaration.uuid),
            "revision": declaration.revision,
            "indicators": list(declaration.indicators),
            "kind": declaration.kind,
            "kindLabel": t.gettext(KIND_LABELS.get(declaration.kind, declaration.kind)),
            "title": declaration.title,
            "activityDate": declaration.activity_date.isoformat(),
            "hours": _plain(declaration.hours),
            "description": declaration.description,
            "links": list(declaration.links),
            "status": declaration.status,
            "statusLabel": t.gettext(STATUS_LABELS.get(declaration.status, declaration.status)),
            "reason": declaration.reason,
            "awarded": {code: _plain(value) for code, value in declaration.awarded.items()},
            "editable": declaration.editable,
            "withdrawable": declaration.status in (*declaration.EDITABLE, "approved"),
            "files": [{"id": str(row.uuid), "name": row.original_name, "type": row.content_type, "size": row.size,
                       "sha256": row.sha256, "url": self._file_url(declaration, row)} for row in declaration.files.all()],
            "history": [{"action": event.action, "label": t.gettext(ACTION_LABELS.get(event.action, event.action)),
                         "reason": event.reason, "at": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")}
                        for event in declaration.events.all()],
        }
        if for_reviewer:
            from .credit import remaining_caps  # pylint: disable=import-outside-toplevel
            from .review import duplicate_flags  # pylint: disable=import-outside-toplevel
            data["learner"] = {"id": declaration.user_id}
            data["remaining"] = {code: _plain(value) for code, value in remaining_caps(declaration, place.policy).items()}
            data["flags"] = [t.sentence(flag) for flag in duplicate_flags(declaration, place.policy)]
        return data

    def _config(self, place, actor):
        t = self.translator
        policy = place.policy
        framework = policy.framework
        limits = self._upload_limits()
        return {
            "indicators": [{"code": indicator.code, "title": localised(indicator.title, t.language)}
                           for indicator in framework.indicators if indicator.code in place.offered_indicators],
            "kinds": [{"value": kind, "label": t.gettext(KIND_LABELS[kind])} for kind in policy.kinds],
            "statuses": [{"value": key, "label": t.gettext(label)} for key, label in STATUS_LABELS.items()],
            "maxDate": latest_date_anywhere().isoformat(),
            "maxFiles": limits.max_files,
            "maxFileBytes": limits.max_file_bytes,
            "maxTotalBytes": limits.max_total_bytes,
            "maxFileSize": _size(limits.max_file_bytes),
            "maxTotalSize": _size(limits.max_total_bytes),
            "uploads": self._uploads_enabled(),
            "maxLinks": policy.max_links,
            "accept": ",".join(sorted({ext for mime in policy.file_types for ext in _extensions(mime)} | set(policy.file_types))),
            "reviewer": actor.can_review(),
            "signedIn": actor.known,
            "strings": {key: t.gettext(value) for key, value in UI_STRINGS.items()},
            "fieldLabels": {key: t.gettext(value) for key, value in FIELD_LABELS.items()},
        }

    # -----------------------------------------------------------------------------------------
    # Views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        t = self.translator
        place = self._place()
        actor = self._actor()
        config = self._config(place, actor)
        policy = place.policy
        prefix = "lc-ev-" + "".join(ch if ch.isalnum() else "-" for ch in str(self.scope_ids.usage_id))[-60:]
        html = loader.render_django_template("templates/evidence.html", {
            "prefix": prefix,
            "language": t.language,
            "display_name": self.display_name,
            "instructions": self.instructions,
            "config": config,
            "text": {key: t.gettext(value) for key, value in TEMPLATE_STRINGS.items()},
            "files_hint": self._files_hint(policy, self._upload_limits()),
            "uploads_off": t.gettext(UPLOADS_OFF),
            "uploads_off_for_staff": t.gettext(UPLOADS_OFF_FOR_STAFF),
            "links_hint": t.gettext(N_("One web address per line, at most {count}.")).format(count=policy.max_links),
            "hours_hint": t.gettext(N_("For example 2 or 1.5. Use 0 if hours do not apply.")),
        })
        fragment = Fragment(html)
        fragment.add_css(loader.load_unicode("static/css/evidence.css"))
        fragment.add_javascript(loader.load_unicode("static/js/evidence.js"))
        fragment.initialize_js("LearningCitizenEvidence", {"prefix": prefix, **config})
        return fragment

    def author_view(self, context=None):  # pylint: disable=unused-argument
        t = self.translator
        policy = self._policy()
        text = t.gettext(N_("Learners declare activities here for review (policy {policy}, indicators: {indicators})."))
        codes = ", ".join(self._place().offered_indicators)
        uploads = self._uploads_enabled()
        limits = self._upload_limits()
        files = t.gettext(N_("Files: at most {count}, up to {size} each and {total} per submission "
                             "(the policy's limits within this site's upload limits).")).format(
            count=limits.max_files, size=_size(limits.max_file_bytes), total=_size(limits.max_total_bytes))
        fragment = Fragment()
        fragment.add_content(loader.render_django_template("templates/author.html", {
            "display_name": self.display_name, "summary": text.format(policy=policy.id, indicators=codes),
            "files": files if uploads else "", "uploads_off": "" if uploads else t.gettext(UPLOADS_OFF_FOR_STAFF)}))
        return fragment

    def validate_field_data(self, validation, data):
        from xblock.validation import ValidationMessage  # pylint: disable=import-outside-toplevel
        t = self.translator
        if data.policy_id not in available_policies():
            validation.add(ValidationMessage(ValidationMessage.ERROR, t.gettext(N_("Unknown evidence policy \"{policy}\".")).format(policy=data.policy_id)))
            return
        framework = get_policy(data.policy_id).framework
        unknown = [str(code) for code in data.indicators if framework.indicator(str(code)) is None]
        if unknown:
            validation.add(ValidationMessage(ValidationMessage.ERROR, t.gettext(N_("Unknown indicators: {codes}.")).format(codes=", ".join(unknown))))

    # -----------------------------------------------------------------------------------------
    # Learner handlers

    @XBlock.handler
    def state(self, request, suffix=""):  # pylint: disable=unused-argument
        """The current learner's declarations in this block (nobody else's)."""
        from .declarations import my_declarations  # pylint: disable=import-outside-toplevel
        _, failure = self._read_json(request)
        if failure is not None:
            return failure
        place, actor = self._place(), self._actor()
        return self._json({"declarations": [self._declaration_data(row) for row in my_declarations(actor, place)],
                           "reviewer": actor.can_review()})

    @staticmethod
    def _form(request):
        post = request.POST
        raw = {
            "indicators": post.getall("indicators"),
            "kind": post.get("kind", ""),
            "title": post.get("title", ""),
            "activity_date": post.get("activity_date", ""),
            "hours": post.get("hours", ""),
            "description": post.get("description", ""),
            "links": post.get("links", ""),
        }
        from .files import Upload  # pylint: disable=import-outside-toplevel
        uploads = []
        for item in post.getall("files"):
            stream = getattr(item, "file", None)
            if stream is None or not getattr(item, "filename", ""):
                continue  # an empty file input sends an empty part
            uploads.append(Upload(item.filename, stream))
        return raw, uploads, post.getall("remove_files")

    @XBlock.handler
    def declare(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST multipart/form-data: a new declaration with its files."""
        from .declarations import declare  # pylint: disable=import-outside-toplevel
        if request.method != "POST":
            return self._error(405, "POST")
        actor, failure = self._writing_actor()
        if failure is not None:
            return failure
        raw, uploads, _ = self._form(request)
        declaration, failure = self._call(declare, actor, self._place(), raw, uploads)
        return failure or self._json({"declaration": self._declaration_data(declaration)}, status=201)

    @XBlock.handler
    def update(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST multipart/form-data: change a declaration (``declaration`` = its id; ``remove_files`` = file ids to drop)."""
        from .declarations import edit  # pylint: disable=import-outside-toplevel
        if request.method != "POST":
            return self._error(405, "POST")
        actor, failure = self._writing_actor()
        if failure is not None:
            return failure
        raw, uploads, remove = self._form(request)
        declaration, failure = self._call(edit, actor, self._place(), request.POST.get("declaration", ""), raw, uploads, remove)
        return failure or self._json({"declaration": self._declaration_data(declaration)})

    @XBlock.handler
    def withdraw(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST JSON ``{"declaration": id}``: the learner withdraws their own declaration."""
        from .declarations import withdraw  # pylint: disable=import-outside-toplevel
        data, failure = self._read_json(request)
        if failure is None:
            actor, failure = self._writing_actor()
        if failure is None:
            declaration, failure = self._call(withdraw, actor, self._place(), str(data.get("declaration", "")))
        return failure or self._json({"declaration": self._declaration_data(declaration)})

    # -----------------------------------------------------------------------------------------
    # Reviewer handlers (xblocks.evidence.review refuses anyone else)

    @XBlock.handler
    def queue(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST JSON filters ``{status, indicator, kind, search}``: the block's declarations, for reviewers only."""
        from .review import queue  # pylint: disable=import-outside-toplevel
        data, failure = self._read_json(request)
        if failure is not None:
            return failure
        place, actor = self._place(), self._actor()
        rows, failure = self._call(queue, actor, place, status=str(data.get("status", "submitted"))[:30],
                                   indicator=str(data.get("indicator", ""))[:20], kind=str(data.get("kind", ""))[:30],
                                   search=str(data.get("search", "")).strip()[:100])
        if failure is not None:
            return failure
        names = _usernames({row.user_id for row in rows})
        items = []
        for row in rows:
            item = self._declaration_data(row, for_reviewer=True, place=place)
            item["learner"]["name"] = names.get(row.user_id, "")
            item["own"] = row.user_id == actor.user_id
            items.append(item)
        return self._json({"declarations": items})

    @XBlock.handler
    def review(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST JSON ``{declaration, action, reason, points: {indicator: points}, revision}``: a reviewer's decision."""
        from .review import review  # pylint: disable=import-outside-toplevel
        data, failure = self._read_json(request)
        if failure is not None:
            return failure
        actor, failure = self._writing_actor()
        if failure is not None:
            return failure
        place = self._place()
        declaration, failure = self._call(review, actor, place, str(data.get("declaration", "")),
                                          action=str(data.get("action", "")), reason=str(data.get("reason", "") or ""),
                                          points=data.get("points"), revision=data.get("revision"))
        if failure is not None:
            return failure
        return self._json({"declaration": self._declaration_data(declaration, for_reviewer=True, place=place),
                           "message": self.translator.gettext(UI_STRINGS["decided"]).format(
                               status=self.translator.gettext(STATUS_LABELS[declaration.status]))})

    @XBlock.handler
    def evidence(self, request, suffix=""):
        """GET ``evidence/<declaration id>/<file id>``: the file, to its owner and to reviewers only."""
        from .files import open_file  # pylint: disable=import-outside-toplevel
        if request.method not in ("GET", "HEAD"):
            return self._error(405, "GET")
        declaration_id, _, file_id = (suffix or "").strip("/").partition("/")
        opened, failure = self._call(open_file, self._actor(), self._place(), declaration_id, file_id)
        if failure is not None:
            return failure
        row, handle = opened
        with handle:
            body = handle.read()
        inline = row.content_type in ("image/jpeg", "image/png", "image/webp", "image/gif")
        response = Response(body=body, content_type=row.content_type)
        response.headers["Content-Disposition"] = (f"{'inline' if inline else 'attachment'}; filename=\"evidence{_ext(row)}\"; "
                                                   f"filename*=UTF-8''{quote(row.original_name, safe='')}")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    # -----------------------------------------------------------------------------------------
    # Workbench

    @staticmethod
    def workbench_scenarios():
        return [
            ("Learning Citizen: evidence declaration and review",
             """<evidence-declaration display_name="Kê khai hoạt động học tập / Declare your learning"
                  instructions="Declare learning you did outside this course. Open this page with ?student=staff to review."/>"""),
        ]


TEMPLATE_STRINGS = {
    "declare_heading": N_("Declare a learning activity"),
    "required": N_("All fields are required except links and files; give at least one file or link."),
    "indicators_legend": N_("Indicators this activity supports"),
    "kind": N_("Kind of activity"),
    "choose": N_("Choose…"),
    "title": N_("Name of the activity"),
    "title_hint": N_("For example: Office IT course at the community learning centre."),
    "activity_date": N_("Date"),
    "hours": N_("Hours"),
    "description": N_("What you did and learned"),
    "files": N_("Files"),
    "links": N_("Links"),
    "submit": N_("Submit for review"),
    "cancel_edit": N_("Cancel editing"),
    "mine_heading": N_("Your declarations"),
    "queue_heading": N_("Review queue"),
    "filter_status": N_("Status"),
    "filter_indicator": N_("Indicator"),
    "filter_kind": N_("Kind"),
    "filter_search": N_("Search names and descriptions"),
    "filter_apply": N_("Show"),
    "all": N_("All"),
    "sign_in": N_("Sign in to declare your learning."),
}


def _extensions(mime):
    from .filetypes import EXTENSIONS  # pylint: disable=import-outside-toplevel
    return EXTENSIONS.get(mime, ())


def _ext(row):
    return _extensions(row.content_type)[0] if _extensions(row.content_type) else ""


def filetypes_labels(types):
    from .filetypes import LABELS  # pylint: disable=import-outside-toplevel
    return [LABELS.get(mime, mime) for mime in types]


def _size(size):
    from .files import human_size  # pylint: disable=import-outside-toplevel
    return human_size(size)


def _usernames(user_ids):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    return dict(get_user_model().objects.filter(pk__in=list(user_ids)).values_list("pk", "username"))
