"""
First use of a fresh database by many `learning-citizen` processes at once: one creates the schema
under a database lock, the others wait for it and find nothing left to do (issue 14: 49 of 50
failed with "Table 'auth_permission' already exists"). Run on SQLite, and on MariaDB and
PostgreSQL by `make test`, each time against a database created empty for the test.
"""
import os
import subprocess
import sys
import uuid

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.utils import ConnectionHandler

from tests.commands import console_environment, console_script
from xblocks.standalone.first_use import MIGRATION_LOCKS
from xblocks.ledger.models import CHAIN_COUNT
from xblocks.standalone.database import database_settings

pytestmark = [pytest.mark.database, pytest.mark.django_db]

PROCESSES = 20


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of an empty database on the server the tests use (a new file for SQLite), dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    settings = connection.settings_dict
    name = f"lc_fresh_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    scheme = {"mysql": "mysql", "postgresql": "postgres"}[connection.vendor]
    # The server's defaults, as an administrator's CREATE DATABASE gets them.
    with connection._nodb_cursor() as cursor:  # pylint: disable=protected-access
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    try:
        yield f"{scheme}://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
    finally:
        with connection._nodb_cursor() as cursor:  # pylint: disable=protected-access
            cursor.execute(f"DROP DATABASE {connection.ops.quote_name(name)}")


@pytest.fixture
def fresh_connection(fresh_database):
    """A connection of this process to the fresh database."""
    handler = ConnectionHandler({"default": database_settings(fresh_database)})
    yield handler["default"]
    handler.close_all()


def command_environment(url, tmp_path, **variables):
    return {**console_environment(), "LEARNING_CITIZEN_DATABASE_URL": url,
            "LEARNING_CITIZEN_VAR": str(tmp_path / "var"), **variables}


def start(url, tmp_path, *argv, **variables):
    return subprocess.Popen([console_script(), *argv], env=command_environment(url, tmp_path, **variables),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_many_processes_starting_on_a_fresh_database_all_succeed_and_migrate_once(fresh_database, fresh_connection, tmp_path):
    processes = [start(fresh_database, tmp_path, "verify") for _ in range(PROCESSES)]
    outcomes = [(process.wait(timeout=180), *process.communicate()) for process in processes]
    failures = [(code, err) for code, _, err in outcomes if code != 0 or err]
    assert not failures, failures
    assert all("intact" in out for _, out, _ in outcomes)

    # Every migration applied, each recorded once; the initial migration's chain heads made once.
    with fresh_connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = cursor.fetchall()
        cursor.execute("SELECT COUNT(*) FROM learning_citizen_ledger_chainhead")
        heads = cursor.fetchone()[0]
    assert len(applied) == len(set(applied))
    assert set(applied) == set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    assert heads == CHAIN_COUNT


def test_a_process_that_waits_too_long_for_the_migration_lock_says_so_and_changes_nothing(fresh_database, fresh_connection, tmp_path):
    lock = MIGRATION_LOCKS[fresh_connection.vendor]
    with lock(fresh_connection, 5):  # as another process migrating would hold it
        english = start(fresh_database, tmp_path, "verify", LEARNING_CITIZEN_MIGRATE_TIMEOUT="1")
        vietnamese = start(fresh_database, tmp_path, "verify", LEARNING_CITIZEN_MIGRATE_TIMEOUT="1", LEARNING_CITIZEN_LANGUAGE="vi")
        (code, _, err), (code_vi, _, err_vi) = [(process.wait(timeout=60), *process.communicate()) for process in (english, vietnamese)]
        assert code == 1 and err == ("learning-citizen: another learning-citizen process has been creating or migrating the "
                                     "database for more than 1 seconds; try again when it has finished "
                                     "(or raise LEARNING_CITIZEN_MIGRATE_TIMEOUT)\n")
        assert code_vi == 1 and "learning-citizen: một tiến trình learning-citizen khác" in err_vi
        assert "Traceback" not in err + err_vi
        assert "django_migrations" not in fresh_connection.introspection.table_names()
    # Once the lock is free, the next process migrates and runs.
    process = start(fresh_database, tmp_path, "verify")
    assert process.wait(timeout=120) == 0, process.communicate()


def test_the_demos_first_use_creates_the_workbench_tables_on_every_release_line(fresh_database, fresh_connection, tmp_path):
    # XBlock SDK 0.14 (the Ulmo line's) ships its workbench app without migrations: its tables come
    # only from migrate --run-syncdb, which first use must ask for (else the demo answers 500).
    script = "import django; django.setup(); from xblocks.standalone.first_use import migrate_if_needed; migrate_if_needed()"
    environment = {**command_environment(fresh_database, tmp_path), "DJANGO_SETTINGS_MODULE": "xblocks.workbench.settings"}
    completed = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    tables = set(fresh_connection.introspection.table_names())
    assert {"workbench_xblockstate", "learning_citizen_ledger_entry"} <= tables
