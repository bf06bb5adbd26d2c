"""The same attempt submitted from several requests at once: one attempt row, one credit entry."""
import threading

import pytest
from django.db import connections

from xblocks.common.mixins import workbench_user_id
from xblocks.ledger import api as ledger
from xblocks.skills_assessment import api

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]
REQUESTS = 6


def test_simultaneous_submissions_of_one_attempt_record_it_once(assess, clock):
    usage = assess.load()
    assess.start(usage)
    payload = {"attempt_id": assess.block(usage).current_form["id"], "answers": assess.answers(usage)}
    barrier = threading.Barrier(REQUESTS)
    statuses, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=30)
            statuses.append(assess.call(usage, "submit", payload)[0])
        except Exception as error:  # pylint: disable=broad-except
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert statuses == [200] * REQUESTS
    assert api.attempts(usage_key=str(usage)).count() == 1
    entries = list(ledger.entries(user_id=workbench_user_id("101")))
    assert len(entries) == 1 and entries[0].points == 10
