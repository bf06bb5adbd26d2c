"""
Translation for the evidence block: the runtime's ``i18n`` service (inside the LMS it reads this
package's ``translations/<lang>/LC_MESSAGES/text.mo``), then the bundled catalogue (the SDK
workbench's service does not know it), then Django's catalogues (messages of the criteria core
and the ledger, translated in the ledger's ``locale/``).
"""
import gettext
from functools import lru_cache
from pathlib import Path

from django.utils import translation

DOMAIN = "text"
LOCALEDIR = str(Path(__file__).resolve().parent / "translations")


@lru_cache(maxsize=None)
def bundled_catalogue(language):
    candidates = [language, language.replace("-", "_"), language.split("-")[0].split("_")[0]]
    return gettext.translation(DOMAIN, localedir=LOCALEDIR, languages=candidates, fallback=True)


class Translator:
    """``gettext`` in the request's language for this block's messages and the suite's."""

    def __init__(self, service=None):
        self.service = service

    @property
    def language(self):
        return (translation.get_language() or "en").split("-")[0]

    def gettext(self, message):
        if not message:
            return message
        if self.service is not None:
            translated = self.service.gettext(message)
            if translated != message:
                return translated
        translated = bundled_catalogue(translation.get_language() or "en").gettext(message)
        if translated != message:
            return translated
        return translation.gettext(message)

    def problem(self, problem, labels=None):
        """A problem's sentence in the current language (values named in ``labels`` translated too), without its field name."""
        params = dict(problem.params)
        for name, mapping in (labels or {}).items():
            if name in params and params[name] in mapping:
                params[name] = self.gettext(mapping[params[name]])
        return self.gettext(problem.template).format(**params)

    def title(self, titles):
        """A {language: text} title from the data in the current language (Vietnamese, then English, as fallbacks)."""
        return titles.get(self.language) or titles.get("vi") or titles.get("en") or next(iter(titles.values()), "")
