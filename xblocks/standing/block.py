"""
The ``learning-citizen-standing`` XBlock: where a learner stands against the Learning Citizen
criteria, period by period, with every credit behind the figures, and their credential.

Everything is read from the ledger (:mod:`xblocks.ledger.api`) on the server; the browser only
asks for another period, or (staff) another learner, and every such request is checked here.
"""
import uuid

from django.utils import timezone
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Scope, String
from xblock.utils.resources import ResourceLoader

from xblocks.common.handlers import JsonHandlerMixin, json_handler, obj, text
from xblocks.common.mixins import READ_ONLY_MESSAGE, CurrentUserMixin, TranslatorMixin, shipped_language
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.problems import InvalidInput

from .identity import current_viewer
from .presentation import panel_context

loader = ResourceLoader(__name__)
DEFAULT_FRAMEWORK = "learning-citizen-2021-2030"
# What the page asks for: another period, or (staff) another learner by name, e-mail or id.
STANDING_BODY = obj({"period": text(20), "learner": text(150)})


def _(text):  # pylint: disable=invalid-name
    """Marks class-level strings for extraction; they are translated when shown."""
    return text


@XBlock.wants("user", "i18n")
class StandingBlock(JsonHandlerMixin, TranslatorMixin, CurrentUserMixin, XBlock):
    """A learner's standing: points per indicator, the total, what is short, the credit behind it."""

    display_name = String(display_name=_("Display name"), default=_("My Learning Citizen standing"), scope=Scope.settings)
    framework_id = String(display_name=_("Criteria framework"), default=DEFAULT_FRAMEWORK, scope=Scope.settings,
                          help=_("The id of the criteria framework whose standing this block shows."))

    completion_mode = XBlockCompletionMode.EXCLUDED  # a page to read, not content to complete
    has_author_view = True

    # -- helpers -------------------------------------------------------------------------------

    def _dom_id(self):
        return "lc-standing-" + uuid.uuid5(uuid.NAMESPACE_URL, str(self.scope_ids.usage_id)).hex[:12]

    def framework(self):
        return get_framework(self.framework_id or DEFAULT_FRAMEWORK)

    def periods(self, framework, user_id):
        """Periods with credit for the learner, and the current one, newest first."""
        from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
        found = set(api.entries(user_id=user_id, framework_id=framework.id).values_list("period", flat=True).distinct())
        found.add(framework.period_of(timezone.localtime()))
        return sorted(found, reverse=True)

    def render_panel(self, viewer, learner_id, period=None, learner_param=""):
        from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
        framework = self.framework()
        periods = self.periods(framework, learner_id)
        period = period if period in periods else periods[0]
        standing = api.standing(learner_id, period, framework.id)
        entries = list(api.entries(user_id=learner_id, period=period, framework_id=framework.id))
        own = learner_id == viewer.user_id
        translate = self._
        if own:
            heading = translate("Your standing in {period}").format(period=period)
            learner_label = viewer.name
        else:
            heading = translate("Standing of learner {learner} in {period}").format(learner=learner_param or learner_id, period=period)
            learner_label = str(learner_param or learner_id)
        credential_url = self.runtime.handler_url(self, "credential", query=f"period={period}")
        context = panel_context(
            translate, framework=framework, standing=standing, entries=entries, periods=periods,
            viewer_is_learner=own, learner_label=learner_label, credential_url=credential_url, dom_id=self._dom_id(),
            ngettext=self.ngettext, learner_id=learner_id)
        context.update({
            "heading": heading,
            "learner_param": "" if own else learner_param,
        })
        context["labels"].update({"period": translate("Assessment period"), "show": translate("Show")})
        return loader.render_django_template("templates/panel.html", context)

    # -- views ---------------------------------------------------------------------------------

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        viewer = current_viewer(self)
        translate = self._
        panel_html = self.render_panel(viewer, viewer.user_id) if viewer.known else ""
        html = loader.render_django_template("templates/student_view.html", {
            "dom_id": self._dom_id(),
            "title": translate(self.display_name),
            "known": viewer.known,
            "staff": viewer.may_look_up,
            "sign_in": translate("Sign in to see your Learning Citizen standing."),
            "panel_html": panel_html,
            "labels": {
                "lookup_heading": translate("Staff: look up a learner"),
                "learner": translate("Learner"),
                "learner_hint": translate("A user id or a username."),
                "look_up": translate("Look up"),
                "mine": translate("My own standing"),
            },
        })
        fragment = Fragment(html)
        fragment.add_css(loader.load_unicode("static/css/standing.css"))
        fragment.add_javascript(loader.load_unicode("static/js/standing.js"))
        fragment.initialize_js("LearningCitizenStandingBlock", {
            "loading": translate("Loading…"),
            "loaded": translate("Standing updated."),
            "failed": translate("The standing could not be loaded just now. Please try again."),
        })
        return fragment

    def author_view(self, context=None):  # pylint: disable=unused-argument
        translate = self._
        html = loader.render_django_template("templates/author_view.html", {
            "title": translate(self.display_name),
            "description": translate("Learners see their own standing here: points per indicator, the total against the "
                                     "threshold, the credit behind it, and their credential once recognised."),
        })
        fragment = Fragment(html)
        fragment.add_css(loader.load_unicode("static/css/standing.css"))
        return fragment

    # -- handlers ------------------------------------------------------------------------------

    @json_handler(STANDING_BODY)
    def standing(self, data, suffix=""):  # pylint: disable=unused-argument
        """The panel for ``{"period": ..., "learner": ...}``; ``learner`` (someone else) is for staff only."""
        viewer = current_viewer(self)
        if not viewer.known:
            raise JsonHandlerError(403, self._("Sign in to see your Learning Citizen standing."))
        learner_param = data.get("learner", "").strip()
        learner_id = viewer.user_id
        if learner_param:
            if not viewer.may_look_up:
                raise JsonHandlerError(403, self._("You may only see your own standing."))
            learner_id = viewer.resolve(learner_param)
            if learner_id is None or not viewer.may_view(learner_id):
                # Course staff get one answer for "not enrolled here" and "no such user": it reveals neither.
                if viewer.sees_everyone:
                    raise JsonHandlerError(404, self._("There is no learner {learner}.").format(learner=learner_param))
                raise JsonHandlerError(404, self._("There is no learner {learner} in this course.").format(learner=learner_param))
        if not viewer.may_view(learner_id):
            raise JsonHandlerError(403, self._("You may only see your own standing."))
        period = data.get("period") or None
        return {"html": self.render_panel(viewer, learner_id, period, learner_param if learner_id != viewer.user_id else "")}

    @XBlock.handler
    def credential(self, request, suffix=""):  # pylint: disable=unused-argument
        """The learner's own Open Badges 3.0 credential for ``?period=``, as a file to keep."""
        from xblocks.credentials.credentials import NotRecognised, issue  # pylint: disable=import-outside-toplevel
        viewer = current_viewer(self)
        if request.method != "GET":
            return Response(status=405, allow="GET")
        if not viewer.known:
            return self._text_response(403, self._("Sign in to see your Learning Citizen standing."))
        if viewer.read_only:  # issuing signs and records a credential in the learner's name
            return self._text_response(403, self._(READ_ONLY_MESSAGE))
        framework = self.framework()
        period = request.GET.get("period") or framework.period_of(timezone.localtime())
        if framework.period_problem(period):
            return self._text_response(400, self._("That is not an assessment period."))
        try:
            issued = issue(viewer.user_id, period, framework_id=framework.id, subject_name=viewer.name, language=shipped_language())
        except NotRecognised:
            return self._text_response(409, self._("You are not recognised for {period}, so there is no credential to download.").format(period=period))
        except InvalidInput:
            return self._text_response(503, self._("Credentials cannot be issued on this site yet: no signing key is configured."))
        response = Response(body=issued.token.encode("ascii"), content_type="application/vc+jwt", charset=None)
        response.headers["Content-Disposition"] = f'attachment; filename="learning-citizen-{period}.jwt"'
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _text_response(status, text):
        return Response(body=text.encode("utf-8"), status=status, content_type="text/plain", charset="utf-8")

    # -- workbench -----------------------------------------------------------------------------

    @staticmethod
    def workbench_scenarios():
        return loader.load_scenarios_from_path("scenarios")
