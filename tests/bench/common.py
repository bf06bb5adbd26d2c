"""
What the benchmarks share: the bench's own database made anew, a measuring process of its own,
memory figures, the median round, and each benchmark's section of docs/benchmarks.md.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQLITE_SUFFIXES = ("", "-journal", "-wal", "-shm")


def status_mib(field):
    """A /proc/self/status figure in MiB (VmRSS: resident now, VmHWM: the peak so far); None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def remove_sqlite(path):
    """An SQLite database file and its journals gone."""
    for suffix in SQLITE_SUFFIXES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def recreate_server_database(vendor, name, host="127.0.0.1", port=None, user="root", password=""):
    """Drop and create database ``name`` on a MariaDB (``mysql``) or PostgreSQL server, outside Django."""
    if vendor == "mysql":
        import pymysql  # pylint: disable=import-outside-toplevel
        server = pymysql.connect(host=host or "127.0.0.1", port=int(port or 3306), user=user or "root",
                                 password=password or "", autocommit=True)
        try:
            with server.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
                cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        finally:
            server.close()
    elif vendor == "postgresql":
        import psycopg  # pylint: disable=import-outside-toplevel
        with psycopg.connect(host=host or "127.0.0.1", port=int(port or 5432), user=user or "postgres",
                             password=password or None, dbname="postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{name}"')
    else:
        raise SystemExit(f"the benchmark does not run on {vendor}")


def recreate_connected_database(sqlite_name, server_name, what="the benchmark"):
    """
    Drop and recreate the database Django's default connection names, before migrating it; refuses
    any database but the bench's own (an SQLite file called ``sqlite_name``, a server database
    called ``server_name``).
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel
    config = connection.settings_dict
    if connection.vendor == "sqlite" and Path(str(config["NAME"])).name != sqlite_name:
        raise SystemExit(f"refusing to reset {config['NAME']}: {what} only uses files named {sqlite_name}")
    if connection.vendor != "sqlite" and config["NAME"] != server_name:
        raise SystemExit(f"refusing to reset database {config['NAME']!r}: {what} only uses {server_name}")
    connection.close()
    if connection.vendor == "sqlite":
        remove_sqlite(config["NAME"])
        return
    recreate_server_database(connection.vendor, server_name, config["HOST"], config["PORT"], config["USER"], config["PASSWORD"])


def child_json(module, arguments, environment=None, what="bench"):
    """Run ``python -m module arguments`` in a fresh process and return the JSON of its last line."""
    environment = dict(os.environ if environment is None else environment)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    completed = subprocess.run([sys.executable, "-m", module, *arguments], env=environment, cwd=ROOT,
                               capture_output=True, text=True, check=False)
    if completed.returncode:
        raise SystemExit(f"{what}: {' '.join(arguments)} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def median_round(items, key=lambda item: item["seconds"]):
    """The round that is the median by ``key``, with the highest of each memory figure over all rounds."""
    ordered = sorted(items, key=key)
    median = {**ordered[len(ordered) // 2], "rounds": len(items)}
    for figure in ("growth_mib", "traced_mib", "peak_mib"):
        values = [item[figure] for item in items if item.get(figure) is not None]
        if values:
            median[figure] = max(values)
    return median


class MarkdownSection:
    """One benchmark's part of docs/benchmarks.md, between two HTML comments, so it can be replaced alone."""

    def __init__(self, name):
        self.start = f"<!-- {name}:start -->"
        self.end = f"<!-- {name}:end -->"

    def replace(self, text, new_section):
        """``text`` with this section replaced by ``new_section`` (appended when it has none)."""
        if self.start in text and self.end in text:
            before, rest = text.split(self.start, 1)
            return before + new_section + rest.split(self.end, 1)[1].lstrip("\n")
        return text.rstrip("\n") + "\n\n" + new_section

    def kept(self, text):
        """This section of ``text`` (its markers included), or None."""
        if self.start in text and self.end in text:
            return self.start + text.split(self.start, 1)[1].split(self.end, 1)[0] + self.end + "\n"
        return None

    def write(self, path, new_section):
        """Put ``new_section`` into the file at ``path`` (made when missing), replacing the earlier one."""
        path = Path(path)
        path.write_text(self.replace(path.read_text("utf-8") if path.exists() else "", new_section), encoding="utf-8")

    def publish(self, new_section, markdown=None):
        """Into the Markdown file ``markdown`` when one is named, else on standard output."""
        if markdown:
            self.write(markdown, new_section)
        else:
            print(new_section)


def save_json(path, results):
    """The raw measurements into ``path`` (nothing when None), so a section can be rendered again later."""
    if path:
        Path(path).write_text(json.dumps(results, indent=1), encoding="utf-8")
