"""What the event store holds: every change with actor and request id, no secret in clear."""

from __future__ import annotations

import base64
from dataclasses import replace

import grpc
import pytest
from cryptography.hazmat.primitives.serialization import load_der_private_key, load_pem_public_key

from rigd.adapters.key_pairs import PRIVATE_KEY_FIELD
from rigd.adapters.secrets import SealedSecretError, UnknownKeyId, key_id
from rigd.domain.context import CommandContext
from rigd.domain.projects import Project
from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2_grpc
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings


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
    assert event.actor.identifier == rigd.settings.admin_email  # the caller: the channel's first admin
    assert event.actor.user_id == rigd.identity.users.find_user_id("email", rigd.settings.admin_email)
    assert event.causation_id == ""
    private_der = rigd.keyring.open(event.sealed_private_key, Project.create_id("shop"), PRIVATE_KEY_FIELD)
    assert event.sealed_private_key.startswith(f"v2:{rigd.keyring.current_key_id}:")
    assert private_der not in raw
    private_key = load_der_private_key(private_der, password=None)
    assert private_key.public_key().public_bytes_raw() == load_pem_public_key(public_pem.encode()).public_bytes_raw()


def test_request_id_is_echoed_in_trailing_metadata(channel: grpc.Channel) -> None:
    projects = service_pb2_grpc.ServiceStub(channel)
    _, call = projects.List.with_call(pb.ListRequest(), metadata=(("x-request-id", "trace-7"),))
    assert ("x-request-id", "trace-7") in tuple(call.trailing_metadata())


def _sealed_private_keys(rigd: Rigd) -> dict[str, str]:
    notifications = rigd.store.recorder.select_notifications(start=1, limit=100)
    events = [rigd.store.mapper.to_domain_event(n) for n in notifications if n.topic == "project.Created"]
    return {event.project_id: event.sealed_private_key for event in events}


def test_history_sealed_under_a_retired_key_still_opens(settings: Settings) -> None:
    old_key, new_key = (base64.b64encode(bytes([fill]) * 32).decode() for fill in (1, 2))
    before = build(replace(settings, secret_key=old_key))
    try:
        before.projects.create(CommandContext(), "shop")
    finally:
        before.close()

    after = build(replace(settings, secret_key=new_key, retired_secret_keys=(old_key,)))
    try:
        after.projects.create(CommandContext(), "bank")
        sealed = _sealed_private_keys(after)
        old_id, new_id = (key_id(base64.b64decode(key)) for key in (old_key, new_key))
        assert sealed["shop"].startswith(f"v2:{old_id}:")
        assert sealed["bank"].startswith(f"v2:{new_id}:")
        for project_id in ("shop", "bank"):
            private_der = after.keyring.open(sealed[project_id], Project.create_id(project_id), PRIVATE_KEY_FIELD)
            assert load_der_private_key(private_der, password=None)
        # copied into another project's event, a sealed key does not open
        with pytest.raises(SealedSecretError):
            after.keyring.open(sealed["shop"], Project.create_id("bank"), PRIVATE_KEY_FIELD)
    finally:
        after.close()

    forgetful = build(replace(settings, secret_key=new_key))  # the old key left out of the keyring
    try:
        with pytest.raises(UnknownKeyId, match=old_id):
            forgetful.keyring.open(sealed["shop"], Project.create_id("shop"), PRIVATE_KEY_FIELD)
    finally:
        forgetful.close()
