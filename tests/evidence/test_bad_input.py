"""Bad input through the handlers: refused with a clear message on the right field, and nothing stored."""
from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import translation

from xblocks.evidence.models import Declaration, EvidenceFile

from .conftest import HTML, PNG, SCRIPT, stored_files, unique_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def _refused(result, field, fragment):
    status, body = result
    assert status == 400, body
    messages = [problem["message"] for problem in body["problems"] if problem["field"] == field]
    assert any(fragment in message for message in messages), body["problems"]
    return body


def _nothing_stored(root):
    assert Declaration.objects.count() == 0
    assert EvidenceFile.objects.count() == 0
    assert stored_files(root) == []


def test_an_oversized_file_is_refused_and_nothing_is_stored(learner, evidence_storage):
    too_big = unique_pdf() + b"0" * (5 * 1024 * 1024)
    _refused(learner.declare(files=[("small.pdf", None), ("big.pdf", too_big)]), "files", "\"big.pdf\" is too large")
    _nothing_stored(evidence_storage)


@pytest.mark.parametrize("name, content, fragment", [
    ("certificate.pdf", HTML, "its content is HTML"),                      # a web page dressed as a PDF
    ("photo.pdf", PNG, "named like a PDF file but its content is PNG"),    # a real image with a lying name
    ("scan.png", unique_pdf(), "named like a PNG file but its content is PDF"),
    ("setup.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, "is not an accepted file"),  # a Windows program
    ("notes.pdf", b"just some text, not a document", "not a known document or image type"),
    ("report.pdf.html", unique_pdf(), "does not match its content"),
    ("empty.pdf", b"", "is empty"),
])
def test_disguised_or_unknown_files_are_refused(learner, evidence_storage, name, content, fragment):
    _refused(learner.declare(files=[("good.pdf", None), (name, content)]), "files", fragment)
    _nothing_stored(evidence_storage)


def test_a_real_image_without_extension_is_accepted_with_its_detected_type(learner, evidence_storage):
    status, body = learner.declare(files=[("IMG_2041", PNG)])
    assert status == 201, body
    assert body["declaration"]["files"][0]["type"] == "image/png"
    assert [path.suffix for path in stored_files(evidence_storage)] == [".png"]


def test_a_date_in_the_future_is_refused(learner, evidence_storage):
    future = (date.today() + timedelta(days=3)).isoformat()
    _refused(learner.declare(activity_date=future), "activity_date", "cannot be in the future")
    _nothing_stored(evidence_storage)


@pytest.mark.parametrize("hours, fragment", [("-2", "cannot be negative"), ("-0.5", "cannot be negative"),
                                             ("abc", "as a number"), ("1e3", "as a number"), ("NaN", "as a number"),
                                             ("9999", "at most 500 hours"), ("", "Enter the hours")])
def test_bad_hours_are_refused(learner, evidence_storage, hours, fragment):
    _refused(learner.declare(hours=hours), "hours", fragment)
    _nothing_stored(evidence_storage)


def test_hours_take_a_decimal_comma(learner):
    status, body = learner.declare(hours="1,5")
    assert status == 201 and body["declaration"]["hours"] == "1.5"


@pytest.mark.parametrize("links, fragment", [
    ("javascript:alert(1)", "is not a web address"),
    ("data:text/html,<script>alert(1)</script>", "is not a web address"),
    ("https://user:secret@example.org/x", "is not a web address"),
])
def test_links_must_be_plain_web_addresses(learner, evidence_storage, links, fragment):
    _refused(learner.declare(links=links), "links", fragment)
    _nothing_stored(evidence_storage)


def test_every_problem_is_reported_at_once_on_its_field(learner, evidence_storage):
    status, body = learner.declare(files=[("x.pdf", HTML)], indicators=[], kind="", title=" ", hours="-1",
                                   activity_date="2026-13-45", description="")
    assert status == 400
    fields = {problem["field"] for problem in body["problems"]}
    assert fields == {"indicators", "kind", "title", "activity_date", "hours", "description", "files"}
    assert body["message"] == "There is a problem"
    _nothing_stored(evidence_storage)


def test_an_indicator_the_block_does_not_offer_is_refused(learner, evidence_storage):
    _refused(learner.declare(indicators=["99"]), "indicators", "cannot be chosen here")
    learner.block.indicators = ["5"]
    _refused(learner.declare(indicators=["3"]), "indicators", "cannot be chosen here")
    _nothing_stored(evidence_storage)


def test_evidence_is_required(learner, evidence_storage):
    _refused(learner.declare(files=[]), "files", "at least one file or give a link")
    _nothing_stored(evidence_storage)


def test_script_in_text_fields_is_kept_as_text_never_markup(learner, staff):
    status, body = learner.declare(files=[(SCRIPT + ".pdf", None)], title=SCRIPT, description=SCRIPT + "\nline two",
                                   links="https://example.org/?q=<script>")
    assert status == 201, body
    declaration = body["declaration"]
    # Stored and returned as typed (the page puts it in text nodes); the file name loses only path/quote characters.
    assert declaration["title"] == SCRIPT
    assert declaration["description"] == SCRIPT + "\nline two"
    assert declaration["files"][0]["name"] == "script_img src=x onerror=alert(1)_.pdf"  # no path, no angle brackets
    status, body = staff.review(declaration, "request_changes", reason=SCRIPT)
    assert status == 200 and body["declaration"]["reason"] == SCRIPT
    # The server-rendered part of the view escapes what authors type.
    learner.block.display_name = SCRIPT
    learner.block.instructions = SCRIPT
    html = learner.runtime.render(learner.block, "student_view").content
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_a_storage_failure_midway_leaves_no_orphan_file(learner, evidence_storage):
    real_create = EvidenceFile.objects.create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_create(**kwargs)

    with mock.patch.object(EvidenceFile.objects, "create", side_effect=failing_create):
        with pytest.raises(RuntimeError):
            learner.declare(files=[("a.pdf", None), ("b.pdf", None)])
    _nothing_stored(evidence_storage)


def test_messages_are_in_the_learners_language(learner):
    future = (date.today() + timedelta(days=3)).isoformat()
    with translation.override("vi"):
        status, body = learner.declare(activity_date=future, hours="-1")
    assert status == 400
    messages = {problem["field"]: problem["message"] for problem in body["problems"]}
    assert messages["activity_date"] == "Ngày không thể ở tương lai."
    assert messages["hours"] == "Số giờ không thể là số âm."
    assert body["message"] == "Có lỗi cần sửa"
