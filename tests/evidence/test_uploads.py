"""
Uploads as the LMS and its proxy let them through, and only into a private storage.

The platform's side is plain Django settings, set here as the LMS sets them (no platform module is
imported): ``STUDENT_FILEUPLOAD_MAX_SIZE`` (bytes per file, default ``4 * 1000 * 1000``) and
``MAX_FILEUPLOADS_PER_INPUT`` (default 20) in ``lms/envs/common.py``, enforced for handler requests
by ``_check_files_limits`` in ``lms/djangoapps/courseware/block_render.py`` (a file of exactly the
limit passes, one byte more is refused); read at openedx-platform 95e2990 / 0191bfd and edx-platform
86114bb (see xblocks/evidence/limits.py). Outside the LMS the settings are absent.
"""
import dataclasses
from pathlib import Path

import pytest
from django.utils import translation

from xblocks.evidence.limits import FORM_HEADROOM, UPLOADS_OFF, upload_limits
from xblocks.evidence.models import Declaration, EvidenceFile
from xblocks.evidence.policy import DEFAULT_POLICY, get_policy

from .conftest import stored_files, unique_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.database]

MIB = 1024 * 1024
POLICY = get_policy(DEFAULT_POLICY)  # the shipped policy: 5 files of up to 5 MiB
TOGETHER = "Together the files are too large to send at once"


def pdf_of_size(size):
    """A PDF (as puremagic reads it) of exactly ``size`` bytes, different every time."""
    head = unique_pdf()
    assert size >= len(head)
    return head + b"%" * (size - len(head))


@pytest.fixture
def lms_limits(settings):
    """``lms_limits(per_file, per_input=20, request=None)``: the platform's settings (None: absent) and our proxy cap."""
    def set_limits(per_file, *, per_input=20, request=None):
        for name, value in (("STUDENT_FILEUPLOAD_MAX_SIZE", per_file), ("MAX_FILEUPLOADS_PER_INPUT", per_input)):
            if value is None:
                if hasattr(settings, name):
                    delattr(settings, name)
            else:
                setattr(settings, name, value)
        settings.LEARNING_CITIZEN_EVIDENCE_MAX_REQUEST_BYTES = request
    return set_limits


def _files_problems(body):
    return [problem["message"] for problem in body["problems"] if problem["field"] == "files"]


# ---------------------------------------------------------------------------------------------
# The effective limits

def test_the_platform_default_and_tutors_proxy_clamp_the_shipped_policy(settings):
    settings.STUDENT_FILEUPLOAD_MAX_SIZE = 4 * 1000 * 1000  # the LMS default
    settings.MAX_FILEUPLOADS_PER_INPUT = 20
    if hasattr(settings, "LEARNING_CITIZEN_EVIDENCE_MAX_REQUEST_BYTES"):
        del settings.LEARNING_CITIZEN_EVIDENCE_MAX_REQUEST_BYTES  # unset: Tutor's Caddy cap, 4 MB
    limits = upload_limits(POLICY)
    assert POLICY.max_file_bytes == 5 * MIB
    assert limits.max_file_bytes == limits.max_total_bytes == 4 * 1000 * 1000 - FORM_HEADROOM
    assert limits.max_files == 5


def test_a_policy_limit_above_the_platforms_is_lowered_to_it(lms_limits):
    lms_limits(1_000_000)
    assert upload_limits(POLICY).max_file_bytes == 1_000_000


def test_a_policy_limit_below_the_platforms_stays(lms_limits):
    lms_limits(50 * 1000 * 1000)
    limits = upload_limits(POLICY)
    assert limits.max_file_bytes == 5 * MIB
    assert limits.max_total_bytes == 5 * 5 * MIB and not limits.clamped_total


def test_outside_the_lms_the_policy_alone_counts(lms_limits):
    lms_limits(None, per_input=None)
    limits = upload_limits(POLICY)
    assert (limits.max_files, limits.max_file_bytes, limits.max_total_bytes) == (5, 5 * MIB, 5 * 5 * MIB)


def test_the_platforms_file_count_lowers_the_policys(lms_limits):
    lms_limits(None, per_input=3)
    assert upload_limits(POLICY).max_files == 3
    assert upload_limits(dataclasses.replace(POLICY, max_files=2)).max_files == 2


