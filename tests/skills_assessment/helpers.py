"""Answers as a learner's browser sends them (shown places), for the handler and browser tests."""
from xblocks.criteria.item_banks import MATCHING, MULTIPLE, ORDERING, RATING, SINGLE


def answer_for(item, order, right=True):
    """The answer to one item in shown places (see Item.public)."""
    shown = item.displayed(order)

    def place(option_id):
        return str(shown.index(option_id))

    if item.kind == SINGLE:
        wrong = next(option for option in shown if option != item.key)
        return place(item.key if right else wrong)
    if item.kind == RATING:
        return place(shown[-1] if right else shown[0])
    if item.kind == MULTIPLE:
        wrong = [option for option in shown if option not in item.key]
        return [place(option) for option in (item.key if right else wrong or shown[:1])]
    if item.kind == ORDERING:
        return [place(option) for option in (item.key if right else reversed(item.key))]
    if item.kind == MATCHING:
        prompts = [choice.id for choice in item.prompts]
        wrong_target = {prompt: next(t for t in shown if t != item.key[prompt]) for prompt in prompts}
        return {str(prompts.index(prompt)): place(item.key[prompt] if right else wrong_target[prompt]) for prompt in prompts}
    raise AssertionError(item.kind)
