"""
The credit signal through openedx-events' own Avro path, the one the event bus (Redis or Kafka)
uses, on whichever openedx-events this environment pins (10.5 on the Ulmo line, 11.1 on Verawood:
tests/test_release_lines.py holds the environment to its line's pins).
"""
from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data
from openedx_events.event_bus.avro.serializer import AvroSignalSerializer, serialize_event_data_to_bytes

from tests.factories import credit_document, credit_event
from xblocks.criteria.credit import parse_credit_event
from xblocks.ledger.signals import CREDIT_EARNED, to_credit_document, to_signal_data


def round_trip(data):
    return deserialize_bytes_to_event_data(serialize_event_data_to_bytes({"credit": data}, CREDIT_EARNED), CREDIT_EARNED)["credit"]


def test_the_signal_has_an_avro_schema_of_plain_types():
    fields = {field["name"]: field["type"] for field in AvroSignalSerializer(CREDIT_EARNED).schema["fields"][0]["type"]["fields"]}
    assert fields["evidence_uris"] == {"type": "array", "items": "string"}
    assert fields["evidence_sha256"] == {"type": "array", "items": "string"}
    assert fields["points"] == "string"


def test_a_credit_with_evidence_and_hours_survives_the_bus_unchanged():
    event = credit_event(points=7.5, hours=2.25, evidence=[
        {"uri": "https://clc.example.vn/certificate/77", "sha256": "c" * 64},
        {"uri": "urn:uuid:6f1c1c40-5d2a-4d57-9a43-0d1b9a1f7e11"},
    ])
    sent = to_signal_data(event)
    received = round_trip(sent)
    assert received == sent
    # …and what the ledger's receiver validates and appends is the event that was sent.
    assert parse_credit_event(to_credit_document(received)) == event


def test_a_credit_without_evidence_or_hours_survives_the_bus_unchanged():
    document = credit_document(points=4, evidence=[])
    del document["hours"]
    event = parse_credit_event(document)
    assert parse_credit_event(to_credit_document(round_trip(to_signal_data(event)))) == event
