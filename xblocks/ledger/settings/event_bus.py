"""
Where credit travels on the Open edX event bus: one topic, keyed by learner (docs/event-bus.md).

Shared by the plugin settings (LMS/Studio) and the standalone settings, so both name the same
topic. Nothing here turns producing on: an LMS gets the topic *disabled*, and an operator enables
it in ``EVENT_BUS_PRODUCER_CONFIG`` like any other event.
"""
from xblocks.ledger.signals import CREDIT_EARNED_EVENT_TYPE

CREDIT_TOPIC = "learning-citizen-credit"
# Redis ignores the key; Kafka uses it to keep one learner's credit in order on one partition.
CREDIT_EVENT_KEY_FIELD = "credit.learner.user_id"


def add_credit_producer_config(producer_config, *, enabled):
    """
    Add the credit topic to an ``EVENT_BUS_PRODUCER_CONFIG`` dict (in place) and return it.

    A topic the operator already configured for our event type is left exactly as it is.
    """
    producer_config.setdefault(CREDIT_EARNED_EVENT_TYPE, {}).setdefault(
        CREDIT_TOPIC, {"event_key_field": CREDIT_EVENT_KEY_FIELD, "enabled": enabled})
    return producer_config
