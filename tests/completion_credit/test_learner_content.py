"""
In the LMS a learner is given less than the authored course: cohort / content-group restrictions,
one split-test branch, a selection of an item bank's children. The block counts what *this*
learner is given, through the platform's per-learner course blocks (``xblocks.compat`` calling
``lms.djangoapps.course_blocks.api.get_course_blocks``, here its double in tests/platform), and
keeps that per learner and course version in Django's cache.

The block runs in a runtime shaped like the LMS's: usage keys are the platform's opaque keys,
the ``user`` service answers with the ``edx-platform.*`` attributes the LMS sets, and the
``completion`` service has the two methods of edx-completion's ``CompletionService`` that the
block calls (``completion_tracking_enabled()``, ``get_completions(candidates)`` →
``{usage key: completion}``). Credit goes through the real signal and ledger.
"""
import json

import pytest
import webob
from django.core.cache import cache
from opaque_keys.edx.locator import CourseLocator
from xblock.fields import ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, NullI18nService, Runtime

from tests.platform import course_blocks
from xblocks.common.mixins import LMS_USER_ID, LMS_USER_ROLE, LMS_USERNAME
from xblocks.completion_credit.block import CompletionCreditBlock
from xblocks.ledger.models import Entry

pytestmark = [pytest.mark.database, pytest.mark.django_db]

COHORTS, EXPERIMENT = 50, 60  # user partition ids: a cohort partition and a split test's partition
A, B = 201, 202


class LmsUserService(UserService):
    """The LMS's user service as a block sees it: one current user with ``edx-platform.*`` attributes."""

    def __init__(self, user_id):
        super().__init__()
        self._user = XBlockUser(is_current_user=True, emails=[f"learner{user_id}@example.org"],
                                full_name=f"Learner {user_id}")
        self._user.opt_attrs.update({LMS_USER_ID: user_id, LMS_USERNAME: f"learner{user_id}", LMS_USER_ROLE: "student"})

    def get_current_user(self):
        return self._user


class CompletionService:
    """edx-completion's ``CompletionService`` for one learner, as far as the block calls it."""

    def __init__(self, done, user_id):
        self._done, self._user_id = done, user_id

    def completion_tracking_enabled(self):
        return True

    def get_completions(self, candidates):
        return {candidate: 1.0 if (self._user_id, candidate) in self._done else 0.0 for candidate in candidates}


class LmsShapedRuntime(Runtime):
    """One learner's request: the shared learner state (the LMS's database) and that learner's services."""

    def __init__(self, user_id, kvs, done):
        super().__init__(MemoryIdManager(), MemoryIdManager(), field_data=KvsFieldData(kvs), services={
            "user": LmsUserService(user_id), "completion": CompletionService(done, user_id), "i18n": NullI18nService()})
        self.published = []

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/handler/{block.scope_ids.usage_id}/{handler_name}"

    def resource_url(self, resource):
        return f"/static/{resource}"

    def local_resource_url(self, block, uri):
        return f"/local/{uri}"

    def publish(self, block, event_type, event_data):
        self.published.append((event_type, event_data))


class Lms:
    """The course, its learners' state and completions, and the block as each learner is served it."""

    def __init__(self, course):
        self.course = course
        self.kvs = DictKeyValueStore()
        self.done = set()
        self.credit_key = None

    def block(self, user_id):
        runtime = LmsShapedRuntime(user_id, self.kvs, self.done)
        block = runtime.construct_xblock_from_class(
            CompletionCreditBlock, ScopeIds(user_id, "completion-credit", self.credit_key, self.credit_key))
        return block

    def check(self, user_id):
        block = self.block(user_id)
        request = webob.Request.blank("/", method="POST", body=b"{}", content_type="application/json")
        response = block.runtime.handle(block, "check", request)
        assert response.status_code == 200
        return json.loads(response.body)

    def render(self, user_id):
        return self.block(user_id).render("student_view").body_html()

    def complete(self, user_id, *keys):
        self.done.update((user_id, key) for key in keys)


