"""Every RPC of the wire table is served: implemented, or UNIMPLEMENTED with its name."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import grpc
import pytest
from google.protobuf import message_factory

from rigd.services.composition import build
from rigd.services.config import Settings
from rigd.services.rpcs import all_rpcs
from tests.conftest import serving

WIRE_TABLE = pathlib.Path(__file__).resolve().parents[1] / "data" / "rig-api-wire.tsv"  # the Rig v1.8.10 wire table
IMPLEMENTED = {
    "/api.v1.project.Service/Create", "/api.v1.project.Service/Get", "/api.v1.project.Service/List",
    "/api.v1.project.Service/Update", "/api.v1.project.Service/Delete", "/api.v1.project.Service/PublicKey",
    "/api.v1.environment.Service/Create", "/api.v1.environment.Service/Update",
    "/api.v1.environment.Service/Delete", "/api.v1.environment.Service/List",
    "/api.v1.environment.Service/GetNamespaces",
    "/api.v1.cluster.Service/List", "/api.v1.cluster.Service/GetConfig", "/api.v1.cluster.Service/GetConfigs",
    "/api.v1.project.settings.Service/GetLicenseInfo",
    "/api.v1.project.settings.Service/GetSettings", "/api.v1.project.settings.Service/UpdateSettings",
    *(f"/api.v1.image.Service/{rpc}" for rpc in ("GetImageInfo", "GetRepositoryInfo", "Get", "Add", "List", "Delete")),
    *(f"/api.v1.capsule.Service/{rpc}" for rpc in (
        "Create", "Get", "List", "Delete", "Update", "Deploy", "GetRollout", "ListRollouts", "AbortRollout",
        "StopRollout", "ListEvents", "GetJobExecutions")),
    # live state from the cluster drivers
    "/api.v1.project.Service/GetObjectsByKind", "/api.v1.project.Service/GetCustomObjectMetrics",
    *(f"/api.v1.capsule.Service/{rpc}" for rpc in (
        "ListInstances", "ListInstanceStatuses", "GetInstanceStatus", "RestartInstance", "Logs", "Execute",
        "CapsuleMetrics", "GetCustomInstanceMetrics")),
    # the identity directory: every RPC of these five services
    *(f"/api.v1.{service}.Service/{rpc}" for service, rpcs in {
        "user": "Create Update ListSessions Get GetByIdentifier List Delete",
        "user.settings": "GetSettings UpdateSettings",
        "service_account": "Create List Delete",
        "group": "Create Delete List Update Get AddMember RemoveMember ListMembers ListGroupsForMember",
        "role": "Create Delete List Update Get Assign Revoke",
        # VerifyPhoneNumber answers FAILED_PRECONDITION: text is not supported
        "authentication": "Login Logout Get Register SendPasswordReset ResetPassword Delete RefreshToken"
                          " GetAuthConfig VerifyEmail VerifyPhoneNumber SendVerificationEmail",
    }.items() for rpc in rpcs.split()),
}


def test_all_85_rpcs_are_registered_with_their_paths() -> None:
    paths = {rpc.path for rpc in all_rpcs()}
    assert len(paths) == 85
    assert paths >= IMPLEMENTED
    wanted = {line.split("\t")[1] for line in WIRE_TABLE.read_text().splitlines() if line.startswith("rpc\t")}
    assert len(wanted) == 85
    assert paths == wanted


@pytest.fixture(scope="module")
def embedded_channel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[grpc.Channel]:
    """One embedded rigd for the whole module: these calls never reach a store."""
    rigd = build(Settings(data_dir=tmp_path_factory.mktemp("var"), environments=()))
    try:
        with serving(rigd) as channel:
            yield channel
    finally:
        rigd.close()


@pytest.mark.parametrize("rpc", [r for r in all_rpcs() if r.path not in IMPLEMENTED], ids=lambda r: r.path)
def test_not_yet_implemented_rpcs_answer_unimplemented(embedded_channel: grpc.Channel, rpc) -> None:  # type: ignore[no-untyped-def]
    channel = embedded_channel
    request = message_factory.GetMessageClass(rpc.method.input_type)()
    response = message_factory.GetMessageClass(rpc.method.output_type)
    kwargs = {"request_serializer": type(request).SerializeToString, "response_deserializer": response.FromString}
    streaming = (rpc.method.client_streaming, rpc.method.server_streaming)
    with pytest.raises(grpc.RpcError) as raised:
        if streaming == (False, False):
            channel.unary_unary(rpc.path, **kwargs)(request, timeout=10)
        elif streaming == (False, True):
            list(channel.unary_stream(rpc.path, **kwargs)(request, timeout=10))
        else:
            list(channel.stream_stream(rpc.path, **kwargs)(iter([request]), timeout=10))
    assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert raised.value.details() == f"{rpc.path} is not implemented yet in rigd"
