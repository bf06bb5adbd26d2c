"""
One way every JSON handler of the suite reads its request body: bounded, strictly typed, and
refused with a translated 4xx in the block's own JSON shape, never a server error.

:func:`read_json_body` parses a body within limits (size, nesting depth; no ``NaN``/``Infinity``,
no number too large for a float, no duplicate keys) and checks it against a JSON Schema
(jsonschema, Draft 2020-12) whose types are strict: a list where a string belongs is refused, not
stored as ``"['a']"``. Dates use the ``iso-date`` keyword: ``YYYY-MM-DD`` only (Python 3.11's
``date.fromisoformat`` also reads week dates such as ``2026-W05``, which no form sends).

:func:`json_handler` is the decorator the blocks use instead of ``XBlock.json_handler`` (whose
parsing lets a deeply nested body raise ``RecursionError`` and accepts ``NaN``). A block answers
refusals in its own shape through :meth:`JsonHandlerMixin.json_error`: ``{"error": message}`` as
``XBlock.json_handler`` does, unless the block overrides it (the evidence block adds ``problems``).

:class:`StudioEditsMixin` guards ``submit_studio_edits`` (Studio's editor, but reachable by anyone
who can post to the block's handler URL): only people who may edit the course, and only the
editor's exact shape.
"""
import functools
import json
import math
import re
from datetime import date

from jsonschema import Draft202012Validator
from jsonschema.validators import extend
from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from xblocks import compat
from xblocks.criteria.problems import N_

# A handler body is a few small fields; the largest the suite's pages send is an assessment's
# answers (a few kB). Anything far beyond is not a browser talking to the block.
MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 6

READ_ERROR = N_("The request could not be read.")
TOO_LARGE = N_("The request is too large: at most {size} kB.")
TOO_DEEP = N_("The request is nested too deeply.")
NOT_A_NUMBER = N_("The request holds a number that is not finite (NaN or Infinity) or too large.")
DUPLICATE_KEY = N_("The request names a field twice.")
WRONG_METHOD = N_("Send this request with POST.")
WRONG_SHAPE = N_("The request is not in the expected form: {field}.")
NOT_AN_OBJECT = N_("The request must be a JSON object.")
UNKNOWN_FIELDS = N_("The request has fields this page does not send: {fields}.")
NOT_EDITOR = N_("Only the course team can change this component's settings.")

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def is_iso_date(text):
    """``YYYY-MM-DD`` and a real day; not ``2026-W05``, ``20260315`` or ``2026-02-30``."""
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _iso_date_keyword(validator, wanted, instance, schema):  # pylint: disable=unused-argument
    if wanted and isinstance(instance, str) and not is_iso_date(instance):
        from jsonschema.exceptions import ValidationError  # pylint: disable=import-outside-toplevel
        yield ValidationError(f"{instance!r} is not a YYYY-MM-DD date")


StrictValidator = extend(Draft202012Validator, {"iso-date": _iso_date_keyword})


class BadRequest(Exception):
    """A body refused before the handler runs: an HTTP status and a message template (translated later)."""

    def __init__(self, status, message, **params):
        super().__init__(message)
        self.status = status
        self.message = message
        self.params = params

    def sentence(self, gettext):
        return gettext(self.message).format(**self.params)


