"""
Mixins every XBlock of the suite uses, one concern each.

:class:`CurrentUserMixin`
    ``self.current_user()``: who is looking, from the runtime's ``user`` service. In the LMS that
    is the platform's user service; in the XBlock SDK workbench, which has no logins, it is the
    ``?student=`` name of the page, mapped to a stable numeric id by :func:`workbench_user_id`
    (so one name is one learner in every block and in the ledger), and the names listed in the
    setting ``LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF`` act as course staff. Nothing the browser
    sends inside the LMS can make someone staff: there only the platform's attributes count.

    ``read_only``: the view is for looking, not for doing. Staff "viewing the course as a specific
    learner" (the LMS's masquerade) are presented to the block *as that learner* (the learner's id,
    ``user_is_staff`` False, ``user_role`` "student"), so the block asks the platform, through
    :func:`xblocks.compat.viewing_as_another_learner`, whether the request's own user is someone
    else; and Studio's preview sets ``runtime.is_author_mode``. Blocks read as usual then, so staff
    see what the learner sees, and every writing path refuses or skips with
    :data:`READ_ONLY_MESSAGE`. The workbench has neither, so it is never read-only.

:class:`KnownUserMixin`
    ``known`` for the suite's small user classes (:class:`RuntimeUser` and each block's own view
    of it): a user with a ``user_id`` is someone; without one, anonymous.

:class:`TranslatorMixin`
    ``self.translator`` (a :class:`BlockTranslator`), ``self._``, ``self.ngettext`` and
    ``self.ugettext`` (what Studio's editor calls for field names and help), and the one
    ``i18n_js_namespace`` every block of the suite declares. A message is looked up in the suite's
    XBlock catalogue first, found the way the LMS's i18n service finds it (the top-level module of
    the block's class, ``xblocks``: ``xblocks/translations/<locale>/LC_MESSAGES/text.mo``, one
    catalogue for every block), then in the runtime's ``i18n`` service (in the LMS, that same
    catalogue), then in Django's catalogues (where the ledger's ``locale/`` keeps the criteria
    core's messages, such as :class:`~xblocks.criteria.problems.Problem` templates). The XBlock
    catalogue comes first because a global catalogue can hold the same short English message with
    another meaning ("Credit" on an admin page).

The attribute names below are the LMS's (edx-platform ``common/djangoapps/xblock_django/constants.py``);
reading them needs no platform import.
"""
import gettext
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from django.conf import settings
from django.utils import translation

from xblocks import compat
from xblocks.criteria.problems import N_

LMS_USER_ID = "edx-platform.user_id"
LMS_USERNAME = "edx-platform.username"
LMS_IS_AUTHENTICATED = "edx-platform.is_authenticated"
LMS_USER_IS_STAFF = "edx-platform.user_is_staff"  # course staff or instructor (global staff too)
LMS_USER_ROLE = "edx-platform.user_role"          # "student", "staff" or "instructor" for the course
COURSE_STAFF_ROLES = ("staff", "instructor")
WORKBENCH_USER_ID = "xblock-workbench.user_id"
# The workbench runs the SDK's unauthenticated handler URLs as this "student": nobody.
WORKBENCH_ANONYMOUS = "none"
# Workbench only: which ``?student=`` names act as course staff (the workbench has no logins).
WORKBENCH_STAFF_SETTING = "LEARNING_CITIZEN_WORKBENCH_COURSE_STAFF"
DEFAULT_WORKBENCH_STAFF = ("staff",)

# Where the LMS's i18n service reads an XBlock's bundled catalogue (edx-platform
# xmodule/modulestore/django.py XBlockI18nService.get_python_locale, read at Ulmo and Verawood):
# the "translations" directory of the top-level module of the block's class, domain "text".
DOMAIN = "text"
CATALOGUE_DIRECTORY = "translations"
# The platform's JavaScript catalogue is one file per top-level module, named by a block's namespace
# (common/djangoapps/xblock_django/translation.py compile_xblock_js_messages): every block declares this one.
I18N_JS_NAMESPACE = "LearningCitizenXBlocksI18n"


# Each block translates it in its own catalogue.
READ_ONLY_MESSAGE = N_("Nothing is recorded here while you view the course as another learner or preview it in Studio.")


# -- who is looking --------------------------------------------------------------------------------

def workbench_user_id(raw):
    """
    A workbench learner's numeric id. The workbench names learners with free text (``?student=``);
    a number is used as is (the demo learners are 101-103), any other name maps to a stable number.
    """
    text = str(raw).strip()
    if text.isdigit():
        return int(text)
    return int(hashlib.sha256(f"workbench:{text}".encode("utf-8")).hexdigest()[:8], 16)


def workbench_staff_names():
    return tuple(str(name) for name in getattr(settings, WORKBENCH_STAFF_SETTING, DEFAULT_WORKBENCH_STAFF))


class KnownUserMixin:
    """``known``: whether the user is someone (a ``user_id``), not anonymous."""

    @property
    def known(self):
        return self.user_id is not None


@dataclass(frozen=True)
class RuntimeUser(KnownUserMixin):
    """The current user as the runtime tells it. ``user_id`` None: anonymous (no credit, nothing of theirs to show)."""

    user_id: int | None
    username: str = ""
    full_name: str = ""
    staff: bool = False    # course staff (or instructor) of the block's course
    in_lms: bool = False   # told by the platform's user service, not the workbench's
    read_only: bool = False  # staff viewing as this learner, or Studio's preview: look, write nothing

    @property
    def name(self):
        """What to call the user: their full name, else their username."""
        return self.full_name or self.username


