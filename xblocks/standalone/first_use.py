"""
The standalone database's first use: the ``learning-citizen`` command creates or migrates it,
and processes starting together on a fresh database take a database lock in turn (MariaDB/MySQL
``GET_LOCK``, a PostgreSQL advisory lock, a file lock beside a SQLite file), so the first migrates
and the others find nothing left to do.
"""
import hashlib
import os
import time
from contextlib import contextmanager

MIGRATE_TIMEOUT_VARIABLE = "LEARNING_CITIZEN_MIGRATE_TIMEOUT"
DEFAULT_MIGRATE_TIMEOUT = 300
MIGRATION_LOCK_NAME = "learning-citizen-migrate"


class MigrationLockTimeout(Exception):
    """Another process held the migration lock for longer than this one would wait."""


def migrate_timeout(environ=os.environ):
    """Seconds to wait for the migration lock: LEARNING_CITIZEN_MIGRATE_TIMEOUT, else 300 (at least 1)."""
    try:
        return max(1, int(environ.get(MIGRATE_TIMEOUT_VARIABLE) or DEFAULT_MIGRATE_TIMEOUT))
    except ValueError:
        return DEFAULT_MIGRATE_TIMEOUT


def _pending_migrations(connection):
    """The migrations to apply, and the missing tables of installed apps that have no migrations."""
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    from django.db.migrations.executor import MigrationExecutor  # pylint: disable=import-outside-toplevel

    executor = MigrationExecutor(connection)  # reads which migrations are applied afresh
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    # An app without migrations (the workbench app of XBlock SDK 0.14, the Ulmo line's) gets its
    # tables only from ``migrate --run-syncdb``.
    unmigrated = executor.loader.unmigrated_apps
    existing = set(connection.introspection.table_names()) if unmigrated else set()
    missing = [model._meta.db_table for config in apps.get_app_configs() if config.label in unmigrated  # pylint: disable=protected-access
               for model in config.get_models() if model._meta.managed and model._meta.db_table not in existing]  # pylint: disable=protected-access
    return [*plan, *missing]


@contextmanager
def _mysql_lock(connection, timeout):
    # A named lock of the session, server-wide: named after the database so two databases do not wait on each other.
    name = f"{MIGRATION_LOCK_NAME}:{connection.settings_dict['NAME']}"[:64]
    with connection.cursor() as cursor:
        cursor.execute("SELECT GET_LOCK(%s, %s)", [name, timeout])
        if cursor.fetchone()[0] != 1:
            raise MigrationLockTimeout()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT RELEASE_LOCK(%s)", [name])


@contextmanager
def _postgresql_lock(connection, timeout):
    # A session-level advisory lock (advisory locks belong to one database); lock_timeout bounds the wait.
    from django.db import OperationalError  # pylint: disable=import-outside-toplevel

    key = int.from_bytes(hashlib.sha256(MIGRATION_LOCK_NAME.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(timeout * 1000)}")
        try:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        except OperationalError as error:
            cause = error.__cause__
            if (getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)) == "55P03":  # lock_not_available
                raise MigrationLockTimeout() from None
            raise
        finally:
            cursor.execute("RESET lock_timeout")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@contextmanager
def _sqlite_lock(connection, timeout):
    # A lock on a file beside the database: SQLite's own write lock cannot be held across the
    # transactions that migrate opens and commits one by one.
    import fcntl  # pylint: disable=import-outside-toplevel

    name = connection.settings_dict["NAME"]
    if connection.is_in_memory_db():
        yield  # no other process can see it
        return
    with open(f"{name}.migrate-lock", "a", encoding="utf-8") as lock_file:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise MigrationLockTimeout() from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


@contextmanager
def _no_lock(connection, timeout):  # pylint: disable=unused-argument
    yield


# Each takes the lock for one database, waiting at most ``timeout`` seconds, or raises MigrationLockTimeout.
MIGRATION_LOCKS = {"mysql": _mysql_lock, "postgresql": _postgresql_lock, "sqlite": _sqlite_lock}


def migrate_if_needed(timeout=None):
    """
    Create or migrate the database on first use. Processes starting together on a fresh database
    take a database lock in turn; the first migrates, the others find nothing left to do.
    """
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel

    if not _pending_migrations(connection):
        return
    with MIGRATION_LOCKS.get(connection.vendor, _no_lock)(connection, migrate_timeout() if timeout is None else timeout):
        if _pending_migrations(connection):
            call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)
