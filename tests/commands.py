"""Run the `learning-citizen` command in tests: in process, or as the installed console script."""
import io
import os
import sys

from django.db import connection

from xblocks.cli import main


def run(*argv):
    """The console script's main() in this process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(list(argv))
    finally:
        sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def console_script():
    """Path of the installed `learning-citizen` executable."""
    return os.path.join(os.path.dirname(sys.executable), "learning-citizen")


def console_environment():
    """Environment that points a separate process at this test's database, with English messages."""
    settings = connection.settings_dict
    engine = settings["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        url = f"sqlite:///{settings['NAME']}"
    else:
        scheme = {"mysql": "mysql", "postgresql": "postgres"}[engine]
        url = f"{scheme}://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return {**os.environ, "LEARNING_CITIZEN_DATABASE_URL": url, "LANG": "C.UTF-8"}
