"""
The workbench's answer when Django refuses a handler request before any block sees it: too many
form fields (``DATA_UPLOAD_MAX_NUMBER_FIELDS``) or files, or a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE``. Django raises these while reading ``request.POST`` (the CSRF check
reads it first) and answers with an HTML page (the debug page, as the workbench runs with DEBUG);
the block's JavaScript expects JSON in the block's own shape, in the reader's language. This
middleware, placed before the CSRF check, reads the form of handler requests first and answers
such refusals itself.

In the LMS the platform answers such requests itself, before the block (docs/admin-guide.md).
"""
import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from xblock.core import XBlock

from xblocks.common.handlers import JsonHandlerMixin
from xblocks.common.mixins import suite_translator
from xblocks.criteria.problems import N_

# /handler/<usage id>/<handler>/... and /unauth_handler/...; a workbench usage id is <scenario>.<block type>.d<n>.u<n>.
HANDLER_PATH = re.compile(r"^/(?:unauth_)?handler/(?P<usage_id>[^/]+)/")
TOO_MANY_VALUES = N_("The request holds too many fields or files.")
TOO_LARGE = N_("The request is too large.")


def _block_class(usage_id):
    parts = usage_id.split(".")
    try:
        return XBlock.load_class(parts[-3]) if len(parts) >= 4 else None
    except Exception:  # pylint: disable=broad-except  # PluginMissingError: any unknown tag
        return None


class HandlerBodyLimitsMiddleware:
    """Handler requests whose form Django refuses get the block's JSON refusal, not Django's HTML page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = HANDLER_PATH.match(request.path_info)
        if match is not None and request.method == "POST":
            try:
                request.POST  # pylint: disable=pointless-statement  # Django parses (and refuses) the body here
            except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as error:
                return refusal(match["usage_id"], error)
        return self.get_response(request)


def refusal(usage_id, exception):
    """The block's own JSON refusal, in the reader's language."""
    block_class = _block_class(usage_id) or JsonHandlerMixin
    translator = suite_translator()
    message = translator.gettext(TOO_LARGE if isinstance(exception, RequestDataTooBig) else TOO_MANY_VALUES)
    json_error = getattr(block_class, "json_error", JsonHandlerMixin.json_error)
    response = json_error(413, message)
    return HttpResponse(response.body, status=response.status_code, content_type=response.content_type + "; charset=utf-8")
