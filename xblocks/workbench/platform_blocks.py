"""
Workbench stand-ins for the platform's own course blocks: course, chapter, sequential, vertical,
html and problem (multiple-choice and checkbox questions, the part of capa the sample course uses).

A real OLX course uses these tags, and the XBlock SDK has none of them, so without stand-ins the
sample course could not be shown in the workbench, nor the same file imported into Studio.
They behave the way the LMS does where the suite depends on it:

* containers are completion ``aggregator``s and show their children in order;
* html is completed by being viewed (visible for ``COMPLETION_BY_VIEWING_DELAY_MS``, as in the
  LMS), through a ``publish_completion`` handler;
* a problem is graded on the server: it publishes ``grade`` and, being scored, ``completion``.

They are registered only inside the workbench (``xblocks.workbench.support``, installed by the
workbench's own app), never through ``setup.py``: in an LMS the tags belong to the platform.
"""
import copy

from django.conf import settings
from lxml import etree
from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Dict, Float, Integer, Scope, String
from xblock.utils.resources import ResourceLoader

from xblocks.common.handlers import JsonHandlerMixin, json_handler, obj, text
from xblocks.common.mixins import TranslatorMixin
from xblocks.criteria.standing import format_points

from . import completion as tracking
from .sample_courses import sample_course_scenarios

loader = ResourceLoader(__name__)
RESPONSE_TAGS = ("multiplechoiceresponse", "choiceresponse")
HIDDEN_TAGS = ("solution", "demandhint", "script", "hintgroup")


def _inner_markup(node):
    """The markup inside ``node`` (its text and children), as a string."""
    parts = [_escape(node.text or "")]
    for child in node:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _append_markup(node, markup):
    """Put ``markup`` (a string of XML) inside ``node`` as its text and children."""
    wrapper = etree.fromstring(f"<wrapper>{markup}</wrapper>")
    node.text = wrapper.text
    for child in wrapper:
        node.append(child)


class StandInMixin(JsonHandlerMixin, TranslatorMixin):
    """OLX attributes in and out; attributes the stand-in does not use are kept for export."""

    display_name = String(scope=Scope.settings, default="")
    url_name = String(scope=Scope.settings, default="")
    xml_attributes = Dict(scope=Scope.settings, default={})

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        extra = {}
        for name, value in node.items():
            field = block.fields.get(name)
            if field is not None and field.scope in (Scope.settings, Scope.content) and name != "xml_attributes":
                setattr(block, name, field.from_string(value))
            else:
                extra[name] = value
        block.xml_attributes = extra
        cls.parse_body(block, node, runtime)
        return block

    @classmethod
    def parse_body(cls, block, node, runtime):
        """Read the element's content (children, markup); nothing by default."""

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        for name in self.olx_attributes:
            field = self.fields[name]
            if field.is_set_on(self):
                node.set(name, field.to_string(getattr(self, name)))
        for name, value in sorted(self.xml_attributes.items()):
            node.set(name, value)
        self.add_body_to_node(node)

    olx_attributes = ("display_name", "url_name")

    def add_body_to_node(self, node):
        """Write the element's content; nothing by default."""


@XBlock.needs("i18n")
class ContainerStandIn(StandInMixin, XBlock):
    """chapter / sequential / vertical: an aggregator that shows its children in order."""

    has_children = True
    completion_mode = XBlockCompletionMode.AGGREGATOR
    heading_level = 4
    css_class = "lc-wb-vertical"

    @classmethod
    def parse_body(cls, block, node, runtime):
        for child in node:
            if child.tag is etree.Comment:
                continue
            runtime.add_node_as_child(block, child)

    def add_body_to_node(self, node):
        for child_id in self.children:
            self.runtime.add_block_as_child_node(self.runtime.get_block(child_id), node)

    def student_view(self, context=None):
        fragment = Fragment()
        fragment.add_css(loader.load_unicode("static/css/platform_blocks.css"))
        parts = []
        for child_id in self.children:
            child = self.runtime.get_block(child_id)
            rendered = self.runtime.render_child(child, "student_view", context)
            fragment.add_fragment_resources(rendered)
            parts.append(rendered.body_html())
        heading = ""
        if self.display_name:
            level = self.heading_level
            heading = f"<h{level} class=\"lc-wb-heading\">{_escape(self.display_name)}</h{level}>"
        fragment.add_content(f"<div class=\"{self.css_class}\">{heading}{''.join(parts)}</div>")
        return fragment


class ChapterStandIn(ContainerStandIn):
    heading_level = 2
    css_class = "lc-wb-chapter"


class SequentialStandIn(ContainerStandIn):
    heading_level = 3
    css_class = "lc-wb-sequential"


