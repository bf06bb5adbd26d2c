"""
Whose standing a viewer may look up, as the LMS presents viewers (tests/common/lms.py,
tests/platform): global staff (the platform's GlobalStaff) and holders of the view-any-standing
permission see anyone; course staff see learners enrolled in the block's course only, with one
answer for "not enrolled" and "no such user"; learners see only themselves. The block sits in a
real course (its usage key names the course the enrolment check asks about).
"""
import json

import pytest
import webob
from workbench.runtime import WorkbenchRuntime
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData

from tests.common.lms import COURSE, PLATFORM_MODULES, present_in_lms, request_by, user, view_as
from tests.platform import student_course_enrollment as enrolments
from tests.platform.courseware_block_render import handling
from xblocks.common.mixins import READ_ONLY_MESSAGE
from xblocks.standing.block import StandingBlock

from .conftest import give_credit

pytestmark = [pytest.mark.database, pytest.mark.django_db]
OTHER_COURSE = "course-v1:LearningCitizenVN+OTHER+2026"


@pytest.fixture
def site(platform):
    """Learners 101 (enrolled here), 102 (enrolled elsewhere); course staff 900; global staff 901; an officer 902."""
    from django.contrib.auth.models import Permission  # pylint: disable=import-outside-toplevel
    platform(PLATFORM_MODULES)
    enrolments.reset()
    people = {
        "lan": user(101, "lan"), "minh": user(102, "minh"), "teacher": user(900, "gv-anh"),
        "admin": user(901, "quan-tri", is_staff=True), "officer": user(902, "can-bo-so"),
    }
    enrolments.CourseEnrollment.enroll(people["lan"], COURSE)
    enrolments.CourseEnrollment.enroll(people["minh"], OTHER_COURSE)
    people["officer"].user_permissions.add(Permission.objects.get(codename="view_any_standing",
                                                                   content_type__app_label="learning_citizen_credentials"))
    give_credit(101, {"1": 4})
    give_credit(102, {"2": 6})
    return people


def standing_block(viewer):
    """The standing block of COURSE, as ``viewer`` (a Django user) asks for it in the LMS."""
    runtime = WorkbenchRuntime(str(viewer.id))
    # The workbench's own field store keys by its scenario ids; a course's usage key needs a plain store.
    runtime._services["field-data"] = KvsFieldData(DictKeyValueStore())  # pylint: disable=protected-access
    usage_key = COURSE.make_usage_key("learning-citizen-standing", "standing")
    block = runtime.construct_xblock_from_class(StandingBlock, ScopeIds(str(viewer.id), "learning-citizen-standing",
                                                                        usage_key, usage_key))
    return block


def look_up(viewer, learner, request=None):
    request = request or request_by(viewer)
    block = standing_block(viewer)
    present_in_lms(block, request, course_staff_ids={900})
    body = json.dumps({"learner": learner}).encode()
    with handling(request):
        response = block.runtime.handle(block, "standing", webob.Request.blank(
            "/", method="POST", body=body, content_type="application/json"))
    return response.status_code, json.loads(response.body)


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_global_staff_and_permission_holders_see_anyone(site, who):
    for learner, points in (("lan", "4 of 100 points"), ("minh", "6 of 100 points"), ("102", "6 of 100 points")):
        status, body = look_up(site[who], learner)
        assert status == 200, body
        assert points in body["html"]
    status, body = look_up(site[who], "nobody-here")
    assert (status, body["error"]) == (404, "There is no learner nobody-here.")


def test_course_staff_see_learners_enrolled_in_their_course(site):
    status, body = look_up(site["teacher"], "lan")
    assert status == 200 and "Standing of learner lan" in body["html"] and "4 of 100 points" in body["html"]
    assert look_up(site["teacher"], "101")[0] == 200


def test_course_staff_get_one_answer_for_not_enrolled_and_no_such_user(site):
    answers = {learner: look_up(site["teacher"], learner) for learner in ("minh", "102", "nobody-here", "99999")}
    assert {status for status, _body in answers.values()} == {404}
    assert answers["minh"][1]["error"] == "There is no learner minh in this course."
    assert answers["nobody-here"][1]["error"] == "There is no learner nobody-here in this course."
    assert answers["102"][1]["error"] == "There is no learner 102 in this course."
    assert answers["99999"][1]["error"] == "There is no learner 99999 in this course."


def test_an_unenrolled_learner_is_refused_again(site):
    assert look_up(site["teacher"], "lan")[0] == 200
    enrolments.CourseEnrollment.unenroll(site["lan"], COURSE)
    assert look_up(site["teacher"], "lan")[0] == 404


def test_learners_see_only_themselves(site):
    for learner in ("minh", "102", "nobody-here"):
        status, body = look_up(site["lan"], learner)
        assert (status, body["error"]) == (403, "You may only see your own standing.")
    status, body = look_up(site["lan"], "")  # no one named: their own
    assert status == 200 and "Your standing" in body["html"] and "4 of 100 points" in body["html"]


def test_staff_viewing_as_a_learner_look_only_as_that_learner(site):
    request = request_by(site["teacher"])
    view_as(request, site["lan"])
    status, body = look_up(site["lan"], "minh", request)  # presented as lan: no lookups
    assert (status, body["error"]) == (403, "You may only see your own standing.")
    request = request_by(site["teacher"])  # the next request
    view_as(request, site["lan"])
    status, body = look_up(site["lan"], "", request)  # what the learner sees: their own standing
    assert status == 200 and "Your standing" in body["html"] and "4 of 100 points" in body["html"]


def test_staff_viewing_as_a_learner_cannot_download_their_credential(site):
    request = request_by(site["teacher"])
    view_as(request, site["lan"])
    block = standing_block(site["lan"])
    present_in_lms(block, request, course_staff_ids={900})
    with handling(request):
        response = block.runtime.handle(block, "credential", webob.Request.blank("/?period=2026", method="GET"))
    assert (response.status_code, response.text) == (403, READ_ONLY_MESSAGE)


def test_compat_is_enrolled_follows_the_platform(site):
    from xblocks import compat  # pylint: disable=import-outside-toplevel
    assert compat.is_enrolled(101, COURSE) is True
    assert compat.is_enrolled(102, COURSE) is False       # enrolled elsewhere
    assert compat.is_enrolled(99999, COURSE) is False     # no such user
    assert compat.is_enrolled(101, None) is False         # no course to ask about


@pytest.mark.django_db
def test_outside_the_platform_enrolment_is_unknown():
    from xblocks import compat  # pylint: disable=import-outside-toplevel
    assert compat.is_enrolled(101, COURSE) is None
