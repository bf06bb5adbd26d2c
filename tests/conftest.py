"""
Test set-up: the database named by LEARNING_CITIZEN_DATABASE_URL (SQLite by default) is started
if it is down, before Django connects to it.
"""
import contextlib
import os

import pytest

from tests.servers import ensure_server_for_url


def pytest_configure(config):
    ensure_server_for_url(os.environ.get("LEARNING_CITIZEN_DATABASE_URL", ""))


@pytest.fixture(scope="session", autouse=True)
def workbench_field_storage():
    """Learner state in workbench runtimes kept under row locks, as the demo keeps it (see field_storage)."""
    from xblocks.workbench import field_storage  # pylint: disable=import-outside-toplevel
    field_storage.install()


@pytest.fixture(autouse=True)
def english(settings):
    """Tests read messages in English unless they switch language themselves."""
    from django.utils import translation  # pylint: disable=import-outside-toplevel
    with translation.override("en"):
        yield


def pytest_collection_modifyitems(items):
    """
    Transactional tests flush the database afterwards, which would also remove the ledger's chain
    heads that the initial migration creates. Serialized rollback puts them back for every one.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}), append=False)


@pytest.fixture
def published(monkeypatch):
    """Every event published through a workbench runtime during the test: (block type, event type, data)."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    events = []
    original = WorkbenchRuntime.publish

    def recording_publish(runtime, block, event_type, event_data):
        events.append((block.scope_ids.block_type, event_type, event_data))
        return original(runtime, block, event_type, event_data)

    monkeypatch.setattr(WorkbenchRuntime, "publish", recording_publish)
    return events


@pytest.fixture
def platform():
    """``platform({"dotted.path": {"name": double}})`` installs platform doubles for this test only (tests/platform)."""
    from tests.platform import platform_modules  # pylint: disable=import-outside-toplevel
    with contextlib.ExitStack() as stack:
        yield lambda modules: stack.enter_context(platform_modules(modules))


@pytest.fixture
def lms_people(platform):
    """
    A learner (101, enrolled in tests.common.lms.COURSE) and a staff member (900), with the platform
    doubles the LMS gives blocks installed (tests/common/lms.py, tests/platform).
    """
    from tests.common.lms import COURSE, PLATFORM_MODULES, user  # pylint: disable=import-outside-toplevel
    from tests.platform import student_course_enrollment as enrolments  # pylint: disable=import-outside-toplevel
    platform(PLATFORM_MODULES)
    enrolments.reset()
    learner, staff = user(101, "lan"), user(900, "gv-anh")
    enrolments.CourseEnrollment.enroll(learner, COURSE)
    return learner, staff


@pytest.fixture
def evidence_storage(settings, tmp_path):
    """The private evidence storage in a fresh folder for this test; the test can look at what was stored."""
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "learning_citizen_evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                      "OPTIONS": {"location": str(root), "base_url": None}},
    }
    root.mkdir()
    return root
