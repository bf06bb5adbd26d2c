"""
A Redis server of the test's own, on a free port, for tests that stop Redis (never the shared one
on 6379). Its data survives a stop: it writes an append-only file, as a production Redis does.

    with PrivateRedis(workdir) as server:
        ... server.url ...
        server.stop(); server.start()
"""
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis


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
