"""
One process of a site in the relay's fault tests, run as ``python -m tests.relay.site ACTION``
with the standalone settings and the site's own LEARNING_CITIZEN_DATABASE_URL.

``earn`` plays learners earning credit in the LMS: each credit is sent on the CREDIT_EARNED signal,
so the site's own ledger records it in the request, as in an LMS with the plugin (and nothing is
produced to the bus inside it: the relay publishes).
"""
import argparse
import sys

import django


def earn(first_user, learners, per_learner, tag):
    from tests.factories import credit_event  # pylint: disable=import-outside-toplevel
    from xblocks.ledger.signals import send_credit  # pylint: disable=import-outside-toplevel

    # Round robin over the learners, so every learner's chain keeps growing throughout.
    for number in range(per_learner):
        for user_id in range(first_user, first_user + learners):
            send_credit(credit_event(idempotency_key=f"{tag}:{user_id}:{number}",
                                     learner={"user_id": user_id, "anonymous_id": f"anon-{user_id}"},
                                     points=1 + (number % 4)))


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["earn"])
    parser.add_argument("--first-user", type=int, required=True)
    parser.add_argument("--learners", type=int, required=True)
    parser.add_argument("--per-learner", type=int, required=True)
    parser.add_argument("--tag", required=True)
    options = parser.parse_args(argv)
    django.setup()
    earn(options.first_user, options.learners, options.per_learner, options.tag)


if __name__ == "__main__":
    main(sys.argv[1:])
