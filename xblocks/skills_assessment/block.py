"""
The digital-skills assessment XBlock (``learning-citizen-skills-assessment``).

A learner starts an attempt, gets a form drawn at random from the item bank by the blueprint
(kept in their state, so a reload shows the same form until it is submitted), answers within
the time limit and submits. The server scores the answers (keys never leave it), combines the
attempts by the author's policy, and then:

* publishes ``grade`` (raw score 0..1; the platform applies the block's ``weight``) and
  ``completion`` (1.0 once an attempt ends), plus a tracking event;
* records the attempt in the assessment's table (item statistics, digital-skills facts);
* sends credit on the digital-skills indicator for the counted level, topping up what this block
  already sent in the period, on the ledger's credit signal.

Bad submissions are refused with every problem in the learner's language and change nothing.
"""
import json
import logging
import random
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from web_fragments.fragment import Fragment
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.scorable import Score, ScorableXBlockMixin
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from xblocks import compat
from xblocks.common.credit import give_credit
from xblocks.common.handlers import EMPTY, JsonHandlerMixin, StudioEditsMixin, json_handler, obj, text
from xblocks.common.mixins import READ_ONLY_MESSAGE, CurrentUserMixin, TranslatorMixin
from xblocks.criteria.blueprints import draw_form
from xblocks.criteria.item_banks import available_item_banks
from xblocks.criteria.problems import InvalidInput
from xblocks.criteria.proficiency import AVERAGE, HIGHEST, LATEST, available_scales

from . import api, assessment
from .views import ViewBuilder

log = logging.getLogger(__name__)

TRACKING_EVENT = "vn.learningcitizen.assessment.submitted"
STATIC = Path(__file__).resolve().parent / "static"


def _(text):
    """Mark a class-level string (field names and help) for extraction; translated where shown."""
    return text


def now():
    """The current time (tests move the clock by patching this)."""
    return timezone.now()


# A submission as the page sends it: the attempt, each answer in shown places (an option, a list of
# them, or prompt -> option pairs), and whether the time ran out.
_ANSWER = {"anyOf": [text(20), {"type": "array", "items": text(20), "maxItems": 50},
                     {"type": "object", "additionalProperties": text(20), "maxProperties": 50,
                      "propertyNames": {"maxLength": 20}}]}
SUBMISSION_BODY = obj({"attempt_id": {"anyOf": [text(100), {"type": "null"}]},
                       "answers": {"type": "object", "additionalProperties": _ANSWER, "maxProperties": 200,
                                   "propertyNames": {"maxLength": 100}},
                       "timed_out": {"type": "boolean"}})

def bank_choices(_block=None):
    return [{"display_name": f"{bank.id} {bank.version}", "value": bank.id}
            for bank in sorted(available_item_banks().values(), key=lambda bank: (bank.id, bank.version))]


def scale_choices(_block=None):
    return [{"display_name": f"{scale.id} {scale.version}", "value": scale.id}
            for scale in sorted(available_scales().values(), key=lambda scale: (scale.id, scale.version))]


