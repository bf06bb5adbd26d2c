"""
Who is looking, by the one rule every block uses: the LMS's user service inside the platform; in
the XBlock SDK workbench (no logins) the page's ``?student=`` name, some of which act as staff.
"""
import pytest
from workbench.runtime import WorkBenchUserService
from xblock.reference.user_service import UserService, XBlockUser

from tests.harness import block_of_class
from xblocks.common.mixins import CurrentUserMixin, RuntimeUser, workbench_user_id
from xblocks.completion_credit.block import CompletionCreditBlock
from xblocks.completion_credit.learner import current_learner
from xblocks.evidence.block import EvidenceBlock
from xblocks.evidence.identity import current_actor
from xblocks.skills_assessment.block import SkillsAssessmentBlock
from xblocks.standing.block import StandingBlock
from xblocks.standing.identity import current_viewer


class FakeRuntime:
    def __init__(self, **services):
        self.services = services

    def service(self, block, name):  # pylint: disable=unused-argument
        return self.services.get(name)


class Looker(CurrentUserMixin):
    """The smallest thing the mixin serves: anything with a runtime."""

    def __init__(self, user_service=None):
        self.runtime = FakeRuntime(user=user_service)


class LmsUserService(UserService):
    """The LMS's user service as far as the blocks read it: a user with ``edx-platform.*`` attributes."""

    def get_current_user(self):
        return self._user


def lms_user(full_name="", **attrs):
    user = XBlockUser(is_current_user=True, full_name=full_name)
    user.opt_attrs.update({f"edx-platform.{name}": value for name, value in attrs.items()})
    return LmsUserService(user=user)


def test_workbench_names_map_to_stable_numbers():
    assert workbench_user_id("101") == workbench_user_id(" 101 ") == 101
    assert workbench_user_id("staff") == 2731656875  # pinned: ledger rows keep these ids
    assert workbench_user_id("staff") != workbench_user_id("reviewer")
    assert 0 <= workbench_user_id("Nguyễn Văn A") < 2 ** 32


@pytest.mark.parametrize("student, user_id, staff", [
    ("101", 101, False),
    ("staff", workbench_user_id("staff"), True),        # the workbench settings' list: ("staff", "reviewer")
    ("reviewer", workbench_user_id("reviewer"), True),
    ("Staff", workbench_user_id("Staff"), False),        # names are matched exactly
    ("anna", workbench_user_id("anna"), False),
])
def test_workbench_student_names(student, user_id, staff):
    user = Looker(WorkBenchUserService(student)).current_user()
    assert (user.user_id, user.staff, user.in_lms, user.username) == (user_id, staff, False, student)
    assert user.name == f"XBlock User ({student})"  # the SDK's full name


@pytest.mark.parametrize("student", ["none", "", None])
def test_workbench_nobody_is_anonymous(student):
    """``none`` is what the SDK's unauthenticated handler URLs run as."""
    assert Looker(WorkBenchUserService(student)).current_user() == RuntimeUser(None)


def test_no_user_service_is_anonymous():
    assert not Looker(None).current_user().known


def test_without_the_setting_only_staff_acts_as_staff(settings):
    del settings.LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF
    assert Looker(WorkBenchUserService("staff")).current_user().staff
    assert not Looker(WorkBenchUserService("reviewer")).current_user().staff


@pytest.mark.parametrize("attrs, staff", [
    ({"user_is_staff": True, "user_role": "staff"}, True),
    ({"user_is_staff": False, "user_role": "instructor"}, True),
    ({"user_is_staff": False, "user_role": "student"}, False),
    ({}, False),
])
def test_lms_staff_comes_from_the_platform(attrs, staff):
    user = Looker(lms_user(user_id=42, username="lan", is_authenticated=True, **attrs)).current_user()
    assert user == RuntimeUser(42, "lan", "", staff, in_lms=True)


def test_in_the_lms_a_workbench_staff_name_counts_for_nothing():
    service = lms_user(user_id=42, username="staff", is_authenticated=True, user_is_staff=False)
    service.get_current_user().opt_attrs["xblock-workbench.user_id"] = "staff"
    user = Looker(service).current_user()
    assert (user.user_id, user.staff) == (42, False)


def test_lms_anonymous_and_names():
    assert Looker(lms_user(user_id=7, is_authenticated=False, user_is_staff=True)).current_user() == RuntimeUser(None, in_lms=True)
    assert Looker(lms_user("Trần Thị Lan", user_id=7, username="lan")).current_user().name == "Trần Thị Lan"
    assert Looker(lms_user(user_id=7, username="lan")).current_user().name == "lan"


@pytest.mark.parametrize("student", ["101", "staff", "reviewer", "anna", "none"])
def test_one_name_is_one_learner_in_every_block(student):
    """Each block's own view of the user comes from the one rule."""
    expected = Looker(WorkBenchUserService(student)).current_user()
    actor = current_actor(block_of_class(EvidenceBlock, student))
    viewer = current_viewer(block_of_class(StandingBlock, student))
    learner = current_learner(block_of_class(CompletionCreditBlock, student))
    assessed = block_of_class(SkillsAssessmentBlock, student).current_user()
    assert actor.user_id == viewer.user_id == learner.user_id == assessed.user_id == expected.user_id
    assert actor.course_staff == viewer.staff == assessed.staff == expected.staff
    assert actor.known == viewer.known == learner.known == expected.known == (student != "none")
