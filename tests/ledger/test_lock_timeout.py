"""
LEARNING_CITIZEN_LOCK_TIMEOUT: how long an append waits for its chain's lock, on every database.
Another connection holds the chain's head row locked; the append gives up after the timeout (with
nothing written) while that lock is still held, and waits through a hold shorter than the timeout.
"""
import threading

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.models import F

from tests.factories import credit_event
from xblocks.ledger import api
from xblocks.ledger.models import ChainHead, Entry, chain_of

pytestmark = [pytest.mark.database, pytest.mark.django_db(transaction=True)]


class ChainLockHolder:
    """Hold one chain's head row locked, from a connection of its own, until released or ``longest`` seconds pass."""

    def __init__(self, chain, longest):
        self.chain, self.longest = chain, longest
        self.holding, self.release, self.released = threading.Event(), threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic():
                # An UPDATE takes the row lock on MariaDB and PostgreSQL and the write lock on SQLite.
                ChainHead.objects.filter(chain=self.chain).update(length=F("length"))
                self.holding.set()
                self.release.wait(self.longest)
            self.released.set()
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        assert self.holding.wait(30), "the holder could not take the chain's lock"
        return self

    def __exit__(self, *exc_info):
        self.release.set()
        self.thread.join(60)
        assert not self.thread.is_alive()


def own_lock_setting():
    """The connection's own lock wait setting, as the database reports it."""
    with connection.cursor() as cursor:
        cursor.execute({"postgresql": "SHOW lock_timeout", "sqlite": "PRAGMA busy_timeout",
                        "mysql": "SELECT @@SESSION.innodb_lock_wait_timeout"}[connection.vendor])
        return cursor.fetchone()[0]


def test_an_append_stops_waiting_for_a_held_chain_after_the_timeout(settings):
    settings.LEARNING_CITIZEN_LOCK_TIMEOUT = 1
    event = credit_event(learner={"user_id": 41, "anonymous_id": "a41"})
    # Shorter than the databases' own waits (SQLite's busy timeout here is 30 s, MariaDB's 50 s,
    # PostgreSQL's none): without the setting the append would wait for the release and succeed.
    with ChainLockHolder(chain_of(41), longest=20) as holder:
        with pytest.raises(OperationalError):
            api.append(event)
        # It gave up on its own: the other connection still held the lock.
        assert not holder.released.is_set()
    assert not Entry.objects.exists()
    assert api.append(event).created
    assert api.verify().intact


def set_own_lock_setting(seconds):
    with connection.cursor() as cursor:
        cursor.execute({"postgresql": f"SET lock_timeout = '{seconds}s'", "sqlite": f"PRAGMA busy_timeout = {seconds * 1000}",
                        "mysql": f"SET SESSION innodb_lock_wait_timeout = {seconds}"}[connection.vendor])


def test_an_append_waits_through_a_hold_shorter_than_the_timeout(settings):
    # The connection's own wait is shorter than the hold: the setting, not it, decides how long
    # the append waits.
    settings.LEARNING_CITIZEN_LOCK_TIMEOUT = 40
    set_own_lock_setting(1)
    try:
        event = credit_event(learner={"user_id": 42, "anonymous_id": "a42"})
        with ChainLockHolder(chain_of(42), longest=4) as holder:
            assert api.append(event).created
            assert holder.released.is_set()
    finally:
        connection.close()
    assert api.verify().intact


@pytest.mark.parametrize("in_callers_transaction", [False, True])
def test_an_append_leaves_the_connections_own_lock_setting_as_it_was(settings, in_callers_transaction):
    settings.LEARNING_CITIZEN_LOCK_TIMEOUT = 3
    before = own_lock_setting()
    if in_callers_transaction:
        with transaction.atomic():
            api.append(credit_event(learner={"user_id": 43, "anonymous_id": "a43"}))
            assert own_lock_setting() == before
    else:
        api.append(credit_event(learner={"user_id": 43, "anonymous_id": "a43"}))
    assert own_lock_setting() == before
    assert Entry.objects.count() == 1