class VerticalStandIn(ContainerStandIn):
    heading_level = 4
    css_class = "lc-wb-vertical"


class CourseStandIn(ContainerStandIn):
    """The course root. ``org``, ``course`` and ``url_name`` (the run) make its course key."""

    heading_level = 1
    css_class = "lc-wb-course"
    org = String(scope=Scope.settings, default="")
    course = String(scope=Scope.settings, default="")
    language = String(scope=Scope.settings, default="")
    olx_attributes = ("display_name", "url_name", "org", "course", "language")

    @property
    def course_key(self):
        if self.org and self.course and self.url_name:
            return f"course-v1:{self.org}+{self.course}+{self.url_name}"
        return ""

    @staticmethod
    def workbench_scenarios():
        """The sample courses: the workbench lists them under this block's tag (``course.0``, …)."""
        return sample_course_scenarios()

    def student_view(self, context=None):
        fragment = super().student_view(context)
        if self.language:
            fragment.content = f"<div lang=\"{_escape(self.language)}\">{fragment.content}</div>"
        return fragment


@XBlock.needs("i18n")
class HtmlStandIn(StandInMixin, XBlock):
    """Authored HTML, completed by being viewed."""

    data = String(scope=Scope.content, default="")
    completion_mode = XBlockCompletionMode.COMPLETABLE

    @classmethod
    def parse_body(cls, block, node, runtime):
        block.data = _inner_markup(node)

    def add_body_to_node(self, node):
        _append_markup(node, self.data)

    def _complete(self):
        user_id = tracking.runtime_user(self.runtime)
        if user_id is None:
            return False
        found = tracking.completions(user_id, [self.scope_ids.usage_id])
        return found.get(str(self.scope_ids.usage_id), 0.0) >= 1.0

    def student_view(self, context=None):  # pylint: disable=unused-argument
        fragment = Fragment(f"<div class=\"lc-wb-html\">{self.data}</div>")
        fragment.add_css(loader.load_unicode("static/css/platform_blocks.css"))
        fragment.add_javascript(loader.load_unicode("static/js/platform_blocks.js"))
        fragment.initialize_js("WorkbenchHtmlBlock", {
            "complete": self._complete(),
            "delay": getattr(settings, "COMPLETION_BY_VIEWING_DELAY_MS", 5000),
        })
        return fragment

    @json_handler(obj({"completion": {"type": "number", "minimum": 0, "maximum": 1}}))
    def publish_completion(self, data, suffix=""):  # pylint: disable=unused-argument
        """What the LMS's view tracking calls: this block was seen for long enough."""
        self.runtime.publish(self, "completion", {"completion": 1.0})
        return {"result": "ok"}


