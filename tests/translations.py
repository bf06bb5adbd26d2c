"""
One checker for the "every message has a Vietnamese translation" tests: which messages the sources
mark, which catalogue holds the suite's messages, and which of them a catalogue leaves untranslated.
"""
import ast
import gettext
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every block of the top-level module ``xblocks`` shares one catalogue, where the LMS reads it.
XBLOCK_CATALOGUES = ROOT / "xblocks/translations"
# A marker's name and how many of its first arguments are messages (ngettext: singular and plural).
MARKERS = {"_": 1, "N_": 1, "gettext": 1, "gettext_lazy": 1, "ugettext": 1, "translate": 1, "ngettext": 2}


@dataclass(frozen=True)
class Message:
    path: Path          # relative to the repository
    msgid: str
    plural: str | None = None

    def __str__(self):
        return f"{self.path}: {self.msgid!r}"


def marked_messages(paths, markers=tuple(MARKERS)):
    """
    Every literal message in ``paths`` marked by one of ``markers`` (names from :data:`MARKERS`),
    called by name (``_("...")``) or as an attribute (``self._("...")``, ``translation.gettext("...")``).
    """
    for path in paths:
        path = Path(path)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            count = MARKERS.get(name) if name in markers else None
            arguments = node.args[:count] if count else []
            if len(arguments) == count and all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in arguments):
                yield Message(path.resolve().relative_to(ROOT), *(arg.value for arg in arguments))


def python_files(*folders, leave_out=()):
    """The Python files directly in ``folders`` (relative to the repository), less the file names in ``leave_out``."""
    return sorted(path for folder in folders for path in (ROOT / folder).glob("*.py") if path.name not in leave_out)


def load(path):
    """A compiled catalogue (``.mo``)."""
    with Path(path).open("rb") as handle:
        return gettext.GNUTranslations(handle)


def xblock_catalogue(language):
    """The suite's XBlock catalogue (domain ``text``) for ``language``."""
    return load(XBLOCK_CATALOGUES / language / "LC_MESSAGES/text.mo")


def untranslated(messages, catalogue, same_in_both=()):
    """
    The messages ``catalogue`` does not translate, as ``path: 'message'`` lines: those it has no
    entry for (msgfmt leaves untranslated ones out of the ``.mo``) and those whose translation is
    the English again, unless listed in ``same_in_both`` (a unit symbol reads the same in both).
    """
    entries = catalogue._catalog  # pylint: disable=protected-access  # gettext has no public "has this message"
    missing = []
    for message in messages:
        if message.plural is None:
            translated = catalogue.gettext(message.msgid)
        else:
            translated = catalogue.ngettext(message.msgid, message.plural, 2)
        present = bool(entries.get(message.msgid) or entries.get((message.msgid, 0)))
        if not present or (translated in (message.msgid, message.plural) and message.msgid not in same_in_both):
            missing.append(str(message))
    return missing
