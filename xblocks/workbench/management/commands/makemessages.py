"""
Django's makemessages with the suite's own message markers, for `make translations`.

edx-i18n-tools' `i18n_tool extract` runs `django-admin makemessages`, whose xgettext knows only
Django's markers. The suite also marks messages with `N_` (marked now, translated when shown) and
the standing block with `translate` (its name for the block's translator). This app is installed
in the workbench settings only, which `make translations` extracts with, so no LMS sees the command.
"""
from django.core.management.commands import makemessages

SUITE_MARKERS = ("N_", "translate")


class Command(makemessages.Command):
    xgettext_options = makemessages.Command.xgettext_options + [
        f"--keyword={marker}" for marker in SUITE_MARKERS
    ]
