"""
Item banks for the digital-skills assessment. Blueprints, and the forms drawn from a bank, are
in :mod:`.blueprints`.

An item bank is a data file (``schemas/item-bank.schema.json``): items tagged with competence
codes of one competence framework, a level and a kind. Loading checks the schema, then what a
schema cannot say: unique item and option ids, competence codes and levels that exist in the
framework, and answer keys that name the item's own options. Every problem is reported at once.

Each kind knows three things, all on the server: what a learner sees (:meth:`Item.public`,
never the key), whether an answer is well formed (:meth:`Item.answer_problems`) and what it
scores, from 0 to 1 (:meth:`Item.score`):

* ``single-choice``: 1 for the key, else 0.
* ``multiple-response``: (right picks - wrong picks) / number of right options, at least 0.
* ``self-rating``: the step's place on the ordered scale, lowest 0 to highest 1.
* ``ordering``: the share of pairs of options the answer puts in the key's order.
* ``matching``: the share of prompts matched to their key target.
"""
import json
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from .competences import get_competence_framework, version_key
from .documents import fixture_names, load_fixture, schema_problems
from .language import localised
from .problems import N_, InvalidInput, Problem

ITEM_BANKS_FOLDER = "item-banks"
SCHEMA = "item-bank"
SINGLE, MULTIPLE, RATING, ORDERING, MATCHING = "single-choice", "multiple-response", "self-rating", "ordering", "matching"
KINDS = (SINGLE, MULTIPLE, RATING, ORDERING, MATCHING)
DIMENSIONS = ("knowledge", "skills", "attitudes")
# What a kind measures when the item does not say: recalling facts, or doing something.
_DEFAULT_DIMENSION = {SINGLE: DIMENSIONS[0], MULTIPLE: DIMENSIONS[0], ORDERING: DIMENSIONS[1], MATCHING: DIMENSIONS[1]}
NOT_A_CHOICE = "\x00not-a-choice"  # what a token that names no shown choice decodes to


@dataclass(frozen=True)
class Choice:
    id: str
    text: dict


