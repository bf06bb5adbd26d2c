"""
The assessment's rules between the block and the criteria core: no XBlock and no Django here.

:class:`Config` is what an author configured (bank, blueprint, scale, attempts, time limit, course
links), checked as a whole by :func:`config_problems` (the Studio editor and the view use the same
checks). The rest works on plain JSON-able dicts, as the block keeps them in the learner's state:

* a **form** (:func:`new_form`): the drawn items with their shuffled orders, the attempt's id,
  number, start and deadline;
* a **submission** (:func:`check_submission`): refused with every problem found, or decoded into
  the bank's ids;
* an **attempt** (:func:`score_attempt`): item scores and percents per competence.
"""
import random
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from xblocks.criteria.blueprints import EVERY_COMPETENCE, FormItem, blueprint_problems, draw_form, parse_blueprint
from xblocks.criteria.item_banks import get_item_bank, parse_item_bank_text
from xblocks.criteria.problems import N_, InvalidInput, Problem
from xblocks.criteria.proficiency import POLICIES, combine, competence_percents, evaluate, get_scale

# A submission may arrive this long after the deadline (the browser submits at the deadline and the
# request takes time); later than that, the attempt has expired and its answers are not read.
GRACE = timedelta(seconds=60)
# A submission with unanswered items is accepted as "time is up" only this close to the deadline.
EARLY = timedelta(seconds=5)
MAX_TIME_LIMIT_MINUTES = 600
SUBMITTED, EXPIRED = "submitted", "expired"
_LINK = re.compile(r"^\s*([^|]+?)\s*\|\s*(\S+)\s*(?:\|\s*(.*?)\s*)?$")


@dataclass(frozen=True)
class CourseLink:
    code: str     # a competence or domain code
    url: str
    title: str


@dataclass(frozen=True)
class Config:  # pylint: disable=too-many-instance-attributes
    bank: object
    rules: tuple
    scale: object
    policy: str
    max_attempts: int          # 0: unlimited
    time_limit: timedelta | None
    links: tuple

    @property
    def framework(self):
        return self.bank.framework

    def links_for(self, code):
        """Links authors gave for a competence, then for its domain."""
        domain = self.framework.domain_of(code)
        return [link for link in self.links if link.code == code] + \
               [link for link in self.links if domain is not None and link.code == domain.code]


def parse_links(text, framework):
    """``code | url | title`` lines as :class:`CourseLink`, plus the problems found."""
    links, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.strip().startswith("#"):
            continue
        match = _LINK.match(line)
        if not match:
            problems.append(Problem(N_("write each course link as code | address | title (not \"{line}\")"),
                                    {"line": line.strip()}, where="course_links", line=number))
            continue
        code, url, title = match.group(1), match.group(2), match.group(3) or ""
        if framework.competence(code) is None and framework.domain(code) is None:
            problems.append(Problem(N_("{code} is neither a domain nor a competence of {framework}"),
                                    {"code": code, "framework": framework.id}, where="course_links", line=number))
        if not (url.startswith(("https://", "http://")) or (url.startswith("/") and not url.startswith("//"))):
            problems.append(Problem(N_("the address {url} must start with https://, http:// or /"), {"url": url},
                                    where="course_links", line=number))
        links.append(CourseLink(code, url, title))
    return links, problems


def load_bank(item_bank, item_bank_json):
    """The bank an author chose: pasted JSON when given, else a shipped bank by id."""
    if (item_bank_json or "").strip():
        return parse_item_bank_text(item_bank_json.strip())
    return get_item_bank(item_bank)


def config_problems(*, item_bank, item_bank_json, blueprint, scale, attempt_policy, max_attempts,
                    time_limit_minutes, weight, course_links):
    """Every problem with a configuration, and the Config when there is none: ``(config, problems)``."""
    problems = []
    try:
        bank = load_bank(item_bank, item_bank_json)
    except InvalidInput as error:
        bank, problems = None, problems + error.problems
    try:
        the_scale = get_scale(scale)
    except InvalidInput as error:
        the_scale, problems = None, problems + error.problems
    rules, syntax = parse_blueprint(blueprint)
    problems += syntax
    links = []
    if bank is not None:
        if not syntax:
            problems += blueprint_problems(bank, rules)
        links, link_problems = parse_links(course_links, bank.framework)
        problems += link_problems
        if the_scale is not None:
            problems += the_scale.problems_with(bank.framework)
    if attempt_policy not in POLICIES:
        problems.append(Problem(N_("unknown attempt policy {policy}"), {"policy": attempt_policy}, where="attempt_policy"))
    if max_attempts is None or max_attempts < 0:
        problems.append(Problem(N_("the number of attempts cannot be negative (0 means no limit)"), where="max_attempts"))
    if time_limit_minutes is None or not 0 <= time_limit_minutes <= MAX_TIME_LIMIT_MINUTES:
        problems.append(Problem(N_("the time limit is a number of minutes from 0 (none) to {maximum}"),
                                {"maximum": MAX_TIME_LIMIT_MINUTES}, where="time_limit_minutes"))
    if weight is None or weight < 0:
        problems.append(Problem(N_("the weight cannot be negative"), where="weight"))
    if problems:
        return None, problems
    config = Config(bank=bank, rules=tuple(rules), scale=the_scale, policy=attempt_policy, max_attempts=max_attempts,
                    time_limit=timedelta(minutes=time_limit_minutes) if time_limit_minutes else None, links=tuple(links))
    return config, []


