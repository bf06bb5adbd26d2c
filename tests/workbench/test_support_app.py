"""
The workbench settings' own app installs the workbench support when Django starts: completion
tracking, the locking field store and the stand-ins, without any block asking for them.
"""
import json
import os
import subprocess
import sys

from tests.translations import ROOT

# Checked in a fresh interpreter: in this one, other tests have long since set everything up.
PROBE = """
import json, django
django.setup()
from workbench import runtime, scenarios
from xblock.core import XBlock
from xblocks.workbench.platform_blocks import STAND_INS
print(json.dumps({
    "tracking": bool(getattr(runtime.WorkbenchRuntime, "_learning_citizen_tracking", False)),
    "locking_store": bool(getattr(runtime.WORKBENCH_KVS, "locks_rows", False)),
    "stand_ins": sorted(tag for tag, block_class in STAND_INS.items() if XBlock.load_class(tag) is block_class),
    "course_scenarios": [title for title, _xml in XBlock.load_class("course").workbench_scenarios()],
}))
"""


def probe(settings_module):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_workbench_settings_install_the_support_at_start():
    found = probe("xblocks.workbench.settings")
    assert found["tracking"] and found["locking_store"]
    assert found["stand_ins"] == ["chapter", "course", "html", "problem", "sequential", "vertical"]
    assert found["course_scenarios"] == ["Kỹ năng số cơ bản / Basic digital skills"]
