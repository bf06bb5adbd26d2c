"""
The declaration form (multipart) under hostile input: unknown, repeated and too many fields, a file
where text belongs, week dates. Each is refused with a translated 4xx in the block's JSON shape,
and nothing is stored.
"""
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings, strategies as st

from xblocks.evidence.handlers import FORM_TEXT_FIELDS, MAX_FORM_PARTS
from xblocks.evidence.models import Declaration, EvidenceFile

from .conftest import declaration_fields, stored_files, unique_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def _nothing_stored(root):
    assert not Declaration.objects.exists() and not EvidenceFile.objects.exists()
    assert stored_files(root) == []


def test_ten_thousand_indicators_get_a_json_refusal(learner, evidence_storage):
    with translation.override("vi"):
        status, body = learner.post_form("declare", {**declaration_fields(), "indicators": ["3"] * 10_000}, [("a.pdf", unique_pdf())])
    assert status == 413
    assert body == {"message": f"Biểu mẫu có quá nhiều giá trị: tối đa {MAX_FORM_PARTS}.", "problems": []}
    _nothing_stored(evidence_storage)


@pytest.mark.parametrize("week_date", ["2026-W05", "2026-W05-1", "2026-026", "20260126"])
def test_week_and_ordinal_dates_are_refused(learner, evidence_storage, week_date):
    status, body = learner.declare(activity_date=week_date)
    assert status == 400
    assert [problem["field"] for problem in body["problems"]] == ["activity_date"]
    _nothing_stored(evidence_storage)


def test_a_file_sent_as_the_title_is_refused_not_stored_as_text(learner, evidence_storage):
    fields = declaration_fields()
    del fields["title"]
    status, body = learner.post_form("declare", fields, [("a.pdf", unique_pdf())])
    assert status == 400  # no title at all: the field's own message
    request_fields = {**declaration_fields(), "title": ["one", "two"]}
    status, body = learner.post_form("declare", request_fields, [("a.pdf", unique_pdf())])
    assert (status, body["message"]) == (400, "The request is not in the expected form: title.")
    _nothing_stored(evidence_storage)


NAMES = st.sampled_from([*FORM_TEXT_FIELDS, "indicators", "remove_files"]) | st.text(min_size=1, max_size=12)
VALUES = st.text(max_size=30) | st.sampled_from(["3", "2026-W05", "NaN", "1e999", "-1", "\x00", "😀" * 10])


@st.composite
def hostile_form(draw):
    """A declaration form with at least one thing no page sends: an unknown field, a text field twice, or too many parts."""
    fields = declaration_fields()
    kind = draw(st.sampled_from(["unknown", "repeated", "too many"]))
    extra = draw(st.dictionaries(NAMES, st.lists(VALUES, min_size=1, max_size=3), max_size=4))
    for name, values in extra.items():
        fields[name] = values if name not in FORM_TEXT_FIELDS else values[:1]
    if kind == "unknown":
        fields["zz-" + draw(st.text(max_size=8))] = draw(VALUES)
    elif kind == "repeated":
        name = draw(st.sampled_from(FORM_TEXT_FIELDS))
        fields[name] = [draw(VALUES), draw(VALUES)]
    else:
        fields["indicators"] = ["3"] * draw(st.integers(min_value=MAX_FORM_PARTS + 1, max_value=5_000))
    return fields


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fields=hostile_form(), handler=st.sampled_from(["declare", "update"]), language=st.sampled_from(["en", "vi"]))
def test_hostile_forms_are_refused_in_the_readers_language(learner, evidence_storage, fields, handler, language):
    with translation.override(language):
        status, body = learner.post_form(handler, fields, [("a.pdf", unique_pdf())])
    assert status in (400, 413), body
    assert set(body) == {"message", "problems"}
    assert body["message"].startswith("Biểu mẫu" if language == "vi" and status == 413 else "") and body["message"]
    if language == "vi":
        assert body["message"].split(":")[0] in ("Biểu mẫu có quá nhiều giá trị", "Yêu cầu không đúng dạng mong đợi",
                                                 "Yêu cầu có những trường mà trang này không gửi")
    _nothing_stored(evidence_storage)
