"""
Studio's editor handler asks the platform who may edit: in the LMS a learner posting to
``submit_studio_edits`` is refused (403) and nothing changes; outside the platform the workbench's
course staff edit.
"""
import json

import pytest
from django.utils import translation

from tests.common.lms import COURSE, present_in_lms, request_by
from tests.harness import block_of_class, handle, json_request
from tests.platform.courseware_block_render import handling
from tests.platform.student_auth import student_auth_module
from xblocks import compat
from xblocks.skills_assessment.block import SkillsAssessmentBlock

pytestmark = [pytest.mark.django_db]


def test_compat_asks_the_platform_for_studio_write_access(lms_people, platform):
    learner, staff = lms_people
    assert compat.may_edit_course(COURSE) is None  # no platform module: the caller decides
    platform(student_auth_module({(staff.id, COURSE)}))
    with handling(request_by(staff)):
        assert compat.may_edit_course(COURSE) is True
        assert compat.may_edit_course(None) is False
    with handling(request_by(learner)):
        assert compat.may_edit_course(COURSE) is False
    assert compat.may_edit_course(COURSE) is False  # no request: a task or command edits nothing


def test_a_learner_posting_to_the_editor_in_the_lms_is_refused(lms_people, platform):
    learner, staff = lms_people
    platform(student_auth_module({(staff.id, COURSE)}))
    block = block_of_class(SkillsAssessmentBlock, "101")
    request = request_by(learner)
    present_in_lms(block, request)
    body = {"values": {"display_name": "mine", "max_attempts": 99}, "defaults": []}
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    before = list(XBlockState.objects.values_list("id", "state"))
    with handling(request), translation.override("en"):
        response = handle(block, "submit_studio_edits", json_request(body))
    assert response.status_code == 403
    assert json.loads(response.body) == {"error": "Only the course team can change this component's settings."}
    assert list(XBlockState.objects.values_list("id", "state")) == before