@XBlock.needs("i18n")
class ProblemStandIn(StandInMixin, XBlock):
    """
    A capa problem made of multiple-choice (``multiplechoiceresponse``) and checkbox
    (``choiceresponse``) questions; other markup is shown as it is. Graded on the server.
    """

    data = String(scope=Scope.content, default="")
    weight = Float(scope=Scope.settings, default=None)
    max_attempts = Integer(scope=Scope.settings, default=None)
    answers = Dict(scope=Scope.user_state, default={})
    attempts = Integer(scope=Scope.user_state, default=0)
    earned = Float(scope=Scope.user_state, default=None)
    has_score = True
    completion_mode = XBlockCompletionMode.COMPLETABLE
    olx_attributes = ("display_name", "url_name", "weight", "max_attempts")

    @classmethod
    def parse_body(cls, block, node, runtime):
        block.data = _inner_markup(node)

    def add_body_to_node(self, node):
        _append_markup(node, self.data)

    def _tree(self):
        return etree.fromstring(f"<problem>{self.data}</problem>")

    def questions(self):
        """``[(prompt, kind, [(choice text, correct)])]`` for each question, in order."""
        found = []
        for response in self._tree().iter(*RESPONSE_TAGS):
            prompt = " ".join(" ".join("".join(label.itertext()).split()) for label in response.iter("label"))
            kind = "checkbox" if response.tag == "choiceresponse" else "radio"
            choices = [(" ".join("".join(choice.itertext()).split()), choice.get("correct", "false").lower() == "true")
                       for choice in response.iter("choice")]
            found.append((prompt, kind, choices))
        return found

    def max_score(self):
        return self.weight if self.weight is not None else float(len(self.questions()))

    def _grade(self, answers):
        questions = self.questions()
        correct = []
        for index, (_prompt, kind, choices) in enumerate(questions):
            given = answers.get(str(index))
            chosen = set(given if isinstance(given, list) else [given]) - {None, ""}
            right = {str(position) for position, (_text, is_correct) in enumerate(choices) if is_correct}
            correct.append(chosen == right if kind == "checkbox" else (len(chosen) == 1 and chosen <= right))
        possible = self.max_score()
        earned = possible * sum(correct) / len(questions) if questions else 0.0
        return earned, possible, correct

    def _render_body(self, feedback=None):
        _ = self._
        uid = "lc-wb-" + "".join(ch if ch.isalnum() else "-" for ch in str(self.scope_ids.usage_id))
        parts = []
        index = 0
        for child in self._tree():
            if child.tag is etree.Comment or child.tag in HIDDEN_TAGS:
                continue
            if child.tag not in RESPONSE_TAGS:
                parts.append(etree.tostring(child, encoding="unicode", with_tail=False))
                continue
            prompt, kind, choices = self.questions()[index]
            given = self.answers.get(str(index))
            given = set(given if isinstance(given, list) else [given])
            options = []
            for position, (text, _correct) in enumerate(choices):
                option_id = f"{uid}-q{index}-c{position}"
                checked = " checked" if str(position) in given else ""
                options.append(f"<li><input type=\"{kind}\" id=\"{option_id}\" name=\"{uid}-q{index}\" "
                               f"value=\"{position}\" data-question=\"{index}\"{checked}>"
                               f" <label for=\"{option_id}\">{_escape(text)}</label></li>")
            result = ""
            if feedback is not None:
                verdict = _("Correct") if feedback[index] else _("Incorrect")
                kind_class = "correct" if feedback[index] else "incorrect"
                result = f"<p class=\"lc-wb-feedback lc-wb-feedback--{kind_class}\">{verdict}</p>"
            parts.append(f"<fieldset class=\"lc-wb-question\"><legend>{_escape(prompt)}</legend>"
                         f"<ul class=\"lc-wb-choices\">{''.join(options)}</ul>{result}</fieldset>")
            index += 1
        status = ""
        if self.earned is not None:
            status = _("Score: {earned} of {possible} points").format(
                earned=format_points(self.earned), possible=format_points(self.max_score()))
        if self.max_attempts:
            status += " " + _("Submissions: {used} of {allowed}").format(used=self.attempts, allowed=self.max_attempts)
        disabled = " disabled" if self.max_attempts and self.attempts >= self.max_attempts else ""
        submit = _("Submit")
        return (f"<form class=\"lc-wb-problem-form\">{''.join(parts)}"
                f"<button type=\"submit\" class=\"lc-wb-submit\"{disabled}>{submit}</button>"
                f"<p class=\"lc-wb-status\" role=\"status\" aria-live=\"polite\">{status.strip()}</p></form>")

    def student_view(self, context=None):  # pylint: disable=unused-argument
        feedback = self._grade(self.answers)[2] if self.earned is not None else None
        heading = f"<h5 class=\"lc-wb-problem-title\">{_escape(self.display_name)}</h5>" if self.display_name else ""
        fragment = Fragment(f"<div class=\"lc-wb-problem\">{heading}<div data-role=\"body\">"
                            f"{self._render_body(feedback)}</div></div>")
        fragment.add_css(loader.load_unicode("static/css/platform_blocks.css"))
        fragment.add_javascript(loader.load_unicode("static/js/platform_blocks.js"))
        fragment.initialize_js("WorkbenchProblemBlock", {"incomplete": self._("Answer every question before submitting.")})
        return fragment

    @json_handler(obj({"answers": {"type": "object", "maxProperties": 100, "propertyNames": {"maxLength": 10},
                                   "additionalProperties": {"anyOf": [text(1000), {"type": "null"},
                                                                      {"type": "array", "items": text(1000), "maxItems": 50}]}}},
                      required=("answers",)))
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        answers = data["answers"]
        if self.max_attempts and self.attempts >= self.max_attempts:
            raise JsonHandlerError(400, self._("No submissions are left."))
        questions = self.questions()
        clean = {}
        for index in range(len(questions)):
            value = answers.get(str(index))
            clean[str(index)] = [str(item) for item in value] if isinstance(value, list) else (None if value is None else str(value))
        earned, possible, feedback = self._grade(clean)
        self.answers = copy.deepcopy(clean)
        self.attempts += 1
        self.earned = earned
        self.runtime.publish(self, "grade", {"value": earned, "max_value": possible})
        self.runtime.publish(self, "completion", {"completion": 1.0})  # a scored block completes when scored
        return {"html": self._render_body(feedback), "earned": earned, "possible": possible,
                "correct": list(feedback)}


STAND_INS = {
    "course": CourseStandIn,
    "chapter": ChapterStandIn,
    "sequential": SequentialStandIn,
    "vertical": VerticalStandIn,
    "html": HtmlStandIn,
    "problem": ProblemStandIn,
}
