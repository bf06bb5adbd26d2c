"""
The credit-once guarantee, through the workbench runtime and the block's handlers: the server
decides completion, the credit is sent on the CREDIT_EARNED signal, and reloads, repeated calls
and racing requests leave exactly one ledger entry per learner, block and indicator.
"""
from decimal import Decimal

import pytest
from xblock.exceptions import NoSuchHandlerError

from tests.completion_credit.conftest import CHAPTER_ONE, CHAPTER_TWO
from tests.concurrency import run_at_once
from xblocks.completion_credit.mixins.credit import EARNED_EVENT, idempotency_key
from xblocks.ledger import api
from xblocks.ledger.models import Entry
from xblocks.ledger.signals import CREDIT_EARNED

pytestmark = [pytest.mark.database, pytest.mark.django_db]


def finish(wb, course, names, user="101", answers=None):
    for name in names:
        status, _body = wb.complete(course.names[name], user, (answers or {}).get(name))
        assert status == 200, name


def check(wb, usage_id, user="101", payload=None):
    status, body = wb.call(wb.block_for(usage_id, user), "check", payload)
    assert status == 200
    return body


def test_progress_is_counted_on_the_server_and_credit_appears_when_complete(wb, course):
    body = check(wb, course.chapter_credit)
    assert (body["state"], body["completed"], body["total"]) == ("in-progress", 0, 5)
    assert 'role="progressbar"' in body["html"] and 'aria-valuenow="0"' in body["html"]

    finish(wb, course, CHAPTER_ONE[:3])
    body = check(wb, course.chapter_credit)
    assert (body["state"], body["completed"]) == ("in-progress", 3)
    assert not Entry.objects.exists()

    finish(wb, course, CHAPTER_ONE[3:])
    body = check(wb, course.chapter_credit)
    assert (body["state"], body["completed"], body["score_percent"]) == ("earned", 5, 100.0)
    entry = Entry.objects.get()
    assert (entry.user_id, entry.indicator, entry.points, entry.hours) == (101, "5", Decimal("2.00"), Decimal("2.00"))
    assert (entry.source_kind, entry.provenance, entry.assurance) == ("completion", "verified", "auto-scored")
    assert entry.course_key == "course-v1:LearningCitizenVN+KNS101+2026"
    assert entry.usage_key == str(course.chapter_credit)
    assert entry.idempotency_key == idempotency_key(101, course.chapter_credit, "learning-citizen-2021-2030", "5")
    assert "2 points toward indicator 5" in body["announcement"]


def test_reloads_and_repeated_calls_record_one_entry_and_one_tracking_event(wb, course, published):
    finish(wb, course, CHAPTER_ONE)
    for _ in range(3):
        check(wb, course.chapter_credit)
        html = wb.block_for(course.chapter_credit).render("student_view").body_html()  # a reload
        assert "lc-credit__state--earned" in html
    assert Entry.objects.count() == 1
    earned = [data for block_type, event_type, data in published if event_type == EARNED_EVENT]
    assert len(earned) == 1
    assert earned[0]["credit"][0]["indicator"] == "5" and earned[0]["course_key"].startswith("course-v1:")
    own = [data["completion"] for block_type, event_type, data in published
           if block_type == "completion-credit" and event_type == "completion"]
    assert own == [1.0]  # published once, when it changed


def test_the_browser_cannot_grant_credit(wb, course):
    finish(wb, course, CHAPTER_ONE[:2])
    status, body = wb.call(wb.block_for(course.chapter_credit, "101"), "check",
                           {"state": "earned", "completed": 5, "total": 5, "completion": 1.0})
    assert status == 400 and "completed, completion, state, total" in body["error"]
    body = check(wb, course.chapter_credit)
    assert body["state"] == "in-progress" and body["completed"] == 2
    # The block has no handler that takes a completion; the runtime refuses unknown handlers.
    with pytest.raises(NoSuchHandlerError):
        wb.call(wb.block_for(course.chapter_credit), "publish_completion", {"completion": 1.0})
    check(wb, course.chapter_credit)
    assert not Entry.objects.exists()


