"""
``xblocks.compat``, the suite's one door into edx-platform, tested through doubles under
``tests/platform/`` that honour the platform's contract as read at the pinned releases (each
double's docstring names the file and commit). Outside the platform every function answers its
documented fallback.
"""
import re

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey, UsageKey

from tests.platform.grades_api import ProblemScore, grades_module
from tests.platform.modulestore_django import ModuleStoreDouble, modulestore_module
from tests.platform.student_roles_global_staff import global_staff_module
from tests.platform.student_user_models import AnonymousIds, profile_model, student_models_module
from xblocks import compat

COURSE = CourseKey.from_string("course-v1:LC+CDHT+2026")
UNIT = COURSE.make_usage_key("vertical", "unit1")
PROBLEM = COURSE.make_usage_key("problem", "p1")
ESSAY = COURSE.make_usage_key("problem", "essay")
UNSCORED = COURSE.make_usage_key("problem", "not-yet")


def make_user(username, **fields):
    return get_user_model().objects.create(username=username, **fields)


# --- outside the platform ---------------------------------------------------------------------

def test_outside_the_platform_every_function_answers_its_fallback(settings):
    assert compat.modulestore() is None
    assert compat.authored_block(UNIT) is None
    assert compat.get_user(1) is None
    assert compat.problem_scores(1, COURSE) is None
    anonymous = compat.anonymous_id(1)
    assert re.fullmatch(r"[0-9a-f]{32}", anonymous)
    assert compat.anonymous_id(1) == anonymous != compat.anonymous_id(2)
    settings.SECRET_KEY = "another site"
    assert compat.anonymous_id(1) != anonymous  # keyed by the site's secret


@pytest.mark.django_db
def test_outside_the_platform_global_staff_is_djangos_flag_on_an_active_login():
    assert compat.is_global_staff(make_user("admin", is_staff=True))
    assert not compat.is_global_staff(make_user("lan"))
    assert not compat.is_global_staff(make_user("gone", is_staff=True, is_active=False))
    assert not compat.is_global_staff(None)


# --- modulestore / authored_block --------------------------------------------------------------

def test_modulestore_is_the_platforms_store(platform):
    store = ModuleStoreDouble({})
    platform(modulestore_module(store))
    assert compat.modulestore() is store


def test_authored_block_loads_the_whole_subtree_from_the_store(platform):
    unit = object()
    store = ModuleStoreDouble({UNIT: unit})
    platform(modulestore_module(store))
    assert compat.authored_block(UNIT) is unit
    assert store.calls == [(UNIT, None, {})]  # depth=None: every descendant, no learner state


def test_authored_block_parses_a_key_given_as_text(platform):
    unit = object()
    store = ModuleStoreDouble({UNIT: unit})
    platform(modulestore_module(store))
    assert compat.authored_block(str(UNIT)) is unit
    assert isinstance(store.calls[0][0], UsageKey)


def test_authored_block_is_none_for_a_block_the_store_does_not_hold_or_a_bad_key(platform, caplog):
    platform(modulestore_module(ModuleStoreDouble({})))
    assert compat.authored_block(UNIT) is None
    assert compat.authored_block("not a key") is None
    assert "Cannot load" in caplog.text


# --- get_user / anonymous_id -------------------------------------------------------------------

@pytest.mark.django_db
def test_get_user_is_the_platforms_django_user(platform):
    platform(student_models_module())
    lan = make_user("lan")
    assert compat.get_user(lan.id) == lan
    assert compat.get_user(str(lan.id)) == lan  # ids may arrive as text from a runtime
    assert compat.get_user(lan.id + 1000) is None
    assert compat.get_user("student_1") is None  # a workbench name is no platform user
    assert compat.get_user(None) is None


@pytest.mark.django_db
def test_anonymous_id_is_the_platforms_site_wide_id(platform):
    anonymous_ids = AnonymousIds()
    platform(student_models_module(anonymous_ids))
    lan, minh = make_user("lan"), make_user("minh")
    first = compat.anonymous_id(lan.id)
    assert first == anonymous_ids.stored[(lan.id, "")]
    assert anonymous_ids.asked == [(lan.id, None)]  # course None: one id per learner, not per course
    assert compat.anonymous_id(lan.id) == first
    assert compat.anonymous_id(minh.id) not in (first, None)


