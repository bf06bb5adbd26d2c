"""
Which text of a multilingual title a reader sees.

Titles, labels and item texts in the data files are ``{"vi": ..., "en": ...}``; a few are plain
strings. The suite ships Vietnamese, the product's default, and English.
"""
DEFAULT_LANGUAGE = "vi"
SHIPPED_LANGUAGES = (DEFAULT_LANGUAGE, "en")


def base_language(code):
    """The primary subtag of a language code, lower case (``vi-VN``, ``vi_vn``, ``VI`` -> ``vi``); the default for none."""
    return (code or "").strip().replace("_", "-").split("-")[0].lower() or DEFAULT_LANGUAGE


def localised(texts, language):
    """
    The text of ``texts`` for a reader of ``language``: their language, then Vietnamese, then
    English, then any other text. Empty texts count as missing, so the answer is "" only when
    there is no text at all. A plain string is the same in every language.
    """
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    for code in (base_language(language), *SHIPPED_LANGUAGES):
        if texts.get(code):
            return texts[code]
    return next((text for text in texts.values() if text), "")
