"""`make bench` must keep working: a --quick run on SQLite writes a report with every row."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_bench_on_sqlite_writes_the_report(tmp_path):
    report = tmp_path / "benchmarks.md"
    environment = {name: value for name, value in os.environ.items() if name != "LEARNING_CITIZEN_DATABASE_URL"}
    completed = subprocess.run(
        [sys.executable, "-m", "tests.bench.run", "--quick", "--backends", "sqlite", "--concurrent", "sqlite",
         "--writers", "2", "--work-dir", str(tmp_path / "work"), "--output", str(report), "--quiet"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    text = report.read_text(encoding="utf-8")
    for expected in (
        "| One event per transaction, 200 entries | SQLite | `api.append` |",
        "| Batches of 50, 200 entries | SQLite | `api.append_many` |",
        "| 2 concurrent writers, 200 entries",
        "| SQLite | `api.append` | ",  # first and last block against the ledger's length
        "Ledger ÷ raw",
        "200 entries verified",
        "make bench",
    ):
        assert expected in text, expected
    assert not list((tmp_path / "work").glob("*.json")), "scratch results are removed"
