"""api.v1.environment.Service and api.v1.cluster.Service over the wire, on both stores."""

from __future__ import annotations

from dataclasses import replace

import grpc
import pytest

from rigd.domain.clusters import Cluster, Clusters, ClusterType
from rigd.proto.api.v1.cluster import service_pb2 as cluster_pb
from rigd.proto.api.v1.cluster import service_pb2_grpc as cluster_grpc
from rigd.proto.api.v1.environment import environment_pb2, service_pb2_grpc
from rigd.proto.api.v1.environment import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.proto.model import common_pb2
from rigd.services.config import Settings

CLUSTERS = Clusters((
    Cluster("prod-eu", ClusterType.KUBERNETES, dev_registry_host="registry.example:5000", ingress=True),
    Cluster("dev", ClusterType.DOCKER),
))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, clusters=CLUSTERS)


@pytest.fixture
def environments(channel: grpc.Channel) -> service_pb2_grpc.ServiceStub:
    return service_pb2_grpc.ServiceStub(channel)


@pytest.fixture
def clusters(channel: grpc.Channel) -> cluster_grpc.ServiceStub:
    return cluster_grpc.ServiceStub(channel)


def status_of(call) -> tuple[grpc.StatusCode, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details()


def listed(environments: service_pb2_grpc.ServiceStub) -> dict[str, environment_pb2.Environment]:
    return {e.environment_id: e for e in environments.List(pb.ListRequest()).environments}


def test_create_list_and_the_first_environment_becomes_default(environments: service_pb2_grpc.ServiceStub) -> None:
    environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="prod-eu"))
    environments.Create(pb.CreateRequest(
        environment_id="staging", cluster_id="dev", namespace_template="{{ .Project.Name }}-{{ .Environment.Name }}"))
    response = environments.List(pb.ListRequest())
    assert response.platform_version == "v1.8.10"
    assert [(e.environment_id, e.cluster_id, e.default, e.namespace_template) for e in response.environments] == [
        ("prod", "prod-eu", True, "{{ .Project.Name }}"),
        ("staging", "dev", False, "{{ .Project.Name }}-{{ .Environment.Name }}"),
    ]
    descending = environments.List(pb.ListRequest(pagination=common_pb2.Pagination(descending=True, limit=1)))
    assert [e.environment_id for e in descending.environments] == ["staging"]


def test_only_one_default(environments: service_pb2_grpc.ServiceStub) -> None:
    environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="prod-eu"))
    environments.Create(pb.CreateRequest(environment_id="staging", cluster_id="dev",
                                         initializers=[environment_pb2.Update(default=True)]))
    assert {k: e.default for k, e in listed(environments).items()} == {"prod": False, "staging": True}

    environments.Update(pb.UpdateRequest(environment_id="prod", updates=[environment_pb2.Update(default=True)]))
    assert {k: e.default for k, e in listed(environments).items()} == {"prod": True, "staging": False}

    environments.Update(pb.UpdateRequest(environment_id="prod", updates=[environment_pb2.Update(default=False)]))
    assert {k: e.default for k, e in listed(environments).items()} == {"prod": False, "staging": False}


def test_delete_and_recreate(environments: service_pb2_grpc.ServiceStub) -> None:
    environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="prod-eu"))
    environments.Delete(pb.DeleteRequest(environment_id="prod"))
    assert listed(environments) == {}
    assert status_of(lambda: environments.Delete(pb.DeleteRequest(environment_id="prod"))) == (
        grpc.StatusCode.NOT_FOUND, "environment 'prod' not found")
    environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="dev"))
    assert listed(environments)["prod"].cluster_id == "dev"
    assert listed(environments)["prod"].default


def test_duplicate_environment_is_already_exists(environments: service_pb2_grpc.ServiceStub) -> None:
    environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="prod-eu"))
    assert status_of(lambda: environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="dev"))) == (
        grpc.StatusCode.ALREADY_EXISTS, "environment 'prod' already exists")


@pytest.mark.parametrize(
    ("request_fields", "code", "fragment"),
    [
        ({"environment_id": "", "cluster_id": "dev"}, grpc.StatusCode.INVALID_ARGUMENT, "must not be empty"),
        ({"environment_id": "Prod", "cluster_id": "dev"}, grpc.StatusCode.INVALID_ARGUMENT, "is invalid"),
        ({"environment_id": "prod", "cluster_id": "mars"}, grpc.StatusCode.NOT_FOUND, "cluster 'mars' not found"),
        ({"environment_id": "prod"}, grpc.StatusCode.INVALID_ARGUMENT, "cluster_id is required"),
        ({"environment_id": "prod", "cluster_id": "dev", "namespace_template": "{{ .Project.Name"},
         grpc.StatusCode.INVALID_ARGUMENT, "unclosed"),
        ({"environment_id": "prod", "cluster_id": "dev", "namespace_template": "{{ .Project.Owner }}"},
         grpc.StatusCode.INVALID_ARGUMENT, "unknown property '.Project.Owner'"),
        ({"environment_id": "prod", "cluster_id": "dev", "namespace_template": "{{ .Environment.Name }}"},
         grpc.StatusCode.INVALID_ARGUMENT, "must use {{ .Project.Name }}"),
        ({"environment_id": "prod", "cluster_id": "dev", "namespace_template": "ns_{{ .Project.Name }}"},
         grpc.StatusCode.INVALID_ARGUMENT, "literal text"),
    ],
)
def test_bad_creates_are_refused_and_write_nothing(
    environments: service_pb2_grpc.ServiceStub, request_fields: dict, code: grpc.StatusCode, fragment: str
) -> None:
    got_code, message = status_of(lambda: environments.Create(pb.CreateRequest(**request_fields)))
    assert got_code == code
    assert fragment in message
    assert listed(environments) == {}