# -- forms -------------------------------------------------------------------------------------

def iso(moment):
    return moment.isoformat()


def parse_time(text):
    return datetime.fromisoformat(text) if text else None


def new_form(config, number, now, rng=None):
    """A fresh form for attempt ``number``, drawn at random (``rng`` for repeatable tests)."""
    attempt_id = uuid.uuid4().hex
    rng = rng or random.Random(uuid.uuid4().int)
    items = draw_form(config.bank, list(config.rules), rng)
    return {
        "id": attempt_id,
        "number": number,
        "bank": [config.bank.id, config.bank.version],
        "started_at": iso(now),
        "deadline": iso(now + config.time_limit) if config.time_limit else None,
        "items": [item.as_dict() for item in items],
    }


def form_items(config, form):
    """``[(Item, FormItem)]`` of a form, or None if the bank no longer has one of its items."""
    pairs = []
    for raw in form["items"]:
        item = config.bank.item(raw["id"])
        if item is None:
            return None
        pairs.append((item, FormItem.from_dict(raw)))
    return pairs


def is_expired(form, now):
    deadline = parse_time(form.get("deadline"))
    return deadline is not None and now > deadline + GRACE


def seconds_left(form, now):
    deadline = parse_time(form.get("deadline"))
    return None if deadline is None else max(0, int((deadline - now).total_seconds()))


def public_form(config, form, language):
    """What the browser gets of a form: the items as shown, with no answer keys."""
    pairs = form_items(config, form) or []
    return [item.public(form_item.order, language) for item, form_item in pairs]


def check_submission(config, form, data, now):
    """
    The answers of a submission in the bank's ids, or raise InvalidInput with every problem:
    a wrong attempt, answers to items the form does not have, missing or malformed answers.

    ``data``: ``{"attempt_id": ..., "answers": {item id: answer in shown places}, "timed_out": bool}``.
    Unanswered items are accepted only when the time limit is (nearly) reached.
    """
    if not isinstance(data, dict):
        raise InvalidInput([Problem(N_("the submission must be a JSON object"))])
    problems = []
    unknown_fields = sorted(set(data) - {"attempt_id", "answers", "timed_out"})
    if unknown_fields:
        problems.append(Problem(N_("unexpected fields in the submission: {fields}"), {"fields": ", ".join(unknown_fields)}))
    if data.get("attempt_id") != form["id"]:
        problems.append(Problem(N_("this submission is not for the attempt in progress; reload the page"), where="attempt_id"))
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise InvalidInput(problems + [Problem(N_("the answers must be an object keyed by item id"), where="answers")])
    pairs = form_items(config, form) or []
    expected = {item.id: (item, form_item) for item, form_item in pairs}
    extra = sorted(set(answers) - set(expected))
    if extra:
        problems.append(Problem(N_("answers to items that are not on this form: {items}"), {"items": ", ".join(extra)}, where="answers"))
    missing = [item_id for item_id in expected if item_id not in answers]
    deadline = parse_time(form.get("deadline"))
    time_is_up = data.get("timed_out") is True and deadline is not None and now >= deadline - EARLY
    if missing and not time_is_up:
        problems.append(Problem(N_("not answered yet ({count}): {items}"),
                                {"count": len(missing), "items": ", ".join(missing)}, where="answers"))
    decoded = {}
    for item_id, (item, form_item) in expected.items():
        if item_id not in answers:
            continue
        answer = item.decode(form_item.order, answers[item_id])
        item_problems = item.answer_problems(answer)
        problems += item_problems
        if not item_problems:
            decoded[item_id] = answer
    if problems:
        raise InvalidInput(problems)
    return decoded


def score_attempt(config, form, answers):
    """``(item scores, percents per competence)``; an unanswered item scores 0."""
    pairs = form_items(config, form) or []
    scores = {item.id: (item.score(answers[item.id]) if item.id in answers else 0.0) for item, _ in pairs}
    percents = competence_percents({item.id: item.competences for item, _ in pairs}, scores)
    return scores, percents


def evaluate_percents(config, percents):
    """The result of one attempt's percents per competence."""
    return evaluate(config.framework, config.scale, percents)


def counted_result(config, attempts):
    """The result that counts under the block's policy, or None before any attempt."""
    if not attempts:
        return None
    return combine(config.framework, config.scale, [attempt["percents"] for attempt in attempts], config.policy)


def assurance_of(config, attempts):
    """How the counted result was obtained: self-reported if any self-rating item counted, else auto-scored."""
    rated = any(config.bank.item(item_id) is not None and config.bank.item(item_id).kind == "self-rating"
                for attempt in attempts for item_id in attempt.get("item_scores", {}))
    return "self-reported" if rated else "auto-scored"


__all__ = ["EVERY_COMPETENCE", "Config", "CourseLink", "config_problems", "new_form", "check_submission", "score_attempt",
           "counted_result", "evaluate_percents", "assurance_of", "public_form", "is_expired", "seconds_left", "SUBMITTED", "EXPIRED"]
