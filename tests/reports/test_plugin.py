"""The reports app is an Open edX plugin app like the ledger: entry points, URL config, its own migrations."""
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_entry_points_for_the_lms_and_studio():
    text = (ROOT / "setup.py").read_text("utf-8")
    for group in ("lms.djangoapp", "cms.djangoapp"):
        block = re.search(rf'"{re.escape(group)}": \[(.*?)\]', text, re.S).group(1)
        assert '"learning_citizen_reports = xblocks.reports.apps:ReportsConfig"' in block
    assert '"reports/locale/*/LC_MESSAGES/*"' in text


def test_the_lms_url_config_names_a_urls_module_of_the_same_namespace():
    config = apps.get_app_config("learning_citizen_reports")
    url_config = config.plugin_app["url_config"]["lms.djangoapp"]
    module = importlib.import_module(f"{config.name}.{url_config['relative_path']}")
    assert module.app_name == url_config["namespace"] == "learning_citizen_reports"
    assert url_config["regex"] == r"^learning-citizen/reports/"
    # The workbench mounts the same URLs where the LMS does.
    assert reverse("learning_citizen_reports:report") == "/learning-citizen/reports/report"


def test_the_ledger_has_no_migration_of_ours():
    ledger = sorted(path.name for path in (ROOT / "xblocks/ledger/migrations").glob("0*.py"))
    reports = sorted(path.name for path in (ROOT / "xblocks/reports/migrations").glob("0*.py"))
    assert reports[0] == "0001_initial.py"
    assert not any("member" in name or "report" in name for name in ledger)


# In a fresh interpreter on the command's standalone settings, where nothing but Django's setup has run.
PROBE = """
import json, django
django.setup()
from django.core.management import get_commands
from openedx_events.learning.signals import CERTIFICATE_CREATED, CERTIFICATE_REVOKED, COURSE_PASSING_STATUS_UPDATED
print(json.dumps({
    "command": get_commands().get("learning_citizen"),
    "receivers": sorted(key[0] for signal in (COURSE_PASSING_STATUS_UPDATED, CERTIFICATE_CREATED, CERTIFICATE_REVOKED)
                        for key, *_rest in signal.receivers if isinstance(key[0], str)),
}))
"""


def test_the_command_and_the_course_rules_belong_to_the_operations_layer(tmp_path):
    """`manage.py lms learning_citizen` finds the command in this app; its ready() connects the course rules."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "xblocks.standalone.settings", "LEARNING_CITIZEN_VAR": str(tmp_path)}
    environment.pop("LEARNING_CITIZEN_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["command"] == "xblocks.reports"
    assert found["receivers"] == ["learning_citizen.course_rules.certificate_created",
                                  "learning_citizen.course_rules.certificate_revoked", "learning_citizen.course_rules.passing"]
