"""
The block's configuration as data: parsing the credit an author gives and finding what is wrong
with a configuration. No XBlock, no Django: the editor, the view and the tests share these checks.

Credit is written ``indicator:points``, several separated by commas, for example ``5:2`` or
``5:2, 1:1.5``: short enough for Studio's editor and for an OLX attribute, and it keeps every
indicator code and point value in the author's hands (the code has none hard-wired).
"""
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xblocks.criteria.frameworks import available_frameworks, as_points, get_framework
from xblocks.criteria.problems import N_, InvalidInput, Problem

SECTION, COURSE, BLOCKS = "section", "course", "blocks"
SCOPES = (SECTION, COURSE, BLOCKS)
_SEPARATORS = re.compile(r"[,;\n]+")
_ITEM = re.compile(r"^\s*([^:=\s]+)\s*[:=]\s*([-+]?[0-9]+(?:[.,][0-9]+)?)\s*$")


@dataclass(frozen=True)
class CreditItem:
    indicator: str
    points: Decimal


def parse_credit(text):
    """``"5:2, 1:1.5"`` as a list of :class:`CreditItem` plus the problems found (syntax only)."""
    items, problems = [], []
    for raw in _SEPARATORS.split(text or ""):
        if not raw.strip():
            continue
        match = _ITEM.match(raw)
        if not match:
            problems.append(Problem(N_("Write each credit as indicator:points, for example 5:2 (not \"{item}\")."),
                                    {"item": raw.strip()}))
            continue
        try:
            points = as_points(match.group(2).replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            problems.append(Problem(N_("Write each credit as indicator:points, for example 5:2 (not \"{item}\")."),
                                    {"item": raw.strip()}))
            continue
        items.append(CreditItem(match.group(1), points))
    return items, problems


def block_names(text):
    """``"unit-1, quiz-1"`` (commas, semicolons or new lines between) as a list of names."""
    return [name.strip() for name in _SEPARATORS.split(text or "") if name.strip()]


def format_credit(items):
    """The canonical text of a credit list (what the editor and OLX show)."""
    return ", ".join(f"{item.indicator}:{_plain(item.points)}" for item in items)


def _plain(points):
    text = f"{points:.2f}"
    return text.rstrip("0").rstrip(".")


def framework_choices():
    """``[(id, title dict)]`` of the frameworks on this site, each titled as the version in force (get_framework)."""
    return sorted((framework_id, get_framework(framework_id).title)
                  for framework_id in {framework_id for framework_id, _version in available_frameworks()})


def config_problems(*, framework_id, credit, scope, counted_blocks, min_score, learning_hours):
    """Every problem with a configuration; an empty list means it can award credit."""
    problems = []
    try:
        framework = get_framework(framework_id)
    except InvalidInput:
        framework = None
        problems.append(Problem(N_("Unknown criteria framework \"{framework}\"."), {"framework": framework_id}))
    items, syntax = parse_credit(credit)
    problems += syntax
    if not items and not syntax:
        problems.append(Problem(N_("Give at least one indicator and its points, for example 5:2.")))
    seen = set()
    for item in items:
        if item.indicator in seen:
            problems.append(Problem(N_("Indicator {indicator} is listed more than once."), {"indicator": item.indicator}))
        seen.add(item.indicator)
        if item.points <= 0:
            problems.append(Problem(N_("Indicator {indicator}: points must be more than 0."), {"indicator": item.indicator}))
        if framework is None:
            continue
        indicator = framework.indicator(item.indicator)
        if indicator is None:
            problems.append(Problem(N_("Unknown indicator \"{indicator}\": framework {framework} has no such indicator."),
                                    {"indicator": item.indicator, "framework": framework.id}))
        elif item.points > indicator.max_points:
            problems.append(Problem(N_("Indicator {indicator} allows at most {maximum} points; {points} is too many."),
                                    {"indicator": item.indicator, "maximum": _plain(indicator.max_points),
                                     "points": _plain(item.points)}))
    if scope not in SCOPES:
        problems.append(Problem(N_("Unknown scope \"{scope}\": count the section, the course or a list of blocks."),
                                {"scope": scope}))
    elif scope == BLOCKS and not block_names(counted_blocks):
        problems.append(Problem(N_("Nothing to count: list at least one block, or count the section or the course.")))
    if min_score is None or not 0 <= min_score <= 100:
        problems.append(Problem(N_("The minimum score is a percentage from 0 to 100.")))
    if learning_hours is None or learning_hours < 0:
        problems.append(Problem(N_("Learning hours cannot be negative.")))
    return problems
