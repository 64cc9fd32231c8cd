"""Streaming calls hold an RPC thread each: past the server's stream limit a new one is refused
at once (RESOURCE_EXHAUSTED), and the threads left keep answering every other call. Over the
local cluster driver on both stores, with 4 RPC threads and 2 stream slots."""

from __future__ import annotations

from dataclasses import replace

import grpc
import pytest

from rigd.domain.clusters import Clusters
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from tests.live_capsules import CAPSULE, KUBERNETES, LOCAL, WHERE, FollowedLogs, call
from tests.local_cluster import wait_for


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, clusters=Clusters((LOCAL, KUBERNETES)), workers=4, max_streams=2)


def open_streams(rigd: Rigd) -> float:
    return rigd.metrics.registry.get_sample_value("rigd_open_streams") or 0.0


def test_streams_past_the_limit_are_refused_and_other_calls_still_answer(
        rigd: Rigd, shop: grpc.Channel, instance: str) -> None:
    follow = pb.LogsRequest(**WHERE, instance_id=instance, follow=True)
    held = [FollowedLogs(shop, follow), FollowedLogs(shop, follow)]
    wait_for(lambda: open_streams(rigd) == 2, "two open streams")

    logs = shop.unary_stream(CAPSULE + "Logs", request_serializer=pb.LogsRequest.SerializeToString,
                             response_deserializer=pb.LogsResponse.FromString)
    with pytest.raises(grpc.RpcError) as refused:
        list(logs(pb.LogsRequest(**WHERE, instance_id=instance), timeout=10))
    assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert refused.value.details() == ("too many streaming calls are open (2, the server's limit);"
                                       " close one or try again later")
    # the two threads the streams leave answer other calls, several at once
    listed = [call(shop, CAPSULE + "ListInstances", pb.ListInstancesRequest(**WHERE)) for _ in range(5)]
    assert all([i.instance_id for i in answer.instances] == [instance] for answer in listed)

    held[0].call.cancel()
    assert held[0].ended.wait(10)
    wait_for(lambda: open_streams(rigd) == 1, "a slot set free")
    assert list(logs(pb.LogsRequest(**WHERE, instance_id=instance), timeout=10)) is not None
    held[1].call.cancel()
    assert held[1].ended.wait(10)
    wait_for(lambda: open_streams(rigd) == 0, "every slot free")
