"""What the event store holds: every change with actor and request id, no secret in clear."""

from __future__ import annotations

import grpc
from cryptography.hazmat.primitives.serialization import load_der_private_key, load_pem_public_key

from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2_grpc
from rigd.services.composition import Rigd


def test_project_private_key_is_sealed_and_matches_the_public_key(channel: grpc.Channel, rigd: Rigd) -> None:
    projects = service_pb2_grpc.ServiceStub(channel)
    projects.Create(pb.CreateRequest(project_id="shop"), metadata=(("x-request-id", "req-42"),))
    public_pem = projects.PublicKey(pb.PublicKeyRequest(project_id="shop")).public_key

    notifications = rigd.store.recorder.select_notifications(start=1, limit=100)
    created = [n for n in notifications if n.topic == "project.Created"]
    assert len(created) == 1
    raw = created[0].state
    assert b"PRIVATE KEY" not in raw

    event = rigd.store.mapper.to_domain_event(created[0])
    assert event.request_id == "req-42"
    assert event.actor.identifier == "anonymous"
    assert event.causation_id == ""
    private_der = rigd.secret_box.open(event.sealed_private_key, context="project-key")
    assert private_der not in raw
    private_key = load_der_private_key(private_der, password=None)
    assert private_key.public_key().public_bytes_raw() == load_pem_public_key(public_pem.encode()).public_bytes_raw()


def test_request_id_is_echoed_in_trailing_metadata(channel: grpc.Channel) -> None:
    projects = service_pb2_grpc.ServiceStub(channel)
    _, call = projects.List.with_call(pb.ListRequest(), metadata=(("x-request-id", "trace-7"),))
    assert ("x-request-id", "trace-7") in tuple(call.trailing_metadata())
