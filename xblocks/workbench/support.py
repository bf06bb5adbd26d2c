"""
What the workbench needs to show real course content: completion tracking, and stand-ins for the
platform's course blocks (the course stand-in offers the sample courses as its scenarios).

Installed by the workbench's own app (:mod:`xblocks.workbench.apps`) when Django starts with the
workbench settings; nothing here runs on import, and no block calls it.
"""
import threading
from importlib import metadata

from xblock import plugin
from xblock.core import XBlock

from . import completion, field_storage
from .platform_blocks import STAND_INS

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
