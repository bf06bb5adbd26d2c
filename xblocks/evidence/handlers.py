"""
The evidence block's handlers: they only parse the request, ask :mod:`xblocks.evidence.identity`
who is calling and hand over to :mod:`xblocks.evidence.declarations` (learners),
:mod:`xblocks.evidence.review` (reviewers) and :mod:`xblocks.evidence.files`, which check every
permission themselves. Replies are JSON with messages already in the caller's language; the
browser builds the page with text nodes only, so nothing a learner typed is ever read as HTML.
"""
import json
from urllib.parse import quote

from django.utils import timezone
from webob import Response
from xblock.core import XBlock

from xblocks.common.handlers import (EMPTY, UNKNOWN_FIELDS, WRONG_METHOD, WRONG_SHAPE, BadRequest, JsonHandlerMixin, obj,
                                     read_json_body, text)
from xblocks.common.mixins import READ_ONLY_MESSAGE
from xblocks.criteria.problems import N_, InvalidInput

from .access import Refused
from .filetypes import EXTENSIONS
from .labels import ACTION_LABELS, STATUS_LABELS, UI_STRINGS
from .policy import KIND_LABELS


# The declaration form (multipart): its text fields, each sent once; how many parts a request may hold.
FORM_TEXT_FIELDS = ("declaration", "kind", "title", "activity_date", "hours", "description", "links")
MAX_FORM_PARTS = 100
TOO_MANY_PARTS = N_("The form holds too many values: at most {maximum}.")

# What each JSON handler accepts: only the fields the block's page sends, each of its own type.
DECLARATION_ID = text(64)
WITHDRAW_BODY = obj({"declaration": DECLARATION_ID}, required=("declaration",))
# Dates are checked, with the other filters, by review.clean_queue_filters (an empty one means no bound).
QUEUE_BODY = obj({"status": text(30), "indicator": text(20), "kind": text(30), "search": text(100),
                  "submitted_from": text(10), "submitted_to": text(10)})
REVIEW_BODY = obj({
    "declaration": DECLARATION_ID,
    "action": text(20),
    "reason": text(20_000),
    "points": {"type": "object", "maxProperties": 50, "propertyNames": {"maxLength": 20},
               "additionalProperties": {"type": ["string", "number"], "maxLength": 20}},
    "revision": {"type": "integer", "minimum": 0, "maximum": 2 ** 31 - 1},
}, required=("declaration", "action"))


