"""
Tutor in a virtualenv of its own, for the plugin test. Tutor cannot join a release line's test
environment: its click requirement (Tutor 21: click<8.3; Tutor 22.0.3: click>=8.4) refuses the
click the platform pins (8.3.1 on Ulmo, 8.3.2 on Verawood; requirements/constraints/<line>.txt).
It is an operator's tool that runs outside the LMS image anyway. So the test builds a virtualenv with only the line's pinned Tutor
(requirements/tutor-<line>.txt), on this interpreter's Python, and talks to tutor_probe.py running
in it.

The virtualenv is kept in var/tutor/, named after the line, the Python and the pins, and built
once: later sessions reuse it (`make clean` removes it). If Tutor cannot be installed the test
fails and says why; it never skips.
"""
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).resolve().with_name("tutor_probe.py")
COMPLETE = "learning-citizen-complete"


def requirements_file(line):
    return ROOT / "requirements" / f"tutor-{line}.txt"


def environment_path(line):
    """var/tutor/<line>-py<X.Y>-<digest of the pins and the interpreter>: a new one when either changes."""
    key = hashlib.sha256()
    key.update(requirements_file(line).read_bytes())
    key.update(f"{sys.version}\n{os.path.realpath(getattr(sys, '_base_executable', sys.executable))}".encode())
    return ROOT / "var" / "tutor" / f"{line}-py{sys.version_info[0]}.{sys.version_info[1]}-{key.hexdigest()[:12]}"


def tutor_environment(line):
    """The python of Tutor's own virtualenv for ``line``, built on first use."""
    requirements = requirements_file(line)
    if not requirements.exists():
        pytest.fail(f"No Tutor pins for the {line} line: {requirements} is missing (see requirements/tutor-{line}.in)")
    environment = environment_path(line)
    environment.parent.mkdir(parents=True, exist_ok=True)
    # One build at a time, should two test runs start together.
    with open(environment.parent / ".lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (environment / COMPLETE).exists():
            shutil.rmtree(environment, ignore_errors=True)
            # venv on this interpreter's base Python (the line's), never inside the test environment.
            venv.create(environment, with_pip=True, clear=True)
            installed = subprocess.run(
                [environment / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 "-r", str(requirements)],
                capture_output=True, text=True, check=False)
            if installed.returncode != 0:
                shutil.rmtree(environment, ignore_errors=True)
                told = "\n".join(line for line in installed.stderr.splitlines() if not line.startswith("WARNING:"))
                pytest.fail(f"Tutor could not be installed into its own virtualenv from {requirements} "
                            f"(pip exited {installed.returncode}):\n{told[-4000:]}", pytrace=False)
            (environment / COMPLETE).write_text(requirements.read_text(encoding="utf-8"), encoding="utf-8")
    return environment / "bin" / "python"


class TutorProbe:
    """tutor_probe.py running in Tutor's virtualenv with the plugin loaded; one request at a time."""

    def __init__(self, python, plugin_file, home):
        self._log = open(home / "probe.log", "w+", encoding="utf-8")  # pylint: disable=consider-using-with
        # -I: neither this checkout nor PYTHONPATH is on its path; HOME: no operator's Tutor plugins.
        self._process = subprocess.Popen(  # pylint: disable=consider-using-with
            [str(python), "-I", str(PROBE), str(plugin_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, text=True, encoding="utf-8", cwd=home,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8"})

    def ask(self, op, **arguments):
        try:
            self._process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self._log.seek(0)
            pytest.fail(f"The Tutor probe stopped (exit {self._process.poll()}):\n{self._log.read()[-4000:]}", pytrace=False)
        reply = json.loads(line)
        if "error" in reply:
            raise AssertionError(f"Tutor failed on {op} {arguments}:\n{reply['error']}")
        return reply["result"]

    def close(self):
        self._process.stdin.close()
        self._process.wait(timeout=30)
        self._log.close()


@contextlib.contextmanager
def running_probe(line, plugin_file):
    python = tutor_environment(line)
    with tempfile.TemporaryDirectory(prefix="tutor-probe-") as home:
        probe = TutorProbe(python, plugin_file, Path(home))
        try:
            yield probe
        finally:
            probe.close()
