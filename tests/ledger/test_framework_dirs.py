"""
LEARNING_CITIZEN_FRAMEWORK_DIRS, the setting (LMS) and the environment variable (the command):
the ledger hands the directories to the criteria registry; a bad file stops the start with a
translated message that names the file and the problem.
"""
import json
import os
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from tests import province
from tests.commands import console_environment, console_script
from xblocks.criteria.frameworks import framework_dirs, get_framework
from xblocks.ledger.framework_dirs import FrameworksNotLoaded


def test_the_setting_loads_the_operators_frameworks(settings, tmp_path):
    province.write(tmp_path)
    settings.LEARNING_CITIZEN_FRAMEWORK_DIRS = [str(tmp_path)]
    assert framework_dirs() == (str(tmp_path),) and get_framework(province.FRAMEWORK_ID).version == province.VERSION


@pytest.mark.parametrize("language, expected", [
    ("en", "The criteria frameworks in LEARNING_CITIZEN_FRAMEWORK_DIRS cannot be loaded, and nothing runs without them: "
           "{path}: learning-citizen-2021-2030 1.0.0 is a criteria framework this package ships; "
           "give your variant another version or another id"),
    ("vi", "Không nạp được các bộ tiêu chí trong LEARNING_CITIZEN_FRAMEWORK_DIRS; hệ thống không chạy khi thiếu chúng: "
           "{path}: learning-citizen-2021-2030 1.0.0 là bộ tiêu chí có sẵn trong gói phần mềm; "
           "hãy đặt cho bản điều chỉnh của bạn một phiên bản hoặc một mã khác"),
])
def test_a_bad_file_is_refused_in_the_sites_language(settings, tmp_path, language, expected):
    path = province.write(tmp_path, province.variant(version="1.0.0"))
    with pytest.raises(FrameworksNotLoaded) as caught:
        settings.LEARNING_CITIZEN_FRAMEWORK_DIRS = [str(tmp_path)]
    with translation.override(language):
        assert str(caught.value) == expected.format(path=path)
    assert isinstance(caught.value, ImproperlyConfigured)


@pytest.mark.parametrize("value", ["/etc/frameworks", [1], {"dir": "/etc"}])
def test_the_setting_must_be_a_list_of_directories(settings, value):
    with pytest.raises(ImproperlyConfigured, match="LEARNING_CITIZEN_FRAMEWORK_DIRS must be a list of directories"):
        settings.LEARNING_CITIZEN_FRAMEWORK_DIRS = value


@pytest.mark.database
@pytest.mark.django_db(transaction=True)
def test_the_command_reads_the_environment_variable(tmp_path):
    """The real `learning-citizen` executable: the variable names two directories, os.pathsep-separated."""
    province.write(tmp_path / "province")
    (tmp_path / "empty").mkdir()
    env = {**console_environment(), "LEARNING_CITIZEN_FRAMEWORK_DIRS": os.pathsep.join(
        [str(tmp_path / "empty"), str(tmp_path / "province")])}
    script = console_script()
    events = tmp_path / "credit.jsonl"
    events.write_text("".join(json.dumps({
        "id": f"00000000-0000-4000-8000-00000000000{number}", "idempotency_key": f"env:{code}",
        "learner": {"user_id": 301, "anonymous_id": "anon-301"}, "framework": {"id": province.FRAMEWORK_ID, "version": "2.0.0"},
        "indicator": code, "points": points, "period": "2026", "source": {"kind": "import", "course_key": None, "usage_key": None},
        "provenance": "verified", "assurance": "staff-reviewed", "occurred_at": "2026-05-01T08:00:00+07:00"}) + "\n"
        for number, (code, points) in enumerate(zip(province.CODES, [15, 15, 15, 15, 6, 6, 6, 6]))), "utf-8")
    ingest = subprocess.run([script, "ingest", str(events)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert ingest.returncode == 0 and "Appended 8 entries" in ingest.stdout, ingest.stderr
    standing = subprocess.run([script, "standing", "--learner", "301", "--period", "2026", "--json"],
                              env=env, capture_output=True, text=True, timeout=120, check=False)
    assert standing.returncode == 0, standing.stderr
    result = json.loads(standing.stdout)
    assert (result["framework"]["version"], result["total"], result["threshold"], result["recognised"]) == ("2.0.0", 84.0, 70.0, True)
    # Without the variable the same credit names a framework version this site does not know.
    plain = subprocess.run([script, "standing", "--learner", "301", "--period", "2026", "--json"],
                           env=console_environment(), capture_output=True, text=True, timeout=120, check=False)
    assert plain.returncode == 0 and json.loads(plain.stdout)["framework"]["version"] == "1.0.0"


def test_the_command_refuses_to_run_on_a_bad_file(tmp_path):
    path = province.write(tmp_path, '{"id": "a", "id": "b"}')
    env = {**os.environ, "LEARNING_CITIZEN_FRAMEWORK_DIRS": str(tmp_path), "LEARNING_CITIZEN_VAR": str(tmp_path / "var"),
           "LANG": "C.UTF-8"}
    done = subprocess.run([console_script(), "standing", "--learner", "1", "--period", "2026"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert "LEARNING_CITIZEN_FRAMEWORK_DIRS" in done.stderr and f"{path}: " in done.stderr
    # In the shell's language (English here), though the site's default language is Vietnamese.
    assert "cannot be loaded" in done.stderr
    assert "Traceback" not in done.stderr
