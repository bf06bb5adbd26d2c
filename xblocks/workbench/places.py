"""
Names and links for the workbench (the demo and the tests), registered with
:mod:`xblocks.common.places` when the workbench's app starts: there is no modulestore, so a course
is named by its scenario's title and a block by its ``display_name`` (else its scenario's title),
and both link to their scenario page ``/scenario/<id>/``.

A workbench usage id is ``<scenario slug>.<block type>.d<n>.u<n>`` (the SDK's ``ScenarioIdManager``),
and the slug is ``slugify`` of the scenario's title: that is how a key finds its scenario.
"""
from django.template.defaultfilters import slugify
from lxml import etree

from xblocks.common.places import Directory, Place

from .sample_courses import SAMPLE_COURSES, course_olx


def _scenarios():
    from workbench.scenarios import get_scenarios  # pylint: disable=import-outside-toplevel
    return get_scenarios()


def _scenario_url(name):
    return f"/scenario/{name}/"


def sample_course_keys():
    """``{course key: title}`` of the sample courses, the keys their stand-in course blocks give."""
    keys = {}
    for name, title in SAMPLE_COURSES:
        root = etree.fromstring(course_olx(name))
        keys[f"course-v1:{root.get('org')}+{root.get('course')}+{root.get('url_name')}"] = title
    return keys


class WorkbenchDirectory(Directory):
    """Scenario titles and scenario links."""

    def _scenario_titled(self, title):
        for name, scenario in _scenarios().items():
            if scenario.description == title:
                return name
        return None

    def course(self, course_key):
        title = sample_course_keys().get(str(course_key))
        if title is None:
            return None
        name = self._scenario_titled(title)
        return Place(title, _scenario_url(name) if name else "")

    def activity(self, usage_key):
        slug = str(usage_key).split(".", 1)[0]
        for name, scenario in _scenarios().items():
            if slugify(scenario.description) == slug:
                return Place(self._block_name(usage_key) or scenario.description, _scenario_url(name))
        return None

    @staticmethod
    def _block_name(usage_key):
        from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
        try:
            return str(WorkbenchRuntime().get_block(str(usage_key)).display_name or "")
        except Exception:  # pylint: disable=broad-except  # a block of a scenario no longer loaded
            return ""
