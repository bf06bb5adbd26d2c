"""Workbench scenarios: the sample course, and the block's own small scenarios."""
from xblock.utils.resources import ResourceLoader

loader = ResourceLoader("xblocks.completion_credit.block")


class ScenariosMixin:
    """
    Only the XBlock SDK workbench calls ``workbench_scenarios``; it is also where the workbench
    gets completion tracking and stand-ins for the platform's course blocks (xblocks.workbench).
    """

    @staticmethod
    def workbench_scenarios():
        from xblocks.workbench.support import install_workbench_support, sample_course_scenarios  # pylint: disable=import-outside-toplevel
        install_workbench_support()
        return sample_course_scenarios() + loader.load_scenarios_from_path("scenarios")
