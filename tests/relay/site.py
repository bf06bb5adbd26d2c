"""
One process of a site in the relay's fault tests, run as ``python -m tests.relay.site ACTION``
with the standalone settings and the site's own LEARNING_CITIZEN_DATABASE_URL.

``earn`` plays learners earning credit in the LMS: each credit is sent on the CREDIT_EARNED signal,
so the site's own ledger records it in the request, as in an LMS with the plugin (and nothing is
produced to the bus inside it: the relay publishes). With ``--batch N`` the credit is recorded N
at a time with ``append_many`` instead (the ledger's ingest path), for tests where earning is
only the set-up.
"""
import argparse
import dataclasses
import sys
import uuid
from decimal import Decimal

import django


def credits(first_user, learners, per_learner, tag):
    """The credit, round robin over the learners, so every learner's chain keeps growing throughout."""
    from tests.factories import credit_event  # pylint: disable=import-outside-toplevel

    # Validated once; the copies differ only in what the schema already allowed in the template.
    template = credit_event()
    for number in range(per_learner):
        for user_id in range(first_user, first_user + learners):
            yield dataclasses.replace(template, id=str(uuid.uuid4()), idempotency_key=f"{tag}:{user_id}:{number}",
                                      user_id=user_id, anonymous_id=f"anon-{user_id}", points=Decimal(1 + number % 4))


def earn(first_user, learners, per_learner, tag, batch):
    from xblocks.ledger import api  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.signals import send_credit  # pylint: disable=import-outside-toplevel

    if not batch:
        for event in credits(first_user, learners, per_learner, tag):
            send_credit(event)
        return
    pending = []
    for event in credits(first_user, learners, per_learner, tag):
        pending.append(event)
        if len(pending) == batch:
            api.append_many(pending)
            pending = []
    if pending:
        api.append_many(pending)


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["earn"])
    parser.add_argument("--first-user", type=int, required=True)
    parser.add_argument("--learners", type=int, required=True)
    parser.add_argument("--per-learner", type=int, required=True)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--batch", type=int, default=0)
    options = parser.parse_args(argv)
    django.setup()
    earn(options.first_user, options.learners, options.per_learner, options.tag, options.batch)


if __name__ == "__main__":
    main(sys.argv[1:])
