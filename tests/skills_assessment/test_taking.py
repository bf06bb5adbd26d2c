"""Taking the assessment through the runtime: forms, scoring, levels, attempts, time limit, events and credit."""
import json
from decimal import Decimal

import pytest

from tests.skills_assessment.conftest import BANK, olx
from xblocks.common.mixins import workbench_user_id
from xblocks.criteria.frameworks import get_framework
from xblocks.criteria.item_banks import get_item_bank
from xblocks.ledger import api as ledger
from xblocks.skills_assessment import api

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def digital_indicator():
    return get_framework("learning-citizen-2021-2030").indicators_tagged("digital-skills")[0].code


def learner_entries(user="101"):
    return list(ledger.entries(user_id=workbench_user_id(user)))


def of_type(events, event_type):
    return [data for _block, kind, data in events if kind == event_type]


# -- forms --------------------------------------------------------------------------------------------

def test_a_form_stays_the_same_across_reloads_until_it_is_submitted(assess, clock):
    usage = assess.load()
    first = assess.start(usage)
    view_before = assess.view(usage)
    again = assess.start(usage)
    assert again["attempt_id"] == first["attempt_id"]
    assert again["html"] == first["html"]
    assert first["html"] in view_before and first["html"] in assess.view(usage)
    assess.submit(usage)
    fresh = assess.start(usage)
    assert fresh["attempt_id"] != first["attempt_id"]


def test_each_learner_gets_a_form_of_their_own_drawn_by_the_blueprint(assess, clock):
    usage = assess.load(blueprint="*:1")
    bank = get_item_bank(BANK)
    forms = []
    for user in ("101", "102", "103"):
        assess.start(usage, user)
        items = [item for item, _order in assess.form(usage, user)]
        assert len(items) == 24
        assert {code for item in items for code in item.competences} == set(bank.covered_competences())
        forms.append([item.id for item in items])
    assert len({tuple(form) for form in forms}) == 3


# -- scoring ---------------------------------------------------------------------------------------------

KINDS_BANK = {
    "id": "kinds-test", "version": "1.0.0", "title": {"vi": "Thử", "en": "Test"},
    "competence_framework": {"id": "circular-02-2025", "version": "1.0.0"},
    "rating_scales": {"skills": [{"id": s, "text": {"vi": s, "en": s}} for s in ("s0", "s1", "s2", "s3")]},
    "items": [
        {"id": "one", "kind": "single-choice", "competences": ["1.1"], "level": 2, "prompt": {"vi": "a", "en": "a"},
         "options": [{"id": o, "text": {"vi": o, "en": o}} for o in "abc"], "key": "b"},
        {"id": "many", "kind": "multiple-response", "competences": ["2.1"], "level": 2, "prompt": {"vi": "b", "en": "b"},
         "options": [{"id": o, "text": {"vi": o, "en": o}} for o in "abcd"], "key": ["a", "c"]},
        {"id": "rate", "kind": "self-rating", "dimension": "skills", "competences": ["3.1"], "level": 2,
         "prompt": {"vi": "c", "en": "c"}},
        {"id": "order", "kind": "ordering", "competences": ["4.1"], "level": 2, "prompt": {"vi": "d", "en": "d"},
         "options": [{"id": o, "text": {"vi": o, "en": o}} for o in "wxyz"], "key": ["w", "x", "y", "z"]},
        {"id": "match", "kind": "matching", "competences": ["5.1"], "level": 2, "prompt": {"vi": "e", "en": "e"},
         "prompts": [{"id": p, "text": {"vi": p, "en": p}} for p in ("p", "q")],
         "targets": [{"id": t, "text": {"vi": t, "en": t}} for t in ("t", "u", "v")], "key": {"p": "t", "q": "u"}},
    ],
}


def kinds_olx(**attributes):
    source = olx(blueprint="*:1", **attributes)
    return source.replace("</skills-assessment>",
                          f"<option:item_bank_json>{json.dumps(KINDS_BANK)}</option:item_bank_json></skills-assessment>")