@XBlock.needs("i18n")
@XBlock.wants("user")
class SkillsAssessmentBlock(JsonHandlerMixin, TranslatorMixin, CurrentUserMixin, StudioEditsMixin, StudioEditableXBlockMixin,
                            ScorableXBlockMixin, CompletableXBlockMixin, XBlock):
    """A digital-skills assessment aligned to a competence framework (Circular 02/2025, DigComp 2.2)."""

    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_author_view = True
    icon_class = "problem"

    display_name = String(display_name=_("Display name"), scope=Scope.settings,
                          default=_("Digital-skills self-assessment"))
    item_bank = String(
        display_name=_("Item bank"), scope=Scope.settings, default="learning-citizen-digital-skills",
        help=_("A shipped item bank. Ignored when an item bank is pasted below."), values_provider=bank_choices)
    item_bank_json = String(
        display_name=_("Item bank (JSON)"), scope=Scope.content, default="", xml_node=True, multiline_editor=True,
        help=_("Optional: a whole item bank as JSON in the documented format (docs/author-guide.md). "
               "It replaces the shipped bank and is checked when you save."))
    blueprint = String(
        display_name=_("Blueprint"), scope=Scope.settings, default="*:1",
        help=_("How many items each form has, as code:count separated by commas. A code is a competence (4.2), "
               "a domain (4) or * for every competence the bank covers. Example: *:1, 6:2"))
    time_limit_minutes = Integer(
        display_name=_("Time limit (minutes)"), scope=Scope.settings, default=30, values={"min": 0, "max": 600, "step": 1},
        help=_("0 means no time limit. When time is up the answers given so far are submitted."))
    max_attempts = Integer(
        display_name=_("Attempts allowed"), scope=Scope.settings, default=3, values={"min": 0, "step": 1},
        help=_("0 means no limit."))
    attempt_policy = String(
        display_name=_("How attempts count"), scope=Scope.settings, default=HIGHEST,
        values=[{"display_name": _("The highest attempt"), "value": HIGHEST},
                {"display_name": _("The latest attempt"), "value": LATEST},
                {"display_name": _("The average of all attempts"), "value": AVERAGE}])
    scale = String(
        display_name=_("Proficiency scale"), scope=Scope.settings, default="digcompsat-bands", values_provider=scale_choices,
        help=_("Turns scores into levels, decides 'has digital skills' and 'proficient', and the credit per level."))
    weight = Float(
        display_name=_("Weight"), scope=Scope.settings, default=1.0, values={"min": 0, "step": 0.1},
        help=_("How much this assessment counts in the course grade."))
    award_credit = Boolean(
        display_name=_("Award Learning Citizen credit"), scope=Scope.settings, default=True,
        help=_("Send credit on the digital-skills indicator for the level reached."))
    course_links = String(
        display_name=_("What to learn next"), scope=Scope.settings, default="", xml_node=True, multiline_editor=True,
        help=_("One course per line as code | address | title, e.g. 4.2 | https://lms.example/courses/x | Personal data. "
               "A code is a competence or a domain; learners below the gap level see these links."))

    current_form = Dict(scope=Scope.user_state, default={}, help="The attempt in progress (no answer keys).")
    attempts = List(scope=Scope.user_state, default=[], help="Ended attempts, oldest first.")
    credited = Dict(scope=Scope.user_state, default={}, help="Points this block has credited per period.")
    raw_score = Dict(scope=Scope.user_state, default={}, help="The published raw score.")

    editable_fields = ("display_name", "item_bank", "item_bank_json", "blueprint", "time_limit_minutes", "max_attempts",
                       "attempt_policy", "scale", "weight", "award_credit", "course_links")

    # -- helpers ------------------------------------------------------------------------------

    def _config_of(self, data):
        return assessment.config_problems(
            item_bank=data.item_bank, item_bank_json=data.item_bank_json, blueprint=data.blueprint, scale=data.scale,
            attempt_policy=data.attempt_policy, max_attempts=data.max_attempts,
            time_limit_minutes=data.time_limit_minutes, weight=data.weight, course_links=data.course_links)

    def config(self):
        return self._config_of(self)

    @property
    def usage_key(self):
        return str(self.scope_ids.usage_id)

    @property
    def course_key(self):
        return str(getattr(self.scope_ids.usage_id, "context_key", "") or "")

    def views(self, config):
        return ViewBuilder(self, config)

    def _refuse(self, status, error_or_message):
        """Answer a handler with an HTTP error whose JSON ``error`` is a message in the learner's language."""
        message = error_or_message
        if isinstance(error_or_message, InvalidInput):
            message = " ".join([self.translator.gettext("Your answers were not recorded:"),
                                *[f"{self.translator.render(problem)}." for problem in error_or_message.problems]])
        raise JsonHandlerError(status, message)

    def _refuse_if_read_only(self):
        """Staff viewing as a learner, or Studio's preview: the assessment can be looked at, not taken."""
        if self.current_user().read_only:
            self._refuse(403, self.translator.gettext(READ_ONLY_MESSAGE))

    def _ready_config(self):
        config, problems = self.config()
        if problems:
            self._refuse(409, self.translator.gettext("This assessment is not set up correctly yet. Please tell the course team."))
        return config

    # -- views --------------------------------------------------------------------------------

    def student_view(self, context=None):  # pylint: disable=unused-argument
        config, problems = self.config()
        views = self.views(config)
        html = views.student(problems, now())
        fragment = Fragment(html)
        fragment.add_css((STATIC / "css" / "skills_assessment.css").read_text("utf-8"))
        fragment.add_javascript((STATIC / "js" / "skills_assessment.js").read_text("utf-8"))
        fragment.initialize_js("LearningCitizenSkillsAssessment", views.js_settings())
        return fragment

    def author_view(self, context=None):  # pylint: disable=unused-argument
        config, problems = self.config()
        fragment = Fragment(self.views(config).author(problems))
        fragment.add_css((STATIC / "css" / "skills_assessment.css").read_text("utf-8"))
        return fragment

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """What the mobile apps and the course blocks API get: the settings, never an item or a key."""
        config, problems = self.config()
        data = {"display_name": self.display_name, "ready": not problems, "time_limit_minutes": self.time_limit_minutes,
                "max_attempts": self.max_attempts, "attempt_policy": self.attempt_policy, "weight": self.weight}
        if config is not None:
            data.update({
                "item_bank": {"id": config.bank.id, "version": config.bank.version},
                "competence_framework": {"id": config.framework.id, "version": config.framework.version},
                "items_per_form": len(draw_form(config.bank, list(config.rules), random.Random(0))),
            })
        return data

    # -- handlers -----------------------------------------------------------------------------

    @json_handler(EMPTY)
    def start(self, data, suffix=""):  # pylint: disable=unused-argument
        """Begin an attempt, or return the one in progress (the same form until it is submitted)."""
        self._refuse_if_read_only()
        config = self._ready_config()
        moment = now()
        if self.current_form and assessment.form_items(config, self.current_form) is None:
            self.current_form = {}  # the bank changed under it: that form cannot be scored, draw again
        if self.current_form and assessment.is_expired(self.current_form, moment):
            self._end_attempt(config, self.current_form, {}, assessment.EXPIRED, moment)
            if self.max_attempts and len(self.attempts) >= self.max_attempts:
                return self.views(config).results_response(expired=True)
        if not self.current_form:
            if self.max_attempts and len(self.attempts) >= self.max_attempts:
                self._refuse(409, self.translator.gettext("You have used all your attempts."))
            self.current_form = assessment.new_form(config, len(self.attempts) + 1, moment)
        return self.views(config).form_response(self.current_form, moment)

    @json_handler(SUBMISSION_BODY)
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Score the attempt in progress. A repeated submission of an ended attempt changes nothing."""
        self._refuse_if_read_only()
        config = self._ready_config()
        moment = now()
        attempt_id = data.get("attempt_id")
        # Read the form before the attempts: a simultaneous submission that ends the attempt between
        # the two reads then shows up as already submitted, never as "no attempt in progress".
        form = self.current_form
        ended = next((attempt for attempt in self.attempts if attempt["id"] == attempt_id), None)
        if ended is not None:
            return self.views(config).results_response(already_submitted=True)
        if not form:
            self._refuse(409, self.translator.gettext("There is no attempt in progress. Start the assessment first."))
        if assessment.form_items(config, form) is None:
            self.current_form = {}
            self.save()  # a refusal raises, and the runtime saves nothing after a raise
            self._refuse(409, self.translator.gettext("This assessment was changed while you took it. Please start again."))
        if assessment.is_expired(form, moment):
            if attempt_id != form["id"]:
                self._refuse(400, self.translator.gettext("This submission is not for the attempt in progress; reload the page."))
            self._end_attempt(config, form, {}, assessment.EXPIRED, moment)
            return self.views(config).results_response(expired=True)
        try:
            answers = assessment.check_submission(config, form, data, moment)
        except InvalidInput as error:
            self._refuse(400, error)
        self._end_attempt(config, form, answers, assessment.SUBMITTED, moment)
        return self.views(config).results_response()

    @json_handler(EMPTY)
    def item_statistics(self, data, suffix=""):  # pylint: disable=unused-argument
        """Facility and discrimination of this block's items, for course staff."""
        if not self.current_user().staff:
            self._refuse(403, self.translator.gettext("Only course staff can see item statistics."))
        config = self._ready_config()
        rows = api.item_statistics(self.usage_key) if api.installed() else []
        return self.views(config).statistics_response(rows)

    # -- ending an attempt ----------------------------------------------------------------------

    def _end_attempt(self, config, form, answers, status, moment):
        scores, percents = assessment.score_attempt(config, form, answers)
        own = assessment.evaluate_percents(config, percents)
        attempt = {
            "id": form["id"], "number": form["number"], "status": status, "started_at": form["started_at"],
            "submitted_at": assessment.iso(moment), "answers": answers, "item_scores": scores, "percents": percents,
            "percent": round(own.overall.percent, 2), "level": own.overall.level,
        }
        attempts = list(self.attempts) + [attempt]
        counted = assessment.counted_result(config, attempts)
        assurance = assessment.assurance_of(config, attempts)
        user_id = self.current_user().user_id  # None: anonymous (no credit, no rows)
        framework, indicator = config.scale.credit_indicator()
        period = framework.period_of(moment)
        if user_id is not None and api.installed():
            api.record_attempt(
                usage_key=self.usage_key, course_key=self.course_key, user_id=user_id, anonymous_id=compat.anonymous_id(user_id),
                attempt_id=form["id"], number=form["number"], status=status, period=period,
                started_at=assessment.parse_time(form["started_at"]), submitted_at=moment,
                item_bank=config.bank.id, item_bank_version=config.bank.version,
                competence_framework=config.framework.id, competence_framework_version=config.framework.version,
                scale=config.scale.id, scale_version=config.scale.version, item_scores=scores, result=own.as_dict(),
                percent=own.overall.percent, level=own.overall.level, policy=config.policy,
                counted_percent=counted.overall.percent, counted_level=counted.overall.level,
                counted_tier=counted.overall.tier.code if counted.overall.tier else "",
                has_digital_skills=counted.has_digital_skills, proficient=counted.proficient, assurance=assurance)
        self.attempts = attempts
        self.current_form = {}
        score = Score(raw_earned=round(counted.overall.percent / 100.0, 4), raw_possible=1.0)
        self.set_score(score)
        self._publish_grade(score)
        self.emit_completion(1.0)
        self.runtime.publish(self, TRACKING_EVENT, {
            "attempt": form["number"], "status": status, "percent": attempt["percent"], "level": own.overall.level,
            "counted_percent": round(counted.overall.percent, 2), "counted_level": counted.overall.level,
            "has_digital_skills": counted.has_digital_skills, "proficient": counted.proficient, "policy": config.policy,
            "item_bank": [config.bank.id, config.bank.version],
            "competence_framework": [config.framework.id, config.framework.version],
        })
        if self.award_credit and user_id is not None:
            self._send_credit(config, framework, indicator, counted, assurance, user_id, period, moment)

    def _send_credit(self, config, framework, indicator, counted, assurance, user_id, period, moment):  # pylint: disable=too-many-positional-arguments
        """
        Top up this block's credit in the period to what the counted level earns. The idempotency
        key names the total reached, so a redelivered or repeated event is appended once; a lower
        result later in the period takes nothing back (credit, once earned, is only reversed by staff).
        """
        target = config.scale.points_for_level(counted.overall.level)
        already = Decimal(str(self.credited.get(period, "0")))
        if target <= already:
            return
        give_credit(
            source_kind="assessment", discriminator=f"{period}:{target}", user_id=user_id, framework=framework,
            indicator=indicator.code, points=target - already,
            provenance="declared" if assurance == "self-reported" else "verified", assurance=assurance,
            occurred_at=moment, course_key=self.course_key, usage_key=self.usage_key)
        self.credited = {**self.credited, period: str(target)}

    # -- scoring API (ScorableXBlockMixin) ----------------------------------------------------------

    def max_score(self):
        return 1.0

    def has_submitted_answer(self):
        return bool(self.attempts)

    def get_score(self):
        if not self.raw_score:
            return Score(0.0, 1.0)
        return Score(self.raw_score["earned"], self.raw_score["possible"])

    def set_score(self, score):
        self.raw_score = {"earned": score.raw_earned, "possible": score.raw_possible}

    def calculate_score(self):
        config, problems = self.config()
        if problems:
            raise ValueError("; ".join(str(problem) for problem in problems))
        counted = assessment.counted_result(config, self.attempts)
        return Score(0.0 if counted is None else round(counted.overall.percent / 100.0, 4), 1.0)

    # -- Studio --------------------------------------------------------------------------------

    def validate_field_data(self, validation, data):
        _config, problems = self._config_of(data)
        for problem in problems:
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.translator.render(problem)))

    # -- reports -------------------------------------------------------------------------------

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """
        One row per ended attempt, for the platform's problem-responses report: score, level and
        every answer (in the bank's option ids) with its score.
        """
        count = 0
        for user_state in user_state_iterator:
            for attempt in user_state.state.get("attempts", []):
                if limit_responses is not None and count >= limit_responses:
                    return
                count += 1
                yield user_state.username, {
                    "Attempt": attempt["number"],
                    "Status": attempt["status"],
                    "Started": attempt["started_at"],
                    "Submitted": attempt["submitted_at"],
                    "Score (%)": attempt["percent"],
                    "Level": "" if attempt["level"] is None else attempt["level"],
                    "Answers": json.dumps(attempt.get("answers", {}), ensure_ascii=False, sort_keys=True),
                    "Item scores": json.dumps(attempt.get("item_scores", {}), sort_keys=True),
                    "Competence scores (%)": json.dumps({code: round(value, 1) for code, value in attempt["percents"].items()},
                                                        sort_keys=True),
                }

    # -- workbench -----------------------------------------------------------------------------

    @staticmethod
    def workbench_scenarios():
        scenarios = []
        for path in sorted((Path(__file__).resolve().parent / "scenarios").glob("*.xml")):
            title = path.stem.replace("_", " ").capitalize()
            scenarios.append((title, path.read_text("utf-8")))
        return scenarios

