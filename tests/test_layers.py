"""
The layers: import-linter's contracts (.importlinter) hold the code, an upward import breaks them,
and docs/architecture.md's table of layers says what the contracts and the code say.
"""
import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.translations import ROOT

CONFIG = ROOT / ".importlinter"
ARCHITECTURE = ROOT / "docs/architecture.md"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
TABLE_HEADING = "## Layers"


def contracts():
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return parser


def contract_lines(contract, option):
    return [line.strip() for line in contracts()[f"importlinter:contract:{contract}"][option].splitlines()
            if line.strip() and not line.strip().startswith("#")]


def contract_layers():
    """The layers contract, top first: each layer as the set of its sibling parts."""
    return [{part.strip() for part in layer.split("|")} for layer in contract_lines("layers", "layers")]


def lint_imports(folder):
    """Run the real lint-imports on the package ``xblocks`` found in ``folder`` (and only there)."""
    # A wide terminal, so that no contract's name is wrapped in the report.
    environment = {"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "400"}
    return subprocess.run([str(LINT_IMPORTS), str(folder / ".importlinter"), "--no-cache", "--no-logo"], cwd=folder,
                          env=environment, capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture(name="copy_of_the_suite")
def a_copy_of_the_suite(tmp_path):
    """The Python of ``xblocks`` and the contracts, copied: a test may change the copy."""
    shutil.copytree(ROOT / "xblocks", tmp_path / "xblocks",
                    ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates", "translations", "*.mo", "*.po"))
    shutil.copy(CONFIG, tmp_path / ".importlinter")
    return tmp_path


def test_the_code_keeps_every_contract():
    done = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_an_unchanged_copy_keeps_them_too(copy_of_the_suite):
    """The control for the next test: the copy is analysed as it is, and passes."""
    done = lint_imports(copy_of_the_suite)
    assert done.returncode == 0, done.stdout + done.stderr


UPWARD = [
    # (module changed, import added inside a function, the contract it breaks)
    ("xblocks/ledger/api.py", "from xblocks.reports import exports", "The ledger imports only the criteria core"),
    ("xblocks/ledger/receivers.py", "from xblocks import compat", "The ledger imports only the criteria core"),
    ("xblocks/criteria/standing.py", "from xblocks.ledger import api", "Layers"),
    ("xblocks/criteria/credit.py", "import django.conf", "The criteria core imports no framework"),
    ("xblocks/common/mixins.py", "from xblocks.standing import block", "Layers"),
    ("xblocks/completion_credit/mixins/scenarios.py", "from xblocks.workbench import support", "Layers"),
    ("xblocks/evidence/review.py", "from xblocks.skills_assessment import api", "Layers"),
    ("xblocks/reports/progress.py", "from xblocks.standing import block", "Layers"),
]


@pytest.mark.parametrize("module, statement, contract", UPWARD, ids=[f"{module}: {statement}" for module, statement, _ in UPWARD])
def test_an_upward_import_breaks_a_contract(copy_of_the_suite, module, statement, contract):
    changed = copy_of_the_suite / module
    changed.write_text(changed.read_text("utf-8") + f"\n\ndef _upward():\n    {statement}  # noqa\n", "utf-8")
    done = lint_imports(copy_of_the_suite)
    assert done.returncode == 1, done.stdout + done.stderr
    broken = [line for line in done.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), done.stdout
    importer = module.removesuffix(".py").replace("/", ".")
    assert importer in done.stdout, done.stdout


# --- docs/architecture.md ------------------------------------------------------------------------

def layers_table():
    """The rows of the table under "## Layers": (layer number, part, parts it imports)."""
    text = ARCHITECTURE.read_text("utf-8")
    section = text[text.index(TABLE_HEADING):]
    section = section[:section.index("\n## ", len(TABLE_HEADING))]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| layer")]
    table = []
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        layer, part, _what, imports = cells[:4]
        table.append((int(layer), part.strip("`"), set(re.findall(r"`([a-z_]+)`", imports))))
    return table


def test_the_table_lists_the_contracts_layers():
    table = layers_table()
    assert [layer for layer, _part, _imports in table] == sorted((layer for layer, _part, _imports in table), reverse=True)
    layers = {}
    for layer, part, _imports in table:
        layers.setdefault(layer, set()).add(part)
    assert [layers[number] for number in sorted(layers, reverse=True)] == contract_layers()


def test_the_table_says_what_each_part_imports():
    """The parts each part imports directly (anywhere, lazily too), as grimp, import-linter's graph, finds them."""
    graph = grimp.build_graph("xblocks", cache_dir=None)
    parts = [part for _layer, part, _imports in layers_table()]
    for _layer, part, imports in layers_table():
        found = {other.removeprefix("xblocks.") for other in parts
                 if other != part and graph.direct_import_exists(importer=part, imported=other, as_packages=True)}
        assert imports == found, part


def test_the_table_agrees_with_the_ledgers_contract():
    """The ledger may import every part its forbidden contract leaves: the criteria core, which the table names."""
    forbidden = set(contract_lines("ledger", "forbidden_modules"))
    parts = {part for _layer, part, _imports in layers_table()}
    allowed = {part.removeprefix("xblocks.") for part in parts - forbidden - {"xblocks.ledger"}}
    assert allowed == {"criteria"}
    assert dict((part, imports) for _layer, part, imports in layers_table())["xblocks.ledger"] == allowed
