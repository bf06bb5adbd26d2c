"""
axe-core, the accessibility checker, injected into a page by Playwright. `make` installs it from
npm at the version package-lock.json pins (``npm ci`` into node_modules/).
"""
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What fails a page: every violation axe rates serious or critical, and a few it rates lower
# that the suite's pages were caught with (two landmarks of one name).
FAILING_IMPACTS = ("serious", "critical")
ALSO_FAILING_RULES = ("landmark-unique",)
RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(node => node.target.join(' ') + ': ' + node.failureSummary)}));
}"""


def axe_violations(page):
    """The violations that fail ``page``, as ``[{id, impact, help, nodes}]`` (axe injected on first use)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make axe-core` installs it (npm ci)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return [violation for violation in page.evaluate(RUN)
            if violation["impact"] in FAILING_IMPACTS or violation["id"] in ALSO_FAILING_RULES]


def describe(violations):
    return "\n".join(f"{v['impact']} {v['id']} ({v['help']}):\n    " + "\n    ".join(v["nodes"][:5]) for v in violations)
