"""Read a file of credit events (JSON lines), validate all of it, then append it in one transaction."""
import json
from dataclasses import dataclass

from django.db import IntegrityError

from xblocks.criteria.credit import parse_credit_event
from xblocks.criteria.exact import JSONNumber
from xblocks.criteria.problems import N_, InvalidInput, Problem

from . import api
from .models import Entry

# A credit event is a few hundred bytes; anything near this is not one.
MAX_LINE_BYTES = 64 * 1024


@dataclass(frozen=True)
class IngestResult:
    appended: int
    skipped: int  # keys already recorded, or repeated within the file


def read_lines(handle, limit=MAX_LINE_BYTES):
    """Yield (line number, bytes) from a binary stream; a line over ``limit`` bytes yields None, unread."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit:
            while line and not line.endswith(b"\n"):  # skip the rest without holding it
                line = handle.readline(limit + 1)
            yield number, None
        else:
            yield number, line


# The wording is that of criteria.documents.load_file (operators' framework files), which reads
# floats; a credit event's numbers are kept exact, so the hooks are not shared.
def _refuse_constant(name):
    """NaN, Infinity and -Infinity: Python's json reads them, JSON does not allow them."""
    raise InvalidInput([Problem(N_("{value} is not allowed: JSON has no NaN or Infinity"), {"value": name})])


def _object_without_repeats(pairs):
    """A JSON object as a dict; a key given twice is refused (json.loads would keep the last silently)."""
    document = {}
    for key, value in pairs:
        if key in document:
            raise InvalidInput([Problem(N_("key {key} appears more than once in one object"), {"key": repr(key)})])
        document[key] = value
    return document


def loads(text):
    """One JSON document read strictly: numbers exact (2.3 stays 2.3), no NaN or Infinity, no repeated keys."""
    try:
        return json.loads(text, parse_float=JSONNumber, parse_constant=_refuse_constant,
                          object_pairs_hook=_object_without_repeats)
    except InvalidInput:
        raise
    except RecursionError:
        raise InvalidInput([Problem(N_("JSON nested too deeply"))]) from None
    except ValueError as error:  # also integers of more digits than Python converts
        raise InvalidInput([Problem(N_("malformed JSON: {detail}"), {"detail": str(error)})]) from None


def _parse_line(line):
    """One line as a CreditEvent, or None for a blank line; raises InvalidInput."""
    if line is None:
        raise InvalidInput([Problem(N_("line is longer than {limit} bytes"), {"limit": MAX_LINE_BYTES})])
    if not line.strip():
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput([Problem(N_("line is not UTF-8 text"))]) from None
    document = loads(text)
    if not isinstance(document, dict):
        raise InvalidInput([Problem(N_("a credit event must be a JSON object"))])
    return parse_credit_event(document)


def parse_lines(handle):
    """Every event in the stream as (line number, event), or InvalidInput naming every bad line and why."""
    numbered, problems = [], []
    for number, line in read_lines(handle):
        try:
            event = _parse_line(line)
        except InvalidInput as error:
            problems.extend(problem.at_line(number) for problem in error.problems)
            continue
        if event is not None:
            numbered.append((number, event))
    if problems:
        raise InvalidInput(problems)
    return numbered


def ingest(handle):
    """
    Validate the whole stream first; append only if every line is good (all or nothing). A line
    whose idempotency key is already recorded, or used on an earlier line, for a different credit
    is a bad line: skipping it as a duplicate would lose that credit without a word.
    """
    numbered = parse_lines(handle)
    problems = key_problems(numbered)
    if problems:
        raise InvalidInput(problems)
    try:
        appended, skipped = api.append_many([event for _number, event in numbered])
    except api.KeyConflict as conflict:  # recorded by someone else since the check
        raise InvalidInput(key_problems(numbered) or conflict.problems) from None
    except IntegrityError:  # an event id recorded by someone else since the check
        problems = key_problems(numbered)
        if problems:
            raise InvalidInput(problems) from None
        raise
    return IngestResult(appended, skipped)


def _event_id_problems(numbered):
    """
    Lines whose event id is recorded, or used on an earlier line, under another idempotency key: an
    event id names one event, so it cannot be appended twice (a true repeat has the same key).
    """
    ids = {event.id for _number, event in numbered}
    recorded = {}
    listed = list(ids)
    for start in range(0, len(listed), 1000):
        recorded.update((str(event_id), key) for event_id, key in Entry.objects.filter(
            event_id__in=listed[start:start + 1000]).values_list("event_id", "idempotency_key"))
    first_use, problems = {}, []
    for number, event in numbered:
        if recorded.get(event.id, event.idempotency_key) != event.idempotency_key:
            problems.append(Problem(N_("event id {event_id} is already recorded under another idempotency key"),
                                    {"event_id": event.id}, where="id").at_line(number))
            continue
        first_number, first_key = first_use.setdefault(event.id, (number, event.idempotency_key))
        if first_key != event.idempotency_key:
            problems.append(Problem(N_("event id {event_id} is already used on line {line} under another idempotency key"),
                                    {"event_id": event.id, "line": first_number}, where="id").at_line(number))
    return problems


def key_problems(numbered):
    """
    Lines whose idempotency key is recorded, or used on an earlier line, for a different credit;
    and lines whose event id is taken by another key.
    """
    recorded = api.recorded_credits({event.idempotency_key for _number, event in numbered})
    first_use, problems = {}, _event_id_problems(numbered)
    for number, event in numbered:
        key = event.idempotency_key
        if key in recorded:
            differ = api.differing_fields(recorded[key], event)
            if differ:
                problems.append(api.key_conflict_problem(key, differ).at_line(number))
            continue
        first_number, first = first_use.setdefault(key, (number, event))
        differ = api.differing_fields(first, event) if first is not event else ()
        if differ:
            problems.append(Problem(
                N_("idempotency key {key} is already used on line {line} for a different credit ({fields} differ)"),
                {"key": key, "line": first_number, "fields": ", ".join(differ)}, where="idempotency_key").at_line(number))
    return sorted(problems, key=lambda problem: problem.line)
