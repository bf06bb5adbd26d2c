"""
What the workbench needs to show real course content: completion tracking, stand-ins for the
platform's course blocks, and the sample course(s) as scenarios.

Called from ``workbench_scenarios()`` (which only the workbench calls) and from tests; nothing
here runs on import.
"""
import threading
from importlib import metadata, resources

from lxml import etree
from xblock import plugin
from xblock.core import XBlock

from xblocks.criteria.documents import FIXTURES_PACKAGE

from . import completion, field_storage
from .platform_blocks import STAND_INS

COURSES_FOLDER = "courses"
SAMPLE_COURSES = (
    ("basic-digital-skills", "Kỹ năng số cơ bản / Basic digital skills"),
)
_lock = threading.Lock()


class _StandInEntryPoint:
    """Just enough of an importlib entry point for XBlock's plugin loader."""

    group = "xblock.v1"

    def __init__(self, name, block_class):
        self.name = name
        self._block_class = block_class

    def load(self):
        return self._block_class


def register_stand_ins():
    """Make the stand-in blocks loadable by tag, unless something real already owns the tag."""
    with _lock:
        registered = {identifier for identifier, _entry_point in XBlock.extra_entry_points}
        for tag, block_class in STAND_INS.items():
            if tag in registered or list(metadata.entry_points(group="xblock.v1", name=tag)):
                continue
            XBlock.extra_entry_points.append((tag, _StandInEntryPoint(tag, block_class)))
            plugin.PLUGIN_CACHE.pop(("xblock.v1", tag), None)  # forget an earlier "no such block"


def install_workbench_support():
    field_storage.install()
    completion.install()
    register_stand_ins()


def course_olx(name):
    """
    A sample course from ``fixtures/courses/<name>/`` (an OLX course export) as one XML string:
    the course file with org, course and run from ``course.xml`` set on its root.
    """
    folder = resources.files(FIXTURES_PACKAGE).joinpath(COURSES_FOLDER, name)
    pointer = etree.fromstring(folder.joinpath("course.xml").read_bytes())
    run = pointer.get("url_name")
    root = etree.fromstring(folder.joinpath("course", f"{run}.xml").read_bytes())
    for attribute in ("org", "course", "url_name"):
        root.set(attribute, root.get(attribute) or pointer.get(attribute))
    return etree.tostring(root, encoding="unicode")


def sample_course_scenarios():
    """``[(title, OLX)]`` of the sample courses, for ``workbench_scenarios()``."""
    return [(title, course_olx(name)) for name, title in SAMPLE_COURSES]
