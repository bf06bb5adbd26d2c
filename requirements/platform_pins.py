"""
Refresh requirements/constraints/<line>.txt from the platform's own pins.

    python requirements/platform_pins.py ulmo --base PATH/TO/requirements/edx/base.txt \
        --source "openedx/edx-platform@<commit> (master of <month>, compiled with Python 3.11)"

(`make constraints LINE=ulmo PLATFORM_BASE=… PLATFORM_SOURCE=…` runs it.) ``--base`` is the
platform's compiled ``requirements/edx/base.txt`` from a checkout at the release's commit. Only the
packages this plugin shares with the platform are kept: those named in the line's compiled test
environment (requirements/<line>.txt) or already in its constraints file. A package the platform
installs from a VCS branch has no version to pin: its current pin is kept and named on stderr, to
be checked by hand (the Verawood line installs XBlock that way).
"""
import argparse
import datetime
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# name==version, with optional extras and environment marker: "lxml[html-clean]==5.3.2 ; python_version…"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;#]+)(?P<marker>\s*;[^#]*)?")
VCS = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*@\s*\S+|^(?:-e\s+)?git\+\S+#egg=(?P<egg>[A-Za-z0-9._-]+)")


def canonical(name):
    """The name pip compares (PEP 503): lower case, runs of -_. as one dash."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(lines):
    """``({name: "name==version[ ; marker]"}, {names installed from VCS})`` from a compiled requirements file."""
    pins, from_vcs = {}, set()
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        match = PIN.match(text)
        if match:
            marker = (match.group("marker") or "").strip()
            pin = f"{canonical(match.group('name'))}=={match.group('version')}"
            pins[canonical(match.group("name"))] = f"{pin} {marker}" if marker else pin
            continue
        match = VCS.match(text)
        if match:
            from_vcs.add(canonical(match.group("name") or match.group("egg")))
    return pins, from_vcs


def shared_names(line):
    """The packages of the line's compiled environment and of its current constraints."""
    names = set()
    for path in (HERE / f"{line}.txt", HERE / "constraints" / f"{line}.txt"):
        if path.exists():
            names.update(read_pins(path.read_text(encoding="utf-8").splitlines())[0])
    return names


def constraints_text(line, platform_lines, source, previous_lines=(), today=None):
    """The new constraints file, and the names kept from the previous file because the platform pins them to a branch."""
    platform, from_vcs = read_pins(platform_lines)
    previous, _ = read_pins(previous_lines)
    wanted = shared_names(line) | set(previous)
    kept = sorted(name for name in wanted & from_vcs if name in previous)
    pins = {name: platform[name] for name in wanted if name in platform}
    pins.update({name: previous[name] for name in kept})
    header = [
        f"# Open edX {line.capitalize()} line: the platform's pins for every package this plugin shares with it.",
        f"# Source: requirements/edx/base.txt of {source}.",
    ]
    header += [f"# {name} is installed by the platform from a VCS branch: its pin is kept from the previous file."
               for name in kept]
    header.append(f"# Refreshed by `make constraints` (requirements/platform_pins.py) on {today or datetime.date.today()}.")
    return "\n".join(header + [pins[name] for name in sorted(pins)]) + "\n", kept


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("line", help="the release line: the name of requirements/constraints/<line>.txt")
    parser.add_argument("--base", required=True, type=Path, help="the platform's requirements/edx/base.txt at the release")
    parser.add_argument("--source", required=True, help='where it comes from, e.g. "openedx/edx-platform@<commit> (…)"')
    options = parser.parse_args(argv)
    target = HERE / "constraints" / f"{options.line}.txt"
    previous = target.read_text(encoding="utf-8").splitlines() if target.exists() else []
    text, kept = constraints_text(options.line, options.base.read_text(encoding="utf-8").splitlines(),
                                  options.source, previous)
    target.write_text(text, encoding="utf-8")
    for name in kept:
        sys.stderr.write(f"{name}: installed from a branch by the platform; kept {name} as pinned before, check it by hand\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
