"""Thirty capsules deployed to one environment for the first time, all at once, on SQLite and
PostgreSQL: each first Deploy also records the capsule in the environment (so that the
environment's deletion conflicts with it), so they all write the environment; they conflict
with each other and are decided again until each has had its turn, none ABORTED."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import grpc

from rigd.domain.environments import Environment
from rigd.proto.api.v1.capsule import change_pb2 as c
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.services.composition import Rigd
from tests.integration.test_capsules import ENVIRONMENT, NGINX, NGINX_ID, PROJECT, add_image, prepared_capsules

CAPSULES = [f"cap{n}" for n in range(30)]


def test_a_burst_of_first_deploys_to_one_environment_all_succeed(rigd: Rigd, channel: grpc.Channel) -> None:
    capsules = prepared_capsules(channel)
    for name in CAPSULES:
        capsules.Create(pb.CreateRequest(project_id=PROJECT, name=name))
        add_image(channel, NGINX, name)

    def first_deploy(name: str) -> int | str:
        try:
            return capsules.Deploy(pb.DeployRequest(project_id=PROJECT, capsule_id=name, environment_id=ENVIRONMENT,
                                                    changes=[c.Change(image_id=NGINX_ID)])).rollout_id
        except grpc.RpcError as error:
            return error.code().name

    with ThreadPoolExecutor(len(CAPSULES)) as pool:
        outcomes = list(pool.map(first_deploy, CAPSULES))
    assert outcomes == [1] * len(CAPSULES)
    environment = rigd.store.load(Environment.create_id(ENVIRONMENT), Environment)
    assert environment is not None
    assert environment.deployed_capsules() == sorted((PROJECT, name) for name in CAPSULES)
