"""Real blocks on the XBlock SDK's workbench runtime, for the shared mixins' tests."""
from workbench.runtime import WorkbenchRuntime
from xblock.fields import ScopeIds


def block_on_workbench(block_class, student):
    """A ``block_class`` block on the SDK's runtime for the page ``?student=<student>`` (no field is read)."""
    runtime = WorkbenchRuntime(student)
    return runtime.construct_xblock_from_class(block_class, ScopeIds(student, "test-block", "def-1", "usage-1"))
