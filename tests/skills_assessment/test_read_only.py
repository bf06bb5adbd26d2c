"""
Staff viewing the course as a learner, and Studio's preview, cannot start or submit the learner's
assessment: refused with a translated message, no attempt row, no credit, no grade or completion
published; the learner's own request still is. Users are presented as the LMS and Studio present
them (tests/common/lms.py, tests/platform).
"""
import pytest

from tests.common.lms import call_json, present_in_lms, present_in_studio, request_by, view_as
from tests.platform.courseware_block_render import handling
from xblocks.common.mixins import READ_ONLY_MESSAGE
from xblocks.ledger import api as ledger
from xblocks.skills_assessment.models import Attempt

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def writes(published):
    return [kind for _block, kind, _data in published if kind in ("grade", "completion") or kind.startswith("vn.")]


def masquerading(assess, usage, learner, staff):
    request = request_by(staff)
    view_as(request, learner)
    block = assess.block(usage, "101")  # the LMS binds the block to the learner
    present_in_lms(block, request, course_staff_ids={900})
    return block, request


def test_staff_viewing_as_the_learner_cannot_start_or_submit(assess, clock, lms_people, published):
    learner, staff = lms_people
    usage = assess.load()
    block, request = masquerading(assess, usage, learner, staff)
    status, body = call_json(block, "start", request)
    assert (status, body["error"]) == (403, READ_ONLY_MESSAGE)
    assert assess.block(usage, "101").current_form == {}

    assess.start(usage)  # the learner starts; staff look in on the attempt
    form = assess.block(usage, "101").current_form
    block, request = masquerading(assess, usage, learner, staff)
    status, body = call_json(block, "submit", request, {"attempt_id": form["id"], "answers": assess.answers(usage)})
    assert (status, body["error"]) == (403, READ_ONLY_MESSAGE)
    assert assess.block(usage, "101").current_form == form and assess.block(usage, "101").attempts == []
    assert not Attempt.objects.exists() and not ledger.entries(user_id=101).exists()
    assert writes(published) == []
    with handling(request):
        assert "lc-sa" in block.render("student_view").body_html()  # staff still see the learner's page


def test_the_learners_own_request_is_recorded(assess, clock, lms_people, published):
    learner, _staff = lms_people
    usage = assess.load()
    request = request_by(learner)
    block = assess.block(usage, "101")
    present_in_lms(block, request)
    status, _body = call_json(block, "start", request)
    assert status == 200
    form = block.current_form
    status, body = call_json(block, "submit", request, {"attempt_id": form["id"], "answers": assess.answers(usage)})
    assert (status, body["notice"]) == (200, "Your answers were recorded.")
    assert Attempt.objects.filter(user_id=101).count() == 1 and ledger.entries(user_id=101).exists()
    assert "grade" in writes(published) and "completion" in writes(published)


def test_studio_preview_cannot_start(assess, clock, lms_people, published):
    learner, _staff = lms_people
    usage = assess.load()
    block = present_in_studio(assess.block(usage, "101"), learner)
    status, body = call_json(block, "start", request_by(learner))
    assert (status, body["error"]) == (403, READ_ONLY_MESSAGE)
    assert not Attempt.objects.exists() and writes(published) == []
