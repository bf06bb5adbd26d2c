"""
Fixtures for the digital-skills assessment, on the suite's one harness (tests/harness.py): OLX
parsed by the XBlock SDK's workbench runtime, handlers called through ``runtime.handle`` with
webob requests. Every handler response passes through :func:`Assess.call`, which also keeps it
for the no-leak checks.
"""
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

import pytest

from tests import harness
from tests.skills_assessment.helpers import answer_for

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
        return harness.load(source or olx(**attributes), prefix="assessment")

    def block(self, usage_id, user="101"):
        return harness.block_for(usage_id, user)

    def call(self, usage_id, handler, payload=None, user="101", raw=None):
        """POST ``payload`` (or ``raw`` bytes) to ``handler`` as ``user``; returns (status, JSON body)."""
        response = harness.handle(self.block(usage_id, user), handler, harness.json_request(payload, raw=raw))
        self.bodies.append(response.body.decode("utf-8"))
        return response.status_code, harness.body_of(response)

    def view(self, usage_id, user="101", view="student_view"):
        html = harness.render(self.block(usage_id, user), view)
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
