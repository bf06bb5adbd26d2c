"""
Criteria frameworks an operator adds: the directories in the LEARNING_CITIZEN_FRAMEWORK_DIRS
setting, handed to the criteria registry when the ledger starts (and again when the setting
changes, as it does in tests).

The criteria core does not read settings itself (it has no Django); the ledger is the first
layer that does. A bad file stops the start with a message naming the file and the problem:
a site must not run on the shipped criteria while the operator believes their own are in force.
"""
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from xblocks.criteria.frameworks import configure_framework_dirs
from xblocks.criteria.problems import InvalidInput

SETTING = "LEARNING_CITIZEN_FRAMEWORK_DIRS"


class FrameworksNotLoaded(ImproperlyConfigured):
    """The operator's frameworks cannot be loaded. Rendered when shown, in the language active then."""

    def __init__(self, error):
        self.error = error
        super().__init__(error)

    def __str__(self):
        return gettext("The criteria frameworks in {setting} cannot be loaded, and nothing runs without them: {problems}").format(
            setting=SETTING, problems=self.error.render(gettext))


def operator_directories():
    """The setting's directories, or raise ImproperlyConfigured when it is not a list of paths."""
    directories = getattr(settings, SETTING, None) or []
    if not isinstance(directories, (list, tuple)) or not all(isinstance(item, (str, os.PathLike)) for item in directories):
        raise ImproperlyConfigured(gettext(
            "{setting} must be a list of directories, for example [\"/etc/learning-citizen/frameworks\"]").format(setting=SETTING))
    return list(directories)


def load_operator_frameworks():
    """Give the criteria registry the operator's directories and check every file in them now."""
    directories = operator_directories()
    try:
        configure_framework_dirs(directories)
    except InvalidInput as error:
        raise FrameworksNotLoaded(error) from None


def reload_on_change(*, setting, **kwargs):
    """``setting_changed`` receiver: a test (or a tool) that changes the setting gets its frameworks."""
    if setting == SETTING:
        load_operator_frameworks()
