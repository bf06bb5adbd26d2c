"""
Double of ``xmodule.modulestore.django`` (``modulestore()``), for the two calls
``xblocks.compat`` makes of it around the course blocks API.

Contract (read in the search index's copies of openedx/edx-platform and openedx-platform, 2025-2026;
the pinned commits themselves were not stored): ``modulestore()`` returns the mixed modulestore;
``get_course(course_key, depth=0, **kwargs)`` returns the course block (None when there is no such
course), whose ``course_version`` (the split modulestore's published structure id) and
``subtree_edited_on`` are what ``openedx/core/djangoapps/content/block_structure/store.py``
(``_version_data_of_block``, e57a655d and 03fc35a4) compares to tell whether the course changed;
``make_course_usage_key(course_key)`` returns the course block's usage key
(``BlockUsageLocator(course_key, "course", "course")`` for split courses).

The courses are the ones registered with :func:`tests.platform.course_blocks.register`.
"""
from types import SimpleNamespace


class MixedModuleStore:
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


_STORE = MixedModuleStore()


def modulestore():
    return _STORE
