"""
The ``learning-citizen`` command: the suite's management command, runnable without an LMS.

Every action runs on the standalone settings (:mod:`xblocks.standalone.settings`: no LMS, no XBlock
SDK; SQLite under ./var unless LEARNING_CITIZEN_DATABASE_URL names another database), which it
creates or migrates on first use, one process at a time (a database lock). Only ``demo --serve`` serves the XBlock SDK workbench, and so
needs the ``demo`` extra.
"""
import hashlib
import os
import sys
import time
from contextlib import contextmanager

STANDALONE_SETTINGS = "xblocks.standalone.settings"
WORKBENCH_SETTINGS = "xblocks.workbench.settings"
EXTRA_HINT = {
    "demo": "pip install 'learning-citizen-xblocks[demo]'",
    "standalone": "pip install 'learning-citizen-xblocks[standalone]'",
}


# How long a process waits for another one that is creating or migrating the database.
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
    from django.db.migrations.executor import MigrationExecutor  # pylint: disable=import-outside-toplevel

    executor = MigrationExecutor(connection)  # reads which migrations are applied afresh
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


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


def _migrate_if_needed(timeout=None):
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
            call_command("migrate", interactive=False, verbosity=0)


def command_language(environ=os.environ):
    """LEARNING_CITIZEN_LANGUAGE, else the shell's locale: Vietnamese for vi_*, English otherwise."""
    chosen = environ.get("LEARNING_CITIZEN_LANGUAGE") or environ.get("LC_ALL") or environ.get("LC_MESSAGES") or environ.get("LANG") or ""
    return "vi" if chosen.lower().startswith("vi") else "en"


def settings_for(argv):
    """The settings module an invocation needs: the workbench's only to serve the demo."""
    serves = argv[:1] == ["demo"] and any(arg == "--serve" or arg.startswith("--serve=") for arg in argv[1:])
    return WORKBENCH_SETTINGS if serves else STANDALONE_SETTINGS


# The address credentials and xAPI statements name (docs/credentials.md); the demo fills it in.
BASE_URL_VARIABLE = "LEARNING_CITIZEN_BASE_URL"


def serve_address(argv):
    """The ADDR:PORT (or PORT) that ``demo --serve`` was given, or None."""
    if argv[:1] != ["demo"]:
        return None
    for position, arg in enumerate(argv[1:], start=1):
        if arg.startswith("--serve="):
            return arg.split("=", 1)[1] or None
        if arg == "--serve" and position + 1 < len(argv):
            return argv[position + 1]
    return None


def base_url_of(address):
    """
    The http URL a browser on this machine reaches ``address`` at (runserver's forms: PORT,
    ADDR:PORT, [IPv6]:PORT). A wildcard address is reached at the loopback one.
    """
    host, _sep, port = address.rpartition(":")
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "0": "127.0.0.1", "[::]": "[::1]"}.get(host, host)
    return f"http://{host}:{port}"


def use_demo_address(argv, environ=os.environ):
    """Make the served demo's address the base URL, unless the operator set one (before settings load)."""
    if (address := serve_address(argv)) and not environ.get(BASE_URL_VARIABLE):
        environ[BASE_URL_VARIABLE] = base_url_of(address)


def _fail(message):
    sys.stderr.write(f"learning-citizen: {message}\n")
    return 1


def main(argv=None):
    """Entry point of the console script."""
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_for(argv))
    use_demo_address(argv)
    import django  # pylint: disable=import-outside-toplevel
    from django.core.exceptions import ImproperlyConfigured  # pylint: disable=import-outside-toplevel

    try:
        django.setup()
    except ModuleNotFoundError as error:
        if error.name == "workbench":
            return _fail(f"serving the demo needs the XBlock SDK: {EXTRA_HINT['demo']}")
        if error.name in ("dj_database_url", "MySQLdb", "pymysql", "psycopg", "psycopg2"):
            return _fail(f"LEARNING_CITIZEN_DATABASE_URL needs the database drivers: {EXTRA_HINT['standalone']}")
        raise
    except ImproperlyConfigured as error:
        from django.conf import settings  # pylint: disable=import-outside-toplevel
        if not settings.configured:  # the settings themselves failed: nothing to translate with
            return _fail(str(error))
        # A refusal raised while the apps load (an operator's framework file) speaks the shell's language.
        from django.utils import translation  # pylint: disable=import-outside-toplevel
        with translation.override(command_language()):
            return _fail(str(error))

    from django.core.management.base import CommandError  # pylint: disable=import-outside-toplevel
    from django.db import DatabaseError  # pylint: disable=import-outside-toplevel
    from django.utils import translation  # pylint: disable=import-outside-toplevel
    from django.utils.translation import gettext as _  # pylint: disable=import-outside-toplevel

    from xblocks.reports.management.commands.learning_citizen import Command  # pylint: disable=import-outside-toplevel

    translation.activate(command_language())
    try:
        _migrate_if_needed()
    except MigrationLockTimeout:
        return _fail(_("another learning-citizen process has been creating or migrating the database for more than "
                       "{seconds} seconds; try again when it has finished (or raise {variable})").format(
                           seconds=migrate_timeout(), variable=MIGRATE_TIMEOUT_VARIABLE))
    except DatabaseError as error:
        return _fail(_("cannot open the database: {error}").format(error=error))
    command = Command()
    options = vars(command.create_parser("learning-citizen", "").parse_args(argv))
    try:
        command.execute(*options.pop("args", ()), **options)
    except CommandError as error:
        sys.stderr.write(f"learning-citizen: {error}\n")
        return error.returncode
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