@pytest.mark.django_db
def test_anonymous_id_of_an_id_the_lms_does_not_know_is_the_keyed_hash(platform):
    anonymous_ids = AnonymousIds()
    platform(student_models_module(anonymous_ids))
    unknown = compat.anonymous_id(987654)
    assert re.fullmatch(r"[0-9a-f]{32}", unknown)
    assert anonymous_ids.asked == []


# --- learner_names -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_learner_names_are_the_platform_profiles_full_names_else_usernames(platform):
    lan, minh = make_user("lan", first_name="Not", last_name="Used"), make_user("minh")
    profiles = profile_model({lan.id: "Nguyễn Thị Lan", minh.id: ""})
    platform(student_models_module(profiles=profiles))
    names = compat.learner_names([lan.id, str(minh.id), 987654, "student_1", None])
    assert names == {lan.id: "Nguyễn Thị Lan", minh.id: "minh"}  # a blank profile name falls back to the username
    assert profiles.objects.asked == [[lan.id, minh.id]]  # one query, for the users the site has
    assert compat.learner_names([]) == {}


@pytest.mark.django_db
def test_outside_the_platform_learner_names_are_djangos_full_names_else_usernames():
    lan, minh = make_user("lan", first_name="Lan", last_name="Nguyễn"), make_user("minh")
    assert compat.learner_names([lan.id, minh.id, 987654]) == {lan.id: "Lan Nguyễn", minh.id: "minh"}


# --- problem_scores ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_problem_scores_are_the_weighted_scores_of_the_learners_course_grade(platform):
    lan = make_user("lan")
    names, reads = grades_module({(lan.id, COURSE): {
        PROBLEM: ProblemScore(1, 2, 5, 10, 10, True, None),     # half of a problem weighted 10
        ESSAY: ProblemScore(None, 4, None, 4, None, False, None),  # possible but not answered yet
        UNSCORED: ProblemScore(None, None, None, None, None, False, None),  # nothing to count
    }})
    platform({**names, **student_models_module()})
    assert compat.problem_scores(lan.id, COURSE) == {str(PROBLEM): (5.0, 10.0), str(ESSAY): (0.0, 4.0)}
    assert [(read["user"], read["course_key"]) for read in reads] == [(lan, COURSE)]


@pytest.mark.django_db
def test_problem_scores_of_another_learner_or_course_are_not_mixed_in(platform):
    lan, minh = make_user("lan"), make_user("minh")
    other_course = CourseKey.from_string("course-v1:LC+Other+2026")
    names, _ = grades_module({
        (lan.id, COURSE): {PROBLEM: ProblemScore(2, 2, 10, 10, 10, True, None)},
        (lan.id, other_course): {ESSAY: ProblemScore(4, 4, 4, 4, None, True, None)},
    })
    platform({**names, **student_models_module()})
    assert compat.problem_scores(minh.id, COURSE) == {}
    assert compat.problem_scores(lan.id, COURSE) == {str(PROBLEM): (10.0, 10.0)}


@pytest.mark.django_db
def test_problem_scores_of_an_unknown_learner_are_empty(platform):
    names, reads = grades_module({})
    platform({**names, **student_models_module()})
    assert compat.problem_scores(987654, COURSE) == {}
    assert reads == []


# --- is_global_staff ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_global_staff_is_the_platforms_role_for_active_logins(platform):
    names, asked = global_staff_module()
    platform(names)
    admin, lan = make_user("admin", is_staff=True), make_user("lan")
    assert compat.is_global_staff(admin)
    assert not compat.is_global_staff(lan)
    assert asked == [admin, lan]
    # The role itself ignores is_active: an inactive staff account must not pass through it.
    gone = make_user("gone", is_staff=True, is_active=False)
    assert not compat.is_global_staff(gone)
    assert gone not in asked