def _depth_of(text, limit):
    """Refuse nesting deeper than ``limit`` before ``json`` recurses into it (outside strings only)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise BadRequest(400, TOO_DEEP)
        elif char in "]}":
            depth -= 1


def _no_constant(_name):
    raise BadRequest(400, NOT_A_NUMBER)


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise BadRequest(400, NOT_A_NUMBER)
    return value


def _unique_keys(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise BadRequest(400, DUPLICATE_KEY)
    return dict(pairs)


def parse_json(raw, *, max_bytes=MAX_BODY_BYTES, max_depth=MAX_DEPTH):
    """The JSON document in ``raw`` (bytes), or raise :class:`BadRequest`; an empty body reads as ``{}``."""
    if len(raw) > max_bytes:
        raise BadRequest(413, TOO_LARGE, size=max_bytes // 1024)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, READ_ERROR) from None
    if not text.strip():
        return {}
    _depth_of(text, max_depth)
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError):  # JSONDecodeError; an integer beyond Python's digit limit
        raise BadRequest(400, READ_ERROR) from None


def check_schema(data, schema, where=""):
    """Raise :class:`BadRequest` naming the first field that does not fit ``schema`` (``where``: the value's own path)."""
    if schema.get("type") == "object" and not isinstance(data, dict):
        raise BadRequest(400, NOT_AN_OBJECT)
    if isinstance(data, dict) and schema.get("additionalProperties") is False:
        unknown = sorted(str(key) for key in data if key not in schema.get("properties", {}))
        if unknown:
            raise BadRequest(400, UNKNOWN_FIELDS, fields=", ".join(name[:40] for name in unknown[:5]))
    error = next(iter(sorted(StrictValidator(schema).iter_errors(data), key=lambda e: list(map(str, e.path)))), None)
    if error is not None:
        path = "/".join(part for part in (where, "/".join(str(part) for part in error.absolute_path)) if part)
        raise BadRequest(400, WRONG_SHAPE, field=(path or "body")[:80])


def read_json_body(request, schema, *, max_bytes=MAX_BODY_BYTES, max_depth=MAX_DEPTH):
    """A POST request's body, parsed within limits and checked against ``schema``; or raise :class:`BadRequest`."""
    if request.method != "POST":
        raise BadRequest(405, WRONG_METHOD)
    length = request.content_length
    if length is not None and length > max_bytes:
        raise BadRequest(413, TOO_LARGE, size=max_bytes // 1024)
    data = parse_json(request.body, max_bytes=max_bytes, max_depth=max_depth)
    check_schema(data, schema)
    return data


def obj(properties=None, *, required=()):
    """An object schema: only these fields, each with its own type."""
    return {"type": "object", "properties": dict(properties or {}), "required": list(required),
            "additionalProperties": False}


def text(max_length=200):
    """A string of at most ``max_length`` characters, without NUL (which PostgreSQL cannot store or compare)."""
    return {"type": "string", "maxLength": max_length, "pattern": "^[^\\x00]*$"}


EMPTY = obj()


class JsonHandlerMixin:
    """``json_error``: a refusal in the block's JSON shape (``{"error": message}``, as ``XBlock.json_handler``)."""

    @staticmethod
    def json_error(status, message, problems=()):  # pylint: disable=unused-argument
        """Static: the workbench's answer to a request Django refuses before any block sees it uses it too."""
        return JsonHandlerError(status, message).get_response(**({"allow": "POST"} if status == 405 else {}))

    def refusal(self, error):
        return self.json_error(error.status, error.sentence(self.translator.gettext))


def json_handler(schema, *, max_bytes=MAX_BODY_BYTES, max_depth=MAX_DEPTH):
    """
    ``XBlock.json_handler`` with a bounded parser and a strict schema: the handler gets a body that
    fits ``schema``; anything else is answered with the block's :meth:`~JsonHandlerMixin.json_error`.
    """
    def decorate(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):
            try:
                data = read_json_body(request, schema, max_bytes=max_bytes, max_depth=max_depth)
            except BadRequest as error:
                return self.refusal(error)
            try:
                result = func(self, data, suffix)
            except JsonHandlerError as error:
                return error.get_response()
            if isinstance(result, Response):
                return result
            return Response(json.dumps(result), content_type="application/json", charset="utf-8")
        wrapper.request_schema = schema
        return wrapper
    return decorate


# Studio's editor sends {"values": {field: value}, "defaults": [field, ...]} (xblock.utils.studio_editable).
STUDIO_EDITS = obj({
    "values": {"type": "object", "maxProperties": 50},
    "defaults": {"type": "array", "items": text(100), "maxItems": 50},
}, required=("values", "defaults"))


class StudioEditsMixin:
    """
    ``submit_studio_edits`` for the course team only, with the editor's exact shape. In Studio the
    platform already checks write access before calling the block; the LMS calls any handler for
    any learner, so the block asks again (:func:`xblocks.compat.may_edit_course`; outside the
    platform, the workbench's course staff).
    """

    def _may_edit(self):
        usage_id = getattr(getattr(self, "scope_ids", None), "usage_id", None)
        course_key = getattr(usage_id, "context_key", None) or getattr(usage_id, "course_key", None)
        allowed = compat.may_edit_course(course_key)
        if allowed is None:
            user = self.current_user()
            allowed = user.staff and not user.in_lms
        return allowed

    def _editor_refusal(self, error):
        """In the shape Studio's editor reads (``{"error": ...}``), whatever shape the block's own handlers use."""
        return JsonHandlerError(error.status, error.sentence(self.translator.gettext)).get_response()

    @XBlock.handler
    def submit_studio_edits(self, request, suffix=""):
        """Studio's editor saves the settings: the course team only, the editor's shape only."""
        if request.method != "POST":
            return self._editor_refusal(BadRequest(405, WRONG_METHOD))
        if not self._may_edit():
            return self._editor_refusal(BadRequest(403, NOT_EDITOR))
        try:
            data = read_json_body(request, STUDIO_EDITS)
            unknown = sorted(set(data["values"]) - set(self.editable_fields))
            if unknown:
                raise BadRequest(400, UNKNOWN_FIELDS, fields=", ".join(name[:40] for name in unknown[:5]))
            for name, value in data["values"].items():
                self._check_studio_value(name, value)
        except BadRequest as error:
            return self._editor_refusal(error)
        # The mixin's own handler, on a body now known to be the editor's shape.
        return super().submit_studio_edits(request, suffix)  # pylint: disable=no-member

    def _check_studio_value(self, name, value):
        """Each value of the type its field stores: a number for a number, a list of plain values for a list, ..."""
        check_schema(value, _studio_value_schema(self.fields[name]), where=f"values/{name}")


def _studio_value_schema(field):
    """The JSON Schema of what Studio's editor sends for ``field`` (its ``studio_edit.js`` casts each type)."""
    from xblock.fields import Boolean, Float, Integer, List, String  # pylint: disable=import-outside-toplevel
    scalar = {"type": ["string", "number", "boolean"], "maxLength": 1000}
    if isinstance(field, Boolean):
        return {"type": "boolean"}
    if isinstance(field, Integer):
        return {"type": "integer", "minimum": -(10 ** 9), "maximum": 10 ** 9}
    if isinstance(field, Float):
        return {"type": "number", "minimum": -(10 ** 9), "maximum": 10 ** 9}
    if isinstance(field, String):
        return {"type": "string", "maxLength": 200_000}
    if isinstance(field, List):
        return {"type": "array", "items": scalar, "maxItems": 200}
    return {"not": {}}  # no editable field of the suite has another type
