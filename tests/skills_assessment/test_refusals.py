"""Bad submissions are refused with a clear message in the learner's language, and nothing is recorded."""
import json

import pytest
from django.utils import translation

from xblocks.ledger import api as ledger
from xblocks.skills_assessment import api

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def first_of(assess, usage, kind):
    return next(item for item, _order in assess.form(usage) if item.kind == kind)


def missing_one(assess, usage, payload):
    payload["answers"].pop(next(iter(payload["answers"])))


def extra_item(assess, usage, payload):
    payload["answers"]["c99-invented"] = "0"


def another_learners_item(assess, usage, payload):
    mine = {item.id for item, _ in assess.form(usage)}
    other = next(item for item in assess.block(usage).config()[0].bank.items if item.id not in mine)
    payload["answers"][other.id] = "0"


def malformed(kind, value):
    def change(assess, usage, payload):
        payload["answers"][first_of(assess, usage, kind).id] = value
    change.__name__ = f"malformed_{kind}"
    return change


def wrong_attempt(assess, usage, payload):
    payload["attempt_id"] = "0" * 32


def unknown_field(assess, usage, payload):
    payload["score"] = 100


def answers_not_an_object(assess, usage, payload):
    payload["answers"] = list(payload["answers"].values())


CASES = {
    "missing answer": (missing_one, "not answered yet (1)"),
    "extra answer": (extra_item, "answers to items that are not on this form: c99-invented"),
    "answer to an item not on this form": (another_learners_item, "answers to items that are not on this form"),
    "single choice out of range": (malformed("single-choice", "7"), "the answer must be one of the item's options"),
    "single choice as a bank id": (malformed("single-choice", "a"), "the answer must be one of the item's options"),
    "single choice as a list": (malformed("single-choice", ["0"]), "the answer must be one of the item's options"),
    "self-rating as a number": (malformed("self-rating", 3), "The request is not in the expected form: answers/"),
    "multiple response empty": (malformed("multiple-response", []), "a list of one or more of the item's options"),
    "multiple response repeated": (malformed("multiple-response", ["0", "0"]), "names an option more than once"),
    "ordering incomplete": (malformed("ordering", ["0", "1"]), "must list every option of the item exactly once"),
    "ordering repeated": (malformed("ordering", ["0", "0", "1", "2"]), "must list every option of the item exactly once"),
    "matching incomplete": (malformed("matching", {"0": "0"}), "the answer must match every prompt of the item"),
    "matching unknown target": (malformed("matching", {"0": "0", "1": "9", "2": "1"}), "to a target the item does not have"),
    "wrong attempt": (wrong_attempt, "not for the attempt in progress"),
    "unknown field": (unknown_field, "The request has fields this page does not send: score"),
    "answers not an object": (answers_not_an_object, "The request is not in the expected form: answers"),
}


def snapshot(assess, usage):
    block = assess.block(usage)
    return (json.dumps(block.current_form, sort_keys=True), json.dumps(block.attempts), json.dumps(block.credited),
            api.attempts(usage_key=str(usage)).count(), ledger.entries().count())


@pytest.mark.parametrize("case", list(CASES))
def test_bad_submissions_are_refused_and_change_nothing(assess, clock, published, case):
    change, message = CASES[case]
    # Two items per competence puts every kind on the form; one leaves items of the bank off it.
    usage = assess.load(blueprint="*:1" if change is another_learners_item else "*:2")
    assess.start(usage)
    payload = {"attempt_id": assess.block(usage).current_form["id"], "answers": assess.answers(usage)}
    change(assess, usage, payload)
    before = snapshot(assess, usage)
    status, body = assess.call(usage, "submit", payload)
    assert status == 400
    assert (body["error"].startswith("Your answers were not recorded:") or "attempt in progress" in body["error"]
            or body["error"].startswith("The request"))
    assert message in body["error"]
    assert snapshot(assess, usage) == before
    assert published == []
    status, body = assess.submit(usage)        # the attempt is still open and can be completed
    assert status == 200


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'"text"'])
def test_bodies_that_are_not_a_submission_are_refused(assess, clock, published, raw):
    usage = assess.load()
    assess.start(usage)
    before = snapshot(assess, usage)
    status, body = assess.call(usage, "submit", raw=raw)
    assert status == 400 and body["error"]
    assert snapshot(assess, usage) == before and published == []


def test_submitting_with_no_attempt_in_progress_is_refused(assess, clock, published):
    usage = assess.load()
    status, body = assess.call(usage, "submit", {"attempt_id": "x", "answers": {}})
    assert status == 409 and body["error"] == "There is no attempt in progress. Start the assessment first."
    assert assess.block(usage).attempts == [] and published == []


def test_every_problem_is_named_at_once(assess, clock):
    usage = assess.load(blueprint="*:2")
    assess.start(usage)
    payload = {"attempt_id": assess.block(usage).current_form["id"], "answers": assess.answers(usage)}
    missing_one(assess, usage, payload)
    extra_item(assess, usage, payload)
    malformed("ordering", ["0"])(assess, usage, payload)
    _status, body = assess.call(usage, "submit", payload)
    for message in ("not answered yet", "not on this form", "must list every option"):
        assert message in body["error"]


def test_refusals_speak_the_learners_language(assess, clock):
    usage = assess.load(blueprint="*:2")
    assess.start(usage)
    payload = {"attempt_id": assess.block(usage).current_form["id"], "answers": assess.answers(usage)}
    malformed("single-choice", "7")(assess, usage, payload)
    with translation.override("vi"):
        status, body = assess.call(usage, "submit", payload)
    assert status == 400
    assert body["error"].startswith("Câu trả lời của bạn chưa được ghi nhận:")
    assert "câu trả lời phải là một trong các phương án của câu hỏi" in body["error"]


def test_a_misconfigured_block_refuses_to_start(assess, clock):
    usage = assess.load(blueprint="1.1:9")
    status, body = assess.call(usage, "start", {})
    assert status == 409 and "not set up correctly" in body["error"]
    assert assess.block(usage).current_form == {}
