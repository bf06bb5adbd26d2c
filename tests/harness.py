"""
The one harness for blocks and their handlers: real blocks on the XBlock SDK's workbench runtime,
and handlers called the way a runtime calls them (webob requests through ``runtime.handle``),
never by calling a block's Python methods around them. Each block's tests build their own
shortcuts (conftest.py) on these.
"""
import itertools
import json

import webob
from webob.multidict import MultiDict

_SCENARIOS = itertools.count(1)
LEARNER = "101"


def _runtime(user=None):
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    return WorkbenchRuntime(user)


def load(olx, scenario=None, *, prefix="test", user=None):
    """Parse ``olx`` into the workbench's store under a scenario of its own; returns the root usage id."""
    runtime = _runtime(user)
    runtime.id_generator.set_scenario(scenario or f"{prefix}-{next(_SCENARIOS)}")
    return runtime.parse_xml_string(olx)


def block_for(usage_id, user=LEARNER):
    """The block ``usage_id`` as ``user`` sees it (a fresh runtime, like each web request)."""
    return _runtime(user).get_block(usage_id)


def block_of_class(block_class, user):
    """A ``block_class`` block on the workbench runtime of the page ``?student=<user>``, stored nowhere (no field is read)."""
    from xblock.fields import ScopeIds  # pylint: disable=import-outside-toplevel
    return _runtime(user).construct_xblock_from_class(block_class, ScopeIds(user, "test-block", "def-1", "usage-1"))


def json_request(payload=None, *, method="POST", raw=None):
    """A request carrying ``payload`` as JSON (or the bytes ``raw``); a GET without a payload has no body."""
    if raw is None:
        raw = b"" if payload is None and method == "GET" else json.dumps(payload if payload is not None else {}).encode()
    return webob.Request.blank("/", method=method, body=raw, content_type="application/json")


def get_request():
    """A plain GET, as a browser sends it for a link."""
    return webob.Request.blank("/", method="GET")


def form_request(fields, files=()):
    """A multipart POST as a browser sends a form: ``fields`` {name: value or list}, ``files`` [(name, bytes)] as ``files``."""
    post = []
    for name, value in fields.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            post.append((name, item))
    for name, content in files:
        post.append(("files", (name, content)))
    if not files:  # a browser sends an empty file part when no file was chosen
        post.append(("files", ("", b"")))
    return webob.Request.blank("/", POST=MultiDict(post))


def handle(block, handler, request, suffix=""):
    """The webob response of ``handler``, called through the block's runtime."""
    return block.runtime.handle(block, handler, request, suffix)


def body_of(response):
    """The response's JSON document; its text when it is not JSON; None when it is empty."""
    if not response.body:
        return None
    try:
        return json.loads(response.body)
    except ValueError:
        return response.body.decode()


def call(block, handler, payload=None, *, method="POST", raw=None):
    """Call ``handler`` with a JSON request; returns (status code, JSON body)."""
    response = handle(block, handler, json_request(payload, method=method, raw=raw))
    return response.status_code, body_of(response)


def render(block, view="student_view", context=None):
    """The HTML of ``view`` as the runtime renders it."""
    return block.runtime.render(block, view, context or {}).body_html()
