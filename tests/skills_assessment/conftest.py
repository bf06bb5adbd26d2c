"""
Fixtures for the digital-skills assessment: OLX parsed by the XBlock SDK's workbench runtime, and
handlers called the way the runtime calls them (webob requests through ``runtime.handle``). Every
handler response passes through :func:`Assess.call`, which also keeps it for the no-leak checks.
"""
import itertools
import json
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

import pytest
import webob

from tests.skills_assessment.helpers import answer_for

_SCENARIOS = itertools.count(1)
BANK = "learning-citizen-digital-skills"
START = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def olx(**attributes):
    """A skills-assessment element with these attributes (course_links as a child option element)."""
    links = attributes.pop("course_links", None)
    attrs = " ".join(f"{name}={quoteattr(str(value))}" for name, value in attributes.items())
    inner = f"<option:course_links>{escape(links)}</option:course_links>" if links else ""
    return f'<skills-assessment xmlns:option="http://code.edx.org/xblock/option" {attrs}>{inner}</skills-assessment>'


class Clock:
    """The block's clock (``block.now``), moved by tests."""

    def __init__(self):
        self.moment = START

    def __call__(self):
        return self.moment

    def advance(self, **delta):
        self.moment += timedelta(**delta)


class Assess:
    """Load a block, act as learners, and keep every response body the browser would receive."""

    def __init__(self):
        self.bodies = []

    def load(self, source=None, **attributes):
        from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
        runtime = WorkbenchRuntime()
        runtime.id_generator.set_scenario(f"assessment-{next(_SCENARIOS)}")
        return runtime.parse_xml_string(source or olx(**attributes))

    def block(self, usage_id, user="101"):
        from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
        return WorkbenchRuntime(user).get_block(usage_id)

    def call(self, usage_id, handler, payload=None, user="101", raw=None):
        """POST ``payload`` (or ``raw`` bytes) to ``handler`` as ``user``; returns (status, JSON body)."""
        block = self.block(usage_id, user)
        body = raw if raw is not None else json.dumps(payload if payload is not None else {}).encode()
        request = webob.Request.blank("/", method="POST", body=body, content_type="application/json")
        response = block.runtime.handle(block, handler, request)
        self.bodies.append(response.body.decode("utf-8"))
        return response.status_code, json.loads(response.body) if response.body else None

    def view(self, usage_id, user="101", view="student_view"):
        block = self.block(usage_id, user)
        fragment = block.runtime.render(block, view, {})
        html = fragment.body_html()
        self.bodies.append(html)
        return html

    def start(self, usage_id, user="101"):
        status, body = self.call(usage_id, "start", {}, user)
        assert status == 200, body
        return body

    def form(self, usage_id, user="101"):
        """The learner's form in their state: [(Item, order)], as the server keeps it."""
        block = self.block(usage_id, user)
        bank = block.config()[0].bank
        return [(bank.item(entry["id"]), entry["order"]) for entry in block.current_form["items"]]

    def answers(self, usage_id, user="101", right=True):
        """Answers to the learner's form in shown places: all right (``right``) or all as wrong as possible."""
        answers = {}
        for item, order in self.form(usage_id, user):
            answers[item.id] = answer_for(item, order, right)
        return answers

    def submit(self, usage_id, user="101", right=True, **extra):
        block = self.block(usage_id, user)
        payload = {"attempt_id": block.current_form["id"], "answers": self.answers(usage_id, user, right), **extra}
        return self.call(usage_id, "submit", payload, user)


@pytest.fixture
def assess():
    return Assess()


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("xblocks.skills_assessment.block.now", clock)
    return clock