@dataclass(frozen=True, eq=False)
class Item:  # pylint: disable=too-many-instance-attributes
    """One item. ``key`` is a str (single choice), a tuple (multiple response: the right ids;
    ordering: the ids in order) or a dict (matching: prompt id -> target id); None for self-rating."""

    id: str
    kind: str
    competences: tuple
    level: int
    dimension: str
    prompt: dict
    options: tuple = ()     # options, or the rating scale lowest first
    key: object = None
    prompts: tuple = ()     # matching only
    targets: tuple = ()     # matching only

    @property
    def option_ids(self):
        return [choice.id for choice in self.options]

    @property
    def target_ids(self):
        return [choice.id for choice in self.targets]

    @property
    def prompt_ids(self):
        return [choice.id for choice in self.prompts]

    @property
    def shuffled(self):
        """The list whose order a form draws per learner (None: shown in the bank's order)."""
        return {SINGLE: "options", MULTIPLE: "options", ORDERING: "options", MATCHING: "targets"}.get(self.kind)

    # -- what the learner sees -------------------------------------------------------------

    def displayed(self, order):
        """The ids of the shuffled list (options, or targets for matching) in the order shown."""
        ids = self.target_ids if self.kind == MATCHING else self.option_ids
        return list(order) if order and self.shuffled else ids

    def public(self, order, language):
        """
        The item as a learner sees it: prompt, kind and choices in the form's order, and no key.

        Choices are named by their place in what is shown ("0", "1", ...), never by the bank's ids:
        bank ids often follow the key (a key "a", an ordering a-b-c-d), and the shown order is the
        learner's own shuffle, so a place says nothing about the answer. :meth:`decode` maps back.
        """
        by_id = {choice.id: choice for choice in (*self.options, *self.targets)}

        def choices(ids):
            return [{"id": str(place), "text": localised(by_id[i].text, language)} for place, i in enumerate(ids)]

        view = {"id": self.id, "kind": self.kind, "dimension": self.dimension, "competences": list(self.competences),
                "prompt": localised(self.prompt, language)}
        if self.kind == MATCHING:
            view["prompts"] = [{"id": str(place), "text": localised(c.text, language)} for place, c in enumerate(self.prompts)]
            view["targets"] = choices(self.displayed(order))
        else:
            view["options"] = choices(self.displayed(order))
        return view

    def decode(self, order, answer):
        """
        A learner's answer in shown places (see :meth:`public`) in the bank's ids. Anything that
        is not a shown place becomes :data:`NOT_A_CHOICE`, which :meth:`answer_problems` refuses.
        """
        shown = self.displayed(order)

        def one(token, ids):
            if isinstance(token, str) and token.isdigit() and int(token) < len(ids) and str(int(token)) == token:
                return ids[int(token)]
            return NOT_A_CHOICE

        if self.kind in (SINGLE, RATING):
            return one(answer, shown)
        if self.kind in (MULTIPLE, ORDERING):
            return [one(token, shown) for token in answer] if isinstance(answer, list) else answer
        if self.kind == MATCHING and isinstance(answer, dict):
            return {one(prompt, self.prompt_ids): one(target, shown) for prompt, target in answer.items()}
        return answer

    def answer_problems(self, answer):
        """What is malformed about an answer (an empty list: it can be scored)."""
        where = self.id
        if self.kind in (SINGLE, RATING):
            if not isinstance(answer, str) or answer not in self.option_ids:
                return [Problem(N_("the answer must be one of the item's options"), where=where)]
        elif self.kind == MULTIPLE:
            if not isinstance(answer, list) or not answer or not all(isinstance(x, str) for x in answer):
                return [Problem(N_("the answer must be a list of one or more of the item's options"), where=where)]
            if len(set(answer)) != len(answer):
                return [Problem(N_("the answer names an option more than once"), where=where)]
            if not set(answer) <= set(self.option_ids):
                return [Problem(N_("the answer names an option the item does not have"), where=where)]
        elif self.kind == ORDERING:
            if (not isinstance(answer, list) or not all(isinstance(x, str) for x in answer)
                    or sorted(answer) != sorted(self.option_ids)):
                return [Problem(N_("the answer must list every option of the item exactly once, in order"), where=where)]
        elif self.kind == MATCHING:
            if not isinstance(answer, dict) or sorted(answer) != sorted(self.prompt_ids):
                return [Problem(N_("the answer must match every prompt of the item"), where=where)]
            if not all(isinstance(target, str) and target in self.target_ids for target in answer.values()):
                return [Problem(N_("the answer matches a prompt to a target the item does not have"), where=where)]
        return []

    def score(self, answer):
        """The answer's score from 0 to 1 (the answer must be well formed)."""
        if self.kind == SINGLE:
            return 1.0 if answer == self.key else 0.0
        if self.kind == MULTIPLE:
            picked = set(answer)
            right, wrong = len(picked & set(self.key)), len(picked - set(self.key))
            return max(0.0, (right - wrong) / len(self.key))
        if self.kind == RATING:
            return self.option_ids.index(answer) / (len(self.options) - 1)
        if self.kind == ORDERING:
            place = {option: index for index, option in enumerate(answer)}
            pairs = list(combinations(self.key, 2))
            return sum(1 for first, second in pairs if place[first] < place[second]) / len(pairs)
        if self.kind == MATCHING:
            return sum(1 for prompt, target in self.key.items() if answer.get(prompt) == target) / len(self.key)
        raise ValueError(self.kind)  # pragma: no cover - kinds are checked on load


@dataclass(frozen=True, eq=False)
class ItemBank:
    """One version of an item bank, checked against its competence framework."""

    id: str
    version: str
    title: dict
    description: dict | None
    framework: object           # the CompetenceFramework the codes and levels belong to
    items: tuple
    unconfirmed: tuple = ()
    _index: dict = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "_index", {item.id: item for item in self.items})

    @classmethod
    def from_document(cls, document, where=None):
        """Build a bank from a parsed document, or raise InvalidInput with every problem found."""
        where = where if where is not None else str(document.get("id", "")) if isinstance(document, dict) else ""
        problems = [Problem(p.template, p.params, where=f"{where} {p.where}".strip()) for p in schema_problems(SCHEMA, document)]
        if problems:
            raise InvalidInput(problems)
        reference = document["competence_framework"]
        try:
            framework = get_competence_framework(reference["id"], reference["version"])
        except InvalidInput as error:
            raise InvalidInput([Problem(p.template, p.params, where=f"{where} $.competence_framework") for p in error.problems]) from None
        items, problems = [], []
        for index, raw in enumerate(document["items"]):
            item, item_problems = _build_item(raw, document.get("rating_scales", {}), framework, f"{where} $.items[{index}]")
            problems += item_problems
            if item is not None:
                items.append(item)
        seen = set()
        for item in items:
            if item.id in seen:
                problems.append(Problem(N_("item id {item} appears more than once"), {"item": item.id}, where=f"{where} $.items"))
            seen.add(item.id)
        if problems:
            raise InvalidInput(problems)
        return cls(id=document["id"], version=document["version"], title=document["title"],
                   description=document.get("description"), framework=framework, items=tuple(items),
                   unconfirmed=tuple(document.get("unconfirmed", ())))

    def item(self, item_id):
        """The item with this id, or None."""
        return self._index.get(item_id)

    def matching(self, code):
        """Items giving evidence for ``code``: a competence code, or a domain code (any of its competences)."""
        if self.framework.domain(code) is not None:
            members = {competence.code for competence in self.framework.domain(code).competences}
            return [item for item in self.items if members & set(item.competences)]
        return [item for item in self.items if code in item.competences]

    def covered_competences(self):
        """Codes of the framework's competences that have at least one item, in framework order."""
        tagged = {code for item in self.items for code in item.competences}
        return [competence.code for competence in self.framework.competences if competence.code in tagged]


