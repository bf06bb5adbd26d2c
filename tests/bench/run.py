"""
``make bench``: measure the criteria ledger's append path against raw INSERTs and write the report.

    python -m tests.bench.run --output docs/benchmarks.md            # 10^5 entries, SQLite and MariaDB
    python -m tests.bench.run --quick --backends sqlite -o /tmp/b.md  # a smoke run in seconds

Each database is measured in its own process (:mod:`tests.bench.measure`) with
LEARNING_CITIZEN_DATABASE_URL pointing at the benchmark's own database: an SQLite file under
var/bench/ and a database ``lc_bench`` on the MariaDB server, both recreated for every
measurement. The pytest and demo databases are never touched.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.report import now, render, revision
from tests.servers import ensure_server_for_url

ROOT = Path(__file__).resolve().parents[2]
QUICK = {"entries": 200, "window": 50, "batch": 50}


def backend_url(backend, options, work_dir):
    if backend == "sqlite":
        from tests.bench.measure import SQLITE_NAME  # pylint: disable=import-outside-toplevel
        return f"sqlite:///{work_dir / SQLITE_NAME}"
    if backend == "mariadb":
        from tests.bench.measure import BENCH_DATABASE  # pylint: disable=import-outside-toplevel
        return f"{options.mariadb.rstrip('/')}/{BENCH_DATABASE}"
    raise SystemExit(f"unknown backend {backend!r} (choose sqlite, mariadb)")


def measure_backend(backend, options, work_dir):
    """Run :mod:`tests.bench.measure` against one database and return what it measured."""
    url = backend_url(backend, options, work_dir)
    ensure_server_for_url(url)
    environment = dict(os.environ, LEARNING_CITIZEN_DATABASE_URL=url, LEARNING_CITIZEN_VAR=str(work_dir),
                       DJANGO_SETTINGS_MODULE="tests.bench.settings",
                       PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    with tempfile.NamedTemporaryFile(suffix=".json", dir=work_dir, delete=False) as handle:
        result_file = Path(handle.name)
    try:
        command = [sys.executable, "-m", "tests.bench.measure", "--entries", str(options.entries),
                   "--window", str(options.window), "--batch", str(options.batch),
                   "--writers", str(options.writers if backend in options.concurrent else 0),
                   "--json", str(result_file)]
        if options.quiet:
            command.append("--quiet")
        completed = subprocess.run(command, env=environment, cwd=ROOT, check=False)
        if completed.returncode:
            raise SystemExit(f"bench: measuring {backend} failed (exit code {completed.returncode})")
        return json.loads(result_file.read_text(encoding="utf-8"))
    finally:
        result_file.unlink(missing_ok=True)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("-o", "--output", required=True, help="the Markdown report to write (e.g. docs/benchmarks.md)")
    parser.add_argument("-n", "--entries", type=int, default=100_000, help="entries per measurement (default 100000)")
    parser.add_argument("--window", type=int, default=1000,
                        help="appends per timed block; the first and last blocks are compared (default 1000)")
    parser.add_argument("--batch", type=int, default=1000, help="events per append_many call (default 1000)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent writer processes (default 8; 0 to skip)")
    parser.add_argument("--backends", default="sqlite,mariadb", help="comma-separated: sqlite, mariadb (default both)")
    parser.add_argument("--concurrent", default="mariadb",
                        help="the backends to measure concurrent writers on (default mariadb; SQLite takes one writer at a time)")
    parser.add_argument("--mariadb", default="mysql://root@127.0.0.1:3306",
                        help="MariaDB server URL without a database name (default mysql://root@127.0.0.1:3306)")
    parser.add_argument("--work-dir", default=str(ROOT / "var" / "bench"),
                        help="where the SQLite bench database and scratch files go (default var/bench)")
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run: {QUICK['entries']} entries in blocks and batches of {QUICK['window']}")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    parser.add_argument("--save-json", help="also write the raw measurements to this file")
    parser.add_argument("--from-json", help="measure nothing: write the report from measurements saved by --save-json "
                                            "(an export section already in the output is kept)")
    # --- the export benchmark (issue 7, tests/bench/export_bench.py) ---
    parser.add_argument("--exports", default=None,
                        help="ledger sizes for the export benchmark, comma-separated (default 100000,1000000; "
                             "none with --quick unless given; empty to skip)")
    # --- the report benchmark (issue 15, tests/bench/report_bench.py) ---
    parser.add_argument("--reports", default=None,
                        help="member counts for the progress report benchmark, comma-separated (default 10000,100000,1000000; "
                             "none with --quick unless given; empty to skip)")
    parser.add_argument("--report-backends", default="sqlite,mariadb,postgres",
                        help="databases for the report benchmark (default sqlite,mariadb,postgres)")
    # --- the import benchmark (issue 15, tests/bench/import_bench.py) ---
    parser.add_argument("--imports", default=None,
                        help="member counts for the import-members benchmark, comma-separated (default 10000,100000,1000000; "
                             "none with --quick unless given; empty to skip)")
    parser.add_argument("--import-backends", default="sqlite,mariadb,postgresql",
                        help="databases for the import benchmark (default sqlite,mariadb,postgresql)")
    parser.add_argument("--import-rounds", type=int, default=3, help="rounds of baseline and import per size (default 3)")
    options = parser.parse_args(argv)
    if options.reports is None:
        options.reports = "" if options.quick else "10000,100000,1000000"
    options.reports = [int(size) for size in options.reports.split(",") if size.strip()]
    options.report_backends = [name.strip() for name in options.report_backends.split(",") if name.strip()]
    if options.imports is None:
        options.imports = "" if options.quick else "10000,100000,1000000"
    options.imports = [int(size) for size in options.imports.split(",") if size.strip()]
    options.import_backends = [name.strip() for name in options.import_backends.split(",") if name.strip()]
    if options.exports is None:
        options.exports = "" if options.quick else "100000,1000000"
    options.exports = [int(size) for size in options.exports.split(",") if size.strip()]
    if options.quick:
        for name, value in QUICK.items():
            if parser.get_default(name) == getattr(options, name):
                setattr(options, name, value)
    if options.entries < 2 * options.window:
        parser.error("--entries must be at least twice --window (the first and last blocks are compared)")
    if min(options.window, options.batch) < 1 or options.writers < 0:
        parser.error("--window and --batch must be positive, --writers zero or more")
    options.backends = [name.strip() for name in options.backends.split(",") if name.strip()]
    options.concurrent = [name.strip() for name in options.concurrent.split(",") if name.strip()]
    return options


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    work_dir = Path(options.work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    if options.from_json:
        saved = json.loads(Path(options.from_json).read_text(encoding="utf-8"))
        results, measured_at, measured_on = saved["results"], saved["revision"], saved.get("measured_on")
    else:
        measured_at = revision()  # the code being measured: HEAD may move while the bench runs
        results = {}
        for backend in options.backends:
            results[backend] = measure_backend(backend, options, work_dir)
        measured_on = now()
    if options.save_json:
        Path(options.save_json).write_text(
            json.dumps({"revision": measured_at, "measured_on": measured_on, "results": results}, indent=1), encoding="utf-8")
    text = render(results, options, measured_at, measured_on)
    output = Path(options.output)
    say = (lambda message: None) if options.quiet else (lambda message: print(message, file=sys.stderr))
    # The export (issue 7), report and import (issue 15) benchmarks: each its own processes, databases
    # and section of the file; a section not measured this time is kept as the file has it.
    from tests.bench import export_bench, import_bench, report_bench  # pylint: disable=import-outside-toplevel
    previous = output.read_text(encoding="utf-8") if output.exists() else ""
    measured_sections = (
        (export_bench.SECTION, options.exports,
         lambda: export_bench.section(export_bench.run(options.exports, work_dir, say=say))),
        (report_bench.SECTION, options.reports,
         lambda: report_bench.section(report_bench.run(options.report_backends, options.reports, work_dir, say=say,
                                                       rounds=1 if options.quick else 3))),
        (import_bench.SECTION, options.imports,
         lambda: import_bench.section(import_bench.run(options.imports, options.import_backends, work_dir, say=say,
                                                       rounds=max(1, options.import_rounds)))),
    )
    for section, sizes, measure in measured_sections:
        if sizes and not options.from_json:
            text = section.replace(text, measure())
        elif section.kept(previous):
            text = section.replace(text, section.kept(previous))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    if not options.quiet:
        print(f"bench: wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
