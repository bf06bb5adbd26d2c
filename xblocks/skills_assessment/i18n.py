"""
Translations for the assessment: the runtime's i18n service first, the package's own catalogue next.

The catalogue is ``translations/<lang>/LC_MESSAGES/text.mo`` (domain "text"), where Open edX looks
for an XBlock's translations; the language is the one Django activated for the request. Messages
the criteria core marks with ``N_`` (validation problems) are also found in Django's catalogues,
where the ledger's locale keeps them, so they come out translated in the workbench and the LMS.
"""
import gettext
from functools import lru_cache
from pathlib import Path

from django.utils import translation

DOMAIN = "text"
LOCALEDIR = str(Path(__file__).resolve().parent / "translations")


def language():
    """The request's language as a short code the data files use (vi, en)."""
    return (translation.get_language() or "en").split("-")[0].split("_")[0].lower()


@lru_cache(maxsize=None)
def catalogue(lang):
    return gettext.translation(DOMAIN, localedir=LOCALEDIR, languages=[lang], fallback=True)


class Translator:
    """
    ``gettext``/``ngettext``: the runtime's i18n service (the LMS's reads the platform's copy of
    this catalogue, the workbench's is Django's), then the package's own catalogue.
    """

    def __init__(self, service=None):
        self.service = service

    def gettext(self, message):
        translated = (self.service or translation).gettext(message)
        if translated != message:
            return translated
        return catalogue(language()).gettext(message)

    def ngettext(self, singular, plural, number):
        translated = (self.service or translation).ngettext(singular, plural, number)
        if translated not in (singular, plural):
            return translated
        return catalogue(language()).ngettext(singular, plural, number)

    def problems(self, error):
        """An InvalidInput's problems, each rendered in the request's language."""
        return [problem.render(self.gettext) for problem in error.problems]
