"""The workbench's own app: it installs what the workbench needs to show the suite's blocks."""
from django.apps import AppConfig


class WorkbenchSupportConfig(AppConfig):
    """
    In INSTALLED_APPS of the workbench settings only (the demo and the tests), never in an LMS:
    completion tracking, the locking field store and the stand-ins for the platform's course blocks
    are installed when Django starts, so no block has to know the workbench.
    """

    name = "xblocks.workbench"
    label = "learning_citizen_workbench"
    verbose_name = "Learning Citizen workbench support"

    def ready(self):
        from .support import install_workbench_support  # pylint: disable=import-outside-toplevel
        install_workbench_support()
        from xblocks.common import places  # pylint: disable=import-outside-toplevel
        from .places import WorkbenchDirectory  # pylint: disable=import-outside-toplevel
        places.register(WorkbenchDirectory())  # the standing page names credit by scenario