def test_a_proxy_cap_limits_each_file_and_all_files_of_one_request(lms_limits):
    lms_limits(None, request=1_000_000)
    limits = upload_limits(POLICY)
    assert limits.max_file_bytes == limits.max_total_bytes == 1_000_000 - FORM_HEADROOM
    assert limits.clamped_total


# ---------------------------------------------------------------------------------------------
# Through the handlers

def test_a_file_of_the_platform_limit_is_accepted_one_byte_more_is_refused(learner, lms_limits, evidence_storage):
    lms_limits(4096)
    status, body = learner.declare(files=[("big.pdf", pdf_of_size(4097))])
    assert status == 400
    assert _files_problems(body) == ["\"big.pdf\" is too large: files can be at most 4 KB."]
    assert Declaration.objects.count() == 0 and stored_files(evidence_storage) == []
    status, body = learner.declare(files=[("exact.pdf", pdf_of_size(4096))])
    assert status == 201, body
    assert body["declaration"]["files"][0]["size"] == 4096
    assert [path.stat().st_size for path in stored_files(evidence_storage)] == [4096]


def test_a_policy_limit_below_the_platforms_is_the_one_enforced(learner, lms_limits, evidence_storage):
    lms_limits(50 * 1000 * 1000)
    status, body = learner.declare(files=[("big.pdf", pdf_of_size(5 * MIB + 1))])
    assert status == 400
    assert _files_problems(body) == ["\"big.pdf\" is too large: files can be at most 5 MB."]
    assert stored_files(evidence_storage) == []
    status, body = learner.declare(files=[("exact.pdf", pdf_of_size(5 * MIB))])
    assert status == 201, body


def test_files_too_large_together_are_refused_and_go_in_by_editing(learner, lms_limits, evidence_storage):
    lms_limits(None, request=10_000 + FORM_HEADROOM)  # 10,000 bytes of files per request
    first, second = pdf_of_size(6000), pdf_of_size(6000)
    status, body = learner.declare(files=[("a.pdf", first), ("b.pdf", second)])
    assert status == 400
    problems = _files_problems(body)
    assert len(problems) == 1 and problems[0].startswith(TOGETHER) and "at most 9 KB in one submission" in problems[0]
    assert Declaration.objects.count() == 0 and EvidenceFile.objects.count() == 0 and stored_files(evidence_storage) == []
    # As the form says: send one now, add the other by editing.
    status, body = learner.declare(files=[("a.pdf", first)])
    assert status == 201, body
    declaration = body["declaration"]
    fields = {"declaration": declaration["id"], "indicators": declaration["indicators"], "kind": declaration["kind"],
              "title": declaration["title"], "activity_date": declaration["activityDate"], "hours": declaration["hours"],
              "description": declaration["description"], "links": ""}
    status, body = learner.post_form("update", fields, [("b.pdf", second)])
    assert status == 200, body
    assert sorted(item["name"] for item in body["declaration"]["files"]) == ["a.pdf", "b.pdf"]
    assert len(stored_files(evidence_storage)) == 2


def test_the_form_shows_the_effective_limits(learner, settings):
    settings.STUDENT_FILEUPLOAD_MAX_SIZE = 4 * 1000 * 1000
    if hasattr(settings, "LEARNING_CITIZEN_EVIDENCE_MAX_REQUEST_BYTES"):
        del settings.LEARNING_CITIZEN_EVIDENCE_MAX_REQUEST_BYTES
    html = learner.runtime.render(learner.block, "student_view").content
    assert "at most 5 files of up to 3.7 MB each, 3.7 MB in all per submission." in html
    assert "5 MB" not in html
    assert '"maxFileBytes": 3934464' in html and '"maxTotalBytes": 3934464' in html  # for the browser's own check
    author = learner.runtime.render(learner.block, "author_view").content
    assert "Files: at most 5, up to 3.7 MB each and 3.7 MB per submission" in author


# ---------------------------------------------------------------------------------------------
# No private storage: no uploads, nothing written anywhere

@pytest.fixture
def no_evidence_storage(settings, tmp_path):
    """A site without the ``learning_citizen_evidence`` storage; the default storage is a folder we can watch."""
    from django.core.files.storage import default_storage  # pylint: disable=import-outside-toplevel
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                         "staticfiles": settings.STORAGES["staticfiles"]}
    assert Path(default_storage.location) == media  # the public place a fallback would have used
    return media