def test_the_minimum_score_is_required(wb, course):
    wrong = {"ch1-cau-hoi-cai-dat": {"0": "0"}, "ch1-cau-hoi-an-toan": {"0": ["1"]}}
    finish(wb, course, CHAPTER_ONE, answers=wrong)
    body = check(wb, course.chapter_credit)
    assert (body["state"], body["score_percent"]) == ("score-short", 0.0)
    assert not Entry.objects.exists()

    wb.complete(course.names["ch1-cau-hoi-cai-dat"])  # one of two right: 50 %, the minimum
    body = check(wb, course.chapter_credit)
    assert (body["state"], body["score_percent"]) == ("earned", 50.0)
    assert Entry.objects.count() == 1


def test_credit_is_sent_on_the_signal_and_the_ledger_receiver_appends_it(wb, course):
    from xblocks.ledger.receivers import record_credit  # pylint: disable=import-outside-toplevel
    sent = []

    def spy(credit, **kwargs):
        sent.append(credit)

    CREDIT_EARNED.connect(spy, dispatch_uid="test.spy")
    CREDIT_EARNED.disconnect(dispatch_uid="learning_citizen.ledger.record_credit")
    try:
        finish(wb, course, CHAPTER_ONE)
        body = check(wb, course.chapter_credit)
        assert body["state"] == "pending"  # sent, but nobody appended it
        assert not Entry.objects.exists()
        check(wb, course.chapter_credit)  # sent again with the same key: at-least-once is fine
        assert {credit.idempotency_key for credit in sent} == {idempotency_key(101, course.chapter_credit,
                                                                               "learning-citizen-2021-2030", "5")}
    finally:
        CREDIT_EARNED.disconnect(dispatch_uid="test.spy")
        CREDIT_EARNED.connect(record_credit, dispatch_uid="learning_citizen.ledger.record_credit")
    body = check(wb, course.chapter_credit)  # the receiver is back: the same key lands once
    assert body["state"] == "earned" and Entry.objects.count() == 1


def test_each_learner_earns_their_own_credit(wb, course):
    finish(wb, course, CHAPTER_ONE, user="101")
    assert check(wb, course.chapter_credit, user="102")["state"] == "in-progress"
    finish(wb, course, CHAPTER_ONE, user="102")
    check(wb, course.chapter_credit, user="101")
    check(wb, course.chapter_credit, user="102")
    assert sorted(Entry.objects.values_list("user_id", flat=True)) == [101, 102]


def test_a_learner_without_an_account_earns_nothing(wb, course):
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    status, body = wb.call(WorkbenchRuntime(None).get_block(course.chapter_credit), "check")
    assert status == 200 and body["state"] == "anonymous"
    assert not Entry.objects.exists()


def test_course_scope_credits_several_indicators_with_the_hours_once(wb, course):
    finish(wb, course, CHAPTER_ONE)
    assert check(wb, course.course_credit)["state"] == "in-progress"
    finish(wb, course, CHAPTER_TWO)
    body = check(wb, course.course_credit)
    assert (body["state"], body["completed"], body["total"]) == ("earned", 7, 7)
    rows = {entry.indicator: (entry.points, entry.hours) for entry in Entry.objects.filter(usage_key=str(course.course_credit))}
    assert rows == {"5": (Decimal("3.00"), Decimal("4.00")), "1": (Decimal("1.00"), None)}
    standing = api.standing(101, rows and Entry.objects.first().period)
    assert {item.code: item.points for item in standing.indicators}["5"] == Decimal("3.00")


