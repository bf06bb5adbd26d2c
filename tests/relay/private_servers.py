"""
Private Redis and PostgreSQL servers for fault tests, each in a directory of its own on a free port,
so a test can stop and start them without disturbing the shared servers other tests use (never the
shared Redis on 6379). The private Redis keeps an append-only file, as a production Redis does, so
its data survives a stop.

    with PrivatePostgres() as postgres, PrivateRedis() as redis_server:
        postgres.url          # postgres://postgres@127.0.0.1:<port>/ledger
        postgres.stop(); postgres.start()
        redis_server.stop(); redis_server.start()
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
import redis

from tests.servers import is_listening


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self, workdir=None, port=None):
        self._own_dir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="private-redis-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self, timeout=10):
        if self.process is not None and self.process.poll() is None:
            return self
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.workdir),
                   "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no",
                   "--logfile", str(self.workdir / "redis.log")]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    if client.ping():
                        return self
                except redis.exceptions.RedisError:
                    pass
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"private redis-server on port {self.port} did not start: "
                                       f"{(self.workdir / 'redis.log').read_text(errors='replace')[-2000:]}")
                time.sleep(0.05)
        finally:
            client.close()

    def stop(self, timeout=10):
        """Stop the server as an operator would (SIGTERM: it flushes its append-only file first)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout)

    def client(self):
        return redis.Redis(port=self.port)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)


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