@pytest.fixture
def lms(platform, django_user_model):
    """A section with content for everyone, for one cohort each, a split test and an item bank."""
    for user_id in (A, B):
        django_user_model.objects.create(id=user_id, username=f"learner{user_id}")
    course = course_blocks.AuthoredCourse(CourseLocator("LearningCitizenVN", "GROUPS101", "2026"))
    root = course.root
    chapter = course.add(root, "chapter", "ch1")
    sequence = course.add(chapter, "sequential", "s1")
    keys = {}
    common = course.add(sequence, "vertical", "u-common")
    keys["intro"] = course.add(common, "html", "intro", display_name="Giới thiệu")
    keys["staff-notes"] = course.add(common, "html", "staff-notes", visible_to_staff_only=True)
    keys["discussion"] = course.add(common, "discussion", "discussion", completion_mode="excluded")
    cohort_a = course.add(sequence, "vertical", "u-cohort-a")
    course.restrict(cohort_a, COHORTS, [1])
    keys["cohort-a-quiz"] = course.add(cohort_a, "problem", "cohort-a-quiz", has_score=True)
    cohort_b = course.add(sequence, "vertical", "u-cohort-b")
    course.restrict(cohort_b, COHORTS, [2])
    keys["cohort-b-reading"] = course.add(cohort_b, "html", "cohort-b-reading")
    _split, branches = course.split_test(sequence, "experiment", EXPERIMENT, {10: "branch-a", 11: "branch-b"})
    keys["branch-a-video"] = course.add(branches[10], "video", "branch-a-video")
    keys["branch-b-text"] = course.add(branches[11], "html", "branch-b-text")
    bank_unit = course.add(sequence, "vertical", "u-bank")
    bank = course.add(bank_unit, "itembank", "bank", max_count=1)
    keys["bank-q1"] = course.add(bank, "problem", "bank-q1", has_score=True)
    keys["bank-q2"] = course.add(bank, "problem", "bank-q2", has_score=True)
    credit_unit = course.add(sequence, "vertical", "u-credit")
    credit_key = course.add(credit_unit, "completion-credit", "credit")
    later = course.add(root, "chapter", "ch2")
    keys["other-section"] = course.add(later, "html", "other-section")

    course.memberships = {A: {COHORTS: 1, EXPERIMENT: 10}, B: {COHORTS: 2, EXPERIMENT: 11}}
    course.selections = {(A, bank): [keys["bank-q1"]], (B, bank): [keys["bank-q2"]]}
    course_blocks.register(course)
    platform(course_blocks.modules())
    cache.clear()

    state = Lms(course)
    state.credit_key = credit_key
    state.keys = keys
    author = state.block(A)  # authored settings, as Studio saves them (Scope.settings: shared by learners)
    author.credit, author.scope, author.learning_hours = "5:2", "section", 1.0
    author.save()
    yield state
    course_blocks.unregister(course)


def names(lms, *wanted):
    return [lms.keys[name] for name in wanted]


A_OWN = ("intro", "cohort-a-quiz", "branch-a-video", "bank-q1")
B_OWN = ("intro", "cohort-b-reading", "branch-b-text", "bank-q2")


def test_each_learner_counts_their_own_content(lms):
    a, b = lms.check(A), lms.check(B)
    assert (a["state"], a["completed"], a["total"]) == ("in-progress", 0, 4)
    assert (b["state"], b["completed"], b["total"]) == ("in-progress", 0, 4)
    # What each is told to complete is theirs only, never the other cohort's, branch's or selection's.
    items_a = {item.name for item in lms.block(A).credit_status().progress.items}
    items_b = {item.name for item in lms.block(B).credit_status().progress.items}
    assert items_a == set(A_OWN) and items_b == set(B_OWN)
    assert "staff-notes" not in items_a | items_b and "discussion" not in items_a | items_b
    assert "other-section" not in items_a | items_b  # the section's content only


def test_both_learners_earn_the_credit_on_exactly_their_own_content(lms):
    lms.complete(B, *names(lms, "intro", "cohort-a-quiz", "branch-a-video", "bank-q1"))  # A's content, not B's
    body = lms.check(B)
    assert (body["state"], body["completed"], body["total"]) == ("in-progress", 1, 4)  # only "intro" is B's

    lms.complete(A, *names(lms, *A_OWN))
    body = lms.check(A)
    assert (body["state"], body["completed"], body["total"]) == ("earned", 4, 4)

    lms.complete(B, *names(lms, *B_OWN))
    body = lms.check(B)
    assert (body["state"], body["completed"], body["total"]) == ("earned", 4, 4)
    assert sorted(Entry.objects.values_list("user_id", "indicator")) == [(A, "5"), (B, "5")]
    assert all(entry.course_key == "course-v1:LearningCitizenVN+GROUPS101+2026" for entry in Entry.objects.all())