class CurrentUserMixin:
    """``self.current_user()``: a :class:`RuntimeUser` (declare ``@XBlock.wants("user")`` on the block)."""

    def current_user(self):
        service = self.runtime.service(self, "user")
        user = service.get_current_user() if service is not None else None
        attrs = getattr(user, "opt_attrs", None) or {}
        full_name = str(getattr(user, "full_name", "") or "")
        if attrs.get(LMS_USER_ID) is not None:
            if attrs.get(LMS_IS_AUTHENTICATED) is False:
                return RuntimeUser(None, in_lms=True)
            staff = bool(attrs.get(LMS_USER_IS_STAFF)) or attrs.get(LMS_USER_ROLE) in COURSE_STAFF_ROLES
            user_id = int(attrs[LMS_USER_ID])
            return RuntimeUser(user_id, str(attrs.get(LMS_USERNAME) or ""), full_name, staff, in_lms=True,
                               read_only=self._read_only_view(user_id))
        raw = attrs.get(WORKBENCH_USER_ID)
        if raw in (None, "", WORKBENCH_ANONYMOUS):
            return RuntimeUser(None)
        return RuntimeUser(workbench_user_id(raw), str(raw), full_name, str(raw) in workbench_staff_names())

    def _read_only_view(self, user_id):
        """Studio's preview (the runtime says ``is_author_mode``), or someone else viewing as ``user_id``."""
        if getattr(self.runtime, "is_author_mode", False) is True:
            return True
        usage_id = getattr(getattr(self, "scope_ids", None), "usage_id", None)
        course_key = getattr(usage_id, "context_key", None) or getattr(usage_id, "course_key", None)
        return compat.viewing_as_another_learner(user_id, course_key)


# -- translation -----------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def bundled_catalogue(localedir, locale):
    """
    The catalogue in ``localedir`` for a locale name (``vi``, ``vi_VN``, ``en_US``; gettext also
    tries the bare language), or a null one, as the LMS falls back when it finds none.
    """
    try:
        return gettext.translation(DOMAIN, localedir=localedir, languages=[locale])
    except OSError:
        return gettext.NullTranslations()


def active_locale():
    """The active language as a locale name (``vi-vn`` -> ``vi_VN``), the site's language when none is active."""
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


@lru_cache(maxsize=None)
def translations_dir(block_class):
    """
    ``translations/`` of the top-level module (``xblocks``) of the package that defines
    ``block_class``: the directory the LMS's i18n service reads for the block (the runtime's
    mixed-in class counts as the class it mixes).
    """
    block_class = getattr(block_class, "unmixed_class", block_class)
    return str(resources.files(block_class.__module__.split(".")[0]) / CATALOGUE_DIRECTORY)


def shipped_language():
    """``vi`` or ``en``: which of the languages the suite ships the active language is (English for any other)."""
    return "vi" if (translation.get_language() or "").lower().startswith("vi") else "en"


class BlockTranslator:
    """``gettext``/``ngettext`` in the active language: the block's catalogue, the runtime's service, Django's."""

    def __init__(self, localedir, service=None):
        self.localedir = str(localedir)
        self.service = service

    def _sources(self):
        yield bundled_catalogue(self.localedir, active_locale())
        if self.service is not None:
            yield self.service
        yield translation

    @property
    def language(self):
        """
        The language the block's page is in: ``vi`` or ``en`` (:func:`shipped_language`). Titles
        from data follow it, so a reader whose language is not shipped gets English titles on a
        page whose messages are English, as the standing, reports and completion pages do.
        """
        return shipped_language()

    def gettext(self, message):
        if not message:
            return message  # gettext("") would answer with a catalogue's header
        for source in self._sources():
            translated = source.gettext(message)
            if translated != message:
                return translated
        return message

    def ngettext(self, singular, plural, number):
        for source in self._sources():
            translated = source.ngettext(singular, plural, number)
            if translated not in (singular, plural):
                return translated
        return singular if number == 1 else plural

    def render(self, problem):
        """A :class:`~xblocks.criteria.problems.Problem` as a sentence in the active language, with where it is."""
        return problem.render(self.gettext)

    def sentence(self, problem, labels=None):
        """
        Only the problem's sentence (no field name, no line), in the active language; a value
        named in ``labels`` (``{param: {value: message}}``) is replaced by its translated message.
        """
        params = dict(problem.params)
        for name, mapping in (labels or {}).items():
            if name in params and params[name] in mapping:
                params[name] = self.gettext(mapping[params[name]])
        return self.gettext(problem.template).format(**params)


def suite_translator():
    """
    A translator for the suite's pages outside a block (the reviewer's desk, the workbench's
    refusals): the one XBlock catalogue every block reads, looked up when called.
    """
    return BlockTranslator(translations_dir(BlockTranslator))


class TranslatorMixin:
    """``self.translator`` for the block's strings (declare ``@XBlock.needs("i18n")`` or ``wants``)."""

    i18n_js_namespace = I18N_JS_NAMESPACE

    @property
    def translator(self):
        return BlockTranslator(translations_dir(type(self)), self.runtime.service(self, "i18n"))

    def _(self, text):  # pylint: disable=invalid-name
        return self.translator.gettext(text)

    def ugettext(self, text):
        return self.translator.gettext(text)

    def ngettext(self, singular, plural, number):
        return self.translator.ngettext(singular, plural, number)
