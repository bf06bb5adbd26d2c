"""The database the standalone command, demo and tests use: LEARNING_CITIZEN_DATABASE_URL or SQLite under ./var."""
import os
from pathlib import Path

import dj_database_url

DATABASE_URL_VARIABLE = "LEARNING_CITIZEN_DATABASE_URL"


def default_sqlite_url():
    return f"sqlite:///{Path(os.environ.get('LEARNING_CITIZEN_VAR', 'var')).resolve() / 'learning-citizen.db'}"


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


def database_settings(url=None):
    """A Django DATABASES['default'] dict for ``url`` (sqlite:///…, mysql://…, postgres://…)."""
    url = url or os.environ.get(DATABASE_URL_VARIABLE) or default_sqlite_url()
    config = dj_database_url.parse(url, conn_max_age=0)
    engine = config["ENGINE"]
    if engine == "django.db.backends.mysql":
        _use_a_mysql_driver()
        config.setdefault("OPTIONS", {}).update({"charset": "utf8mb4", "isolation_level": "read committed"})
        config.setdefault("TEST", {}).update({"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"})
    elif engine == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
        # when a read lock cannot be upgraded; the timeout is how long they queue.
        config.setdefault("OPTIONS", {}).update({"timeout": 30, "transaction_mode": "IMMEDIATE"})
    # One test database per test process, so test runs side by side never share one.
    test_name = f"test_{config['NAME'] if engine != 'django.db.backends.sqlite3' else 'learning_citizen'}_{os.getpid()}"
    if engine == "django.db.backends.sqlite3":
        test_name = str(Path(config["NAME"]).with_name(f"{test_name}.db"))
    config.setdefault("TEST", {}).setdefault("NAME", test_name)
    return config
