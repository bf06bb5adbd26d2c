"""
Tutor plugin for the Learning Citizen XBlocks: a single-file Tutor v1 plugin (``tutor.hooks``),
for Tutor 21 (Ulmo, Python 3.11) and Tutor 22 (Verawood, Python 3.12).

    tutor plugins install deploy/tutor/learning_citizen.py
    tutor plugins enable learning_citizen
    tutor images build openedx && tutor local launch

What it adds and why, setting by setting: docs/install-openedx.md. Every value below can be
changed with ``tutor config save --set NAME=value``.

Tests: tests/deploy/test_tutor_plugin.py loads this file through Tutor's plugin API and renders
what it declares.
"""
from tutor import hooks

# The release this copy of the plugin installs; kept equal to the package version in setup.py
# (the test checks it), so a tagged checkout's plugin installs that very release.
LEARNING_CITIZEN_RELEASE = "0.1.0"

# Django app labels of the suite (setup.py's lms.djangoapp entry points), each with migrations.
APP_LABELS = (
    "learning_citizen_ledger",
    "learning_citizen_reports",
    "learning_citizen_evidence",
    "learning_citizen_credentials",
    "learning_citizen_assessment",
    "learning_citizen_relay",
)

# The credit topic, as xblocks/ledger/settings/event_bus.py names it (docs/event-bus.md).
CREDIT_TOPIC = "learning-citizen-credit"

hooks.Filters.CONFIG_DEFAULTS.add_items([
    # What pip installs into the openedx image: a pinned release, or e.g.
    # "learning-citizen-xblocks @ git+https://<git host>/<repo>.git@v0.1.0" for a tag.
    ("LEARNING_CITIZEN_PIP_REQUIREMENT", f"learning-citizen-xblocks=={LEARNING_CITIZEN_RELEASE}"),
    # Where evidence files go: a folder of the openedx-media-private volume, which Tutor mounts
    # into the LMS and Studio and never serves. Empty: the plugin defines no evidence storage
    # (define STORAGES["learning_citizen_evidence"] yourself, e.g. on S3).
    ("LEARNING_CITIZEN_EVIDENCE_ROOT", "/openedx/media-private/learning-citizen/evidence"),
    # PEM file of the credentials' Ed25519 signing key, inside the containers. Empty: no
    # credential is issued.
    ("LEARNING_CITIZEN_SIGNING_KEY_PATH", ""),
    # Where credentials are published. Empty: the LMS's own LMS_ROOT_URL.
    ("LEARNING_CITIZEN_CREDENTIALS_BASE_URL", ""),
    # Produce credit to the Open edX event bus (Tutor's Redis), for a ledger in another site: a relay
    # service publishes the LMS's ledger, so credit earned while Redis is down is published later
    # (credit is never produced inside the learner's request; docs/event-bus.md).
    ("LEARNING_CITIZEN_EVENT_BUS_PRODUCE", False),
    # Run a consumer service that appends credit from the bus to this site's ledger.
    ("LEARNING_CITIZEN_EVENT_BUS_CONSUME", False),
    # The consumer's name in its group: unique in the group and stable across restarts.
    ("LEARNING_CITIZEN_EVENT_BUS_CONSUMER_NAME", "ledger-1"),
])

# Installed in the same build stage and with the same command as OPENEDX_EXTRA_PIP_REQUIREMENTS,
# right before them (a plugin cannot append to that list: the operator's own value replaces any
# value a plugin gives it). Everything the platform installed so far is pinned as a constraint,
# so the build fails rather than silently moving one of the platform's own packages.
PLATFORM_PINS = "/tmp/learning-citizen-platform-pins.txt"
hooks.Filters.ENV_PATCHES.add_item((
    "openedx-dockerfile-post-python-requirements",
    "# Learning Citizen XBlocks (tutor plugin learning_citizen)\n"
    "RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\\n"
    f"    $PIP_COMMAND list --format=freeze > {PLATFORM_PINS} \\\n"
    f"    && $PIP_COMMAND install --constraint {PLATFORM_PINS} '{{{{ LEARNING_CITIZEN_PIP_REQUIREMENT }}}}' \\\n"
    f"    && rm {PLATFORM_PINS}\n",
))

