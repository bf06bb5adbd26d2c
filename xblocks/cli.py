"""
The ``learning-citizen`` command: the ledger's management command, runnable without an LMS.

It uses the suite's standalone settings (SQLite under ./var, or LEARNING_CITIZEN_DATABASE_URL)
and creates or migrates that database on first use.
"""
import os
import sys


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


def main(argv=None):
    """Entry point of the console script."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xblocks.workbench.settings")
    import django  # pylint: disable=import-outside-toplevel
    from django.core.management.base import CommandError  # pylint: disable=import-outside-toplevel
    from django.db import DatabaseError  # pylint: disable=import-outside-toplevel

    django.setup()
    from xblocks.ledger.management.commands.learning_citizen import Command  # pylint: disable=import-outside-toplevel

    from django.utils import translation  # pylint: disable=import-outside-toplevel
    from django.utils.translation import gettext as _  # pylint: disable=import-outside-toplevel

    argv = sys.argv[1:] if argv is None else argv
    translation.activate(command_language())
    try:
        _migrate_if_needed()
    except DatabaseError as error:
        sys.stderr.write("learning-citizen: " + _("cannot open the database: {error}").format(error=error) + "\n")
        return 1
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
