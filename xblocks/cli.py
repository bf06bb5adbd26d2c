"""
The ``learning-citizen`` command: the suite's management command, runnable without an LMS.

Every action runs on the standalone settings (:mod:`xblocks.standalone.settings`: no LMS, no XBlock
SDK; SQLite under ./var unless LEARNING_CITIZEN_DATABASE_URL names another database), which it
creates or migrates on first use. Only ``demo --serve`` serves the XBlock SDK workbench, and so
needs the ``demo`` extra.
"""
import os
import sys

STANDALONE_SETTINGS = "xblocks.standalone.settings"
WORKBENCH_SETTINGS = "xblocks.workbench.settings"
EXTRA_HINT = {
    "demo": "pip install 'learning-citizen-xblocks[demo]'",
    "standalone": "pip install 'learning-citizen-xblocks[standalone]'",
}


def _migrate_if_needed():
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.db.migrations.executor import MigrationExecutor  # pylint: disable=import-outside-toplevel

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def command_language(environ=os.environ):
    """LEARNING_CITIZEN_LANGUAGE, else the shell's locale: Vietnamese for vi_*, English otherwise."""
    chosen = environ.get("LEARNING_CITIZEN_LANGUAGE") or environ.get("LC_ALL") or environ.get("LC_MESSAGES") or environ.get("LANG") or ""
    return "vi" if chosen.lower().startswith("vi") else "en"


def settings_for(argv):
    """The settings module an invocation needs: the workbench's only to serve the demo."""
    serves = argv[:1] == ["demo"] and any(arg == "--serve" or arg.startswith("--serve=") for arg in argv[1:])
    return WORKBENCH_SETTINGS if serves else STANDALONE_SETTINGS


def _fail(message):
    sys.stderr.write(f"learning-citizen: {message}\n")
    return 1


def main(argv=None):
    """Entry point of the console script."""
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_for(argv))
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
        return _fail(str(error))

    from django.core.management.base import CommandError  # pylint: disable=import-outside-toplevel
    from django.db import DatabaseError  # pylint: disable=import-outside-toplevel
    from django.utils import translation  # pylint: disable=import-outside-toplevel
    from django.utils.translation import gettext as _  # pylint: disable=import-outside-toplevel

    from xblocks.ledger.management.commands.learning_citizen import Command  # pylint: disable=import-outside-toplevel

    translation.activate(command_language())
    try:
        _migrate_if_needed()
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
