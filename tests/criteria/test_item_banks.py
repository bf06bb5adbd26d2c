"""Item banks: the sample bank's coverage, every kind's scoring, load-time checks, blueprints and forms."""
import copy
import json
import random
from itertools import permutations

import pytest

from xblocks.criteria.competences import get_competence_framework
from xblocks.criteria.documents import load_fixture
from xblocks.criteria.blueprints import EVERY_COMPETENCE, BlueprintRule, blueprint_problems, draw_form, parse_blueprint
from xblocks.criteria.item_banks import (
    MATCHING, MULTIPLE, NOT_A_CHOICE, ORDERING, RATING, SINGLE, ItemBank, available_item_banks, get_item_bank,
    parse_item_bank_text)
from xblocks.criteria.problems import InvalidInput

SAMPLE = "learning-citizen-digital-skills"
SAMPLE_FILE = f"item-banks/{SAMPLE}.json"


def sample_document():
    return copy.deepcopy(load_fixture(SAMPLE_FILE, "item-bank"))


@pytest.fixture(scope="module")
def bank():
    return get_item_bank(SAMPLE)


def first(bank, kind):
    return next(item for item in bank.items if item.kind == kind)


# -- the sample bank ------------------------------------------------------------------------------

def test_sample_bank_covers_every_competence_of_circular_02_with_two_items_or_more(bank):
    framework = get_competence_framework("circular-02-2025")
    assert bank.framework is framework
    assert len(framework.competences) == 24
    for competence in framework.competences:
        assert len(bank.matching(competence.code)) >= 2, competence.code
    assert bank.covered_competences() == [c.code for c in framework.competences]


def test_sample_bank_has_every_kind_and_every_self_rating_dimension(bank):
    assert {item.kind for item in bank.items} == {SINGLE, MULTIPLE, RATING, ORDERING, MATCHING}
    assert {item.dimension for item in bank.items if item.kind == RATING} == {"knowledge", "skills", "attitudes"}


def test_sample_bank_is_written_in_vietnamese_and_english(bank):
    for item in bank.items:
        for text in [item.prompt, *[c.text for c in (*item.options, *item.prompts, *item.targets)]]:
            assert text["vi"].strip() and text["en"].strip(), item.id
            assert text["vi"] != text["en"] or len(text["en"]) < 12, item.id  # names such as "VNeID" are the same


def test_shipped_banks_are_keyed_by_id_and_version():
    assert (SAMPLE, "1.0.0") in available_item_banks()
    with pytest.raises(InvalidInput, match="unknown item bank nope"):
        get_item_bank("nope")


# -- scoring per kind ------------------------------------------------------------------------------

def test_single_choice_scores_the_key_only(bank):
    item = first(bank, SINGLE)
    others = [option for option in item.option_ids if option != item.key]
    assert item.score(item.key) == 1.0
    assert {item.score(option) for option in others} == {0.0}


def test_multiple_response_gives_partial_credit_and_takes_off_wrong_picks(bank):
    item = next(i for i in bank.items if i.kind == MULTIPLE and len(i.key) == 3)
    right = list(item.key)
    wrong = next(option for option in item.option_ids if option not in item.key)
    assert item.score(right) == 1.0
    assert item.score(right[:2]) == pytest.approx(2 / 3)
    assert item.score([*right[:2], wrong]) == pytest.approx(1 / 3)
    assert item.score([right[0], wrong]) == 0.0
    assert item.score([wrong]) == 0.0  # never below 0


def test_self_rating_scores_the_place_on_the_scale(bank):
    item = first(bank, RATING)
    assert [item.score(step) for step in item.option_ids] == [0.0, pytest.approx(1 / 3), pytest.approx(2 / 3), 1.0]


def test_ordering_scores_the_share_of_pairs_in_order(bank):
    item = first(bank, ORDERING)
    key = list(item.key)
    assert item.score(key) == 1.0
    assert item.score(key[::-1]) == 0.0
    swapped = [key[1], key[0], *key[2:]]
    assert item.score(swapped) == pytest.approx(5 / 6)  # one of the 6 pairs of 4 is out of order
    assert all(0.0 <= item.score(list(order)) <= 1.0 for order in permutations(key))


