"""
The Tutor plugin kept in deploy/tutor/learning_citizen.py, loaded the way Tutor loads a
single-file plugin (``tutor.plugins.v1.discover_module`` then ``tutor.plugins.load``) and rendered
through Tutor's own templates (``tutor.env``): no Docker, no network.

Tutor runs in a virtualenv of its own (tests/deploy/tutor_venv.py), with the line's pinned Tutor
(requirements/tutor-<line>.txt: 21.x on Ulmo, 22.x on Verawood) on this Python: Tutor's click
requirement refuses the platform's click pin, so it cannot join the line's test environment. There
tests/deploy/tutor_probe.py loads the plugin and renders what these tests ask; the tests check the
result here, beside the suite, Django and openedx-events. If Tutor cannot be installed they fail.
"""
import importlib.metadata
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

from requirements.platform_pins import read_pins
from tests.deploy.tutor_venv import requirements_file, running_probe
from tests.test_release_lines import current_line
from xblocks.ledger.settings.event_bus import CREDIT_TOPIC, add_credit_producer_config
from xblocks.credentials.settings import DEFAULTS as CREDENTIAL_DEFAULTS

PLUGIN_FILE = pathlib.Path(__file__).resolve().parents[2] / "deploy" / "tutor" / "learning_citizen.py"
PLUGIN = "learning_citizen"
DISTRIBUTION = "learning-citizen-xblocks"
TUTOR_MAJOR = {"ulmo": "21", "verawood": "22"}


@pytest.fixture(scope="session")
def tutor():
    """Tutor, in its own virtualenv, with the plugin discovered and loaded as `tutor plugins enable learning_citizen` would."""
    with running_probe(current_line(), PLUGIN_FILE) as probe:
        yield probe


@pytest.fixture(scope="session")
def tutor_info(tutor):  # pylint: disable=redefined-outer-name
    return tutor.ask("info")


class Project:
    """A Tutor project whose config.yml holds ``settings``, as `tutor config save --set` leaves it."""

    def __init__(self, tutor, settings):  # pylint: disable=redefined-outer-name
        self._tutor = tutor
        self.settings = settings
        self._config = None

    def __getitem__(self, name):
        """A value of the full configuration (Tutor's defaults, the plugin's, then the settings)."""
        if self._config is None:
            self._config = self._tutor.ask("config", settings=self.settings)
        return self._config[name]

    def render_file(self, *path):
        return self._tutor.ask("render_file", settings=self.settings, path=list(path))

    def rendered_patch(self, name):
        return self._tutor.ask("render_patch", settings=self.settings, name=name)

    def init_tasks(self):
        """[(service, rendered script)] of the plugin's init tasks."""
        return [tuple(task) for task in self._tutor.ask("init_tasks", settings=self.settings)]


def project_config(tutor, **settings):  # pylint: disable=redefined-outer-name
    return Project(tutor, settings)


def test_tutor_runs_in_its_own_environment_at_the_lines_pin(tutor_info):  # pylint: disable=redefined-outer-name
    pins, _ = read_pins(requirements_file(current_line()).read_text(encoding="utf-8").splitlines())
    assert pins["tutor"] == f"tutor=={tutor_info['tutor_version']}"
    assert tutor_info["tutor_version"].split(".")[0] == TUTOR_MAJOR[current_line()]
    assert tuple(tutor_info["python"]) == tuple(sys.version_info[:2])
    # Only Tutor there: neither the platform's Django nor the suite.
    assert tutor_info["importable"] == {"django": False, "xblocks": False}


def test_tutor_installs_and_loads_it_as_a_single_file_plugin(tutor_info):  # pylint: disable=redefined-outer-name
    assert tutor_info["installed"]
    assert tutor_info["loaded"]
    assert tutor_info["plugin_path"] == str(PLUGIN_FILE)


def test_every_patch_it_declares_has_a_place_in_this_tutors_templates(tutor_info):  # pylint: disable=redefined-outer-name
    """A patch whose name no template calls would be dropped silently."""
    called = set()
    for text in tutor_info["templates"].values():
        called.update(re.findall(r'patch\("([^"]+)"\)', text))
    assert set(tutor_info["patches"]) == {
        "openedx-dockerfile-post-python-requirements",
        "openedx-common-settings",
        "local-docker-compose-services",
    }
    assert set(tutor_info["patches"]) <= called


# --- the pip requirement -------------------------------------------------------------------------

def python_requirements_stage(dockerfile):
    """The openedx Dockerfile's stage that installs Python requirements (and the operator's extras)."""
    return dockerfile.split("AS python-requirements", 1)[1].split("\nFROM ", 1)[0]


