"""
Whatever a JSON-lines file holds, `ingest` either appends all of it or refuses it naming lines,
in either language, with nothing appended: never a traceback. Also the exact-value cases the
issue names, one by one.
"""
import io
import json

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.commands import run
from tests.factories import credit_document
from xblocks.criteria.problems import InvalidInput
from xblocks.ledger.ingest import ingest
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def jsonl(*lines):
    return b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines)


@pytest.mark.parametrize("points, hours", [("2.3", "1.15"), ("0.29", "0.07"), ("10", "10000"), ("0.01", "0"),
                                           ("2.30", "1.150000000000000000000000000000")])
def test_two_place_values_are_taken_exactly(points, hours):
    document = json.dumps(credit_document()).replace('"points": 4', f'"points": {points}').replace(
        '"hours": 2.5', f'"hours": {hours}')
    assert ingest(io.BytesIO(jsonl(document))).appended == 1
    entry = Entry.objects.get()
    assert (str(entry.points), str(entry.hours)) == (f"{float(points):.2f}", f"{float(hours):.2f}")


ODD_LINES = {  # the field, its value as raw JSON text, what the refusal says
    "three places": (("points",), "2.345", "line 1: $.points: does not match the schema: 2.345 is not a multiple of 0.01"),
    "beyond double": (("points",), "2.3000000000000000001", "2.3000000000000000001 is not a multiple of 0.01"),
    "NaN": (("points",), "NaN", "line 1: NaN is not allowed: JSON has no NaN or Infinity"),
    "Infinity": (("hours",), "-Infinity", "line 1: -Infinity is not allowed: JSON has no NaN or Infinity"),
    "1e309": (("points",), "1e309", "line 1: $.points: does not match the schema: 1E+309 is greater than the maximum of 1000"),
    "huge integer": (("points",), "1" + "0" * 5000, "line 1: malformed JSON"),
    "surrogate": (("indicator",), '"\\ud800"', "line 1: $.indicator: text holds the character U+D800, which cannot be stored"),
    "NUL": (("learner", "anonymous_id"), '"a\\u0000b"', "line 1: $.learner.anonymous_id: text holds the character U+0000"),
    "year 1": (("occurred_at",), '"0001-01-01T00:00:00+14:00"',
               "line 1: $.occurred_at: 0001-01-01T00:00:00+14:00 is not a time between 1900-01-01 and 9999-01-01"),
    "repeated key": (("points",), '1, "points": 4', "line 1: key 'points' appears more than once in one object"),
    "deep": (("evidence",), "[" * 20_000 + "]" * 20_000, "line 1: JSON nested too deeply"),
}


def _replace(document, path, value):
    if not path:
        return value
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


def _odd_line(path, raw):
    """A valid event with the field at ``path`` written as ``raw`` JSON text."""
    return json.dumps(_replace(credit_document(), path, "@odd@")).replace('"@odd@"', raw)


@pytest.mark.parametrize("case", sorted(ODD_LINES))
def test_odd_values_are_refused_with_their_line_and_a_reason(tmp_path, case):
    field, raw, message = ODD_LINES[case]
    path = tmp_path / "credit.jsonl"
    path.write_bytes(jsonl(_odd_line(field, raw), json.dumps(credit_document())))
    code, out, err = run("ingest", str(path))
    assert (code, out) == (1, "") and "nothing was appended" in err
    assert message in err and "line 2" not in err
    assert Entry.objects.count() == 0


def test_an_event_id_on_two_lines_under_different_keys_is_refused():
    first = credit_document()
    again = credit_document(id=first["id"].upper())
    with pytest.raises(InvalidInput) as refused:
        ingest(io.BytesIO(jsonl(json.dumps(first), json.dumps(again))))
    assert str(refused.value) == f"line 2: id: event id {first['id']} is already used on line 1 under another idempotency key"
    assert ingest(io.BytesIO(jsonl(json.dumps(first)))).appended == 1
    with pytest.raises(InvalidInput) as refused:
        ingest(io.BytesIO(jsonl(json.dumps(credit_document()), json.dumps(again))))
    assert str(refused.value) == f"line 2: id: event id {first['id']} is already recorded under another idempotency key"
    assert Entry.objects.count() == 1


# --- Generated lines -----------------------------------------------------------------------------

ODD_TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=12) | st.sampled_from(
    ["", "\x00", "\ud800", "\udfff x", "\r\n", "\u2028", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
     "2026-02-30T00:00:00Z", "2026-01-01T00:00:60Z", "course-v1:VN+DS101+2026", "5", "2026", "verified", "a" * 300])