def test_matching_scores_the_share_of_prompts_matched(bank):
    item = first(bank, MATCHING)
    key = dict(item.key)
    assert item.score(key) == 1.0
    prompts = list(key)
    one_wrong = {**key, prompts[0]: key[prompts[1]]}
    assert item.score(one_wrong) == pytest.approx((len(prompts) - 1) / len(prompts))


@pytest.mark.parametrize("kind, answer", [
    (SINGLE, None), (SINGLE, ["a"]), (SINGLE, "zz"), (SINGLE, NOT_A_CHOICE),
    (MULTIPLE, []), (MULTIPLE, "a"), (MULTIPLE, ["a", "a"]), (MULTIPLE, ["zz"]), (MULTIPLE, [1]),
    (RATING, 3), (RATING, "zz"),
    (ORDERING, ["a", "b"]), (ORDERING, ["a", "b", "c", "c"]), (ORDERING, "abcd"), (ORDERING, ["a", "b", "c", "zz"]),
    (MATCHING, {}), (MATCHING, ["p1"]), (MATCHING, {"p1": "ta", "p2": "tb", "p3": "tc", "p9": "ta"}),
    (MATCHING, {"p1": "ta", "p2": "tb", "p3": "zz"}),
])
def test_malformed_answers_are_named(bank, kind, answer):
    item = first(bank, kind)
    problems = item.answer_problems(answer)
    assert problems and problems[0].where == item.id


# -- shown places, never bank ids ------------------------------------------------------------------

def test_public_items_name_choices_by_shown_place_and_carry_no_key(bank):
    for item in bank.items:
        order = draw_order(item)
        view = item.public(order, "en")
        assert "key" not in view
        choices = view.get("options") or view["targets"]
        assert [choice["id"] for choice in choices] == [str(n) for n in range(len(choices))]


def draw_order(item):
    form = {f.item_id: f for f in draw_form(get_item_bank(SAMPLE), [BlueprintRule(EVERY_COMPETENCE, 2)], random.Random(7))}
    return form[item.id].order


def test_decode_maps_shown_places_back_and_refuses_the_rest(bank):
    item = first(bank, ORDERING)
    order = ("c", "a", "d", "b")
    assert item.decode(order, ["1", "3", "0", "2"]) == ["a", "b", "c", "d"]
    assert item.decode(order, ["1", "3", "0", "9"])[-1] == NOT_A_CHOICE
    assert item.decode(order, ["01", "3", "0", "2"])[0] == NOT_A_CHOICE
    single = first(bank, SINGLE)
    assert single.decode(("b", "a", "c", "d"), "1") == "a"
    assert single.decode(("b", "a", "c", "d"), "a") == NOT_A_CHOICE  # a bank id is not a shown place


def test_ordering_items_are_never_shown_in_the_order_of_their_key(bank):
    item = first(bank, ORDERING)
    for seed in range(200):
        form = draw_form(bank, [BlueprintRule(item.competences[0], 2)], random.Random(seed))
        shown = next(f.order for f in form if f.item_id == item.id)
        assert tuple(shown) != tuple(item.key)


# -- load-time checks ------------------------------------------------------------------------------

def load_problems(document):
    with pytest.raises(InvalidInput) as caught:
        ItemBank.from_document(document, where="bank")
    return str(caught.value)


def test_unknown_competence_and_level_are_refused():
    document = sample_document()
    document["items"][0]["competences"] = ["7.1"]
    document["items"][1]["level"] = 9
    text = load_problems(document)
    assert "competence 7.1 is not in circular-02-2025 1.0.0" in text
    assert "level 9 is not a level of circular-02-2025 1.0.0" in text


