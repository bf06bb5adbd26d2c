"""
Answer keys never reach the browser: not in the rendered HTML, not in any handler response, before
or after submission. Choices reach it as shown places in each learner's own shuffle.
"""
import re
from collections import Counter

import pytest

from xblocks.criteria.item_banks import MATCHING, MULTIPLE, ORDERING, SINGLE, get_item_bank

pytestmark = [pytest.mark.database, pytest.mark.django_db]
LEARNERS = [str(n) for n in range(201, 211)]


def forms_taken(assess, usage):
    """Ten learners: each views, starts, reloads, is refused once, submits; returns their forms."""
    forms = {}
    for user in LEARNERS:
        assess.view(usage, user)
        assess.start(usage, user)
        assess.view(usage, user)
        assess.start(usage, user)
        forms[user] = assess.form(usage, user)
        attempt_id = assess.block(usage, user).current_form["id"]
        assess.call(usage, "submit", {"attempt_id": attempt_id, "answers": {}}, user)   # refused: nothing answered
        assess.submit(usage, user, right=(user != LEARNERS[0]))
        assess.view(usage, user)
    assess.call(usage, "item_statistics", {}, "staff")
    assess.view(usage, "staff")
    return forms


def test_keys_never_reach_the_browser(assess, clock):
    """One run, ten learners, every body the browser got: the checks below each read all of it."""
    usage = assess.load(blueprint="*:2", max_attempts="0")
    forms = forms_taken(assess, usage)
    no_response_names_a_key(assess.bodies)
    choices_are_named_by_shown_place_only(assess.bodies)
    the_shown_place_of_a_right_answer_says_nothing(forms)
    ordering_and_matching_are_shuffled(forms)
    results_show_scores_by_competence_not_by_item(assess.view(usage, LEARNERS[1]))
    assert set(assess.block(usage).student_view_data()) == {
        "display_name", "ready", "time_limit_minutes", "max_attempts", "attempt_policy", "weight", "item_bank",
        "competence_framework", "items_per_form"}


def no_response_names_a_key(bodies):
    assert len(bodies) > 60
    for body in bodies:
        assert not re.search(r"""["']key["']\s*:""", body)
        assert "data-key" not in body and "data-correct" not in body


def choices_are_named_by_shown_place_only(bodies):
    bank = get_item_bank("learning-citizen-digital-skills")
    bank_ids = {choice.id for item in bank.items for choice in (*item.options, *item.targets)}
    assert not any(choice.isdigit() for choice in bank_ids)
    values = 0
    for body in bodies:
        for value in re.findall(r'(?:value|data-option|data-prompt)="([^"]*)"', body):
            values += 1
            assert value == "" or value.isdigit(), value
    assert values > 1000


def the_shown_place_of_a_right_answer_says_nothing(forms):
    places = Counter()
    for form in forms.values():
        for item, order in form:
            if item.kind == SINGLE:
                places[item.displayed(order).index(item.key)] += 1
            if item.kind == MULTIPLE:
                places.update(item.displayed(order).index(key) for key in item.key)
    assert len(places) == 4 and min(places.values()) > 0.1 * sum(places.values())


def ordering_and_matching_are_shuffled(forms):
    shown = {}
    for form in forms.values():
        for item, order in form:
            if item.kind == ORDERING:
                assert tuple(item.displayed(order)) != tuple(item.key)
            if item.kind in (ORDERING, MATCHING):
                shown.setdefault(item.id, set()).add(tuple(item.displayed(order)))
    assert all(len(orders) > 1 for orders in shown.values())


def results_show_scores_by_competence_not_by_item(results):
    assert "Scores by domain" in results
    for item in get_item_bank("learning-citizen-digital-skills").items:
        assert item.id not in results