def test_the_image_installs_this_release_pinned(tutor):  # pylint: disable=redefined-outer-name
    config = project_config(tutor)
    release = importlib.metadata.version(DISTRIBUTION)
    assert config["LEARNING_CITIZEN_PIP_REQUIREMENT"] == f"{DISTRIBUTION}=={release}"
    stage = python_requirements_stage(config.render_file("build", "openedx", "Dockerfile"))
    step = re.search(r"\nRUN [^\n]*\\\n((?:    [^\n]*\n)+)", stage[stage.index("# Learning Citizen XBlocks"):]).group(1)
    commands = [command.strip(" \\\n") for command in step.split("&&")]
    # The platform's packages as installed so far become constraints of the suite's install.
    pins = "/tmp/learning-citizen-platform-pins.txt"
    assert commands == [f"$PIP_COMMAND list --format=freeze > {pins}",
                        f"$PIP_COMMAND install --constraint {pins} '{DISTRIBUTION}=={release}'",
                        f"rm {pins}"]
    # After the platform's own requirements.
    assert stage.index("# Learning Citizen XBlocks") > stage.index("requirements/edx/base.txt")


def test_the_requirement_can_name_a_tag_and_leaves_the_operators_extra_requirements_alone(tutor):  # pylint: disable=redefined-outer-name
    tag = f"{DISTRIBUTION} @ git+https://git.example.org/learning-citizen-xblocks.git@v0.1.0"
    config = project_config(tutor, LEARNING_CITIZEN_PIP_REQUIREMENT=tag,
                            OPENEDX_EXTRA_PIP_REQUIREMENTS=["xblock-poll==1.14.0"])
    stage = python_requirements_stage(config.render_file("build", "openedx", "Dockerfile"))
    assert f"--constraint /tmp/learning-citizen-platform-pins.txt '{tag}'" in stage
    # The operator's extras are still installed, after the suite (so they cannot be pinned out by it).
    assert stage.index(tag) < stage.index("$PIP_COMMAND install 'xblock-poll==1.14.0'")


# --- settings --------------------------------------------------------------------------------------

def platform_settings_before_the_patches():
    """The names the patches build on, as the platform and the suite's plugin settings leave them."""
    return {
        "STORAGES": {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        "EVENT_BUS_PRODUCER_CONFIG": add_credit_producer_config({}, enabled=False),
        "LEARNING_CITIZEN_CREDENTIALS": dict(CREDENTIAL_DEFAULTS),
    }


def run_settings_patches(config, namespace=None):
    namespace = namespace if namespace is not None else platform_settings_before_the_patches()
    exec(compile(config.rendered_patch("openedx-common-settings"), "openedx-common-settings", "exec"), namespace)  # pylint: disable=exec-used
    return namespace


@pytest.mark.parametrize("path", [
    ("apps", "openedx", "settings", "lms", "production.py"),
    ("apps", "openedx", "settings", "lms", "development.py"),
    ("apps", "openedx", "settings", "cms", "production.py"),
    ("apps", "openedx", "settings", "cms", "development.py"),
])
def test_the_settings_files_tutor_writes_carry_the_patches_and_compile(tutor, path):  # pylint: disable=redefined-outer-name
    config = project_config(tutor, LEARNING_CITIZEN_SIGNING_KEY_PATH="/openedx/media-private/learning-citizen/it's.pem",
                            LEARNING_CITIZEN_EVENT_BUS_PRODUCE=True, LEARNING_CITIZEN_EVENT_BUS_CONSUME=True)
    settings_file = config.render_file(*path)
    compile(settings_file, "/".join(path), "exec")
    assert config.rendered_patch("openedx-common-settings") in settings_file


def test_evidence_goes_to_a_private_storage_on_the_private_media_volume(tutor):  # pylint: disable=redefined-outer-name
    config = project_config(tutor)
    settings = run_settings_patches(config)
    evidence = settings["STORAGES"]["learning_citizen_evidence"]
    assert evidence["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    location = evidence["OPTIONS"]["location"]
    assert location == "/openedx/media-private/learning-citizen/evidence"
    assert evidence["OPTIONS"]["file_permissions_mode"] & 0o007 == 0  # files not readable by other users
    assert settings["STORAGES"]["default"] == platform_settings_before_the_patches()["STORAGES"]["default"]
    # Tutor mounts that volume into the LMS and Studio; it is not the public media folder.
    compose = yaml.safe_load(config.render_file("local", "docker-compose.yml"))
    for service in ("lms", "cms"):
        mounts = dict(volume.rsplit(":", 1)[0].split(":", 1)[::-1] for volume in compose["services"][service]["volumes"])
        assert mounts["/openedx/media-private"].endswith("data/openedx-media-private")
        assert not location.startswith("/openedx/media/")


def test_an_evidence_storage_defined_elsewhere_is_kept_and_an_empty_root_defines_none(tutor):  # pylint: disable=redefined-outer-name
    s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "lc-evidence"}}
    namespace = platform_settings_before_the_patches()
    namespace["STORAGES"]["learning_citizen_evidence"] = s3
    assert run_settings_patches(project_config(tutor), namespace)["STORAGES"]["learning_citizen_evidence"] == s3
    settings = run_settings_patches(project_config(tutor, LEARNING_CITIZEN_EVIDENCE_ROOT=""))
    assert "learning_citizen_evidence" not in settings["STORAGES"]


