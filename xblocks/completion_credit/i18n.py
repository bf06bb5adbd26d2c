"""
Translations for the block: the runtime's ``i18n`` service first, the package's own catalogues next.

Inside the LMS the i18n service already reads an XBlock's ``translations/<lang>/LC_MESSAGES/text.mo``
(or the copy OEP-58's atlas pulled into the platform), so the first lookup answers. The SDK
workbench's service only knows Django's global catalogues; the shipped catalogue then answers,
in the language Django activated for the request.
"""
import gettext
from functools import lru_cache
from pathlib import Path

from django.utils import translation

DOMAIN = "text"


@lru_cache(maxsize=None)
def bundled_catalogue(localedir, language):
    """The package's catalogue for ``language`` (vi, vi-vn, en-us ...), or a null one."""
    candidates = [language, language.replace("-", "_"), language.split("-")[0].split("_")[0]]
    return gettext.translation(DOMAIN, localedir=localedir, languages=candidates, fallback=True)


class BlockTranslator:
    """``gettext``/``ngettext`` for one package's strings (its ``translations/`` directory)."""

    def __init__(self, package_dir, service=None):
        self.localedir = str(Path(package_dir).resolve() / "translations")
        self.service = service

    def _bundled(self):
        return bundled_catalogue(self.localedir, translation.get_language() or "en")

    def gettext(self, message):
        if self.service is not None:
            translated = self.service.gettext(message)
            if translated != message:
                return translated
        return self._bundled().gettext(message)

    def ngettext(self, singular, plural, number):
        if self.service is not None:
            translated = self.service.ngettext(singular, plural, number)
            if translated not in (singular, plural):
                return translated
        return self._bundled().ngettext(singular, plural, number)

    def render(self, problem):
        """A :class:`~xblocks.criteria.problems.Problem` as a sentence in the current language."""
        return problem.render(self.gettext)
