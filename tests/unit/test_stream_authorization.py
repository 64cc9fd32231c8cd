"""The call path authorizes every message of a client stream before the servicer sees it,
the first before the servicer runs (capsule Execute says in each message what it is about)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from rigd.domain.context import Actor
from rigd.domain.errors import PermissionDenied
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.services.call_path import Endpoint
from rigd.services.calls import Call, CallFailed, Incoming, Status
from rigd.services.metrics import Metrics
from rigd.services.rpcs import Rpc, all_rpcs

EXECUTE = next(rpc for rpc in all_rpcs() if rpc.path == "/api.v1.capsule.Service/Execute")
ADA = Actor("ada", "Ada", user_id="u-1")


class ShopOnly:
    """Allows messages about project `shop`; records what it was asked, in order."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        return ADA

    def authorize(self, principal: Actor, rpc: Rpc, request: Any) -> None:
        project = "none" if request is None else request.project_id
        self.log.append(f"authorize {project}")
        if project != "shop":
            raise PermissionDenied(f"not allowed in {project}")


def message(project: str) -> bytes:
    return bytes(capsule_pb.ExecuteRequest(project_id=project).SerializeToString())


def run(messages: list[bytes], log: list[str]) -> list[str]:
    def handler(requests: Iterator[Any], call: Call) -> Iterator[Any]:
        log.append("handler")
        for request in requests:
            log.append(f"saw {request.project_id}")
            yield capsule_pb.ExecuteResponse()

    endpoint = Endpoint(EXECUTE, handler, ShopOnly(log), Metrics())
    return [type(response).__name__ for response in endpoint.stream(iter(messages), Incoming({}), "r")]


def test_the_first_message_is_authorized_before_the_servicer_runs() -> None:
    log: list[str] = []
    with pytest.raises(CallFailed) as refused:
        run([message("blog")], log)
    assert refused.value.status == Status.PERMISSION_DENIED
    assert log == ["authorize blog"]


def test_every_later_message_is_authorized_before_the_servicer_sees_it() -> None:
    log: list[str] = []
    with pytest.raises(CallFailed) as refused:
        run([message("shop"), message("shop"), message("blog")], log)
    assert refused.value.status == Status.PERMISSION_DENIED
    assert log == ["authorize shop", "handler", "saw shop", "authorize shop", "saw shop", "authorize blog"]


def test_an_empty_stream_is_authorized_as_such() -> None:
    log: list[str] = []
    with pytest.raises(CallFailed):
        run([], log)
    assert log == ["authorize none"]
