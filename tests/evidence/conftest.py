"""
Helpers for the evidence block's tests: the block through the suite's one harness
(tests/harness.py), as a given ``?student=`` user, and handler calls built as the browser sends
them (multipart or JSON).
"""
import json
import uuid
from datetime import date, timedelta

import pytest

from tests import harness

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"
LEARNER, OTHER, STAFF = "101", "102", "staff"


def unique_pdf(tag=""):
    """A distinct small PDF (the same bytes twice would be refused as a duplicate)."""
    return PDF + f"% {tag or uuid.uuid4()}\n".encode()


@pytest.fixture(autouse=True)
def private_evidence_folder(evidence_storage):
    """Every evidence test stores its files in a fresh private folder (tests/conftest.py)."""
    return evidence_storage


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


class Caller:
    """One user's view of one block: calls its handlers and returns (status, JSON body)."""

    def __init__(self, usage_id, student):
        self.block = harness.block_for(usage_id, student)
        self.runtime = self.block.runtime

    def _send(self, handler, request, suffix=""):
        response = harness.handle(self.block, handler, request, suffix)
        body = response.body
        if response.content_type == "application/json":
            return response.status_code, json.loads(body)
        return response.status_code, response

    def post_json(self, handler, data):
        return self._send(handler, harness.json_request(data))

    def post_form(self, handler, fields, files=()):
        return self._send(handler, harness.form_request(fields, files))

    def get(self, handler, suffix):
        return self._send(handler, harness.get_request(), suffix)

    # Shortcuts
    def declare(self, files=(("certificate.pdf", None),), **overrides):
        files = [(name, content if content is not None else unique_pdf()) for name, content in files]
        return self.post_form("declare", declaration_fields(**overrides), files)

    def state(self):
        return self.post_json("state", {})

    def queue(self, **filters):
        return self.post_json("queue", filters)

    def review(self, declaration, action, *, reason="", points=None, revision=None):
        body = {"declaration": declaration["id"], "action": action, "reason": reason, "points": points or {},
                "revision": declaration["revision"] if revision is None else revision}
        return self.post_json("review", body)


def declaration_fields(**overrides):
    fields = {
        "indicators": ["3"],
        "kind": "club-or-seminar",
        "title": f"Reading club at the commune library {uuid.uuid4().hex[:6]}",
        "activity_date": (date.today() - timedelta(days=10)).isoformat(),
        "hours": "3",
        "description": "Read and discussed two books on digital safety.",
        "links": "",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def usage_id(db):
    """A fresh evidence block in the workbench (its own usage, so tests never share a queue)."""
    return harness.load('<evidence-declaration display_name="Declare"/>', f"evidence-{uuid.uuid4().hex[:8]}", user="setup")


@pytest.fixture
def as_user(usage_id):
    def make(student):
        return Caller(usage_id, student)
    return make


@pytest.fixture
def learner(as_user):
    return as_user(LEARNER)


@pytest.fixture
def other(as_user):
    return as_user(OTHER)


@pytest.fixture
def staff(as_user):
    return as_user(STAFF)


def ledger_entries(user_id):
    from xblocks.ledger.models import Entry  # pylint: disable=import-outside-toplevel
    return list(Entry.objects.filter(user_id=int(user_id)).order_by("id"))


__all__ = ["Caller", "HTML", "LEARNER", "OTHER", "PDF", "PNG", "SCRIPT", "STAFF", "declaration_fields",
           "ledger_entries", "stored_files", "unique_pdf"]
