"""
When a view is read-only, as the LMS and Studio present users to blocks: staff viewing the course
as a specific learner (masquerade) and Studio's preview. The user services are built as
``block_render`` and Studio's preview build them (tests/platform); the request's own user reaches
``xblocks.compat`` through django-crum, as in the LMS.
"""
import pytest
from django.utils import translation

from tests.common.lms import COURSE, call_json, present_in_lms, present_in_studio, request_by, view_as
from tests.harness import block_of_class
from tests.platform.courseware_block_render import handling
from tests.translations import ROOT, marked_messages, untranslated, xblock_catalogue
from xblocks import compat
from xblocks.common.mixins import READ_ONLY_MESSAGE
from xblocks.skills_assessment.block import SkillsAssessmentBlock
from xblocks.standing.block import StandingBlock

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def test_the_learner_themself_is_not_read_only(lms_people):
    learner, _staff = lms_people
    block = block_of_class(StandingBlock, "101")
    request = request_by(learner)
    present_in_lms(block, request)
    with handling(request):
        seen = block.current_user()
    assert (seen.user_id, seen.username, seen.staff, seen.in_lms, seen.read_only) == (101, "lan", False, True, False)


def test_staff_viewing_as_a_learner_are_presented_as_that_learner_and_read_only(lms_people):
    learner, staff = lms_people
    block = block_of_class(StandingBlock, "101")
    request = request_by(staff)
    view_as(request, learner)
    bound = present_in_lms(block, request, course_staff_ids={900})
    assert bound.real_user is request.user and bound.id == 101  # what setup_masquerade hands the runtime
    attrs = block.runtime.service(block, "user").get_current_user().opt_attrs
    assert (attrs["edx-platform.user_id"], attrs["edx-platform.user_is_staff"], attrs["edx-platform.user_role"]) == (101, False, "student")
    with handling(request):
        seen = block.current_user()
    assert (seen.user_id, seen.staff, seen.read_only) == (101, False, True)
    assert not block.current_user().read_only  # outside the request nobody is viewing as anyone


def test_staff_viewing_as_themselves_are_staff_and_not_read_only(lms_people):
    _learner, staff = lms_people
    block = block_of_class(StandingBlock, "900")
    request = request_by(staff)
    present_in_lms(block, request, course_staff_ids={900})
    with handling(request):
        seen = block.current_user()
    assert (seen.user_id, seen.staff, seen.read_only) == (900, True, False)


def test_studio_preview_is_read_only(lms_people):
    _learner, staff = lms_people
    block = present_in_studio(block_of_class(StandingBlock, "900"), staff)
    attrs = block.runtime.service(block, "user").get_current_user().opt_attrs
    assert (attrs["edx-platform.user_is_staff"], attrs["edx-platform.anonymous_user_id"]) == (False, "student")
    with handling(request_by(staff)):
        seen = block.current_user()
    assert (seen.user_id, seen.staff, seen.read_only) == (900, True, True)


def test_compat_asks_the_platform_about_masquerade(lms_people):
    learner, staff = lms_people
    request = request_by(staff)
    assert not compat.viewing_as_another_learner(101, COURSE)  # no request: tasks, commands
    with handling(request):
        assert compat.viewing_as_another_learner(101, COURSE)  # someone else sent the request
        assert not compat.viewing_as_another_learner(900, COURSE)
        # The platform's own flag counts even when the ids agree (staff masquerading under their own name).
        request.session["masquerade_settings"] = {}
        view_as(request, staff)
        request.user.masquerade_settings = request.session["masquerade_settings"]  # as setup_masquerade does
        assert compat.viewing_as_another_learner(900, COURSE)
    with handling(request_by(learner)):
        assert not compat.viewing_as_another_learner(101, COURSE)


def test_without_a_course_key_the_ids_alone_decide(lms_people):
    _learner, staff = lms_people
    with handling(request_by(staff)):
        assert compat.viewing_as_another_learner(101, None)  # the ids differ: no platform needed to see that
        assert not compat.viewing_as_another_learner(900, None)


def test_the_read_only_message_is_translated_in_the_blocks_catalogue():
    """It is marked in xblocks/common (shared by the blocks), so it is checked here, in the one XBlock catalogue."""
    messages = list(marked_messages([ROOT / "xblocks/common/mixins.py"]))
    assert READ_ONLY_MESSAGE in [message.msgid for message in messages]
    assert untranslated(messages, xblock_catalogue("vi")) == []
    assert xblock_catalogue("en").gettext(READ_ONLY_MESSAGE) == READ_ONLY_MESSAGE


def test_a_read_only_refusal_speaks_the_viewers_language(lms_people):
    _learner, staff = lms_people
    block = present_in_studio(block_of_class(SkillsAssessmentBlock, "900"), staff)
    with translation.override("vi"):
        status, body = call_json(block, "start", request_by(staff))
    assert (status, body["error"]) == (403, "Không có gì được ghi vào hồ sơ ở đây khi bạn xem khóa học dưới danh nghĩa "
                                            "một người học khác hoặc xem trước trong Studio.")
