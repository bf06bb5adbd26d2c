"""Start the database and Redis servers the tests use when they are not already running."""
import os
import socket
import subprocess
import time

START_COMMANDS = {
    "postgresql": lambda: ["pg_ctlcluster", "--skip-systemctl-redirect", sorted(os.listdir("/etc/postgresql"))[-1], "main", "start"],
    "mariadb": lambda: ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"],
    "redis": lambda: ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", ""],
}
PORTS = {"postgresql": 5432, "mariadb": 3306, "redis": 6379}


def is_listening(port, host="127.0.0.1"):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def ensure_server(name, timeout=60):
    """Start ``name`` if nothing listens on its port, and wait until it does."""
    port = PORTS[name]
    if is_listening(port):
        return
    subprocess.run(START_COMMANDS[name](), check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_listening(port):
            return
        time.sleep(0.5)
    raise RuntimeError(f"{name} did not start listening on 127.0.0.1:{port} within {timeout}s")


def ensure_server_for_url(url):
    if url.startswith(("postgres://", "postgresql://")):
        ensure_server("postgresql")
    elif url.startswith("mysql://"):
        ensure_server("mariadb")


__all__ = ["ensure_server", "ensure_server_for_url", "is_listening"]
