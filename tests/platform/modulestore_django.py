"""
Double of the LMS's XBlock ``i18n`` service: ``xmodule.modulestore.django.XBlockI18nService``, with
the helpers it takes from ``xmodule.modulestore.api``.

Read (the pinned commits are not in the index; these are the stored versions nearest to them):
Ulmo line, openedx/edx-platform ``xmodule/modulestore/django.py`` at
16397a1cb463fa64a4556ed9b3b6c921b6d3be21 and ``xmodule/modulestore/api.py`` at
cc88244be61da0ba8069a551f61669df71c52891; Verawood line, openedx/openedx-platform
``xmodule/modulestore/django.py`` at 5af5f01fa9480258a5001852cd7498fe3e4cd2fb. Both lines look a
block's catalogue up the same way (they differ only in the importlib.resources call that names
the directory):

- the module is the top-level module of the block's class, the unmixed one when the runtime mixed
  it (``get_xblock_root_module_name``: ``class.__module__.split(".")[0]``);
- an OEP-58 ("atlas") catalogue, ``settings.REPO_ROOT / "conf/plugins-locale/xblock.v1" / module``,
  domain ``django``, wins when that directory exists;
- otherwise the package's own ``translations`` directory of that module, domain ``text``;
- ``gettext.translation(domain, directory, [to_locale(get_language() or settings.LANGUAGE_CODE)])``,
  and Django's own translation module when that raises ``OSError`` (no catalogue for the language);
- every other attribute (``gettext``, ``ngettext``, ``ugettext`` as ``gettext``) is the chosen
  translator's;
- ``get_javascript_i18n_catalog_url(block)``: the static URL of
  ``js/xblock.v1-i18n/<module>/<locale>.js`` under ``settings.STATICI18N_ROOT`` when that file
  exists (compiled from an atlas catalogue, named by the block's ``i18n_js_namespace``), else None.

The LMS's runtimes answer ``runtime.service(block, "i18n")`` with ``XBlockI18nService(block)``, a
service made for the block, and refuse a service the block did not declare (``XBlockRuntime.service``
in ``openedx/core/djangoapps/xblock/runtime/runtime.py``; the modulestore runtime keeps the class
and makes one per block): :class:`LmsI18nRuntime` does the same on the SDK's runtime.
"""
import gettext
from types import SimpleNamespace
from importlib import resources
from pathlib import Path

import django.utils.translation
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.translation import get_language, to_locale
from workbench.runtime import WorkbenchRuntime

ATLAS_ROOT = "conf/plugins-locale/xblock.v1"


def root_module_name(block):
    block_class = getattr(block, "unmixed_class", type(block))
    return block_class.__module__.split(".")[0]


def javascript_catalogue_name(module, locale):
    return f"js/xblock.v1-i18n/{module}/{locale}.js"


class XBlockI18nService:
    """The service the LMS makes for ``block``: its catalogue as the platform finds it, else Django's."""

    def __init__(self, block=None):
        self.translator = django.utils.translation
        if block is not None:
            domain, directory = self.get_python_locale(block)
            locale = to_locale(get_language() or settings.LANGUAGE_CODE)
            try:
                self.translator = gettext.translation(domain, directory, [locale])
            except OSError:
                pass  # no catalogue for this language: Django's translations, as in the LMS

    def get_python_locale(self, block):
        """``(domain, directory)``: the atlas catalogue when pulled, else the package's ``translations``."""
        module = root_module_name(block)
        atlas = Path(settings.REPO_ROOT) / ATLAS_ROOT / module
        if atlas.is_dir():
            return "django", atlas
        return "text", str(resources.files(module) / "translations")

    def get_javascript_i18n_catalog_url(self, block):
        name = javascript_catalogue_name(root_module_name(block), to_locale(get_language()))
        if (Path(settings.STATICI18N_ROOT) / name).exists():
            return staticfiles_storage.url(name)
        return None

    def __getattr__(self, name):
        return getattr(self.translator, "gettext" if name == "ugettext" else name)


class LmsI18nRuntime(WorkbenchRuntime):
    """The SDK's runtime, answering ``i18n`` as the LMS's runtimes do: a service made for the block."""

    def service(self, block, service_name):
        found = super().service(block, service_name)  # raises for a service the block did not declare
        if service_name == "i18n":
            return XBlockI18nService(block)
        return found


