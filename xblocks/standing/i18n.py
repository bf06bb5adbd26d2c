"""
The block's translations: the runtime's ``i18n`` service first (inside the LMS it reads this
package's ``translations/<lang>/LC_MESSAGES/text.mo``, or OEP-58's copy), the bundled catalogue
next (the SDK workbench's service only knows Django's global catalogues).
"""
import gettext
from functools import lru_cache
from pathlib import Path

from django.utils import translation

DOMAIN = "text"
LOCALEDIR = str(Path(__file__).resolve().parent / "translations")


@lru_cache(maxsize=None)
def _bundled(language):
    candidates = [language, language.replace("-", "_"), language.split("-")[0].split("_")[0]]
    return gettext.translation(DOMAIN, localedir=LOCALEDIR, languages=candidates, fallback=True)


def language():
    """``vi`` or ``en``: the languages the block ships, from the active language."""
    return "vi" if (translation.get_language() or "").lower().startswith("vi") else "en"


class Translator:
    def __init__(self, service=None):
        self.service = service

    def gettext(self, message):
        if self.service is not None:
            translated = self.service.gettext(message)
            if translated != message:
                return translated
        return _bundled(translation.get_language() or "en").gettext(message)

    def ngettext(self, singular, plural, number):
        if self.service is not None:
            translated = self.service.ngettext(singular, plural, number)
            if translated not in (singular, plural):
                return translated
        return _bundled(translation.get_language() or "en").ngettext(singular, plural, number)
