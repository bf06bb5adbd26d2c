"""Translation for the block's Python strings, templates and editor labels."""
from pathlib import Path

from django.utils import translation

from ..i18n import BlockTranslator

PACKAGE_DIR = Path(__file__).resolve().parent.parent


class TranslationMixin:
    """``self._(text)`` in the learner's language; also what Studio's editor uses for labels."""

    i18n_js_namespace = "CompletionCreditI18n"  # OEP-58: names the JS catalogue (the JS needs none today)

    @property
    def translator(self):
        return BlockTranslator(PACKAGE_DIR, self.runtime.service(self, "i18n"))

    def _(self, text):  # pylint: disable=invalid-name
        return self.translator.gettext(text)

    def ugettext(self, text):
        return self.translator.gettext(text)

    def ngettext(self, singular, plural, number):
        return self.translator.ngettext(singular, plural, number)

    @staticmethod
    def language():
        """``vi`` or ``en`` (the languages the block ships), from the active language."""
        return "vi" if (translation.get_language() or "").lower().startswith("vi") else "en"

    def localised(self, titles):
        """A ``{"vi": ..., "en": ...}`` title in the learner's language (English, then any, as fallbacks)."""
        if not titles:
            return ""
        return titles.get(self.language()) or titles.get("en") or next(iter(titles.values()))