def test_the_course_blocks_are_built_once_per_learner_and_course_version(lms):
    calls = lms.course.calls
    assert "lc-credit__state--in-progress" in lms.render(A)
    assert [(user, version) for user, _key, version, _future in calls] == [(A, "5f0000000000000000000001")]
    assert calls[0][1] == lms.course.root and calls[0][3] is True  # from the course, unreleased content kept

    lms.render(A)
    lms.check(A)  # the automatic check on load reads the cache too
    assert len(calls) == 1

    lms.render(B)  # another learner: their own structure
    assert [user for user, *_rest in calls] == [A, B]

    lms.course.publish("5f0000000000000000000002")  # the course team publishes a change
    lms.complete(A, *names(lms, *A_OWN))
    assert lms.check(A)["state"] == "earned"
    assert [(user, version) for user, _key, version, _future in calls][-1] == (A, "5f0000000000000000000002")
    assert len(calls) == 3


def test_a_new_version_counts_what_it_adds(lms):
    lms.complete(A, *names(lms, *A_OWN[:3]))
    assert (lms.check(A)["completed"], lms.check(A)["total"]) == (3, 4)
    chapter = lms.course.children[lms.course.root][0]
    common_unit = lms.course.children[lms.course.children[chapter][0]][0]
    added = lms.course.add(common_unit, "html", "added-reading")
    assert lms.check(A)["total"] == 4  # the same version: the cached count
    lms.course.publish("5f0000000000000000000003")
    body = lms.check(A)
    assert (body["completed"], body["total"]) == (3, 5)
    lms.complete(A, added, lms.keys["bank-q1"])
    assert lms.check(A)["state"] == "earned"


def test_content_not_released_yet_is_counted_so_the_credit_waits_for_it(lms):
    from datetime import datetime, timedelta, timezone  # pylint: disable=import-outside-toplevel
    chapter = lms.course.children[lms.course.root][0]
    sequence = lms.course.children[chapter][0]
    unreleased = lms.course.add(sequence, "vertical", "next-week", start=datetime.now(timezone.utc) + timedelta(days=7))
    lesson = lms.course.add(unreleased, "html", "next-week-lesson")
    lms.complete(A, *names(lms, *A_OWN))
    body = lms.check(A)
    assert (body["state"], body["completed"], body["total"]) == ("in-progress", 4, 5)
    lms.complete(A, lesson)
    assert lms.check(A)["state"] == "earned"


def test_compat_answers_none_outside_the_platform():
    from xblocks import compat  # pylint: disable=import-outside-toplevel
    course_key = CourseLocator("LearningCitizenVN", "GROUPS101", "2026")
    assert compat.course_version(course_key) is None
    assert compat.learner_course_blocks(A, course_key) is None


def test_compat_reads_the_version_and_the_learners_blocks(lms):
    from xblocks import compat  # pylint: disable=import-outside-toplevel
    course_key = lms.course.course_key
    assert compat.course_version(course_key) == "5f0000000000000000000001"
    assert compat.course_version(CourseLocator("Nobody", "NONE", "2026")) is None  # no such course
    structure = compat.learner_course_blocks(A, course_key)
    assert structure.root_block_usage_key == lms.course.root and lms.keys["cohort-a-quiz"] in structure
    assert lms.keys["cohort-b-reading"] not in structure
    assert compat.learner_course_blocks(999, course_key) is None  # no such user


def test_staff_keep_staff_only_blocks_in_their_structure_but_they_are_not_counted(lms, django_user_model):
    django_user_model.objects.create(id=203, username="staff", is_staff=True)
    from xblocks import compat  # pylint: disable=import-outside-toplevel
    assert lms.keys["staff-notes"] in compat.learner_course_blocks(203, lms.course.course_key)
    items = {item.name for item in lms.block(203).credit_status().progress.items}
    assert "staff-notes" not in items and {"intro", "cohort-a-quiz", "cohort-b-reading"} <= items
