"""The request limits walker (services/limits.py), on the call path and in the README."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.descriptor import Descriptor

from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.project import project_pb2
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.access import OpenGate
from rigd.services.call_path import MAX_STATUS_MESSAGE, Endpoint
from rigd.services.calls import Call, CallFailed, Incoming, Status
from rigd.services.limits import OVERRIDES, LimitExceeded, check_request, table
from rigd.services.metrics import Metrics
from rigd.services.rpcs import all_rpcs

README = Path(__file__).resolve().parents[2] / "README.md"
RPCS = {rpc.path: rpc for rpc in all_rpcs()}


def refusal(message: Any) -> str:
    with pytest.raises(LimitExceeded) as refused:
        check_request(message)
    return refused.value.message


def renames(count: int, name: str = "x") -> project_pb.UpdateRequest:
    return project_pb.UpdateRequest(project_id="shop", updates=[project_pb2.Update(name=name)] * count)


def test_a_request_within_its_limits_passes() -> None:
    check_request(renames(100))
    check_request(environment_pb.GetNamespacesRequest(
        project_envs=[environment_pb.ProjectEnvironment(project_id="p" * 256, environment_id="e")] * 1000))
    check_request(capsule_pb.DeployRequest(changes=[
        change_pb2.Change(set_config_file=change_pb2.Change.ConfigFile(path="/a", content=b"x" * 1024 * 1024)),
    ] * 2))


def test_counts_lengths_and_nul_are_refused_naming_the_path_and_the_limit() -> None:
    assert refusal(renames(101)) == "updates has 101 items; the limit is 100"
    long_name = renames(5)
    long_name.updates[3].name = "n" * 4097
    assert refusal(long_name) == "updates[3].name is 4097 characters long; the limit is 4096"
    assert refusal(project_pb.GetRequest(project_id="p" * 257)) == (
        "project_id is 257 characters long; the limit is 256")
    nul = environment_pb.GetNamespacesRequest(project_envs=[
        environment_pb.ProjectEnvironment(project_id="shop", environment_id="prod"),
        environment_pb.ProjectEnvironment(project_id="shop", environment_id="pr\0d"),
    ])
    assert refusal(nul) == "project_envs[1].environment_id must not contain a NUL character"
    assert refusal(environment_pb.GetNamespacesRequest(
        project_envs=[environment_pb.ProjectEnvironment()] * 1001)) == "project_envs has 1001 items; the limit is 1000"


def test_nested_messages_maps_and_bytes_are_walked() -> None:
    def deploy(change: change_pb2.Change) -> capsule_pb.DeployRequest:
        return capsule_pb.DeployRequest(changes=[change_pb2.Change(), change])

    variables = change_pb2.Change(container_settings=change_pb2.ContainerSettings(
        environment_variables={"GOOD": "x", "BAD": "a\0b"}))
    assert refusal(deploy(variables)) == (
        "changes[1].container_settings.environment_variables['BAD'] must not contain a NUL character")
    nul_key = change_pb2.Change(set_annotations=change_pb2.Change.Annotations(annotations={"k\0" + "x" * 100: "v"}))
    message = refusal(deploy(nul_key))
    assert message.startswith("a key of changes[1].set_annotations.annotations must not contain a NUL")
    big_file = change_pb2.Change(
        set_config_file=change_pb2.Change.ConfigFile(path="/a", content=b"x" * (1024 * 1024 + 1)))
    assert refusal(deploy(big_file)) == (
        "changes[1].set_config_file.content is 1048577 bytes long; the limit is 1048576")
    many_args = change_pb2.Change(command_arguments=change_pb2.Change.CommandArguments(args=["a"] * 1001))
    assert refusal(deploy(many_args)) == "changes[1].command_arguments.args has 1001 items; the limit is 1000"
    long_arg = change_pb2.Change(command_arguments=change_pb2.Change.CommandArguments(args=["a", "b" * 4097]))
    assert refusal(deploy(long_arg)) == (
        "changes[1].command_arguments.args[1] is 4097 characters long; the limit is 4096")
    assert refusal(capsule_pb.DeployRequest(changes=[change_pb2.Change()] * 1001)) == (
        "changes has 1001 items; the limit is 1000")


def _fields(descriptor: Descriptor, seen: set[str]) -> Iterator[str]:
    if descriptor.full_name in seen:
        return
    seen.add(descriptor.full_name)
    for field in descriptor.fields:
        yield field.full_name
        if field.message_type is not None:
            yield from _fields(field.message_type, seen)


def test_every_override_names_a_field_of_some_request() -> None:
    seen: set[str] = set()
    fields = {name for rpc in all_rpcs() for name in _fields(rpc.method.input_type, seen)}
    assert set(OVERRIDES) - fields == set()


def test_the_readme_table_is_the_limits_table() -> None:
    text = README.read_text()
    found = re.search(r"<!-- limits table.*?-->\n\n(.*?\n)\n", text, re.S)
    assert found, "README.md has no limits table"
    assert found.group(1) == table()


def test_the_call_path_checks_limits_before_the_handler_even_for_unimplemented_rpcs() -> None:
    deploy = RPCS["/api.v1.capsule.Service/Deploy"]
    too_many = capsule_pb.DeployRequest(changes=[change_pb2.Change()] * 1001).SerializeToString()
    with pytest.raises(CallFailed) as refused:
        Endpoint(deploy, None, OpenGate(), Metrics()).unary(too_many, Incoming({}), "r")
    assert (refused.value.status, refused.value.message) == (
        Status.INVALID_ARGUMENT, "changes has 1001 items; the limit is 1000")


def test_each_message_of_a_client_stream_is_checked_as_it_is_parsed() -> None:
    execute = RPCS["/api.v1.capsule.Service/Execute"]
    seen: list[Any] = []

    def handler(requests: Iterator[Any], call: Call) -> Iterator[Any]:
        for each in requests:
            seen.append(each)
            yield capsule_pb.ExecuteResponse()

    good = capsule_pb.ExecuteRequest(project_id="shop").SerializeToString()
    bad = capsule_pb.ExecuteRequest(project_id="sh\0p").SerializeToString()
    with pytest.raises(CallFailed) as refused:
        list(Endpoint(execute, handler, OpenGate(), Metrics()).stream(iter([good, bad, good]), Incoming({}), "r"))
    assert (refused.value.status, refused.value.message) == (
        Status.INVALID_ARGUMENT, "project_id must not contain a NUL character")
    assert len(seen) == 1


def test_a_status_message_is_capped() -> None:
    get = RPCS["/api.v1.project.Service/Get"]

    def chatty(_request: Any, _call: Call) -> Any:
        raise CallFailed(Status.FAILED_PRECONDITION, "x" * 100_000)

    with pytest.raises(CallFailed) as refused:
        Endpoint(get, chatty, OpenGate(), Metrics()).unary(b"", Incoming({}), "r")
    assert refused.value.status == Status.FAILED_PRECONDITION
    assert len(refused.value.message) == MAX_STATUS_MESSAGE
