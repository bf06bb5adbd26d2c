"""
What an uploaded file really is, from its content (never from its name), with puremagic (pure
Python). A file is accepted only when one of the policy's types is among the best matches for its
bytes; a name whose extension claims another type is refused as disguised.
"""
import os
import re
import unicodedata

import puremagic

from xblocks.criteria.problems import N_, Problem

# The extensions each accepted type may carry, and the one the stored copy gets.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "image/gif": (".gif",),
}
LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF"}
# Types a browser can show safely in a page: images open inline, everything else downloads.
INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
# Enough bytes for every signature puremagic checks for the types above.
SNIFF_BYTES = 8192
_NAME_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"\\/<>:|?*]+")


def safe_display_name(name, limit=150):
    """The learner's file name, for display only: no path, no control or quoting characters, NFC, bounded."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = _NAME_UNSAFE.sub("_", unicodedata.normalize("NFC", base)).strip(" .") or "file"
    if len(base) > limit:
        stem, ext = os.path.splitext(base)
        base = stem[: limit - len(ext[:10])] + ext[:10]
    return base


def detected_types(head):
    """MIME types of the best puremagic matches for ``head`` (the file's first bytes); empty if unknown."""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return []
    if not matches:
        return []
    best = max(match.confidence for match in matches)
    return [match.mime_type for match in matches if match.confidence == best and match.mime_type]


def describe(head):
    """A short name of what the content looks like, for messages ("HTML", "an unknown type")."""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        if match.extension:
            return match.extension.lstrip(".").upper()
    return ""


def check_file(name, head, *, allowed):
    """
    ``(mime type, extension, None)`` for an acceptable file, or ``(None, None, problem)``.
    ``head`` is the start of the content; ``allowed`` the policy's MIME types.
    """
    shown = safe_display_name(name)
    found = [mime for mime in detected_types(head) if mime in allowed]
    if not found:
        what = describe(head)
        accepted = ", ".join(LABELS.get(mime, mime) for mime in allowed)
        if what:
            return None, None, Problem(N_("\"{name}\" is not an accepted file: its content is {found}. Accepted: {accepted}."),
                                       {"name": shown, "found": what, "accepted": accepted}, where="files")
        return None, None, Problem(N_("\"{name}\" is not an accepted file: its content is not a known document or image type. Accepted: {accepted}."),
                                   {"name": shown, "accepted": accepted}, where="files")
    mime = found[0]
    extension = os.path.splitext(shown)[1].lower()
    claimed = [other for other, extensions in EXTENSIONS.items() if extension in extensions]
    if claimed and mime not in claimed:
        return None, None, Problem(N_("\"{name}\" is named like a {claimed} file but its content is {found}: rename it or choose the right file."),
                                   {"name": shown, "claimed": LABELS[claimed[0]], "found": LABELS.get(mime, mime)}, where="files")
    if extension and not claimed:
        return None, None, Problem(N_("\"{name}\" has a name ending \"{extension}\" that does not match its content ({found})."),
                                   {"name": shown, "extension": extension[:10], "found": LABELS.get(mime, mime)}, where="files")
    return mime, EXTENSIONS[mime][0], None
