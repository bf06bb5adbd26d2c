"""
Blueprints, and the forms drawn with them from an item bank (:mod:`.item_banks`).

A blueprint says how many items a form has for a competence or a domain, as text such as
``*:1, 6:2``: at least one item for every competence the bank covers, and at least two for
domain 6. Rules are minimums; an item counts for every competence it is tagged with. A form is
one learner's draw: the items, each with its options in the learner's shuffled order.
"""
import random
import re
from dataclasses import dataclass

from .item_banks import MATCHING, ORDERING
from .problems import N_, InvalidInput, Problem

EVERY_COMPETENCE = "*"
_RULE = re.compile(r"^\s*([^:=\s]+)\s*[:=]\s*([0-9]+)\s*$")
_SEPARATORS = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class BlueprintRule:
    code: str    # a competence code, a domain code, or EVERY_COMPETENCE
    count: int


def parse_blueprint(text):
    """``"*:1, 6:2"`` as a list of :class:`BlueprintRule` plus the syntax problems found."""
    rules, problems = [], []
    for raw in _SEPARATORS.split(text or ""):
        if not raw.strip():
            continue
        match = _RULE.match(raw)
        if not match:
            problems.append(Problem(N_("write each blueprint rule as code:count, for example 4.2:2 or *:1 (not \"{rule}\")"),
                                    {"rule": raw.strip()}, where="blueprint"))
            continue
        rules.append(BlueprintRule(match.group(1), int(match.group(2))))
    if not rules and not problems:
        problems.append(Problem(N_("the blueprint is empty: give at least one rule such as *:1"), where="blueprint"))
    return rules, problems


def blueprint_problems(bank, rules):
    """What stops ``rules`` from drawing a form out of ``bank`` (an empty list: every draw succeeds)."""
    problems, seen = [], set()
    for rule in rules:
        if rule.code in seen:
            problems.append(Problem(N_("the blueprint names {code} more than once"), {"code": rule.code}, where="blueprint"))
        seen.add(rule.code)
        if rule.count < 1:
            problems.append(Problem(N_("{code}: the number of items must be at least 1"), {"code": rule.code}, where="blueprint"))
            continue
        if rule.code == EVERY_COMPETENCE:
            codes = bank.covered_competences()
        elif bank.framework.domain(rule.code) is None and bank.framework.competence(rule.code) is None:
            problems.append(Problem(N_("{code} is neither a domain nor a competence of {framework}"),
                                    {"code": rule.code, "framework": bank.framework.id}, where="blueprint"))
            continue
        else:
            codes = [rule.code]
        for code in codes:
            available = len(bank.matching(code))
            if available < rule.count:
                problems.append(Problem(N_("{code}: the blueprint asks for {count} items but the bank has {available}"),
                                        {"code": code, "count": rule.count, "available": available}, where="blueprint"))
    return problems


@dataclass(frozen=True)
class FormItem:
    item_id: str
    order: tuple | None   # the learner's order of the item's shuffled list; None: the bank's order

    def as_dict(self):
        return {"id": self.item_id, "order": None if self.order is None else list(self.order)}

    @classmethod
    def from_dict(cls, data):
        return cls(data["id"], None if data.get("order") is None else tuple(data["order"]))


def draw_form(bank, rules, rng=None):
    """
    A learner's form: items meeting every rule (taken at random among those that qualify), grouped
    by competence in framework order, each with its options shuffled. Raises InvalidInput if the
    blueprint cannot be met. ``rng`` is a :class:`random.Random` (seed it to repeat a draw).
    """
    problems = blueprint_problems(bank, rules)
    if problems:
        raise InvalidInput(problems)
    rng = rng or random.SystemRandom()
    chosen = []
    for rule in rules:
        codes = bank.covered_competences() if rule.code == EVERY_COMPETENCE else [rule.code]
        for code in codes:
            matching = bank.matching(code)
            have = [item for item in matching if item in chosen]
            pool = [item for item in matching if item not in chosen]
            chosen += rng.sample(pool, max(0, rule.count - len(have)))
    position = {competence.code: index for index, competence in enumerate(bank.framework.competences)}
    chosen.sort(key=lambda item: min(position[code] for code in item.competences))
    return [FormItem(item.id, _shuffled_order(item, rng)) for item in chosen]


def _shuffled_order(item, rng):
    if item.shuffled is None:
        return None
    ids = list(item.target_ids if item.kind == MATCHING else item.option_ids)
    rng.shuffle(ids)
    if item.kind == ORDERING and tuple(ids) == tuple(item.key):
        ids = ids[1:] + ids[:1]   # an ordering item never starts in its key's order
    return tuple(ids)
