"""The schemas published in docs/ are the ones the code validates with."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = sorted((ROOT / "docs" / "schemas").glob("*.schema.json"))


def test_the_credit_event_schema_is_published():
    assert "credit-event.v1.schema.json" in [path.name for path in PUBLISHED]


@pytest.mark.parametrize("published", PUBLISHED, ids=lambda path: path.name)
def test_published_schema_matches_the_packaged_one(published):
    packaged = ROOT / "xblocks" / "criteria" / "schemas" / published.name
    assert published.read_text("utf-8") == packaged.read_text("utf-8"), "copy the packaged schema to docs/schemas/"