def test_without_private_storage_an_upload_is_refused_and_nothing_is_written(learner, no_evidence_storage, evidence_storage):
    status, body = learner.declare(files=[("certificate.pdf", None)], links="https://example.org/certificate")
    assert status == 400
    assert _files_problems(body) == [UPLOADS_OFF]
    assert Declaration.objects.count() == 0 and EvidenceFile.objects.count() == 0
    assert stored_files(no_evidence_storage) == [] and stored_files(evidence_storage) == []


def test_without_private_storage_a_declaration_with_links_only_is_accepted(learner, no_evidence_storage):
    status, body = learner.declare(files=[], links="https://example.org/certificate")
    assert status == 201, body
    assert body["declaration"]["links"] == ["https://example.org/certificate"] and body["declaration"]["files"] == []
    assert stored_files(no_evidence_storage) == []


def test_without_private_storage_the_pages_say_uploads_are_off(learner, staff, no_evidence_storage):
    html = learner.runtime.render(learner.block, "student_view").content
    assert 'type="file"' not in html
    assert "File uploads are turned off on this site until an administrator sets up private storage" in html
    assert "File uploads are off until an administrator configures private storage" not in html  # staff only
    staff_html = staff.runtime.render(staff.block, "student_view").content
    assert "File uploads are off until an administrator configures private storage for evidence" in staff_html
    author = staff.runtime.render(staff.block, "author_view").content
    assert "File uploads are off until an administrator configures private storage for evidence" in author
    assert "Files: at most" not in author


def test_with_private_storage_the_pages_offer_uploads(learner, staff):
    assert 'type="file"' in learner.runtime.render(learner.block, "student_view").content
    assert "File uploads are off" not in staff.runtime.render(staff.block, "author_view").content


def test_files_stored_before_the_storage_was_removed_are_not_served_from_elsewhere(learner, settings, evidence_storage, tmp_path):
    status, body = learner.declare()
    assert status == 201
    file_item = body["declaration"]["files"][0]
    settings.STORAGES = {key: value for key, value in settings.STORAGES.items() if key != "learning_citizen_evidence"}
    status, reply = learner.get("evidence", f"{body['declaration']['id']}/{file_item['id']}")
    assert status == 503
    assert reply["message"].startswith("Evidence files cannot be opened until an administrator sets up private storage")


# ---------------------------------------------------------------------------------------------
# The messages, in Vietnamese and English

@pytest.mark.parametrize("language, off, too_large, together", [
    ("vi",
     "Trang này đang tắt chức năng tải tệp lên cho đến khi quản trị viên thiết lập nơi lưu trữ riêng tư cho minh chứng. "
     "Thay vào đó, hãy gửi đường liên kết đến minh chứng của bạn.",
     "Tệp \"big.pdf\" quá lớn: mỗi tệp tối đa 4 KB.",
     "Các tệp cộng lại quá lớn để gửi một lần: mỗi lần gửi tối đa 9 KB. "
     "Hãy đính kèm ít tệp hơn, rồi thêm các tệp còn lại bằng cách sửa bản kê khai sau."),
    ("en", UPLOADS_OFF, "\"big.pdf\" is too large: files can be at most 4 KB.",
     "Together the files are too large to send at once: at most 9 KB in one submission. "
     "Attach fewer now and add the others by editing the declaration afterwards."),
])
def test_the_messages_in_each_language(learner, lms_limits, settings, language, off, too_large, together):
    lms_limits(4096, request=10_000 + FORM_HEADROOM)
    with translation.override(language):
        _, body = learner.declare(files=[("big.pdf", pdf_of_size(4097))])
        assert _files_problems(body) == [too_large]
        _, body = learner.declare(files=[("a.pdf", pdf_of_size(4000)), ("b.pdf", pdf_of_size(4000)), ("c.pdf", pdf_of_size(4000))])
        assert _files_problems(body) == [together]
        settings.STORAGES = {key: value for key, value in settings.STORAGES.items() if key != "learning_citizen_evidence"}
        _, body = learner.declare()
        assert _files_problems(body) == [off]
