"""
Each test environment is one Open edX release line: the packages it shares with the platform are
at exactly that line's pins (requirements/constraints/<line>.txt), so what passes here passes
beside that platform. The line is LEARNING_CITIZEN_RELEASE_LINE (set by `make test-<line>`), else
the one whose Python this is (Ulmo runs 3.11, Verawood 3.12).
"""
import os
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

from requirements.platform_pins import canonical, read_pins

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "requirements" / "constraints"
PYTHON_OF_LINE = {"ulmo": (3, 11), "verawood": (3, 12)}


def current_line():
    named = os.environ.get("LEARNING_CITIZEN_RELEASE_LINE")
    if named:
        return named
    return next(line for line, version in PYTHON_OF_LINE.items() if version == sys.version_info[:2])


def installed_versions():
    return {canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}


def test_every_line_has_constraints_and_a_pinned_environment():
    for line in PYTHON_OF_LINE:
        pins, _ = read_pins((CONSTRAINTS / f"{line}.txt").read_text(encoding="utf-8").splitlines())
        compiled, _ = read_pins((ROOT / "requirements" / f"{line}.txt").read_text(encoding="utf-8").splitlines())
        assert {"django", "xblock", "openedx-events", "edx-opaque-keys", "web-fragments"} <= set(pins)
        # The compiled environment never leaves the platform's pins.
        assert {name: pin for name, pin in compiled.items() if name in pins} == {name: pins[name] for name in pins if name in compiled}


def test_this_environment_runs_its_lines_python_and_pins():
    line = current_line()
    assert sys.version_info[:2] == PYTHON_OF_LINE[line]
    pins, _ = read_pins((CONSTRAINTS / f"{line}.txt").read_text(encoding="utf-8").splitlines())
    installed = installed_versions()
    differ = {name: (pin.split("==")[1], installed[name]) for name, pin in pins.items()
              if name in installed and installed[name] != pin.split("==")[1].split(" ")[0]}
    assert differ == {}, f"packages off the {line} line's pins (pinned, installed): {differ}"
    for name in ("django", "xblock", "openedx-events", "edx-opaque-keys", "web-fragments"):
        assert name in installed


@pytest.mark.parametrize("requirement", [
    line.split("#")[0].strip() for line in (ROOT / "requirements" / "base.in").read_text(encoding="utf-8").splitlines()
    if line.split("#")[0].strip()])
def test_install_floors_sit_within_both_lines_pins(requirement):
    """A floor above a line's pin could not be installed there (or would upgrade the platform)."""
    from packaging.requirements import Requirement  # pylint: disable=import-outside-toplevel
    parsed = Requirement(requirement)
    for line in PYTHON_OF_LINE:
        pins, _ = read_pins((CONSTRAINTS / f"{line}.txt").read_text(encoding="utf-8").splitlines())
        pin = pins.get(canonical(parsed.name))
        if pin is not None:
            version = re.split(r"==", pin)[1].split(" ")[0]
            assert parsed.specifier.contains(version, prereleases=True), f"{requirement} refuses {line}'s {version}"


def test_refreshing_constraints_keeps_the_shared_pins_and_a_vcs_pin(tmp_path, monkeypatch):
    """`make constraints`: the platform's pins for what we share; a package it takes from a branch keeps our pin."""
    from requirements import platform_pins  # pylint: disable=import-outside-toplevel
    monkeypatch.setattr(platform_pins, "HERE", tmp_path)
    (tmp_path / "constraints").mkdir()
    (tmp_path / "verawood.txt").write_text("django==5.2.1\nopenedx-events==11.0.0\npytest==9.0\n", encoding="utf-8")
    platform = [
        "#", "# compiled with Python 3.12", "django==5.2.12", "    # via -r kernel.in", "Openedx_Events==11.1.1",
        "lxml[html-clean]==5.3.2", "python3-openid==3.2.0 ; python_version >= \"3\"",
        "xblock[django] @ git+https://example.invalid/xblock.git@add-required-attrs", "unrelated==1.0",
    ]
    previous = ["xblock==6.1.0", "lxml==5.0.0"]
    text, kept = platform_pins.constraints_text("verawood", platform, "openedx/openedx-platform@abc (April 2026)", previous,
                                                today="2026-11-29")
    pins = [line for line in text.splitlines() if not line.startswith("#")]
    assert pins == ["django==5.2.12", "lxml==5.3.2", "openedx-events==11.1.1", "xblock==6.1.0"]
    assert kept == ["xblock"]
    assert "openedx/openedx-platform@abc (April 2026)" in text and "2026-11-29" in text
