"""Image pull Secrets, on SQLite and PostgreSQL: the deployer gives a `k8s` cluster that creates
pull secrets the credentials of the docker registry an image comes from (project settings), and
the cluster gets them in a `kubernetes.io/dockerconfigjson` Secret the pods pull with; the
credentials reach no event. The cluster is the recording API server (tests/kube_recorder.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
import pytest

from rigd.domain.clusters import Clusters
from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.image import service_pb2 as image_pb
from rigd.proto.api.v1.image import service_pb2_grpc as image_grpc
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.proto.api.v1.project.settings import service_pb2 as settings_pb
from rigd.proto.api.v1.project.settings import service_pb2_grpc as settings_grpc
from rigd.proto.api.v1.project.settings import settings_pb2
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from tests.conftest import serving
from tests.deploying import deploying_rigd, wait_until
from tests.integration.test_identity_secrets import _stored_events
from tests.kube_recorder import KubeRecorder
from tests.live_capsules import KUBERNETES, LOCAL

PASSWORD = "pull-password-7f3e9a"
SECRET = "/api/v1/namespaces/shop/secrets/web-pull-secret"


@pytest.fixture
def deploying(settings: Settings, recorder: KubeRecorder, tmp_path: Path) -> Iterator[Rigd]:
    creating = replace(KUBERNETES, create_pull_secrets=True)
    kubeconfig = recorder.kubeconfig(tmp_path / "kubeconfig")
    with deploying_rigd(replace(settings, clusters=Clusters((LOCAL, creating)), kubeconfig=str(kubeconfig))) as rigd:
        yield rigd


def deploy(channel: grpc.Channel, image: str) -> None:
    added = image_grpc.ServiceStub(channel).Add(image_pb.AddRequest(project_id="shop", capsule_id="web", image=image,
                                                                    skip_image_check=True))
    capsule_grpc.ServiceStub(channel).Deploy(pb.DeployRequest(
        project_id="shop", capsule_id="web", environment_id="eu-prod", force=True,
        changes=[change_pb2.Change(image_id=added.image_id)]))


def docker_config(secret: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(base64.b64decode(secret["data"][".dockerconfigjson"])))


def test_an_image_of_a_registry_with_credentials_is_pulled_with_them(deploying: Rigd, recorder: KubeRecorder) -> None:
    with serving(deploying) as channel:
        project_grpc.ServiceStub(channel).Create(project_pb.CreateRequest(project_id="shop"))
        environment_grpc.ServiceStub(channel).Create(environment_pb.CreateRequest(environment_id="eu-prod",
                                                                                  cluster_id="eu"))
        capsule_grpc.ServiceStub(channel).Create(pb.CreateRequest(project_id="shop", name="web"))
        settings_grpc.ServiceStub(channel).UpdateSettings(settings_pb.UpdateSettingsRequest(updates=[
            settings_pb2.Update(add_docker_registry=settings_pb2.AddDockerRegistry(
                host="ghcr.io", credentials=settings_pb2.DockerRegistryCredentials(username="robot",
                                                                                  password=PASSWORD)))]))

        deploy(channel, "ghcr.io/team/app:1")
        secret = wait_until(lambda: recorder.get(SECRET), "the pull secret")
        assert secret["type"] == "kubernetes.io/dockerconfigjson"
        assert docker_config(secret)["auths"]["ghcr.io"]["password"] == PASSWORD
        deployment = recorder.get("/apis/apps/v1/namespaces/shop/deployments/web")
        assert deployment is not None
        assert deployment["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": "web-pull-secret"}]

        deploy(channel, "nginx:1.27")  # Docker Hub, of no registry with credentials: no secret is left
        wait_until(lambda: recorder.get(SECRET) is None, "the pull secret to be deleted")
        assert PASSWORD.encode() not in _stored_events(deploying)
