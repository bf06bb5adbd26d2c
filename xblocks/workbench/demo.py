"""Sample data for `learning-citizen demo` (and `make demo`)."""
from importlib import resources

from xblocks.criteria.documents import FIXTURES_PACKAGE
from xblocks.ledger.ingest import ingest

DEMO_CREDIT_EVENTS = "demo/credit-events.jsonl"


def load_demo_data():
    """Ingest the sample learners' credit. Idempotent: loading twice appends nothing new."""
    with resources.files(FIXTURES_PACKAGE).joinpath(DEMO_CREDIT_EVENTS).open("rb") as handle:
        return ingest(handle).appended
