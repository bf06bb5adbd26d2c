"""
The evidence declaration XBlock (``evidence-declaration`` in OLX and Studio's Advanced Module List).

The block holds its settings and renders its views; its handlers are in
:mod:`xblocks.evidence.handlers`, its interface text in :mod:`xblocks.evidence.labels` and its
workbench scenario in ``scenarios/``.
"""
from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import List, Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import StudioEditableXBlockMixin

from xblocks.common.handlers import StudioEditsMixin
from xblocks.common.mixins import CurrentUserMixin, TranslatorMixin
from xblocks.criteria.language import localised
from xblocks.criteria.problems import N_

from .access import Place
from .filetypes import EXTENSIONS, LABELS
from .handlers import HandlersMixin
from .labels import FIELD_LABELS, STATUS_LABELS, TEMPLATE_STRINGS, UI_STRINGS, UPLOADS_OFF_FOR_STAFF
from .limits import UPLOADS_OFF, upload_limits
from .policy import DEFAULT_POLICY, KIND_LABELS, available_policies, get_policy, latest_date_anywhere

loader = ResourceLoader(__name__)
SCENARIO_TITLE = "Learning Citizen: evidence declaration and review"


DEFAULT_INSTRUCTIONS = N_("Declare learning you did outside your courses: a course taken elsewhere, a certificate, "
                          "reading, a club or a community activity. Add a file or a link as evidence; a reviewer "
                          "checks it before it counts toward your standing.")


@XBlock.wants("user", "i18n")
class EvidenceBlock(HandlersMixin, TranslatorMixin, CurrentUserMixin, StudioEditsMixin, StudioEditableXBlockMixin, XBlock):
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
        policy = self._policy()
        codes = [indicator.code for indicator in policy.framework.indicators]
        offered = tuple(code for code in codes if not self.indicators or code in [str(item) for item in self.indicators])
        context_key = getattr(self.scope_ids.usage_id, "context_key", None)
        return Place(course_key=str(context_key) if context_key else "", usage_key=str(self.scope_ids.usage_id),
                     policy=policy, offered_indicators=offered)

    def _actor(self):
        from .identity import current_actor  # pylint: disable=import-outside-toplevel
        return current_actor(self)

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
            # Authored instructions are the author's words; without them, learners read ours, in their language.
            "instructions": self.instructions or t.gettext(DEFAULT_INSTRUCTIONS),
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
    # Workbench

    @staticmethod
    def workbench_scenarios():
        return [(SCENARIO_TITLE, loader.load_unicode("scenarios/evidence_declaration_and_review.xml"))]


def filetypes_labels(types):
    return [LABELS.get(mime, mime) for mime in types]


def _extensions(mime):
    return EXTENSIONS.get(mime, ())


def _size(size):
    from .files import human_size  # pylint: disable=import-outside-toplevel
    return human_size(size)
