"""
The sample course(s) shipped in ``fixtures/courses/`` (OLX course exports), as workbench scenarios:
the course stand-in (:mod:`xblocks.workbench.platform_blocks`) lists them.
"""
from importlib import resources

from lxml import etree

from xblocks.criteria.documents import FIXTURES_PACKAGE

COURSES_FOLDER = "courses"
SAMPLE_COURSES = (
    ("basic-digital-skills", "Kỹ năng số cơ bản / Basic digital skills"),
)


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
