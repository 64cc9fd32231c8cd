"""Every RPC of the wire table is served, and implemented."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import grpc
import pytest

from rigd.services.api import servicers
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


def test_every_rpc_has_a_servicer_method(tmp_path: pathlib.Path) -> None:
    """All 85 are implemented: each has a method of its service's servicer (none falls back to
    UNIMPLEMENTED), and the list above names every one."""
    rigd = build(Settings(data_dir=tmp_path, environments=()))
    try:
        served = servicers(rigd)
        missing = [rpc.path for rpc in all_rpcs()
                   if not callable(getattr(served.get(rpc.service), rpc.method.name, None))]
    finally:
        rigd.close()
    assert missing == []
    assert {rpc.path for rpc in all_rpcs()} == IMPLEMENTED


@pytest.mark.parametrize("path", ["/api.v1.capsule.Service/Nope", "/api.v1.nope.Service/Get"])
def test_an_unknown_path_answers_unimplemented(embedded_channel: grpc.Channel, path: str) -> None:
    method = embedded_channel.unary_unary(path, request_serializer=lambda b: b, response_deserializer=lambda b: b)
    with pytest.raises(grpc.RpcError) as raised:
        method(b"", timeout=10)
    assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED
