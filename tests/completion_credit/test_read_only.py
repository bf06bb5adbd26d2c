"""
Staff viewing the course as a learner, and Studio's preview, write nothing: the ``check`` handler
(which the page calls on load) shows the learner's status but sends no credit and publishes no
completion. The learner's own request still earns the credit. Users are presented as the LMS and
Studio present them (tests/common/lms.py, tests/platform).
"""
import pytest

from tests.common.lms import PLATFORM_MODULES, call_json, present_in_lms, present_in_studio, request_by, user, view_as
from tests.completion_credit.conftest import CHAPTER_ONE
from tests.platform import student_course_enrollment as enrolments
from tests.platform.courseware_block_render import handling
from xblocks.common.mixins import READ_ONLY_MESSAGE
from xblocks.completion_credit.mixins.credit import EARNED_EVENT
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.fixture
def people(platform, wb, course):
    platform(PLATFORM_MODULES)
    enrolments.reset()
    learner, staff = user(101, "lan"), user(900, "gv-anh")
    enrolments.CourseEnrollment.enroll(learner, "course-v1:LearningCitizenVN+KNS101+2026")
    for name in CHAPTER_ONE:  # the learner has done everything the chapter's credit asks
        status, _body = wb.complete(course.names[name], "101")
        assert status == 200
    return learner, staff


def writes(published):
    return [(block_type, event_type) for block_type, event_type, _data in published
            if block_type == "completion-credit" and event_type in ("completion", "grade", EARNED_EVENT)]


def test_staff_viewing_as_the_learner_see_the_status_and_write_nothing(wb, course, people, published):
    learner, staff = people
    request = request_by(staff)
    view_as(request, learner)
    block = wb.block_for(course.chapter_credit, "101")  # the LMS binds the block to the learner
    present_in_lms(block, request, course_staff_ids={900})
    status, body = call_json(block, "check", request)
    assert status == 200
    assert (body["state"], body["completed"], body["total"]) == ("pending", 5, 5)
    assert READ_ONLY_MESSAGE in body["announcement"] and "being recorded" not in body["announcement"]
    assert "when the learner opens this page themselves" in body["html"]
    assert not Entry.objects.exists()
    assert writes(published) == []
    # The page itself (student_view, rendered while the LMS handles the staff member's request) says the same.
    with handling(request):
        assert "when the learner opens this page themselves" in block.render("student_view").body_html()
    assert not Entry.objects.exists()


def test_the_learners_own_request_earns_the_credit(wb, course, people, published):
    learner, _staff = people
    request = request_by(learner)
    block = wb.block_for(course.chapter_credit, "101")
    present_in_lms(block, request)
    status, body = call_json(block, "check", request)
    assert (status, body["state"]) == (200, "earned")
    assert list(Entry.objects.values_list("user_id", "indicator")) == [(101, "5")]
    assert writes(published) == [("completion-credit", EARNED_EVENT), ("completion-credit", "completion")]


def test_studio_preview_writes_nothing(wb, course, people, published):
    learner, _staff = people  # an author who has also done the content as a learner
    block = present_in_studio(wb.block_for(course.chapter_credit, "101"), learner, completion=True)
    status, body = call_json(block, "check", request_by(learner))
    assert (status, body["state"]) == (200, "pending")
    assert READ_ONLY_MESSAGE in body["announcement"]
    assert not Entry.objects.exists() and writes(published) == []


def test_studio_preview_as_studio_builds_it_has_no_completion_to_count(wb, course, people, published):
    learner, _staff = people
    block = present_in_studio(wb.block_for(course.chapter_credit, "101"), learner)
    status, body = call_json(block, "check", request_by(learner))
    assert (status, body["state"]) == (200, "no-tracking")
    assert not Entry.objects.exists() and writes(published) == []
