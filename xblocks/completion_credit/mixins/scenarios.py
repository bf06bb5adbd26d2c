"""Workbench scenarios: the block's own small scenarios (the sample course is the workbench's)."""
from xblock.utils.resources import ResourceLoader

loader = ResourceLoader("xblocks.completion_credit.block")


class ScenariosMixin:
    """Only the XBlock SDK workbench calls ``workbench_scenarios``; it installs its own support."""

    @staticmethod
    def workbench_scenarios():
        return loader.load_scenarios_from_path("scenarios")
