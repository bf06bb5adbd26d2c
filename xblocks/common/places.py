"""
Where credit comes from, named as a learner knows it, and where to go to earn more.

The ledger stores keys (course keys, usage keys, idempotency keys, ``urn:uuid:`` evidence); people
read names. Three kinds of directory answer the names:

- inside the platform, the modulestore (through :mod:`xblocks.compat`): a course's and a block's
  ``display_name``, and the LMS's jump-to address;
- directories that higher layers register when Django starts (:func:`register`): the workbench
  registers its scenarios (title and ``/scenario/<id>/`` link), the evidence app the titles of
  declarations and the names of their files, and the declarations its policy allows;
- nothing else: a key no directory knows is not shown at all (never the key itself).

A lower layer cannot import the blocks above it, so the registry inverts the dependency: the
standing block asks :func:`activity`, :func:`course`, :func:`credit_titles`, :func:`evidence_names`
and :func:`declarations_allowed`, and whoever knows answers.
"""
from dataclasses import dataclass

from xblocks import compat


@dataclass(frozen=True)
class Place:
    """Something a learner can read the name of, and perhaps open."""

    title: str
    url: str = ""


@dataclass(frozen=True)
class AllowedDeclarations:
    """What the evidence policy allows declaring for one indicator: the kinds (labels as message ids, translated when shown) and the cap."""

    kinds: tuple
    cap: object  # Decimal: most points declarations may earn for the indicator in one period


class Directory:
    """A source of names; every method answers None (or nothing) for what it does not know."""

    def course(self, course_key):  # pylint: disable=unused-argument
        return None

    def activity(self, usage_key):  # pylint: disable=unused-argument
        return None

    def credit_titles(self, entries):  # pylint: disable=unused-argument
        """``{entry id: title}`` for ledger entries this directory names (e.g. declarations)."""
        return {}

    def evidence_names(self, uris):  # pylint: disable=unused-argument
        """``{uri: name}`` for evidence URIs this directory names (e.g. ``urn:uuid:`` of stored files)."""
        return {}

    def declarations_allowed(self, framework_id, indicator):  # pylint: disable=unused-argument
        return None


class PlatformDirectory(Directory):
    """The LMS: titles from the modulestore, links to the LMS's jump-to view."""

    def course(self, course_key):
        title = compat.course_title(course_key)
        return Place(title, compat.jump_to_url(course_key) or "") if title else None

    def activity(self, usage_key):
        title = compat.block_title(usage_key)
        if not title:
            return None
        course_key = _course_of(usage_key)
        url = compat.jump_to_url(course_key, usage_key) if course_key else None
        return Place(title, url or "")


def _course_of(usage_key):
    try:
        from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel
        return str(UsageKey.from_string(str(usage_key)).course_key)
    except Exception:  # pylint: disable=broad-except  # not an edX usage key
        return ""


_DIRECTORIES = [PlatformDirectory()]


def register(directory):
    """Add a directory (once): a higher layer calls this from its AppConfig.ready()."""
    if not any(type(found) is type(directory) for found in _DIRECTORIES):  # pylint: disable=unidiomatic-typecheck
        _DIRECTORIES.append(directory)


def directories():
    return tuple(_DIRECTORIES)


def _first(method, *args):
    for directory in _DIRECTORIES:
        found = getattr(directory, method)(*args)
        if found:
            return found
    return None


def course(course_key):
    """The course as a :class:`Place`, or None when no directory knows it."""
    return _first("course", course_key) if course_key else None


def activity(usage_key):
    """The block as a :class:`Place`, or None when no directory knows it."""
    return _first("activity", usage_key) if usage_key else None


def credit_titles(entries):
    found = {}
    for directory in _DIRECTORIES:
        found.update(directory.credit_titles(entries))
    return found


def evidence_names(uris):
    found = {}
    for directory in _DIRECTORIES:
        found.update(directory.evidence_names(uris))
    return found


def declarations_allowed(framework_id, indicator):
    """An :class:`AllowedDeclarations`, or None when no evidence policy is installed (or allows none)."""
    return _first("declarations_allowed", framework_id, indicator)


__all__ = ["AllowedDeclarations", "Directory", "Place", "activity", "course", "credit_titles",
           "declarations_allowed", "directories", "evidence_names", "register"]