# -- the store: double of ``xmodule.modulestore.django`` (and the ``ItemNotFoundError`` of
# ``xmodule.modulestore.exceptions`` its store raises), for ``xblocks.compat.modulestore`` and
# ``authored_block``.
#
# Contract read in ``xmodule/modulestore/django.py`` (openedx/edx-platform 16397a1) and
# ``xmodule/modulestore/mixed.py`` (openedx/openedx-platform e57a655); the pinned release commits
# (edx-platform 000a598, openedx-platform 01f9729) are not stored, these are the nearest copies:
#
# - ``modulestore()``: no arguments, the one store of the process;
# - ``store.get_item(usage_key, depth=0, **kwargs)``: ``usage_key`` must be a ``UsageKey`` (the
#   mixed store reads ``usage_key.course_key`` to choose the backing store); ``depth`` is how many
#   levels of children to load (None: all); a block it does not hold raises ``ItemNotFoundError``;
# - ``store.get_course(course_key, depth=0, **kwargs)``: ``course_key`` must be a ``CourseKey``;
#   answers the course block, or None for a course it does not hold (it does not raise). Blocks and
#   courses carry ``display_name`` and ``display_name_with_default`` (``xmodule/x_module.py``:
#   the display name, else the block's id with underscores as spaces; the course block's, else
#   its course number).

class ItemNotFoundError(Exception):
    """Stands for ``xmodule.modulestore.exceptions.ItemNotFoundError``."""


def named_block(display_name, fallback="block"):
    """A stored block as far as names go: ``display_name`` and the platform's ``display_name_with_default``."""
    return SimpleNamespace(display_name=display_name, display_name_with_default=display_name or fallback)


class ModuleStoreDouble:
    """A store holding ``blocks`` ({UsageKey: block}) and ``courses`` ({CourseKey: course}); records every ``get_item`` call."""

    def __init__(self, blocks, courses=None):
        self.blocks = dict(blocks)
        self.courses = dict(courses or {})
        self.calls = []

    def get_course(self, course_key, depth=0, **kwargs):  # pylint: disable=unused-argument
        course_key.make_usage_key  # pylint: disable=pointless-statement  # a CourseKey: a string fails here
        return self.courses.get(course_key)

    def get_item(self, usage_key, depth=0, **kwargs):
        self.calls.append((usage_key, depth, kwargs))
        usage_key.course_key  # pylint: disable=pointless-statement  # read as the mixed store reads it: a string fails here
        if usage_key not in self.blocks:
            raise ItemNotFoundError(usage_key)
        return self.blocks[usage_key]


def modulestore_module(store):
    """The names ``xmodule.modulestore.django`` offers, for ``platform_modules``."""
    return {
        "xmodule.modulestore.django": {"modulestore": lambda: store},
        "xmodule.modulestore.exceptions": {"ItemNotFoundError": ItemNotFoundError},
    }


# -- the store the course-blocks double reads: Double of ``xmodule.modulestore.django`` (``modulestore()``), for the two calls
# ``xblocks.compat`` makes of it around the course blocks API.
# 
# Contract (read in the search index's copies of openedx/edx-platform and openedx-platform, 2025-2026;
# the pinned commits themselves were not stored): ``modulestore()`` returns the mixed modulestore;
# ``get_course(course_key, depth=0, **kwargs)`` returns the course block (None when there is no such
# course), whose ``course_version`` (the split modulestore's published structure id) and
# ``subtree_edited_on`` are what ``openedx/core/djangoapps/content/block_structure/store.py``
# (``_version_data_of_block``, e57a655d and 03fc35a4) compares to tell whether the course changed;
# ``make_course_usage_key(course_key)`` returns the course block's usage key
# (``BlockUsageLocator(course_key, "course", "course")`` for split courses).
# 
# The courses are the ones registered with :func:`tests.platform.course_blocks.register`.

class RegisteredCoursesStore:
    """The few reads compat makes, answered from the registered courses."""

    def get_course(self, course_key, depth=0, **kwargs):  # pylint: disable=unused-argument
        from tests.platform.course_blocks import _COURSES  # pylint: disable=import-outside-toplevel
        course = _COURSES.get(course_key)
        if course is None:
            return None
        return SimpleNamespace(location=course.root, id=course_key, course_version=course.version,
                               subtree_edited_on=course.edited_on)

    def make_course_usage_key(self, course_key):
        return course_key.make_usage_key("course", "course")


_REGISTERED_COURSES_STORE = RegisteredCoursesStore()


def registered_courses_modulestore():
    """``modulestore()`` answering from the courses registered with the course-blocks double."""
    return _REGISTERED_COURSES_STORE
