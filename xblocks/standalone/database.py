"""
The database the standalone command, the demo and the tests use: SQLite under ./var, or the one
``LEARNING_CITIZEN_DATABASE_URL`` names (``mysql://…``, ``postgres://…``, ``sqlite:///…``).

A URL is read with dj-database-url and MariaDB/PostgreSQL need their drivers: both come with the
``standalone`` extra. The SQLite default needs nothing beyond a plain install.
"""
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATABASE_URL_VARIABLE = "LEARNING_CITIZEN_DATABASE_URL"
SQLITE = "django.db.backends.sqlite3"
MYSQL = "django.db.backends.mysql"


def default_sqlite_path():
    return Path(os.environ.get("LEARNING_CITIZEN_VAR", "var")).resolve() / "learning-citizen.db"


def _use_a_mysql_driver():
    """
    mysqlclient (MySQLdb), the C driver edx-platform runs on, when it is installed (the test
    requirements install it); otherwise PyMySQL, which needs no C build, stands in for it.
    """
    try:
        import MySQLdb  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        import pymysql  # pylint: disable=import-outside-toplevel
        pymysql.install_as_MySQLdb()


def _parse(url):
    try:
        import dj_database_url  # pylint: disable=import-outside-toplevel
    except ImportError:
        raise ImproperlyConfigured(
            f"{DATABASE_URL_VARIABLE} needs the standalone extra: pip install 'learning-citizen-xblocks[standalone]'"
        ) from None
    return dj_database_url.parse(url, conn_max_age=0)


def database_settings(url=None):
    """A Django ``DATABASES['default']`` dict for ``url``, the variable, or the SQLite default."""
    url = url or os.environ.get(DATABASE_URL_VARIABLE)
    config = _parse(url) if url else {"ENGINE": SQLITE, "NAME": str(default_sqlite_path())}
    engine = config["ENGINE"]
    if engine == MYSQL:
        _use_a_mysql_driver()
        config.setdefault("OPTIONS", {}).update({"charset": "utf8mb4", "isolation_level": "read committed"})
        config.setdefault("TEST", {}).update({"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"})
    elif engine == SQLITE:
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
        # when a read lock cannot be upgraded; the timeout is how long they queue.
        config.setdefault("OPTIONS", {}).update({"timeout": 30, "transaction_mode": "IMMEDIATE"})
    # One test database per test process, so test runs side by side never share one.
    test_name = f"test_{config['NAME'] if engine != SQLITE else 'learning_citizen'}_{os.getpid()}"
    if engine == SQLITE:
        test_name = str(Path(config["NAME"]).with_name(f"{test_name}.db"))
    config.setdefault("TEST", {}).setdefault("NAME", test_name)
    return config
