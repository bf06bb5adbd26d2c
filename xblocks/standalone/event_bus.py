"""
The Open edX event bus on Redis for the standalone suite: off unless
``LEARNING_CITIZEN_EVENT_BUS_REDIS_URL`` is set (docs/event-bus.md).

With it set, ``manage.py credit_relay run`` publishes this database's credit to the credit topic
(``LEARNING_CITIZEN_EVENT_BUS_PRODUCE=direct`` produces it inside the sending process instead,
the way openedx-events does: lost if Redis is down at that moment), and ``manage.py
consume_events`` can append credit from that topic to this process's database.
"""
from xblocks.ledger.settings.event_bus import add_credit_producer_config

REDIS_URL_VARIABLE = "LEARNING_CITIZEN_EVENT_BUS_REDIS_URL"
TOPIC_PREFIX_VARIABLE = "LEARNING_CITIZEN_EVENT_BUS_TOPIC_PREFIX"
# "relay" (the default): credit is published by the relay from the ledger; "direct": by the
# sending process itself, in the request.
PRODUCE_VARIABLE = "LEARNING_CITIZEN_EVENT_BUS_PRODUCE"
PRODUCE_MODES = ("relay", "direct")
CONSUMER_POLL_TIMEOUT = 2  # seconds


def event_bus_settings(environ, installed_apps):
    """The Django settings to add for the Redis event bus, or none when it is not configured."""
    url = environ.get(REDIS_URL_VARIABLE)
    if not url:
        return {}
    produce = environ.get(PRODUCE_VARIABLE) or "relay"
    if produce not in PRODUCE_MODES:
        raise ValueError(f"{PRODUCE_VARIABLE} must be one of {', '.join(PRODUCE_MODES)}, not {produce!r}")
    return {
        # edx_event_bus_redis brings the produce_event command; openedx_events is already installed.
        "INSTALLED_APPS": [*installed_apps, "edx_event_bus_redis"],
        "EVENT_BUS_PRODUCER": "edx_event_bus_redis.create_producer",
        # The library's consumer, acknowledging a message only once it is recorded or parked (xblocks.relay.consumer).
        "EVENT_BUS_CONSUMER": "xblocks.relay.consumer.CreditConsumer",
        "EVENT_BUS_REDIS_CONNECTION_URL": url,
        # Streams are named "<prefix>-<topic>"; a prefix keeps environments sharing a Redis apart.
        "EVENT_BUS_TOPIC_PREFIX": environ.get(TOPIC_PREFIX_VARIABLE, ""),
        "EVENT_BUS_PRODUCER_CONFIG": add_credit_producer_config({}, enabled=produce == "direct"),
        # How long one blocking read waits for a message (the library's default is 60 s). It must be
        # shorter than the Redis client's socket timeout (redis-py 8 defaults to 5 s), or every idle
        # poll ends in a logged TimeoutError, a reconnect and a 1 s pause.
        "EVENT_BUS_REDIS_CONSUMER_POLL_TIMEOUT": CONSUMER_POLL_TIMEOUT,
    }
