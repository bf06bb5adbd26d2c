"""Staff: item statistics; reports: the platform's response report hook and the digital-skills facts."""
import json
from types import SimpleNamespace

import pytest

from xblocks.common.mixins import workbench_user_id
from xblocks.criteria.proficiency import get_scale
from xblocks.skills_assessment import api

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def cohort(assess, usage, results):
    """Learners 301.. take the assessment: True all right, False all wrong, None self-ratings high only."""
    for number, right in enumerate(results, start=301):
        user = str(number)
        assess.start(usage, user)
        if right is None:
            answers = assess.answers(usage, user, right=False)
            good = assess.answers(usage, user, right=True)
            for item, _order in assess.form(usage, user):
                if item.kind == "self-rating":
                    answers[item.id] = good[item.id]
            attempt_id = assess.block(usage, user).current_form["id"]
            status, body = assess.call(usage, "submit", {"attempt_id": attempt_id, "answers": answers}, user)
        else:
            status, body = assess.submit(usage, user, right=right)
        assert status == 200, body


def test_item_statistics_are_for_staff_only(assess, clock):
    usage = assess.load()
    status, body = assess.call(usage, "item_statistics", {}, "101")
    assert status == 403 and body["error"] == "Only course staff can see item statistics."
    status, body = assess.call(usage, "item_statistics", {}, "staff")
    assert status == 200 and body["items"] == [] and "No attempt has been submitted yet." in body["html"]
    assert "Show item statistics" in assess.view(usage, "staff")
    assert "Show item statistics" not in assess.view(usage, "101")


def test_item_statistics_give_facility_and_discrimination(assess, clock):
    usage = assess.load(blueprint="*:2")
    cohort(assess, usage, [True, True, False, None, None, False])
    status, body = assess.call(usage, "item_statistics", {}, "staff")
    assert status == 200
    rows = {row["id"]: row for row in body["items"]}
    assert len(rows) == 48 and {row["responses"] for row in rows.values()} == {6}
    scored = rows["c11-choice"]
    assert scored["facility"] == "0.33" and float(scored["discrimination"]) > 0.5
    rating = rows["c11-rate"]
    assert rating["facility"] == "0.67"
    assert "Facility" in body["html"] and "c11-choice" in body["html"]


def test_statistics_count_each_learners_latest_submitted_attempt(assess, clock):
    usage = assess.load(max_attempts="0")
    cohort(assess, usage, [False])
    assess.start(usage, "301")
    assess.submit(usage, "301", right=True)
    rows = [r for r in api.item_statistics(str(usage)) if r.responses]
    assert len(rows) == 24                              # the second form's items only
    assert {(r.responses, r.facility) for r in rows} == {(1, 1.0)}


def test_report_rows_one_per_attempt_with_answers_and_scores(assess, clock):
    usage = assess.load(max_attempts="0")
    cohort(assess, usage, [True, False])
    assess.start(usage, "301")
    assess.submit(usage, "301", right=False)
    states = [SimpleNamespace(username=f"learner{user}", state={"attempts": assess.block(usage, user).attempts})
              for user in ("301", "302")]
    block = assess.block(usage, "staff")
    rows = list(block.generate_report_data(iter(states)))
    assert [(name, row["Attempt"]) for name, row in rows] == [("learner301", 1), ("learner301", 2), ("learner302", 1)]
    first = rows[0][1]
    assert first["Score (%)"] == 100.0 and first["Level"] == 6 and first["Status"] == "submitted"
    answers = json.loads(first["Answers"])
    assert len(answers) == 24 and set(json.loads(first["Item scores"]).values()) == {1.0}
    assert len(list(block.generate_report_data(iter(states), limit_responses=2))) == 2


def test_digital_skills_facts_for_the_reports(assess, clock):
    usage = assess.load(max_attempts="0", attempt_policy="latest")
    cohort(assess, usage, [True, False, None])
    assess.start(usage, "302")
    assess.submit(usage, "302", right=True)          # learner 302 does better the second time
    facts = {fact.user_id: fact for fact in api.digital_skills_facts("2026")}
    assert set(facts) == {workbench_user_id(u) for u in ("301", "302", "303")}
    top = facts[workbench_user_id("302")]
    assert (top.has_digital_skills, top.proficient, top.level, top.tier) == (True, True, 6, "advanced")
    assert top.assurance == "self-reported" and top.usage_key == str(usage)
    rated = facts[workbench_user_id("303")]
    # Only the self-ratings are right, and how many a random form holds varies: the level is
    # whatever the scale's bands give for that share (none below the lowest band).
    assert 0 < rated.percent < 100
    assert rated.level == get_scale(assess.block(usage, "303").scale).level_of(rated.percent)
    assert api.digital_skills_facts("2025") == []