def test_update_of_unknown_environment_or_empty_update(environments: service_pb2_grpc.ServiceStub) -> None:
    assert status_of(lambda: environments.Update(pb.UpdateRequest(
        environment_id="nope", updates=[environment_pb2.Update(default=True)])))[0] == grpc.StatusCode.NOT_FOUND
    environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="dev"))
    code, message = status_of(lambda: environments.Update(pb.UpdateRequest(
        environment_id="prod", updates=[environment_pb2.Update()])))
    assert (code, message) == (grpc.StatusCode.INVALID_ARGUMENT, "update 0 sets no field; set default")


def test_get_namespaces_renders_each_pair_and_all_pairs(
    environments: service_pb2_grpc.ServiceStub, channel: grpc.Channel
) -> None:
    projects = project_grpc.ServiceStub(channel)
    for project_id in ("shop", "blog"):
        projects.Create(project_pb.CreateRequest(project_id=project_id))
    environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="prod-eu"))
    environments.Create(pb.CreateRequest(
        environment_id="staging", cluster_id="dev", namespace_template="{{.Project.Name}}-{{ .Environment.Name }}"))

    one = environments.GetNamespaces(pb.GetNamespacesRequest(
        project_envs=[pb.ProjectEnvironment(project_id="shop", environment_id="staging")]))
    assert [(n.project_id, n.environment_id, n.namespace) for n in one.namespaces] == [
        ("shop", "staging", "shop-staging")]

    every = environments.GetNamespaces(pb.GetNamespacesRequest())
    assert sorted((n.project_id, n.environment_id, n.namespace) for n in every.namespaces) == [
        ("blog", "prod", "blog"), ("blog", "staging", "blog-staging"),
        ("shop", "prod", "shop"), ("shop", "staging", "shop-staging"),
    ]

    def namespaces_of(project_id: str, environment_id: str) -> tuple[grpc.StatusCode, str]:
        return status_of(lambda: environments.GetNamespaces(pb.GetNamespacesRequest(
            project_envs=[pb.ProjectEnvironment(project_id=project_id, environment_id=environment_id)])))

    assert namespaces_of("shop", "mars") == (grpc.StatusCode.NOT_FOUND, "environment 'mars' not found")
    assert namespaces_of("nope", "prod") == (grpc.StatusCode.NOT_FOUND, "project 'nope' not found")
    assert namespaces_of("", "prod")[0] == grpc.StatusCode.INVALID_ARGUMENT


def test_cluster_list_and_configs(
    clusters: cluster_grpc.ServiceStub, environments: service_pb2_grpc.ServiceStub
) -> None:
    assert [c.cluster_id for c in clusters.List(cluster_pb.ListRequest()).clusters] == ["prod-eu", "dev"]
    assert [c.cluster_id for c in clusters.List(cluster_pb.ListRequest(
        pagination=common_pb2.Pagination(offset=1))).clusters] == ["dev"]

    configs = clusters.GetConfigs(cluster_pb.GetConfigsRequest()).clusters
    assert configs[0].cluster_type == cluster_pb.CLUSTER_TYPE_KUBERNETES
    assert configs[0].WhichOneof("dev_registry") == "registry"
    assert configs[0].registry.host == "registry.example:5000"
    assert configs[0].ingress
    assert configs[1].cluster_type == cluster_pb.CLUSTER_TYPE_DOCKER
    assert configs[1].WhichOneof("dev_registry") == "docker"

    environments.Create(pb.CreateRequest(environment_id="prod", cluster_id="prod-eu"))
    config = clusters.GetConfig(cluster_pb.GetConfigRequest(environment_id="prod"))
    assert config == configs[0]
    assert status_of(lambda: clusters.GetConfig(cluster_pb.GetConfigRequest(environment_id="mars"))) == (
        grpc.StatusCode.NOT_FOUND, "environment 'mars' not found")
    assert status_of(lambda: clusters.GetConfig(cluster_pb.GetConfigRequest()))[0] == (
        grpc.StatusCode.INVALID_ARGUMENT)


def test_a_default_choice_conflicts_with_a_concurrent_delete(rigd) -> None:  # type: ignore[no-untyped-def]
    from eventsourcing.persistence import IntegrityError

    from rigd.domain.context import CommandContext, acting
    from rigd.domain.environment_commands import EnvironmentSpec
    from rigd.domain.environments import DEFAULT_ENVIRONMENT_ID, DefaultEnvironment, Environment

    ctx = CommandContext()
    rigd.environments.create(ctx, EnvironmentSpec("prod", "dev"))
    rigd.environments.create(ctx, EnvironmentSpec("staging", "dev"))
    # set_default("staging") has loaded and decided ...
    staging = rigd.store.load(Environment.create_id("staging"), Environment)
    index = rigd.store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment)
    with acting(ctx):
        staging.make_default()
        index.choose("staging")
    # ... when another request deletes staging:
    rigd.environments.delete(ctx, "staging", force=False)
    with pytest.raises(IntegrityError):
        rigd.store.record(staging, index)
    assert rigd.store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment).environment_id == "prod"


def test_deleting_an_environment_when_there_never_was_a_default_starts_no_index(rigd) -> None:  # type: ignore[no-untyped-def]
    from rigd.domain.context import CommandContext
    from rigd.domain.environment_commands import EnvironmentSpec
    from rigd.domain.environments import DEFAULT_ENVIRONMENT_ID, DefaultEnvironment

    ctx = CommandContext()
    rigd.environments.create(ctx, EnvironmentSpec("quiet", "dev", default=False))
    rigd.environments.delete(ctx, "quiet", force=False)
    assert rigd.store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment) is None
