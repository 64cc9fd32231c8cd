"""Server streams over Connect: every step of one call runs in one context, whichever worker
thread runs it. And servicers combined into one service."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent import futures
from typing import Any

import pytest

from rigd.proto.api.v1.capsule import log_pb2
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.services.access import OpenGate
from rigd.services.call_path import Endpoint, check_servicers
from rigd.services.calls import Call
from rigd.services.connect_api import _streaming
from rigd.services.logs import request_id
from rigd.services.metrics import Metrics
from rigd.services.rpcs import all_rpcs
from rigd.services.servicers import DuplicateRpc, combined

LOGS = next(rpc for rpc in all_rpcs() if rpc.path == "/api.v1.capsule.Service/Logs")


class ThreadPerStep(futures.Executor):
    """Runs every submitted step on a thread of its own: no two steps share a thread's context."""

    def __init__(self) -> None:
        self.steps = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        future: futures.Future[Any] = futures.Future()

        def run() -> None:
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as error:
                future.set_exception(error)

        self.steps += 1
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return future


class Context:
    """What the Connect library hands a handler, as far as the adapter reads it."""

    def __init__(self) -> None:
        self.request_headers = {"x-request-id": "rid-42"}
        self.response_headers: dict[str, str] = {}
        self.timeout_ms = None


def seen_request_ids(request: capsule_pb.LogsRequest, call: Call) -> Iterator[capsule_pb.LogsResponse]:
    for _ in range(3):
        yield capsule_pb.LogsResponse(log=log_pb2.Log(instance_id=request_id.get()))


async def collect(stream: Any) -> list[Any]:
    return [response async for response in stream]


def test_every_step_of_a_server_stream_sees_the_calls_request_id() -> None:
    pool = ThreadPerStep()
    endpoint = Endpoint(LOGS, seen_request_ids, OpenGate(), Metrics())
    handle = _streaming(endpoint, pool, client_streams=False)
    request = capsule_pb.LogsRequest(capsule_id="web").SerializeToString()
    responses = asyncio.run(collect(handle(request, Context())))
    assert [response.log.instance_id for response in responses] == ["rid-42"] * 3
    assert pool.steps >= 4  # each step, and the close, on a thread of its own


class Commands:
    def Create(self, request: Any, call: Call) -> str:
        return "created"


class Live:
    def Logs(self, request: Any, call: Call) -> str:
        return "logs"


def test_combined_servicers_serve_the_rpcs_of_each_part() -> None:
    servicer: Any = combined(Commands(), Live())
    assert (servicer.Create(None, None), servicer.Logs(None, None)) == ("created", "logs")
    check_servicers({"api.v1.capsule.Service": servicer})


def test_two_parts_serving_one_rpc_are_refused() -> None:
    with pytest.raises(DuplicateRpc, match="Logs is served by both Live and Live"):
        combined(Live(), Live())