def test_listed_blocks_count_only_what_is_listed(wb):
    root = wb.load("""
        <vertical>
          <html url_name="reading"><p>Read me</p></html>
          <problem url_name="quiz"><multiplechoiceresponse><label>Q?</label><choicegroup>
            <choice correct="true">yes</choice><choice correct="false">no</choice></choicegroup></multiplechoiceresponse></problem>
          <html url_name="extra"><p>Not counted</p></html>
          <completion-credit credit="5:1" scope="blocks" counted_blocks="reading, quiz, gone"/>
        </vertical>""")
    names = wb.descendants(root)
    credit = wb.credit_blocks(root)[0]
    wb.complete(names["reading"])
    wb.complete(names["quiz"])
    body = check(wb, credit)
    assert (body["state"], body["total"]) == ("earned", 2)
    author = wb.block_for(credit).render("author_view").body_html()
    assert "gone" in author  # a listed name that matches nothing is shown to the author


def test_a_withdrawn_credit_is_shown_and_not_sent_again(wb, course):
    finish(wb, course, CHAPTER_ONE)
    check(wb, course.chapter_credit)
    api.reverse(Entry.objects.get(), reason="recorded for the wrong learner")
    body = check(wb, course.chapter_credit)
    assert body["state"] == "withdrawn" and "recorded for the wrong learner" in body["html"]
    assert Entry.objects.count() == 2  # the credit and its reversal, nothing new


def test_the_idempotency_key_depends_on_learner_block_and_indicator_only():
    key = idempotency_key(101, "usage-a", "learning-citizen-2021-2030", "5")
    assert key == idempotency_key("101", "usage-a", "learning-citizen-2021-2030", "5")
    assert len({key, idempotency_key(102, "usage-a", "learning-citizen-2021-2030", "5"),
                idempotency_key(101, "usage-b", "learning-citizen-2021-2030", "5"),
                idempotency_key(101, "usage-a", "learning-citizen-2021-2030", "1")}) == 4
    assert len(key) <= 200


def test_student_view_data_describes_the_credit_for_the_mobile_apps(wb, course):
    data = wb.block_for(course.course_credit).student_view_data()
    assert data["credit"][0]["indicator"] == "5" and data["credit"][0]["points"] == 3.0
    assert data["credit"][1]["title"]["vi"].startswith("Thường xuyên đọc sách")
    assert (data["scope"], data["min_score"], data["learning_hours"]) == ("course", 60, 4.0)
    assert data["framework"]["id"] == "learning-citizen-2021-2030"


@pytest.mark.django_db(transaction=True)
def test_racing_requests_record_one_entry(wb, course, published):
    check(wb, course.chapter_credit)  # the learner opened the page before finishing (state rows exist)
    finish(wb, course, CHAPTER_ONE)
    threads_count = 6
    results = run_at_once(lambda _index: wb.call(wb.block_for(course.chapter_credit), "check"), threads_count)
    assert sorted(status for status, _body in results) == [200] * threads_count
    assert Entry.objects.count() == 1
    assert api.verify().intact
    assert len([1 for _type, event_type, _data in published if event_type == EARNED_EVENT]) == 1
    assert check(wb, course.chapter_credit)["state"] == "earned"


def test_the_score_is_read_only_when_it_decides_the_credit(wb, course, monkeypatch):
    """The grades (the learner's whole course grade in the LMS) are not read on every render or check."""
    from xblocks.workbench.completion import WorkbenchCompletionService  # pylint: disable=import-outside-toplevel
    reads = []
    original = WorkbenchCompletionService.get_scores

    def counted(service, candidates):
        reads.append(list(candidates))
        return original(service, candidates)
    monkeypatch.setattr(WorkbenchCompletionService, "get_scores", counted)

    finish(wb, course, CHAPTER_ONE[:4])
    wb.block_for(course.chapter_credit).render("student_view")
    assert check(wb, course.chapter_credit)["state"] == "in-progress"
    assert reads == []  # not everything is completed: the score decides nothing yet

    finish(wb, course, CHAPTER_ONE[4:])
    body = check(wb, course.chapter_credit)
    assert (body["state"], body["score_percent"]) == ("earned", 100.0) and len(reads) == 1

    html = wb.block_for(course.chapter_credit).render("student_view").body_html()
    assert "lc-credit__state--earned" in html and len(reads) == 1  # earned: the score no longer matters
