"""The evidence policy's limits per learner and period: declarations sent and bytes of files stored."""
from dataclasses import replace

import pytest
from django.utils import translation

from xblocks.evidence.models import Declaration, EvidenceFile
from xblocks.evidence.policy import DEFAULT_POLICY, available_policies, get_policy

from .conftest import stored_files, unique_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def limits(monkeypatch):
    """Small limits on the default policy, for this test only."""
    def set_limits(**values):
        monkeypatch.setitem(available_policies(), DEFAULT_POLICY, replace(get_policy(DEFAULT_POLICY), **values))
    return set_limits


def _messages(body):
    return [problem["message"] for problem in body["problems"]]


def test_the_fixture_policy_carries_its_limits_as_data():
    policy = get_policy(DEFAULT_POLICY)
    assert (policy.declarations_per_period, policy.bytes_per_period) == (30, 50 * 1024 * 1024)


def test_declarations_beyond_the_limit_are_refused_with_the_limit_named(learner, limits, evidence_storage):
    limits(declarations_per_period=2)
    assert learner.declare()[0] == 201
    first = learner.declare()
    assert first[0] == 201
    # A withdrawn declaration was still sent: it counts.
    assert learner.post_json("withdraw", {"declaration": first[1]["declaration"]["id"]})[0] == 200
    files_before = stored_files(evidence_storage)
    status, body = learner.declare()
    assert status == 400
    assert "You have reached this year's limit of 2 declarations." in " ".join(_messages(body))
    assert Declaration.objects.count() == 2 and stored_files(evidence_storage) == files_before
    with translation.override("vi"):
        status, body = learner.declare()
    assert status == 400 and "giới hạn 2 bản kê khai" in " ".join(_messages(body))


def test_another_learner_has_their_own_count(learner, other, limits):
    limits(declarations_per_period=1)
    assert learner.declare()[0] == 201
    assert learner.declare()[0] == 400
    assert other.declare()[0] == 201


def test_files_beyond_the_stored_bytes_limit_are_refused(learner, limits, evidence_storage):
    limits(bytes_per_period=3000)
    big = unique_pdf() + b"%" + b"0" * 1800 + b"\n"
    assert learner.declare(files=[("one.pdf", big)])[0] == 201
    status, body = learner.declare(files=[("two.pdf", unique_pdf() + b"%" + b"1" * 1800 + b"\n")])
    assert status == 400
    message = " ".join(problem["message"] for problem in body["problems"] if problem["field"] == "files")
    assert "this year's limit of 2 KB of evidence files" in message and "(1 KB used)" in message
    assert EvidenceFile.objects.count() == 1 and len(stored_files(evidence_storage)) == 1
    # A declaration with a link and no file is still welcome.
    status, _body = learner.declare(files=(), links="https://example.org/certificate")
    assert status == 201