def _choices(raw):
    return tuple(Choice(entry["id"], entry["text"]) for entry in raw)


def _build_item(raw, scales, framework, where):  # pylint: disable=too-many-branches
    """An Item from its (schema-valid) document, and the problems a schema cannot see."""
    problems = []

    def problem(template, **params):
        problems.append(Problem(template, params, where=where))

    for code in raw["competences"]:
        if framework.competence(code) is None:
            problem(N_("competence {code} is not in {framework} {version}"), code=code, framework=framework.id,
                    version=framework.version)
    if framework.level(raw["level"]) is None:
        problem(N_("level {level} is not a level of {framework} {version}"), level=raw["level"], framework=framework.id,
                version=framework.version)
    kind = raw["kind"]
    dimension = raw.get("dimension") or _DEFAULT_DIMENSION.get(kind)
    options, key, prompts, targets = (), None, (), ()
    if kind == RATING:
        scale = raw.get("scale") or scales.get(dimension)
        if not scale:
            problem(N_("a self-rating item needs a scale, its own or the bank's scale for {dimension}"), dimension=dimension)
        else:
            options = _choices(scale)
    elif kind == MATCHING:
        prompts, targets = _choices(raw["prompts"]), _choices(raw["targets"])
        key = dict(raw["key"])
        prompt_ids, target_ids = [c.id for c in prompts], [c.id for c in targets]
        if sorted(key) != sorted(prompt_ids):
            problem(N_("the key must match every prompt exactly once"))
        if not set(key.values()) <= set(target_ids):
            problem(N_("the key names a target the item does not have"))
        if len(set(prompt_ids)) != len(prompt_ids):
            problem(N_("two of the item's prompts have the same id"))
        if len(set(target_ids)) != len(target_ids):
            problem(N_("two of the item's targets have the same id"))
    else:
        options = _choices(raw["options"])
        ids = [c.id for c in options]
        key = raw["key"]
        if kind == SINGLE and key not in ids:
            problem(N_("the key {key} is not one of the item's options"), key=key)
        if kind == MULTIPLE:
            key = tuple(key)
            if not set(key) <= set(ids):
                problem(N_("the key names an option the item does not have"))
        if kind == ORDERING:
            key = tuple(key)
            if sorted(key) != sorted(ids):
                problem(N_("the key must list every option exactly once"))
    if len(set(c.id for c in options)) != len(options):
        problem(N_("two of the item's options have the same id"))
    if problems:
        return None, problems
    return Item(id=raw["id"], kind=kind, competences=tuple(raw["competences"]), level=raw["level"], dimension=dimension,
                prompt=raw["prompt"], options=options, key=key, prompts=prompts, targets=targets), []


# -- shipped banks and banks given as text ----------------------------------------------------

@lru_cache(maxsize=None)
def available_item_banks():
    """Every shipped item bank, validated, keyed by (id, version)."""
    banks = {}
    for name in fixture_names(ITEM_BANKS_FOLDER):
        path = f"{ITEM_BANKS_FOLDER}/{name}"
        bank = ItemBank.from_document(load_fixture(path, SCHEMA), where=path)
        if (bank.id, bank.version) in banks:
            raise InvalidInput([Problem(N_("item bank {id} {version} is defined by more than one file"),
                                        {"id": bank.id, "version": bank.version}, where=path)])
        banks[(bank.id, bank.version)] = bank
    return banks


def get_item_bank(bank_id, version=None):
    """The shipped bank with this id (the newest version unless one is named), or raise InvalidInput."""
    candidates = [bank for (bid, _), bank in available_item_banks().items() if bid == bank_id]
    if version is not None:
        candidates = [bank for bank in candidates if bank.version == version]
    if not candidates:
        label = bank_id if version is None else f"{bank_id} {version}"
        raise InvalidInput([Problem(N_("unknown item bank {bank}"), {"bank": label}, where="item_bank")])
    return max(candidates, key=lambda bank: version_key(bank.version))


@lru_cache(maxsize=32)
def parse_item_bank_text(text):
    """A bank an author pasted as JSON text (Studio, OLX), validated like a shipped one."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise InvalidInput([Problem(N_("cannot be read as JSON: {detail}"), {"detail": str(error)}, where="item_bank_json")]) from None
    return ItemBank.from_document(document, where="item_bank_json")