def test_every_kind_is_scored_on_the_server(assess, clock):
    usage = assess.load(kinds_olx())
    assess.start(usage)
    form = {item.id: (item, order) for item, order in assess.form(usage)}

    def place(item_id, option):
        item, order = form[item_id]
        return str(item.displayed(order).index(option))

    answers = {
        "one": place("one", "b"),                                  # right: 1
        "many": [place("many", "a"), place("many", "d")],           # one right, one wrong of two right: 0
        "rate": place("rate", "s2"),                                # third of four steps: 2/3
        "order": [place("order", o) for o in "wxzy"],               # 5 of 6 pairs in order
        "match": {"0": place("match", "t"), "1": place("match", "v")},  # one of two prompts: 1/2
    }
    block = assess.block(usage)
    status, body = assess.call(usage, "submit", {"attempt_id": block.current_form["id"], "answers": answers})
    assert status == 200, body
    scores = assess.block(usage).attempts[0]["item_scores"]
    assert scores == pytest.approx({"one": 1.0, "many": 0.0, "rate": 2 / 3, "order": 5 / 6, "match": 0.5})
    percents = assess.block(usage).attempts[0]["percents"]
    assert percents == pytest.approx({"1.1": 100.0, "2.1": 0.0, "3.1": 200 / 3, "4.1": 500 / 6, "5.1": 50.0})
    row = api.attempts(usage_key=str(usage)).get()
    assert row.item_scores == pytest.approx(scores)
    assert row.assurance == "self-reported"


def test_right_answers_reach_the_top_level_and_publish_grade_completion_and_tracking(assess, clock, published):
    usage = assess.load()
    assess.start(usage)
    status, body = assess.submit(usage)
    assert status == 200 and body["notice"] == "Your answers were recorded."
    assert of_type(published, "grade") == [{"value": 1.0, "max_value": 1.0, "only_if_higher": None}]
    assert of_type(published, "completion") == [{"completion": 1.0}]
    tracking = of_type(published, "vn.learningcitizen.assessment.submitted")[0]
    assert tracking["counted_level"] == 6 and tracking["has_digital_skills"] and tracking["proficient"]
    assert "Level 6" in body["html"] and "Advanced" in body["html"]
    block = assess.block(usage)
    assert block.get_score() == (1.0, 1.0) and block.calculate_score() == (1.0, 1.0)


def test_wrong_answers_reach_no_level_and_earn_no_credit(assess, clock, published):
    usage = assess.load()
    assess.start(usage)
    status, body = assess.submit(usage, right=False)
    assert status == 200
    assert of_type(published, "grade")[0]["value"] == 0.0
    assert "Not yet level 1" in body["html"]
    row = api.attempts(usage_key=str(usage)).get()
    assert (row.level, row.has_digital_skills, row.proficient) == (None, False, False)
    assert learner_entries() == []


def test_the_weight_is_the_platforms_to_apply(assess, clock, published):
    usage = assess.load(weight="5")
    assess.start(usage)
    assess.submit(usage)
    block = assess.block(usage)
    assert block.weight == 5.0 and block.max_score() == 1.0 and block.has_score
    assert of_type(published, "grade")[0]["max_value"] == 1.0


# -- credit -----------------------------------------------------------------------------------------------

def test_credit_goes_to_the_digital_skills_indicator_by_level(assess, clock):
    usage = assess.load()
    assess.start(usage)
    assess.submit(usage)
    (entry,) = learner_entries()
    assert entry.indicator == digital_indicator()
    assert entry.points == Decimal("10.00")            # level 6 on the shipped scale
    assert (entry.source_kind, entry.usage_key, entry.period) == ("assessment", str(usage), "2026")
    assert (entry.assurance, entry.provenance) == ("self-reported", "declared")  # the sample has self-ratings
    # The key as the assessment has always made it (block, learner, period, total reached).
    assert entry.idempotency_key == f"skills-assessment:{usage}:{workbench_user_id('101')}:2026:10.00"


