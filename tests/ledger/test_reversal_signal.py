"""`entry_reversed` is sent once per new reversal, only after it commits."""
import pytest
from django.db import transaction

from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.ledger.signals import entry_reversed

pytestmark = [pytest.mark.database, pytest.mark.django_db]


@pytest.fixture
def heard():
    received = []

    def listener(entry, **kwargs):
        received.append(entry)

    entry_reversed.connect(listener, dispatch_uid="test-listener")
    yield received
    entry_reversed.disconnect(dispatch_uid="test-listener")


def test_sent_after_commit_and_once(heard, django_capture_on_commit_callbacks):
    original = api.append(credit_event()).entry
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reversal = api.reverse(original, reason="wrong course").entry
        assert heard == []  # not before the commit
    assert len(callbacks) == 1 and heard == [reversal]
    with django_capture_on_commit_callbacks(execute=True):
        api.reverse(original, reason="again")  # already reversed: nothing new, nothing sent
    assert heard == [reversal]


def test_not_sent_when_the_transaction_rolls_back(heard, django_capture_on_commit_callbacks):
    original = api.append(credit_event()).entry
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            api.reverse(original, reason="wrong course")
            raise RuntimeError("the caller fails after reversing")
    assert heard == []


def test_a_failing_listener_does_not_undo_the_reversal(django_capture_on_commit_callbacks):
    def broken(entry, **kwargs):
        raise ValueError("listener bug")

    entry_reversed.connect(broken, dispatch_uid="broken-listener")
    try:
        original = api.append(credit_event()).entry
        with django_capture_on_commit_callbacks(execute=True):
            result = api.reverse(original, reason="wrong course")
        assert result.created and result.entry.reverses_id == original.pk
    finally:
        entry_reversed.disconnect(dispatch_uid="broken-listener")
