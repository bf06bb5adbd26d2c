"""Translation for the block's Python strings, templates and editor labels."""
from xblocks.common.mixins import TranslatorMixin, shipped_language
from xblocks.criteria.language import localised


class TranslationMixin(TranslatorMixin):
    """``self._(text)`` in the learner's language (the shared translator); titles from the data too."""

    @staticmethod
    def language():
        """``vi`` or ``en`` (the languages the block ships), from the active language."""
        return shipped_language()

    def localised(self, titles):
        """A ``{"vi": ..., "en": ...}`` title in the learner's language (fallbacks: :func:`~xblocks.criteria.language.localised`)."""
        return localised(titles, self.language())
