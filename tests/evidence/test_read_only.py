"""
Staff viewing the course as a learner, and Studio's preview, may look at the learner's declarations
but not declare, change, withdraw or review: refused with a translated message, nothing changes.
The learner's own requests still work. Users are presented as the LMS and Studio present them
(tests/common/lms.py, tests/platform).
"""
import pytest

from tests.common.lms import present_in_lms, present_in_studio, request_by, view_as
from tests.evidence.conftest import Caller, declaration_fields, unique_pdf
from tests.platform.courseware_block_render import handling
from xblocks.common.mixins import READ_ONLY_MESSAGE
from xblocks.evidence.models import Declaration

pytestmark = [pytest.mark.database, pytest.mark.django_db]


class LmsCaller(Caller):
    """A Caller whose handlers run while the LMS handles ``request`` (so compat sees the request's user)."""

    def __init__(self, usage_id, student, request):
        super().__init__(usage_id, student)
        self.request = request

    def _send(self, handler, request, suffix=""):
        with handling(self.request):
            return super()._send(handler, request, suffix)


def as_learner(usage_id, learner):
    caller = LmsCaller(usage_id, "101", request_by(learner))
    present_in_lms(caller.block, caller.request)
    return caller


def as_staff_viewing_as(usage_id, learner, staff):
    request = request_by(staff)
    view_as(request, learner)
    caller = LmsCaller(usage_id, "101", request)  # the LMS binds the block to the learner
    present_in_lms(caller.block, request, course_staff_ids={900})
    return caller


def test_staff_viewing_as_the_learner_see_but_change_nothing(usage_id, lms_people):
    learner, staff = lms_people
    status, body = as_learner(usage_id, learner).declare()
    assert status == 201
    declared = body["declaration"]

    viewing = as_staff_viewing_as(usage_id, learner, staff)
    status, body = viewing.state()
    assert status == 200 and [row["id"] for row in body["declarations"]] == [declared["id"]]  # reads still work

    refusals = [
        viewing.declare(),
        viewing.post_form("update", {**declaration_fields(title="Changed by staff"), "declaration": declared["id"]},
                          [("more.pdf", unique_pdf())]),
        viewing.post_json("withdraw", {"declaration": declared["id"]}),
        viewing.review(declared, "approve", points={"3": 2}),
    ]
    assert [(status, body["message"]) for status, body in refusals] == [(403, READ_ONLY_MESSAGE)] * 4
    row = Declaration.objects.get()
    assert (row.status, row.revision, row.title) == ("submitted", declared["revision"], declared["title"])


def test_the_learner_can_withdraw_their_own(usage_id, lms_people):
    learner, _staff = lms_people
    caller = as_learner(usage_id, learner)
    _status, body = caller.declare()
    status, body = caller.post_json("withdraw", {"declaration": body["declaration"]["id"]})
    assert (status, body["declaration"]["status"]) == (200, "withdrawn")


def test_studio_preview_cannot_declare(usage_id, lms_people):
    learner, _staff = lms_people
    caller = LmsCaller(usage_id, "101", request_by(learner))
    present_in_studio(caller.block, learner)
    status, body = caller.declare()
    assert (status, body["message"]) == (403, READ_ONLY_MESSAGE)
    assert not Declaration.objects.exists()
