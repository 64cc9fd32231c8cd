"""Bounded work per request and input edge cases, over gRPC on both stores: request limits,
NUL in ids, short error messages for huge input, no-op updates, bounded GetNamespaces,
and namespace templates checked against the Kubernetes namespace rules."""

from __future__ import annotations

import logging
from dataclasses import replace

import grpc
import pytest

from rigd.domain.clusters import Cluster, Clusters, ClusterType
from rigd.domain.context import CommandContext, acting
from rigd.domain.environments import Environment
from rigd.proto.api.v1.environment import environment_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.project import project_pb2
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.services.composition import Rigd
from rigd.services.config import Settings

SHORT = 300  # a message quoting a short prefix of the input stays well under this


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, clusters=Clusters((Cluster("dev", ClusterType.DOCKER),)))


@pytest.fixture
def projects(channel: grpc.Channel) -> project_grpc.ServiceStub:
    return project_grpc.ServiceStub(channel)


@pytest.fixture
def environments(channel: grpc.Channel) -> environment_grpc.ServiceStub:
    return environment_grpc.ServiceStub(channel)


def status_of(call) -> tuple[grpc.StatusCode, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details()


def pair(project_id: str, environment_id: str) -> environment_pb.GetNamespacesRequest:
    return environment_pb.GetNamespacesRequest(
        project_envs=[environment_pb.ProjectEnvironment(project_id=project_id, environment_id=environment_id)])


@pytest.mark.parametrize("size", [16 * 1024, 1024 * 1024])
def test_a_huge_id_is_invalid_argument_with_a_short_message(
    projects: project_grpc.ServiceStub, environments: environment_grpc.ServiceStub, size: int
) -> None:
    huge = "a" * size
    for call in (
        lambda: projects.Create(project_pb.CreateRequest(project_id=huge)),
        lambda: projects.Get(project_pb.GetRequest(project_id=huge)),
        lambda: environments.GetNamespaces(pair("shop", huge)),
    ):
        code, message = status_of(call)
        assert code == grpc.StatusCode.INVALID_ARGUMENT
        assert "the limit is 256" in message and len(message) < SHORT


def test_a_nul_in_an_id_is_invalid_argument(
    projects: project_grpc.ServiceStub, environments: environment_grpc.ServiceStub
) -> None:
    projects.Create(project_pb.CreateRequest(project_id="shop"))
    assert status_of(lambda: projects.Get(project_pb.GetRequest(project_id="sh\0op"))) == (
        grpc.StatusCode.INVALID_ARGUMENT, "project_id must not contain a NUL character")
    assert status_of(lambda: projects.Create(project_pb.CreateRequest(project_id="new\0"))) == (
        grpc.StatusCode.INVALID_ARGUMENT, "project_id must not contain a NUL character")
    assert status_of(lambda: environments.GetNamespaces(pair("shop", "\0"))) == (
        grpc.StatusCode.INVALID_ARGUMENT, "project_envs[0].environment_id must not contain a NUL character")


def test_messages_quote_a_short_prefix_of_the_input(
    projects: project_grpc.ServiceStub, environments: environment_grpc.ServiceStub
) -> None:
    long_id = "x" * 250  # within the limit on ids, so the domain's own messages answer
    for call, code in (
        (lambda: projects.Get(project_pb.GetRequest(project_id=long_id)), grpc.StatusCode.NOT_FOUND),
        (lambda: projects.Create(project_pb.CreateRequest(project_id=long_id)), grpc.StatusCode.INVALID_ARGUMENT),
        (lambda: environments.Create(environment_pb.CreateRequest(environment_id="prod", cluster_id=long_id)),
         grpc.StatusCode.NOT_FOUND),
    ):
        got, message = status_of(call)
        assert got == code
        assert "x" * 64 + "'… (250 characters)" in message and "x" * 65 not in message


def test_too_many_updates_are_refused_before_any_work(rigd: Rigd, projects: project_grpc.ServiceStub) -> None:
    projects.Create(project_pb.CreateRequest(project_id="shop"))
    before = rigd.store.max_notification_id()
    updates = [project_pb2.Update(name=f"n{i}") for i in range(101)]
    assert status_of(lambda: projects.Update(project_pb.UpdateRequest(project_id="shop", updates=updates))) == (
        grpc.StatusCode.INVALID_ARGUMENT, "updates has 101 items; the limit is 100")
    assert rigd.store.max_notification_id() == before


def test_project_updates_record_only_the_final_name(rigd: Rigd, projects: project_grpc.ServiceStub) -> None:
    projects.Create(project_pb.CreateRequest(project_id="shop"))
    before = rigd.store.max_notification_id()
    back_and_forth = [project_pb2.Update(name=name) for _ in range(50) for name in ("other", "shop")]
    projects.Update(project_pb.UpdateRequest(project_id="shop", updates=back_and_forth))
    assert rigd.store.max_notification_id() == before

    projects.Update(project_pb.UpdateRequest(project_id="shop", updates=back_and_forth[:-1]))
    assert rigd.store.max_notification_id() == before + 1
    assert projects.Get(project_pb.GetRequest(project_id="shop")).project.name == "other"


def test_environment_updates_record_only_the_final_default(
    rigd: Rigd, environments: environment_grpc.ServiceStub
) -> None:
    environments.Create(environment_pb.CreateRequest(environment_id="prod", cluster_id="dev"))
    environments.Create(environment_pb.CreateRequest(environment_id="staging", cluster_id="dev"))
    before = rigd.store.max_notification_id()
    toggles = [environment_pb2.Update(default=value) for _ in range(50) for value in (True, False)]
    for environment_id in ("prod", "staging"):
        ending_where_it_began = toggles if environment_id == "staging" else toggles[1:] + toggles[:1]
        environments.Update(environment_pb.UpdateRequest(environment_id=environment_id, updates=ending_where_it_began))
    assert rigd.store.max_notification_id() == before

    environments.Update(environment_pb.UpdateRequest(environment_id="staging", updates=toggles[:-1]))
    assert rigd.store.max_notification_id() == before + 2  # staging MadeDefault, the index Chosen
    listed = environments.List(environment_pb.ListRequest()).environments
    assert {e.environment_id: e.default for e in listed} == {"prod": False, "staging": True}


def test_get_namespaces_for_every_pair_is_refused_past_the_limit(
    rigd: Rigd, environments: environment_grpc.ServiceStub
) -> None:
    for environment_id in ("prod", "staging", "dev"):
        environments.Create(environment_pb.CreateRequest(environment_id=environment_id, cluster_id="dev"))
    ctx = CommandContext()
    last = 0
    for number in range(334):  # 334 x 3 = 1002 pairs
        last, _ = rigd.projects.create(ctx, f"p{number:03d}")
    assert rigd.wait_for(last, ["projects"])
    code, message = status_of(lambda: environments.GetNamespaces(environment_pb.GetNamespacesRequest()))
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "1002 project and environment pairs" in message and "1000" in message and "project_envs" in message
    named = environments.GetNamespaces(pair("p007", "staging")).namespaces
    assert [(n.project_id, n.environment_id, n.namespace) for n in named] == [("p007", "staging", "p007")]


def test_a_namespace_template_is_checked_against_the_namespace_rules(
    projects: project_grpc.ServiceStub, environments: environment_grpc.ServiceStub
) -> None:
    def create_environment(environment_id: str, template: str) -> tuple[grpc.StatusCode, str]:
        return status_of(lambda: environments.Create(environment_pb.CreateRequest(
            environment_id=environment_id, cluster_id="dev", namespace_template=template)))

    code, message = create_environment("prod", "{{ .Project.Name }}" + "x" * 240)
    assert (code, "namespace_template is 259 characters long; the limit is 256" in message) == (
        grpc.StatusCode.INVALID_ARGUMENT, True)
    code, message = create_environment("prod", "{{ .Project.Name }}-" + "x" * 60)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "gives no valid namespace name" in message
    code, message = create_environment("prod", "-{{ .Project.Name }}")
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "gives no valid namespace name" in message

    long_project = "p" + "x" * 56  # 57 characters
    projects.Create(project_pb.CreateRequest(project_id=long_project))
    code, message = create_environment("staging", "{{ .Project.Name }}-{{ .Environment.Name }}")
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert f"project '{long_project}'" in message and "environment 'staging'" in message
    rendered = f"{long_project}-staging"  # 65 characters, quoted shortened
    assert f"'{rendered[:64]}'… (65 characters)" in message and "not a valid namespace name" in message
    assert [e.environment_id for e in environments.List(environment_pb.ListRequest()).environments] == []

    environments.Create(environment_pb.CreateRequest(
        environment_id="qas", cluster_id="dev", namespace_template="{{ .Project.Name }}-{{ .Environment.Name }}"))
    code, message = status_of(lambda: projects.Create(project_pb.CreateRequest(project_id="q" + "x" * 59)))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "environment 'qas'" in message and "not a valid namespace name" in message
    projects.Create(project_pb.CreateRequest(project_id="q" + "x" * 58))  # with "-qas": 63 characters


def test_one_unrenderable_pair_never_fails_get_namespaces_for_every_caller(
    rigd: Rigd, projects: project_grpc.ServiceStub, environments: environment_grpc.ServiceStub,
    caplog: pytest.LogCaptureFixture,
) -> None:
    long_project = "p" + "x" * 56
    for project_id in ("shop", long_project):
        projects.Create(project_pb.CreateRequest(project_id=project_id))
    environments.Create(environment_pb.CreateRequest(environment_id="prod", cluster_id="dev"))
    # History recorded before the namespace rules: a template too long for the long project.
    with acting(CommandContext()):
        legacy = Environment("staging", "dev", "{{ .Project.Name }}-{{ .Environment.Name }}")
    assert rigd.wait_for(rigd.store.record(legacy), ["environments"])

    with caplog.at_level(logging.WARNING, logger="rigd.projections.environments"):
        for _ in range(2):
            every = environments.GetNamespaces(environment_pb.GetNamespacesRequest()).namespaces
            assert sorted((n.project_id, n.environment_id, n.namespace) for n in every) == [
                (long_project, "prod", long_project), ("shop", "prod", "shop"), ("shop", "staging", "shop-staging")]
    assert len([r for r in caplog.records if "leaves out 1 pairs" in r.getMessage()]) == 1

    code, message = status_of(lambda: environments.GetNamespaces(pair(long_project, "staging")))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert f"project '{long_project}'" in message and "environment 'staging'" in message
