"""
Private PostgreSQL and Redis servers for fault tests: each in a temporary directory on a free port,
so a test can stop and start them without disturbing the shared servers other tests use.

    with PrivatePostgres() as postgres, PrivateRedis() as redis_server:
        postgres.url          # postgres://postgres@127.0.0.1:<port>/ledger
        postgres.stop(); postgres.start()
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from tests.servers import is_listening


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} within {timeout}s")
        time.sleep(0.1)


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (initdb + pg_ctl) holding one database, ``ledger``."""

    DATABASE = "ledger"

    def __init__(self):
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not candidates:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
        self.bin = Path(candidates[-1]).parent
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="private-postgres-"))
        self.data = self.directory / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{self.DATABASE}"
        # PostgreSQL refuses to run as root: run it as the postgres user then.
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *command):
        subprocess.run([*self._as, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self):
        if self._as:
            shutil.chown(self.directory, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        self.create_database(self.DATABASE)
        return self

    def start(self):
        # No fsync keeps a loaded machine fast, and loses nothing when only the server stops (the
        # kernel has the writes). synchronous_commit stays on: without it, a server stopped with
        # "immediate" forgets transactions it had already reported committed.
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  "-c full_page_writes=off -c max_connections=50"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"), "-o", options, "-w", "start")
        _wait(lambda: is_listening(self.port), f"private PostgreSQL not listening on {self.port}")

    def stop(self, mode="immediate"):
        """Stop the server; ``immediate`` drops every connection at once, as a crash would."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name, template=None):
        """A new database in this cluster (a copy of ``template``, when given); returns its URL."""
        with self.connect("postgres") as connection:
            connection.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self, database=None):
        return psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/{database or self.DATABASE}", autocommit=True)

    def __exit__(self, *exc):
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


class PrivateRedis:
    """A throw-away redis-server, not saving to disk."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="private-redis-"))
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def __enter__(self):
        self.start()
        return self

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: is_listening(self.port), f"private Redis not listening on {self.port}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
