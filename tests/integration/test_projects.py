"""api.v1.project.Service over the wire, on SQLite and PostgreSQL."""

from __future__ import annotations

import grpc
import pytest

from rigd.proto.api.v1.project import project_pb2, service_pb2_grpc
from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.proto.api.v1.project.settings import service_pb2 as settings_pb
from rigd.proto.api.v1.project.settings import service_pb2_grpc as settings_grpc
from rigd.proto.model import common_pb2


@pytest.fixture
def projects(channel: grpc.Channel) -> service_pb2_grpc.ServiceStub:
    return service_pb2_grpc.ServiceStub(channel)


def create(projects: service_pb2_grpc.ServiceStub, project_id: str, name: str = "") -> project_pb2.Project:
    initializers = [project_pb2.Update(name=name)] if name else []
    return projects.Create(pb.CreateRequest(project_id=project_id, initializers=initializers)).project


def status_of(call) -> tuple[grpc.StatusCode, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details()


def test_create_returns_the_project_and_get_list_see_it(projects: service_pb2_grpc.ServiceStub) -> None:
    created = create(projects, "shop", name="The Shop")
    assert created.project_id == "shop"
    assert created.name == "The Shop"
    assert created.installation_id
    assert created.created_at.seconds > 0
    assert created.created_at == created.updated_at

    fetched = projects.Get(pb.GetRequest(project_id="shop")).project
    assert fetched == created
    listed = projects.List(pb.ListRequest())
    assert [p.project_id for p in listed.projects] == ["shop"]
    assert listed.total == 1


def test_name_defaults_to_the_id(projects: service_pb2_grpc.ServiceStub) -> None:
    assert create(projects, "billing").name == "billing"


def test_update_renames_and_bumps_updated_at(projects: service_pb2_grpc.ServiceStub) -> None:
    created = create(projects, "shop")
    projects.Update(pb.UpdateRequest(project_id="shop", updates=[project_pb2.Update(name="Shop 2")]))
    fetched = projects.Get(pb.GetRequest(project_id="shop")).project
    assert fetched.name == "Shop 2"
    assert fetched.created_at == created.created_at
    assert fetched.updated_at.ToDatetime() > created.updated_at.ToDatetime()


def test_delete_hides_the_project_and_its_id_can_be_used_again(projects: service_pb2_grpc.ServiceStub) -> None:
    first = create(projects, "shop", name="old")
    projects.Delete(pb.DeleteRequest(project_id="shop"))
    assert status_of(lambda: projects.Get(pb.GetRequest(project_id="shop")))[0] == grpc.StatusCode.NOT_FOUND
    assert projects.List(pb.ListRequest()).total == 0
    assert status_of(lambda: projects.Delete(pb.DeleteRequest(project_id="shop")))[0] == grpc.StatusCode.NOT_FOUND

    second = create(projects, "shop", name="new")
    assert second.name == "new"
    assert second.installation_id == first.installation_id
    assert projects.PublicKey(pb.PublicKeyRequest(project_id="shop")).public_key


def test_duplicate_create_is_already_exists(projects: service_pb2_grpc.ServiceStub) -> None:
    create(projects, "shop")
    code, message = status_of(lambda: create(projects, "shop"))
    assert code == grpc.StatusCode.ALREADY_EXISTS
    assert message == "project 'shop' already exists"


def test_public_key_is_an_ed25519_pem_distinct_per_project(projects: service_pb2_grpc.ServiceStub) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    create(projects, "one")
    create(projects, "two")
    one = projects.PublicKey(pb.PublicKeyRequest(project_id="one")).public_key
    two = projects.PublicKey(pb.PublicKeyRequest(project_id="two")).public_key
    assert isinstance(load_pem_public_key(one.encode()), Ed25519PublicKey)
    assert one != two


def test_pagination_offset_limit_descending_and_total(projects: service_pb2_grpc.ServiceStub) -> None:
    ids = [f"project-{i:02d}" for i in range(7)]
    for project_id in ids:
        create(projects, project_id)

    def page(**kwargs: object) -> tuple[list[str], int]:
        response = projects.List(pb.ListRequest(pagination=common_pb2.Pagination(**kwargs)))
        return [p.project_id for p in response.projects], response.total

    assert page() == (ids, 7)
    assert page(offset=2, limit=3) == (ids[2:5], 7)
    assert page(limit=2, descending=True) == (ids[::-1][:2], 7)
    assert page(offset=6, limit=5) == (ids[6:], 7)
    assert page(offset=50) == ([], 7)
    assert page(limit=5000) == (ids, 7)  # oversized limits fall back to the default page


def test_default_page_is_fifty(projects: service_pb2_grpc.ServiceStub, rigd) -> None:  # type: ignore[no-untyped-def]
    from rigd.domain.context import CommandContext

    last = 0
    for i in range(55):
        last, _ = rigd.projects.create(CommandContext(), f"bulk-{i:03d}")
    assert rigd.wait_for(last, ("projects",))
    response = projects.List(pb.ListRequest())
    assert len(response.projects) == 50
    assert response.total == 55


@pytest.mark.parametrize(
    ("project_id", "fragment"),
    [
        ("", "project_id must not be empty"),
        ("Shop", "is invalid"),
        ("ab", "between 3 and 63"),
        ("shop-", "is invalid"),
        ("x" * 64, "between 3 and 63"),
    ],
)
def test_invalid_project_ids_are_refused(
    projects: service_pb2_grpc.ServiceStub, project_id: str, fragment: str
) -> None:
    code, message = status_of(lambda: create(projects, project_id))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert fragment in message
    assert projects.List(pb.ListRequest()).total == 0


def test_bad_names_and_empty_updates_are_refused(projects: service_pb2_grpc.ServiceStub) -> None:
    create(projects, "shop")
    for updates, fragment in [
        ([project_pb2.Update(name="  ")], "name must not be empty"),
        ([project_pb2.Update(name="a\x07b")], "control characters"),
        ([project_pb2.Update(name="a\x00b")], "updates[0].name must not contain a NUL character"),
        ([project_pb2.Update()], "update 0 sets no field"),
    ]:
        code, message = status_of(lambda u=updates: projects.Update(pb.UpdateRequest(project_id="shop", updates=u)))
        assert (code, fragment in message) == (grpc.StatusCode.INVALID_ARGUMENT, True), message
    assert projects.Get(pb.GetRequest(project_id="shop")).project.name == "shop"


def test_unknown_and_empty_ids_on_reads(projects: service_pb2_grpc.ServiceStub) -> None:
    assert status_of(lambda: projects.Get(pb.GetRequest(project_id="nope"))) == (
        grpc.StatusCode.NOT_FOUND, "project 'nope' not found")
    assert status_of(lambda: projects.Get(pb.GetRequest()))[0] == grpc.StatusCode.INVALID_ARGUMENT
    assert status_of(lambda: projects.PublicKey(pb.PublicKeyRequest(project_id="nope")))[0] == (
        grpc.StatusCode.NOT_FOUND)
    code, _ = status_of(lambda: projects.Update(
        pb.UpdateRequest(project_id="nope", updates=[project_pb2.Update(name="x")])))
    assert code == grpc.StatusCode.NOT_FOUND


def _negative_varint() -> bytes:
    # A client encoding -1 as int32 writes ten bytes; the uint32 field reads 0xFFFFFFFF.
    return bytes([0xFF] * 9 + [0x01])


@pytest.mark.parametrize("field_tag", [0x08, 0x10], ids=["offset", "limit"])
def test_negative_pagination_is_invalid_argument(channel: grpc.Channel, field_tag: int) -> None:
    pagination = bytes([field_tag]) + _negative_varint()
    raw_request = bytes([0x0A, len(pagination)]) + pagination  # ListRequest.pagination = 1
    call = channel.unary_unary(
        "/api.v1.project.Service/List",
        request_serializer=lambda raw: raw,
        response_deserializer=pb.ListResponse.FromString,
    )
    code, message = status_of(lambda: call(raw_request))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "must not be negative" in message


def test_license_is_the_free_plan(channel: grpc.Channel) -> None:
    response = settings_grpc.ServiceStub(channel).GetLicenseInfo(settings_pb.GetLicenseInfoRequest())
    assert response.plan == project_pb2.PLAN_FREE
    assert not response.HasField("expires_at")


def test_a_malformed_request_is_invalid_argument(channel: grpc.Channel) -> None:
    call = channel.unary_unary(
        "/api.v1.project.Service/Create", request_serializer=lambda raw: raw,
        response_deserializer=pb.CreateResponse.FromString,
    )
    code, message = status_of(lambda: call(b"\x12\xff\x01garbage"))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert message == "the request is not a valid api.v1.project.CreateRequest message"
