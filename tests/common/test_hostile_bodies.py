"""
Hostile request bodies against every JSON handler of every block (and Studio's editor handler):
deep nesting, wrong types, non-finite and huge numbers, unknown and repeated fields, bytes that are
not UTF-8. Every answer is a 4xx in the block's own JSON shape, with a message in the reader's
language, and nothing is written: no ledger entry, declaration, file or field data.
"""
import json
import math

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings, strategies as st

from tests import harness
from tests.translations import ROOT, marked_messages, untranslated, xblock_catalogue
from xblocks.common.handlers import EMPTY, MAX_BODY_BYTES, STUDIO_EDITS, is_iso_date, parse_json
from xblocks.evidence.handlers import QUEUE_BODY, REVIEW_BODY, WITHDRAW_BODY

pytestmark = [pytest.mark.database, pytest.mark.django_db]

LEARNER, STAFF = "101", "staff"
COURSE = """<vertical>
  <completion-credit credit="5:1"/>
  <skills-assessment/>
  <learning-citizen-standing/>
  <evidence-declaration/>
  <html url_name="seen"><p>Read me</p></html>
  <problem url_name="quiz"><multiplechoiceresponse><p>1 + 1?</p><choicegroup type="MultipleChoice">
    <choice correct="false">1</choice><choice correct="true">2</choice></choicegroup></multiplechoiceresponse></problem>
</vertical>"""

# handler, the user who sends it (past every permission check but the body), the block's JSON shape
HANDLERS = {
    "completion-credit": [("check", LEARNER), ("submit_studio_edits", STAFF)],
    "skills-assessment": [("start", LEARNER), ("submit", LEARNER), ("item_statistics", STAFF), ("submit_studio_edits", STAFF)],
    "learning-citizen-standing": [("standing", LEARNER)],
    "evidence-declaration": [("state", LEARNER), ("withdraw", LEARNER), ("queue", STAFF), ("review", STAFF),
                             ("submit_studio_edits", STAFF)],
    "html": [("publish_completion", LEARNER)],
    "problem": [("submit", LEARNER)],
}
CASES = [(block_type, handler, user) for block_type, handlers in HANDLERS.items() for handler, user in handlers]


def _evidence_shaped(block_type, handler):
    return block_type == "evidence-declaration" and handler != "submit_studio_edits"


# -- what is written ---------------------------------------------------------------------------

def written():
    """Everything a handler could change, as comparable values."""
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel

    from xblocks.evidence.models import Declaration, EvidenceFile, ReviewEvent  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    from xblocks.skills_assessment.models import Attempt  # pylint: disable=import-outside-toplevel
    return (sorted(XBlockState.objects.values_list("id", "scope", "scope_id", "state")), Entry.objects.count(),
            Declaration.objects.count(), EvidenceFile.objects.count(), ReviewEvent.objects.count(), Attempt.objects.count())


@pytest.fixture(scope="module")
def blocks(django_db_setup, django_db_blocker):  # pylint: disable=unused-argument
    """One block of each kind, as each user sees it (a refused request changes nothing, so they are reused)."""
    with django_db_blocker.unblock():
        root = harness.load(COURSE, prefix="hostile")
        children = harness.block_for(root, LEARNER).children
        by_type = {}
        for usage_id in children:
            block_type = harness.block_for(usage_id, LEARNER).scope_ids.block_type
            by_type[block_type] = {user: harness.block_for(usage_id, user) for user in (LEARNER, STAFF)}
        return by_type


# -- hostile bodies -----------------------------------------------------------------------------

LEAVES = (st.none() | st.booleans() | st.integers(min_value=-(10 ** 30), max_value=10 ** 30)
          | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40))
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                      max_leaves=10)
JSON_TYPES = {"null": type(None), "boolean": bool, "string": str, "array": list, "object": dict}


def _json_type_of(value):
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number"}
    return {name for name, kind in JSON_TYPES.items() if isinstance(value, kind)}


def wrong_value(schema):
    """A JSON value whose type the property ``schema`` does not allow."""
    allowed = schema.get("type")
    allowed = {allowed} if isinstance(allowed, str) else set(allowed or ())
    return VALUES.filter(lambda value: allowed and not (_json_type_of(value) & allowed))


def _dumps(value):
    return json.dumps(value).encode()


def nested(depth, opener):
    closer = {"[": "]", '{"a":': "}"}[opener]
    return (opener * depth + "1" + closer * depth).encode()


RAW = st.one_of(
    st.integers(min_value=7, max_value=20_000).flatmap(lambda depth: st.sampled_from(["[", '{"a":']).map(lambda o: nested(depth, o))),
    st.sampled_from([b"NaN", b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}', b'{"a": 1e999}', b"[" * 100_000,
                     b'{"a": 1, "a": 2}', b'{"a": "\\ud800"}', b"\xff\xfe{}", b"{", b"}", b"\x00", b'"\x00"',
                     b'{"a": ' + b"9" * 5000 + b"}", b'{"a": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}']),
    st.binary(max_size=40).map(lambda data: b"\xff" + data),          # not UTF-8
    VALUES.filter(lambda value: not isinstance(value, dict)).map(_dumps),  # not an object
)