def test_keys_must_name_the_items_own_options():
    document = sample_document()
    by_kind = {}
    for raw in document["items"]:
        by_kind.setdefault(raw["kind"], raw)
    by_kind[SINGLE]["key"] = "z"
    by_kind[MULTIPLE]["key"] = ["a", "z"]
    by_kind[ORDERING]["key"] = ["a", "b"]
    by_kind[MATCHING]["key"] = {"p1": "ta", "p2": "zz", "p3": "tc"}
    text = load_problems(document)
    assert "the key z is not one of the item's options" in text
    assert "the key names an option the item does not have" in text
    assert "the key must list every option exactly once" in text
    assert "the key names a target the item does not have" in text


def test_repeated_item_ids_and_option_ids_are_refused():
    document = sample_document()
    document["items"][1]["id"] = document["items"][0]["id"]
    document["items"][3]["options"][1]["id"] = document["items"][3]["options"][0]["id"]
    text = load_problems(document)
    assert f"item id {document['items'][0]['id']} appears more than once" in text
    assert "two of the item's options have the same id" in text


def test_a_self_rating_item_needs_a_scale():
    document = sample_document()
    del document["rating_scales"]
    assert "a self-rating item needs a scale" in load_problems(document)


def test_schema_problems_are_located():
    document = sample_document()
    document["items"][0]["kind"] = "essay"
    del document["items"][2]["prompt"]["vi"]
    text = load_problems(document)
    assert "$.items[0]" in text and "$.items[2].prompt" in text


def test_a_bank_pasted_as_text_is_checked_like_a_shipped_one():
    text = json.dumps(sample_document())
    assert parse_item_bank_text(text).id == SAMPLE
    with pytest.raises(InvalidInput, match="cannot be read as JSON"):
        parse_item_bank_text("{not json")


# -- blueprints and forms ---------------------------------------------------------------------------

def test_blueprint_text():
    rules, problems = parse_blueprint("*:1, 6:2; 4.2=3\n")
    assert rules == [BlueprintRule("*", 1), BlueprintRule("6", 2), BlueprintRule("4.2", 3)] and not problems
    assert parse_blueprint("")[1][0].template.startswith("the blueprint is empty")
    assert "4.2 two" in str(parse_blueprint("4.2 two")[1][0])


def test_blueprint_problems(bank):
    rules = [BlueprintRule("*", 3), BlueprintRule("9", 1), BlueprintRule("6", 0), BlueprintRule("6", 1), BlueprintRule("4.2", 5)]
    text = " / ".join(str(p) for p in blueprint_problems(bank, rules))
    assert "1.1: the blueprint asks for 3 items but the bank has 2" in text
    assert "9 is neither a domain nor a competence of circular-02-2025" in text
    assert "6: the number of items must be at least 1" in text
    assert "the blueprint names 6 more than once" in text
    assert "4.2: the blueprint asks for 5 items but the bank has 2" in text


def test_a_form_meets_every_rule_as_a_minimum(bank):
    rules = [BlueprintRule("*", 1), BlueprintRule("6", 4), BlueprintRule("4.2", 2)]
    for seed in range(30):
        form = draw_form(bank, rules, random.Random(seed))
        items = [bank.item(f.item_id) for f in form]
        assert len({item.id for item in items}) == len(items)
        for competence in bank.framework.competences:
            assert any(competence.code in item.competences for item in items)
        assert sum(1 for item in items if item.competences[0].startswith("6.")) >= 4
        assert sum(1 for item in items if "4.2" in item.competences) == 2
        codes = [bank.framework.competences.index(bank.framework.competence(item.competences[0])) for item in items]
        assert codes == sorted(codes)  # grouped in framework order


def test_forms_are_drawn_at_random_and_repeat_with_the_same_seed(bank):
    rules = [BlueprintRule("*", 1)]
    forms = {tuple(f.item_id for f in draw_form(bank, rules, random.Random(seed))) for seed in range(20)}
    assert len(forms) > 10
    assert draw_form(bank, rules, random.Random(5)) == draw_form(bank, rules, random.Random(5))


def test_an_impossible_blueprint_draws_nothing(bank):
    with pytest.raises(InvalidInput, match="asks for 3 items"):
        draw_form(bank, [BlueprintRule("1.1", 3)])
