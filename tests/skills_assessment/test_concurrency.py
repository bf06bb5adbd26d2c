"""The same attempt submitted from several requests at once: one attempt row, one credit entry."""
import pytest

from tests.concurrency import run_at_once
from xblocks.common.mixins import workbench_user_id
from xblocks.ledger import api as ledger
from xblocks.skills_assessment import api

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]
REQUESTS = 6


def test_simultaneous_submissions_of_one_attempt_record_it_once(assess, clock):
    usage = assess.load()
    assess.start(usage)
    payload = {"attempt_id": assess.block(usage).current_form["id"], "answers": assess.answers(usage)}
    statuses = run_at_once(lambda _index: assess.call(usage, "submit", payload)[0], REQUESTS)
    assert statuses == [200] * REQUESTS
    assert api.attempts(usage_key=str(usage)).count() == 1
    entries = list(ledger.entries(user_id=workbench_user_id("101")))
    assert len(entries) == 1 and entries[0].points == 10