def test_a_better_attempt_tops_credit_up_and_a_worse_one_takes_nothing_back(assess, clock):
    usage = assess.load(attempt_policy="latest", max_attempts="0")
    assess.start(usage)
    assess.submit(usage, right=False)
    assert learner_entries() == []
    assess.start(usage)
    # Partly right: 60 % of the form's items right (an intermediate band, whatever form was drawn), the rest wrong.
    block = assess.block(usage)
    answers = assess.answers(usage, right=False)
    right = assess.answers(usage, right=True)
    form = list(assess.form(usage))
    for item, _order in form[:(len(form) * 3 + 4) // 5]:
        answers[item.id] = right[item.id]
    assess.call(usage, "submit", {"attempt_id": block.current_form["id"], "answers": answers})
    first_credit = sum(entry.points for entry in learner_entries())
    assert Decimal("0") < first_credit < Decimal("10")
    assess.start(usage)
    assess.submit(usage)
    assert sum(entry.points for entry in learner_entries()) == Decimal("10.00")
    assess.start(usage)
    assess.submit(usage, right=False)                  # "latest" now counts a worse result
    assert sum(entry.points for entry in learner_entries()) == Decimal("10.00")
    assert ledger.standing(workbench_user_id("101"), "2026").indicators[int(digital_indicator()) - 1].points == Decimal("10.00")


def test_no_credit_when_the_author_turns_it_off(assess, clock):
    usage = assess.load(award_credit="false")
    assess.start(usage)
    assess.submit(usage)
    assert learner_entries() == []


# -- attempts -----------------------------------------------------------------------------------------------

def take(assess, usage, right, user="101"):
    assess.start(usage, user)
    status, body = assess.submit(usage, user, right=right)
    assert status == 200, body
    return body


@pytest.mark.parametrize("policy, expected", [("highest", 1.0), ("latest", 0.0), ("average", 0.5)])
def test_attempt_policies_decide_the_grade(assess, clock, published, policy, expected):
    usage = assess.load(attempt_policy=policy, blueprint="*:2")
    take(assess, usage, True)
    take(assess, usage, False)
    assert of_type(published, "grade")[-1]["value"] == pytest.approx(expected)
    row = api.attempts(usage_key=str(usage)).last()
    assert row.policy == policy and row.counted_percent == pytest.approx(expected * 100)


def test_the_number_of_attempts_is_limited(assess, clock):
    usage = assess.load(max_attempts="2")
    take(assess, usage, True)
    body = take(assess, usage, False)
    assert "You have used all your attempts." in body["html"]
    status, refused = assess.call(usage, "start", {})
    assert status == 409 and refused["error"] == "You have used all your attempts."
    assert len(assess.block(usage).attempts) == 2


def test_a_repeated_submission_of_one_attempt_counts_once(assess, clock, published):
    usage = assess.load()
    assess.start(usage)
    block = assess.block(usage)
    payload = {"attempt_id": block.current_form["id"], "answers": assess.answers(usage)}
    first = assess.call(usage, "submit", payload)
    second = assess.call(usage, "submit", payload)
    assert first[0] == second[0] == 200
    assert second[1]["already_submitted"] and "already submitted" in second[1]["notice"]
    assert len(assess.block(usage).attempts) == 1
    assert api.attempts(usage_key=str(usage)).count() == 1
    assert len(learner_entries()) == 1
    assert len(of_type(published, "grade")) == 1 and len(of_type(published, "completion")) == 1


def test_recording_an_attempt_twice_keeps_one_row(assess, clock):
    usage = assess.load()
    assess.start(usage)
    assess.submit(usage)
    row = api.attempts(usage_key=str(usage)).get()
    fields = {field.name: getattr(row, field.name) for field in row._meta.fields if field.name != "id"}
    again, created = api.record_attempt(**fields)
    assert not created and again.pk == row.pk


# -- time limit ------------------------------------------------------------------------------------------------

def test_when_time_is_up_the_answers_given_so_far_count(assess, clock):
    usage = assess.load(time_limit_minutes="10")
    body = assess.start(usage)
    assert body["seconds_left"] == 600
    answers = assess.answers(usage)
    first_half = dict(list(answers.items())[:12])
    block = assess.block(usage)
    clock.advance(minutes=10, seconds=20)
    status, result = assess.call(usage, "submit", {"attempt_id": block.current_form["id"], "answers": first_half, "timed_out": True})
    assert status == 200, result
    scores = assess.block(usage).attempts[0]["item_scores"]
    assert sum(scores.values()) == 12 and len(scores) == 24


def test_unanswered_questions_are_refused_before_the_time_is_up(assess, clock):
    usage = assess.load(time_limit_minutes="10")
    assess.start(usage)
    block = assess.block(usage)
    clock.advance(minutes=2)
    partial = dict(list(assess.answers(usage).items())[:3])
    status, body = assess.call(usage, "submit", {"attempt_id": block.current_form["id"], "answers": partial, "timed_out": True})
    assert status == 400 and "not answered yet (21)" in body["error"]
    assert assess.block(usage).attempts == []


def test_after_the_grace_period_the_attempt_expires_without_its_answers(assess, clock, published):
    usage = assess.load(time_limit_minutes="10")
    attempt_id = assess.start(usage)["attempt_id"]
    clock.advance(minutes=12)
    assert "Time is up for this attempt" in assess.view(usage)
    status, body = assess.submit(usage)                # all right, but too late
    assert status == 200 and body["expired"]
    attempt = assess.block(usage).attempts[0]
    assert attempt["status"] == "expired" and attempt["percent"] == 0 and attempt["id"] == attempt_id
    assert of_type(published, "grade")[0]["value"] == 0.0
    assert api.attempts(usage_key=str(usage)).get().status == "expired"


def test_starting_again_closes_an_expired_attempt_first(assess, clock):
    usage = assess.load(time_limit_minutes="5")
    first = assess.start(usage)
    clock.advance(minutes=7)
    second = assess.start(usage)
    assert second["attempt_id"] != first["attempt_id"]
    attempts = assess.block(usage).attempts
    assert [a["status"] for a in attempts] == ["expired"] and attempts[0]["id"] == first["attempt_id"]


def test_no_time_limit(assess, clock):
    usage = assess.load(time_limit_minutes="0")
    body = assess.start(usage)
    assert body["seconds_left"] is None
    clock.advance(days=3)
    assert assess.submit(usage)[0] == 200


def test_an_expired_last_attempt_shows_the_results(assess, clock):
    usage = assess.load(time_limit_minutes="5", max_attempts="1")
    assess.start(usage)
    clock.advance(minutes=7)
    status, body = assess.call(usage, "start", {})
    assert status == 200 and body["expired"] and "You have used all your attempts." in body["html"]
    assert [a["status"] for a in assess.block(usage).attempts] == ["expired"]
    assert assess.block(usage).current_form == {}


# -- the bank changes under an attempt -------------------------------------------------------------

def change_blueprint_bank(assess, usage):
    """Replace the block's bank by a copy without the items of the learner's form."""
    from xblocks.criteria.documents import load_fixture  # pylint: disable=import-outside-toplevel
    bank = load_fixture("item-banks/learning-citizen-digital-skills.json", "item-bank")
    taken = {item.id for item, _order in assess.form(usage)}
    bank["items"] = [item for item in bank["items"] if item["id"] not in taken]
    author = assess.block(usage, "author")
    author.item_bank_json = json.dumps(bank)
    author.save()


def test_a_form_whose_items_left_the_bank_is_discarded(assess, clock):
    usage = assess.load()
    first = assess.start(usage)
    payload = {"attempt_id": first["attempt_id"], "answers": assess.answers(usage)}
    change_blueprint_bank(assess, usage)
    status, body = assess.call(usage, "submit", payload)
    assert status == 409 and "changed while you took it" in body["error"]
    assert assess.block(usage).current_form == {} and assess.block(usage).attempts == []
    again = assess.start(usage)
    assert again["attempt_id"] != first["attempt_id"]


def test_starting_draws_again_when_the_form_left_the_bank(assess, clock):
    usage = assess.load()
    first = assess.start(usage)
    change_blueprint_bank(assess, usage)
    again = assess.start(usage)
    assert again["attempt_id"] != first["attempt_id"] and again["html"].count("<fieldset") == 24
