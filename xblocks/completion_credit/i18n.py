"""
Translations for the block: the package's own catalogues first, the runtime's ``i18n`` service next.

The shipped ``translations/<lang>/LC_MESSAGES/text.mo`` (domain "text") answers for the languages
it covers, in the language Django activated for the request, whatever runtime the block is in.
Only a message it leaves untranslated goes to the runtime's service: in the LMS that is the
platform's XBlock i18n service (other languages, through OEP-58's atlas); in the SDK workbench it
is Django's global catalogues. The shipped catalogue comes first because a global catalogue can
hold the same short English message with another meaning ("Credit" in an admin page).
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
        translated = self._bundled().gettext(message)
        if translated != message or self.service is None:
            return translated
        return self.service.gettext(message)

    def ngettext(self, singular, plural, number):
        translated = self._bundled().ngettext(singular, plural, number)
        if translated not in (singular, plural) or self.service is None:
            return translated
        return self.service.ngettext(singular, plural, number)

    def render(self, problem):
        """A :class:`~xblocks.criteria.problems.Problem` as a sentence in the current language."""
        return problem.render(self.gettext)