class HandlersMixin(JsonHandlerMixin):
    """The JSON and file handlers of :class:`~xblocks.evidence.block.EvidenceBlock`, and what they reply."""

    # -----------------------------------------------------------------------------------------
    # Requests and replies

    def _problems(self, error):
        t = self.translator
        return [{"field": problem.where or "", "message": t.sentence(problem, {"status": STATUS_LABELS})}
                for problem in error.problems]

    @staticmethod
    def _error(status, message, problems=()):
        body = {"message": message, "problems": list(problems)}
        return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")

    json_error = _error  # refusals of the shared JSON parsing, in this block's shape (xblocks.common.handlers)

    def refusal(self, error):
        """A body the shared parsing refused: the message, and the field it names as this block's problem list."""
        message = error.sentence(self.translator.gettext)
        field = error.params.get("field")
        return self._error(error.status, message, [{"field": field, "message": message}] if field else [])

    def _json(self, body, status=200):
        return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")

    def _call(self, function, *args, **kwargs):
        """Run a call into declarations, review or files; its refusals become JSON errors with translated messages."""
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

    def _read_json(self, request, schema):
        """The JSON object a POST handler received, checked against ``schema``; or (None, an error response)."""
        try:
            return read_json_body(request, schema), None
        except BadRequest as error:
            return None, self.refusal(error)

    # -----------------------------------------------------------------------------------------
    # Serialising (plain data; the browser shows it as text)

    def _file_url(self, declaration, row):
        return self.runtime.handler_url(self, "evidence", f"{declaration.uuid}/{row.uuid}")

    def _declaration_data(self, declaration, *, for_reviewer=False, place=None, names=None, points=None):
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
            # What counts: a revoked or withdrawn approval's points were taken back, so none are shown.
            "awarded": ({code: _plain(value) for code, value in declaration.awarded.items()}
                        if declaration.status == declaration.Status.APPROVED else {}),
            "editable": declaration.editable,
            "withdrawable": declaration.status in (*declaration.EDITABLE, "approved"),
            "files": [{"id": str(row.uuid), "name": row.original_name, "type": row.content_type, "size": row.size,
                       "sha256": row.sha256, "url": self._file_url(declaration, row)} for row in declaration.files.all()],
            "history": [{"action": event.action, "label": t.gettext(ACTION_LABELS.get(event.action, event.action)),
                         "reason": event.reason, "at": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")}
                        for event in declaration.events.all()],
        }
        if for_reviewer:
            from .review import duplicate_flags  # pylint: disable=import-outside-toplevel
            key = (declaration.user_id, declaration.period)
            rooms = (points or {}).get(key) or _rooms([declaration], place)[key]
            names = names if names is not None else _learner_names([declaration])
            data["learner"] = {"id": declaration.user_id, "name": names.get(declaration.user_id) or declaration.learner_name}
            # The room left on each declared indicator: the most an approval may award (nothing above it would count).
            data["remaining"] = {code: _plain(rooms[code].room) for code in declaration.indicators if code in rooms}
            # The learner's points per indicator in the declaration's period, as their standing counts them.
            data["points"] = [{"code": room.code, "points": _plain(room.points), "max": _plain(room.max_points),
                               "room": _plain(room.room), "declared": room.code in declaration.indicators}
                              for room in rooms.values()]
            data["period"] = declaration.period
            data["submittedAt"] = timezone.localtime(declaration.created_at).strftime("%Y-%m-%d")
            data["flags"] = [t.sentence(flag) for flag in duplicate_flags(declaration, place.policy)]
        return data

    # -----------------------------------------------------------------------------------------
    # Learner handlers

    @XBlock.handler
    def state(self, request, suffix=""):  # pylint: disable=unused-argument
        """The current learner's declarations in this block (nobody else's)."""
        from .declarations import my_declarations  # pylint: disable=import-outside-toplevel
        _, failure = self._read_json(request, EMPTY)
        if failure is not None:
            return failure
        place, actor = self._place(), self._actor()
        return self._json({"declarations": [self._declaration_data(row) for row in my_declarations(actor, place)],
                           "reviewer": actor.can_review()})

    def _form(self, request):
        """
        The declaration form's values, its files and the files to remove; or raise :class:`BadRequest`.
        Only the form's own fields, each text field once and as text (a file sent as the title is
        refused, not stored as its repr), and no more values than the form can hold.
        """
        post = request.POST
        names = list(post.keys())
        if len(names) > MAX_FORM_PARTS:
            raise BadRequest(413, TOO_MANY_PARTS, maximum=MAX_FORM_PARTS)
        unknown = sorted(set(names) - set(FORM_TEXT_FIELDS) - {"indicators", "files", "remove_files"})
        if unknown:
            raise BadRequest(400, UNKNOWN_FIELDS, fields=", ".join(name[:40] for name in unknown[:5]))
        for name in FORM_TEXT_FIELDS:
            values = post.getall(name)
            if len(values) > 1 or any(not isinstance(value, str) for value in values):
                raise BadRequest(400, WRONG_SHAPE, field=name)
        for name in ("indicators", "remove_files"):
            if any(not isinstance(value, str) or len(value) > 64 for value in post.getall(name)):
                raise BadRequest(400, WRONG_SHAPE, field=name)
        raw = {name: post.get(name, "") for name in FORM_TEXT_FIELDS if name != "declaration"}
        raw["indicators"] = post.getall("indicators")
        from .files import Upload  # pylint: disable=import-outside-toplevel
        uploads = []
        for item in post.getall("files"):
            if isinstance(item, str):
                if item:
                    raise BadRequest(400, WRONG_SHAPE, field="files")
                continue
            stream = getattr(item, "file", None)
            if stream is None or not getattr(item, "filename", ""):
                continue  # an empty file input sends an empty part
            uploads.append(Upload(item.filename, stream))
        return raw, uploads, post.getall("remove_files")

    def _form_or_refusal(self, request):
        try:
            return self._form(request), None
        except BadRequest as error:
            return (None, None, None), self.refusal(error)

    @XBlock.handler
    def declare(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST multipart/form-data: a new declaration with its files."""
        from .declarations import declare  # pylint: disable=import-outside-toplevel
        if request.method != "POST":
            return self.refusal(BadRequest(405, WRONG_METHOD))
        actor, failure = self._writing_actor()
        if failure is not None:
            return failure
        (raw, uploads, _), failure = self._form_or_refusal(request)
        if failure is not None:
            return failure
        declaration, failure = self._call(declare, actor, self._place(), raw, uploads)
        return failure or self._json({"declaration": self._declaration_data(declaration)}, status=201)

    @XBlock.handler
    def update(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST multipart/form-data: change a declaration (``declaration`` = its id; ``remove_files`` = file ids to drop)."""
        from .declarations import edit  # pylint: disable=import-outside-toplevel
        if request.method != "POST":
            return self.refusal(BadRequest(405, WRONG_METHOD))
        actor, failure = self._writing_actor()
        if failure is not None:
            return failure
        (raw, uploads, remove), failure = self._form_or_refusal(request)
        if failure is not None:
            return failure
        declaration, failure = self._call(edit, actor, self._place(), request.POST.get("declaration", ""), raw, uploads, remove)
        return failure or self._json({"declaration": self._declaration_data(declaration)})

    @XBlock.handler
    def withdraw(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST JSON ``{"declaration": id}``: the learner withdraws their own declaration."""
        from .declarations import withdraw  # pylint: disable=import-outside-toplevel
        data, failure = self._read_json(request, WITHDRAW_BODY)
        if failure is None:
            actor, failure = self._writing_actor()
        if failure is None:
            declaration, failure = self._call(withdraw, actor, self._place(), data["declaration"])
        return failure or self._json({"declaration": self._declaration_data(declaration)})

    # -----------------------------------------------------------------------------------------
    # Reviewer handlers (xblocks.evidence.review refuses anyone else)

    @XBlock.handler
    def queue(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST JSON filters ``{status, indicator, kind, search, submitted_from, submitted_to}``: the block's declarations, for reviewers only."""
        from .review import queue_from_request  # pylint: disable=import-outside-toplevel
        data, failure = self._read_json(request, QUEUE_BODY)
        if failure is not None:
            return failure
        place, actor = self._place(), self._actor()
        rows, failure = self._call(queue_from_request, actor, place, data)
        if failure is not None:
            return failure
        names, points = _learner_names(rows), _rooms(rows, place)
        items = []
        for row in rows:
            item = self._declaration_data(row, for_reviewer=True, place=place, names=names, points=points)
            item["own"] = row.user_id == actor.user_id
            items.append(item)
        count = self.translator.ngettext("{count} declaration", "{count} declarations", len(items)).format(count=len(items))
        return self._json({"declarations": items, "count": count})

    @XBlock.handler
    def review(self, request, suffix=""):  # pylint: disable=unused-argument
        """POST JSON ``{declaration, action, reason, points: {indicator: points}, revision}``: a reviewer's decision."""
        from .review import review  # pylint: disable=import-outside-toplevel
        data, failure = self._read_json(request, REVIEW_BODY)
        if failure is not None:
            return failure
        actor, failure = self._writing_actor()
        if failure is not None:
            return failure
        place = self._place()
        declaration, failure = self._call(review, actor, place, data["declaration"], action=data["action"],
                                          reason=data.get("reason", ""), points=data.get("points"),
                                          revision=data.get("revision"))
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
            return self.refusal(BadRequest(405, N_("Open this file with GET.")))
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


def _plain(value):
    """A number as people write it: "1.5", "3" (not "1.50", "3.00")."""
    text = f"{value}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _ext(row):
    extensions = EXTENSIONS.get(row.content_type, ())
    return extensions[0] if extensions else ""


def _learner_names(declarations):
    """``{user_id: name}`` from the site's users (the platform's profile names), else what the user service said at submission."""
    from xblocks import compat  # pylint: disable=import-outside-toplevel
    return compat.learner_names({row.user_id for row in declarations})


def _rooms(declarations, place):
    """``{(user_id, period): {indicator: IndicatorRoom}}`` for each declaration's learner and period (two ledger reads per period)."""
    from .credit import learner_points  # pylint: disable=import-outside-toplevel
    by_period = {}
    for row in declarations:
        by_period.setdefault(row.period, set()).add(row.user_id)
    rooms = {}
    for period, user_ids in by_period.items():
        for user_id, indicators in learner_points(sorted(user_ids), place.policy.framework, period, place.policy).items():
            rooms[(user_id, period)] = indicators
    return rooms