def hostile_body(schema):
    """Bytes no handler may accept: malformed or bounded-out raw JSON, an unknown field, or a field of the wrong type."""
    properties = schema.get("properties", {})
    unknown = st.builds(lambda known, name, value: _dumps({**known, f"zz-{name}": value}),
                        st.fixed_dictionaries({}, optional={name: VALUES for name in properties}),
                        st.text(max_size=8), VALUES)
    options = [RAW, unknown]
    if properties:
        wrong = st.sampled_from(sorted(properties)).flatmap(
            lambda name: wrong_value(properties[name]).map(lambda value: _dumps({name: value})))
        options.append(wrong)
    return st.one_of(*options)


# The evidence block reads its JSON bodies inside its handlers (it checks who writes in between).
EVIDENCE_SCHEMAS = {"state": EMPTY, "withdraw": WITHDRAW_BODY, "queue": QUEUE_BODY, "review": REVIEW_BODY}


def schema_of(block, handler):
    if handler == "submit_studio_edits":
        return STUDIO_EDITS
    if block.scope_ids.block_type == "evidence-declaration":
        return EVIDENCE_SCHEMAS[handler]
    return getattr(type(block), handler).request_schema


def send(block, handler, raw):
    return harness.handle(block, handler, harness.json_request(raw=raw))


def refusal_message(block_type, handler, response):
    assert 400 <= response.status_code < 500, (response.status_code, response.body[:300])
    assert response.content_type == "application/json"
    body = json.loads(response.body)
    if _evidence_shaped(block_type, handler):
        assert set(body) == {"message", "problems"} and isinstance(body["problems"], list)
        message = body["message"]
    else:
        assert set(body) == {"error"}
        message = body["error"]
    assert isinstance(message, str) and message
    return message


@pytest.fixture
def nothing_written():
    """Checked once around all of a handler's examples (reading every row per example would triple the run)."""
    before = written()
    yield
    assert written() == before, "a refused request wrote something"


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize("block_type, handler, user", CASES)
@settings(max_examples=75, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_hostile_body_gets_a_translated_4xx_and_writes_nothing(blocks, block_type, handler, user, data):
    block = blocks[block_type][user]
    raw = data.draw(hostile_body(schema_of(block, handler)), label="body")
    with translation.override("en"):
        english = refusal_message(block_type, handler, send(block, handler, raw))
    if data.draw(st.integers(min_value=0, max_value=3), label="also in Vietnamese") == 0:
        with translation.override("vi"):
            vietnamese = refusal_message(block_type, handler, send(block, handler, raw))
        assert vietnamese != english


@pytest.mark.parametrize("block_type", ["completion-credit", "skills-assessment", "evidence-declaration"])
def test_learners_cannot_use_studios_editor_handler(blocks, block_type):
    block = blocks[block_type][LEARNER]
    before = written()
    with translation.override("vi"):
        response = send(block, "submit_studio_edits", _dumps({"values": {"display_name": "mine"}, "defaults": []}))
    assert response.status_code == 403
    assert json.loads(response.body)["error"] == "Chỉ nhóm phụ trách khóa học mới được thay đổi thiết lập của thành phần này."
    assert written() == before


@pytest.mark.parametrize("values", [{"display_name": ["a"]}, {"display_name": float("nan")}, {"weight": "heavy"},
                                    {"max_attempts": True}, {"max_attempts": 1.5}, {"award_credit": "yes"}, {"nope": 1}])
def test_staff_sending_the_editor_a_wrong_type_get_400(blocks, values):
    block = blocks["skills-assessment"][STAFF]
    before = written()
    raw = json.dumps({"values": values, "defaults": []}, allow_nan=True).encode()
    response = send(block, "submit_studio_edits", raw)
    assert response.status_code == 400, response.body
    assert "error" in json.loads(response.body)
    assert written() == before


def test_a_review_reason_sent_as_a_list_is_refused_not_stored(blocks):
    block = blocks["evidence-declaration"][STAFF]
    response = send(block, "review", _dumps({"declaration": "x", "action": "reject", "reason": ["a"]}))
    assert response.status_code == 400
    assert json.loads(response.body)["message"] == "The request is not in the expected form: reason."


def test_the_parser_bounds():
    for raw in (b"[" * 10_000 + b"]" * 10_000, b'{"a": NaN}', b"1e999", b'{"a": 1, "a": 1}'):
        with pytest.raises(Exception) as refused:
            parse_json(raw)
        assert getattr(refused.value, "status", None) == 400, raw[:20]
    assert parse_json(b'{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    assert math.isfinite(parse_json(b"1e300"))


@pytest.mark.parametrize("text, valid", [("2026-03-15", True), ("2026-W05", False), ("2026-W05-1", False), ("20260315", False),
                                         ("2026-026", False), ("2026-02-30", False), ("2026-3-5", False), ("٢٠٢٦-٠٣-١٥", False)])
def test_dates_are_year_month_day_only(text, valid):
    assert is_iso_date(text) is valid


def test_every_refusal_message_is_translated_to_vietnamese():
    sources = [ROOT / "xblocks/common/handlers.py", ROOT / "xblocks/workbench/refusals.py"]
    messages = list(marked_messages(sources, {"N_"}))
    assert len(messages) >= 12
    missing = untranslated(messages, xblock_catalogue("vi"))
    assert not missing, "translate in xblocks/translations/vi/LC_MESSAGES/text.po and compile:\n" + "\n".join(missing)