ODD_NUMBERS = (st.integers(min_value=-(10 ** 30), max_value=10 ** 30) | st.floats(allow_nan=True, allow_infinity=True)
               | st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str).map(float)
               | st.sampled_from([0, 1, 2 ** 63, 2 ** 63 - 1, -1, 0.01, 2.3, 1.15, 0.29, 0.07, 1000.001, 1e-300, True, False]))
ODD_SCALARS = st.none() | st.booleans() | ODD_NUMBERS | ODD_TEXT
ODD_VALUES = st.recursive(ODD_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3),
                          max_leaves=8)


def _paths(document, prefix=()):
    yield prefix
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _paths(value, (*prefix, key))


@st.composite
def event_lines(draw):
    """A credit event, perhaps changed at one place (a value, a dropped or added key), as JSON text."""
    document = credit_document()
    change = draw(st.sampled_from(["none", "replace", "drop", "add", "evidence"]))
    paths = list(_paths(document))[1:]
    if change == "replace":
        document = _replace(document, draw(st.sampled_from(paths)), draw(ODD_VALUES))
    elif change == "drop":
        path = draw(st.sampled_from(paths))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        del parent[path[-1]]
    elif change == "add":
        document[draw(ODD_TEXT)] = draw(ODD_VALUES)
    elif change == "evidence":
        document["evidence"] = [{"uri": draw(ODD_TEXT | st.just("https://example.org/a b")), "sha256": draw(ODD_TEXT)}]
    return json.dumps(document, ensure_ascii=draw(st.booleans()))


RAW_LINES = st.sampled_from([
    b"", b"   ", b"{", b"[]", b"null", b"1e309", b'{"a": 1, "a": 2}', b"[" * 5000 + b"]" * 5000, b'{"x": ' * 3000,
    b'"\\ud800"', b"\xff\xfe", b"\xed\xa0\x80", b"NaN", b"-Infinity", b"\x00", b"1" * 5000, b"{}\r",
])


@st.composite
def ingest_files(draw):
    """Lines of events, odd and good, sometimes repeated or raw bytes, or a field written twice."""
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["event", "event", "raw", "repeat", "repeated key", "odd number", "same id"]))
        if kind == "raw":
            lines.append(draw(RAW_LINES))
            continue
        if kind == "repeat" and lines:
            lines.append(draw(st.sampled_from(lines)))
            continue
        text = draw(event_lines())
        earlier_ids = [line[8:44] for line in lines if line.startswith(b'{"id": "')]
        if kind == "same id" and earlier_ids:   # another event under an earlier line's id
            text = text[:8] + draw(st.sampled_from(earlier_ids)).decode() + text[44:]
        if kind == "repeated key":
            text = text.replace("{", '{"points": 3, ', 1)
        elif kind == "odd number":
            text = text.replace('"points": 4', '"points": ' + draw(st.sampled_from(
                ["NaN", "Infinity", "1e309", "-0", "0.010", "2.3", "1E+2", "1e-400", "4.0000000000000000001"])), 1)
        encoded = text.encode("utf-8", "surrogatepass")  # a raw lone surrogate is not UTF-8: refused as such
        lines.append(encoded)
    return lines


@settings(max_examples=150, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ingest_files())
def test_no_input_ends_ingest_in_a_traceback(lines):
    before = Entry.objects.count()
    data = b"".join(line.replace(b"\n", b" ") + b"\n" for line in lines)
    try:
        result = ingest(io.BytesIO(data))
    except InvalidInput as refusal:
        assert Entry.objects.count() == before
        assert refusal.problems and all(1 <= problem.line <= len(lines) for problem in refusal.problems)
        with translation.override("vi"):
            assert refusal.render(translation.gettext)
        return
    assert Entry.objects.count() == before + result.appended


def test_refusals_read_in_vietnamese():
    lines = jsonl(_odd_line(("points",), "NaN"), _odd_line(("occurred_at",), '"0001-01-01T00:00:00+14:00"'),
                  _odd_line(("indicator",), '"\\u0000"'), _odd_line(("points",), '1, "points": 4'))
    with pytest.raises(InvalidInput) as refused:
        ingest(io.BytesIO(lines))
    with translation.override("vi"):
        text = refused.value.render(translation.gettext)
    assert "dòng 1: không được dùng NaN: JSON không có NaN hay Infinity" in text
    assert "dòng 2: $.occurred_at: 0001-01-01T00:00:00+14:00 không phải là thời điểm trong khoảng từ 1900-01-01" in text
    assert "dòng 3: $.indicator: văn bản chứa ký tự U+0000, không thể lưu được" in text
    assert "dòng 4: khóa 'points' xuất hiện nhiều lần trong cùng một đối tượng" in text
