"""
The ``learning-citizen`` command: the suite's management command, runnable without an LMS.

Every action runs on the standalone settings (:mod:`xblocks.standalone.settings`: no LMS, no XBlock
SDK; SQLite under ./var unless LEARNING_CITIZEN_DATABASE_URL names another database), which it
creates or migrates on first use, one process at a time (:mod:`xblocks.standalone.first_use`). Only
``demo --serve`` serves the XBlock SDK workbench, and so needs the ``demo`` extra.
"""
import os
import sys

STANDALONE_SETTINGS = "xblocks.standalone.settings"
WORKBENCH_SETTINGS = "xblocks.workbench.settings"
EXTRA_HINT = {
    "demo": "pip install 'learning-citizen-xblocks[demo]'",
    "standalone": "pip install 'learning-citizen-xblocks[standalone]'",
}


# How long a process waits for another one that is creating or migrating the database.
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


def _fail(message, status=1):
    sys.stderr.write(f"learning-citizen: {message}\n")
    return status


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
    from xblocks.standalone.first_use import (  # pylint: disable=import-outside-toplevel
        MIGRATE_TIMEOUT_VARIABLE, MigrationLockTimeout, migrate_if_needed, migrate_timeout)

    translation.activate(command_language())
    try:
        migrate_if_needed()
    except MigrationLockTimeout:
        return _fail(_("another learning-citizen process has been creating or migrating the database for more than "
                       "{seconds} seconds; try again when it has finished (or raise {variable})").format(
                           seconds=migrate_timeout(), variable=MIGRATE_TIMEOUT_VARIABLE))
    except DatabaseError as error:
        return _fail(_("cannot open the database: {error}").format(error=error))
    command = Command()
    try:
        options = vars(command.create_parser("learning-citizen", "").parse_args(argv))
    except CommandError as error:  # argparse's own refusal (an unknown action or option, a missing or bad value)
        return _fail(_("the arguments were not understood ({detail}); learning-citizen --help lists the actions and "
                       "their options").format(detail=str(error).removeprefix("Error: ")), status=2)
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
