"""
What an administrator gets from ``pip install learning-citizen-xblocks`` alone: no test
requirements, no XBlock SDK, no extra. A fresh virtualenv on this Python gets the package (held to
this environment's release-line pins, as a site's image would hold it) and the `learning-citizen`
command then works end to end on its SQLite default: ingest, standing, verify, export, report.
"""
import json
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from tests.test_release_lines import current_line

ROOT = Path(__file__).resolve().parents[1]
# What `pip install .` reads from a checkout (a copy, so the build leaves nothing in the working tree).
SOURCES = ("setup.py", "README.md", "MANIFEST.in", "xblocks", "fixtures", "requirements")


@pytest.fixture(scope="module")
def plain_install(tmp_path_factory):
    """A virtualenv holding only the package and its install requirements; its bin directory."""
    home = tmp_path_factory.mktemp("plain-install")
    source = home / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    environment = home / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    constraints = ROOT / "requirements" / "constraints" / f"{current_line()}.txt"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source),
                    "-c", str(constraints)], check=True, capture_output=True, text=True)
    return environment / "bin"


def command(bin_dir, work, *argv, check=True):
    result = subprocess.run([bin_dir / "learning-citizen", *argv], cwd=work, capture_output=True, text=True, timeout=300,
                            env={"PATH": f"{bin_dir}:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(work)})
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_the_plain_install_holds_no_test_tool_no_sdk_and_is_consistent(plain_install):
    python = plain_install / "python"
    assert subprocess.run([python, "-m", "pip", "check"], capture_output=True, text=True).returncode == 0
    for module in ("workbench", "pytest", "dj_database_url", "edx_event_bus_redis"):
        found = subprocess.run([python, "-c", f"import {module}"], capture_output=True, text=True)
        assert found.returncode != 0, f"{module} should not come with a plain install"


def test_the_command_works_from_a_plain_install(plain_install, tmp_path):
    events = ROOT / "fixtures" / "demo" / "credit-events.jsonl"
    ingested = command(plain_install, tmp_path, "ingest", str(events))
    assert "Appended 30 entries" in ingested.stdout
    assert (tmp_path / "var" / "learning-citizen.db").exists()

    standing = json.loads(command(plain_install, tmp_path, "standing", "--learner", "101", "--period", "2026", "--json").stdout)
    assert standing["period"] == "2026" and standing["total"] > 0

    assert command(plain_install, tmp_path, "verify").returncode == 0

    exported = command(plain_install, tmp_path, "export", "--period", "2026", "--format", "csv").stdout.splitlines()
    assert len(exported) == 31  # a header and the 30 entries

    report = tmp_path / "report.html"
    command(plain_install, tmp_path, "report", "--period", "2026", "-o", str(report))
    assert "<html" in report.read_text(encoding="utf-8")


def test_serving_the_demo_names_the_extra_it_needs(plain_install, tmp_path):
    refused = command(plain_install, tmp_path, "demo", "--serve", "127.0.0.1:0", check=False)
    assert refused.returncode == 1
    assert "learning-citizen-xblocks[demo]" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_database_url_names_the_extra_it_needs(plain_install, tmp_path):
    refused = subprocess.run([plain_install / "learning-citizen", "verify"], cwd=tmp_path, capture_output=True, text=True,
                             env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path),
                                  "LEARNING_CITIZEN_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"})
    assert refused.returncode == 1
    assert "learning-citizen-xblocks[standalone]" in refused.stderr
    assert "Traceback" not in refused.stderr
