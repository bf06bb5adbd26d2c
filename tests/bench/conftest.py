"""A benchmark module run as its users run it: its own process, a work directory of its own, no test database."""
import os
import subprocess
import sys

import pytest

from tests.bench.common import ROOT


@pytest.fixture
def run_bench(tmp_path):
    """``run_bench("tests.bench.x", *arguments)`` runs it into tmp_path and returns the Markdown it wrote."""
    def run(module, *arguments, timeout=600):
        environment = {name: value for name, value in os.environ.items() if name != "LEARNING_CITIZEN_DATABASE_URL"}
        report = tmp_path / "benchmarks.md"
        completed = subprocess.run([sys.executable, "-m", module, *arguments, "--work-dir", str(tmp_path), "--markdown", str(report)],
                                   cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout, check=False)
        assert completed.returncode == 0, completed.stderr
        return report.read_text("utf-8")
    return run