def test_credentials_key_and_base_url_only_when_configured(tutor):  # pylint: disable=redefined-outer-name
    settings = run_settings_patches(project_config(tutor))
    assert settings["LEARNING_CITIZEN_CREDENTIALS"] == CREDENTIAL_DEFAULTS  # no key: no credential issued
    key = '/openedx/media-private/learning-citizen/issuer "ed25519".pem'
    settings = run_settings_patches(project_config(
        tutor, LEARNING_CITIZEN_SIGNING_KEY_PATH=key, LEARNING_CITIZEN_CREDENTIALS_BASE_URL="https://lms.example.vn"))
    assert settings["LEARNING_CITIZEN_CREDENTIALS"] == {
        **CREDENTIAL_DEFAULTS, "SIGNING_KEY_PATH": key, "BASE_URL": "https://lms.example.vn"}


def test_credit_is_produced_by_the_relay_service_only_when_asked_and_never_inside_requests(tutor):  # pylint: disable=redefined-outer-name
    from xblocks.relay.management.commands.credit_relay import Command  # pylint: disable=import-outside-toplevel

    compose = yaml.safe_load(project_config(tutor).render_file("local", "docker-compose.yml"))
    assert "learning-citizen-credit-relay" not in compose["services"]
    producing = project_config(tutor, LEARNING_CITIZEN_EVENT_BUS_PRODUCE=True)
    # The LMS itself keeps the credit topic disabled: the relay publishes from the ledger.
    assert run_settings_patches(producing)["EVENT_BUS_PRODUCER_CONFIG"] == add_credit_producer_config({}, enabled=False)
    relay = yaml.safe_load(producing.render_file("local", "docker-compose.yml"))["services"]["learning-citizen-credit-relay"]
    assert relay["image"] == producing["DOCKER_IMAGE_OPENEDX"]
    assert relay["environment"]["DJANGO_SETTINGS_MODULE"] == "lms.envs.tutor.production"
    assert relay["command"][:3] == ["./manage.py", "lms", "credit_relay"]
    options = Command().create_parser("manage.py", "credit_relay").parse_args(relay["command"][3:])
    assert options.action == "run" and not options.once


# --- the consumer service --------------------------------------------------------------------------

def test_the_consumer_service_runs_consume_events_for_the_credit_topic_when_asked(tutor):  # pylint: disable=redefined-outer-name
    from openedx_events.management.commands.consume_events import Command  # pylint: disable=import-outside-toplevel

    compose = yaml.safe_load(project_config(tutor).render_file("local", "docker-compose.yml"))
    assert "learning-citizen-credit-consumer" not in compose["services"]

    config = project_config(tutor, LEARNING_CITIZEN_EVENT_BUS_CONSUME=True, LEARNING_CITIZEN_EVENT_BUS_CONSUMER_NAME="ledger-hà-nội")
    compose = yaml.safe_load(config.render_file("local", "docker-compose.yml"))
    consumer = compose["services"]["learning-citizen-credit-consumer"]
    assert consumer["image"] == config["DOCKER_IMAGE_OPENEDX"]
    assert consumer["environment"]["DJANGO_SETTINGS_MODULE"] == "lms.envs.tutor.production"
    assert consumer["command"][:3] == ["./manage.py", "lms", "consume_events"]
    options = Command().create_parser("manage.py", "consume_events").parse_args(consumer["command"][3:])
    assert options.topic == [CREDIT_TOPIC]
    assert options.group_id == ["learning-citizen-ledger"]
    assert json.loads(options.extra) == {"consumer_name": "ledger-hà-nội", "check_backlog": True}
    patched = run_settings_patches(config)
    assert "EVENT_BUS_REDIS_CONSUMER_POLL_TIMEOUT" in patched
    assert patched["EVENT_BUS_CONSUMER"] == "xblocks.relay.consumer.CreditConsumer"


# --- migrations at init --------------------------------------------------------------------------

def suite_app_labels_with_migrations():
    """The app labels of this distribution's ``lms.djangoapp`` entry points that have migrations."""
    labels = set()
    for entry_point in importlib.metadata.distribution(DISTRIBUTION).entry_points:
        if entry_point.group == "lms.djangoapp":
            app_config = entry_point.load()
            package = pathlib.Path(__import__(app_config.name, fromlist=["_"]).__file__).parent
            if (package / "migrations" / "__init__.py").exists():
                labels.add(app_config.label)
    return labels


def test_init_runs_migrate_for_every_app_of_the_suite_in_the_lms(tutor, tmp_path):  # pylint: disable=redefined-outer-name
    tasks = project_config(tutor).init_tasks()
    assert [service for service, _ in tasks] == ["lms"]
    script = tasks[0][1]

    # Run it as the job container would, with a manage.py that records what it is asked.
    work = tmp_path / "edx-platform"
    work.mkdir()
    manage = work / "manage.py"
    manage.write_text('#!/bin/sh\necho "$@" >> calls.log\n', encoding="utf-8")
    manage.chmod(0o755)
    subprocess.run(["bash", "-e", "-c", script], cwd=work, check=True, capture_output=True,
                   env={"PATH": os.environ["PATH"]})
    calls = (work / "calls.log").read_text(encoding="utf-8").splitlines()
    labels = suite_app_labels_with_migrations()
    assert len(labels) == 6
    assert sorted(calls) == sorted(f"lms migrate {label} --noinput" for label in labels)