# LMS and Studio, production and development (Tutor's common_all.py partial, after the
# platform's settings and the suite's own plugin settings have been loaded).
hooks.Filters.ENV_PATCHES.add_item((
    "openedx-common-settings",
    """# Learning Citizen (tutor plugin learning_citizen)
{% if LEARNING_CITIZEN_EVIDENCE_ROOT -%}
# Private storage for evidence files: never served; downloads go through the block's handler.
# setdefault: a storage of this name defined elsewhere (YAML, another plugin) is kept.
STORAGES.setdefault("learning_citizen_evidence", {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": {{ LEARNING_CITIZEN_EVIDENCE_ROOT|tojson }}, "file_permissions_mode": 0o640},
})
{% endif -%}
LEARNING_CITIZEN_CREDENTIALS = dict(globals().get("LEARNING_CITIZEN_CREDENTIALS") or {})
{% if LEARNING_CITIZEN_SIGNING_KEY_PATH -%}
LEARNING_CITIZEN_CREDENTIALS["SIGNING_KEY_PATH"] = {{ LEARNING_CITIZEN_SIGNING_KEY_PATH|tojson }}
{% endif -%}
{% if LEARNING_CITIZEN_CREDENTIALS_BASE_URL -%}
LEARNING_CITIZEN_CREDENTIALS["BASE_URL"] = {{ LEARNING_CITIZEN_CREDENTIALS_BASE_URL|tojson }}
{% endif -%}
{% if LEARNING_CITIZEN_EVENT_BUS_CONSUME -%}
# One blocking read of the consumer waits this long (s), below the Redis client's socket timeout.
EVENT_BUS_REDIS_CONSUMER_POLL_TIMEOUT = 2
# The library's consumer, acknowledging a message only once it is recorded or parked as a dead letter.
EVENT_BUS_CONSUMER = "xblocks.relay.consumer.CreditConsumer"
{% endif -%}
""",
))

# The Open edX image's LMS settings and config, as Tutor mounts them for its own LMS containers.
_LMS_SETTINGS_VOLUMES = (
    "../apps/openedx/settings/lms:/openedx/edx-platform/lms/envs/tutor:ro",
    "../apps/openedx/settings/cms:/openedx/edx-platform/cms/envs/tutor:ro",
    "../apps/openedx/config:/openedx/config:ro",
)


def _lms_command_service(name, command, volumes=()):
    """A docker compose service running ``./manage.py lms <command>`` in the Open edX image, restarted when it stops."""
    return "\n".join((
        f"{name}:",
        "  image: {{ DOCKER_IMAGE_OPENEDX }}",
        "  environment:",
        "    SERVICE_VARIANT: lms",
        "    DJANGO_SETTINGS_MODULE: lms.envs.tutor.production",
        "  command:",
        *(f"    - {part}" for part in ("./manage.py", "lms", *command)),
        "  restart: unless-stopped",
        "  volumes:",
        *(f"    - {volume}" for volume in (*_LMS_SETTINGS_VOLUMES, *volumes)),
        "  depends_on:",
        "    - lms",
        "",
    ))


# docker compose (tutor local / dev): the credit relay and the credit consumer, when asked for.
hooks.Filters.ENV_PATCHES.add_item((
    "local-docker-compose-services",
    "{% if LEARNING_CITIZEN_EVENT_BUS_PRODUCE -%}\n"
    + _lms_command_service("learning-citizen-credit-relay", ("credit_relay", "run"))
    + "{% endif -%}\n{% if LEARNING_CITIZEN_EVENT_BUS_CONSUME -%}\n"
    + _lms_command_service("learning-citizen-credit-consumer", (
        "consume_events", "--topic", CREDIT_TOPIC, "--group_id", "learning-citizen-ledger", "--extra",
        """'{"consumer_name": {{ LEARNING_CITIZEN_EVENT_BUS_CONSUMER_NAME|tojson }}, "check_backlog": true}'"""),
        volumes=("../../data/lms:/openedx/data", "../../data/openedx-media-private:/openedx/media-private"))
    + "{% endif -%}\n",
))

# `tutor local do init` (and launch): the suite's tables. Tutor's own LMS init already runs a
# full `migrate`; migrating each app by name makes `tutor local do init --limit=learning_citizen`
# enough after an upgrade of the suite alone, and fails loudly if an app is missing.
hooks.Filters.CLI_DO_INIT_TASKS.add_item((
    "lms",
    'echo "Learning Citizen: migrations"\n'
    f'for app in {" ".join(APP_LABELS)}; do\n'
    '    ./manage.py lms migrate "$app" --noinput\n'
    'done\n',
))
