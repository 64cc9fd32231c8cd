"""image.Service and the docker registry settings over gRPC, against a real registry
(Debian's docker-registry: anonymous, htpasswd Basic, and token auth), on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml

from rigd.proto.api.v1.capsule import change_pb2, image_pb2
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.image import service_pb2 as pb
from rigd.proto.api.v1.image import service_pb2_grpc as image_grpc
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.proto.api.v1.project.settings import service_pb2 as settings_pb
from rigd.proto.api.v1.project.settings import service_pb2_grpc as settings_grpc
from rigd.proto.api.v1.project.settings import settings_pb2
from rigd.proto.model import common_pb2
from rigd.services.composition import Rigd
from tests.integration.test_identity_secrets import _stored_events
from tests.registry import PASSWORD, USERNAME, Registry, running_registry

PROJECT, CAPSULE = "shop", "web"


@pytest.fixture
def images(channel: grpc.Channel) -> image_grpc.ServiceStub:
    project_grpc.ServiceStub(channel).Create(project_pb.CreateRequest(project_id=PROJECT))
    capsule_grpc.ServiceStub(channel).Create(capsule_pb.CreateRequest(project_id=PROJECT, name=CAPSULE))
    return image_grpc.ServiceStub(channel)


@pytest.fixture
def project_settings(channel: grpc.Channel) -> settings_grpc.ServiceStub:
    return settings_grpc.ServiceStub(channel)


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Registry]:
    with running_registry(tmp_path / "registry") as running:
        yield running


def _status(call: Callable[[], Any]) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details()


def _add(images: image_grpc.ServiceStub, image: str, **fields: Any) -> pb.AddResponse:
    return images.Add(pb.AddRequest(project_id=PROJECT, capsule_id=CAPSULE, image=image, **fields))


def _add_registry(host: str, password: str = PASSWORD, as_auth: bool = False) -> settings_pb2.Update:
    if as_auth:
        auth = base64.b64encode(f"{USERNAME}:{password}".encode()).decode()
        return settings_pb2.Update(add_docker_registry=settings_pb2.AddDockerRegistry(host=host, auth=auth))
    return settings_pb2.Update(add_docker_registry=settings_pb2.AddDockerRegistry(
        host=host, credentials=settings_pb2.DockerRegistryCredentials(username=USERNAME, password=password)))


def test_add_resolves_the_digest_and_adding_again_answers_the_same_image(
        images: image_grpc.ServiceStub, registry: Registry) -> None:
    digest = registry.push_image("team/app", "v1")
    added = _add(images, f"{registry.host}/team/app:v1", labels={"ci": "42"},
                 origin=image_pb2.Origin(git_reference=image_pb2.GitReference(commit_sha="abc123")))
    assert (added.image_id, added.added_new_image) == (f"{registry.host}/team/app@{digest}", True)

    image = images.Get(pb.GetRequest(project_id=PROJECT, capsule_id=CAPSULE, image_id=added.image_id)).image
    assert (image.digest, image.repository, image.tag) == (digest, f"{registry.host}/team/app", "v1")
    assert dict(image.labels) == {"ci": "42"} and image.origin.git_reference.commit_sha == "abc123"
    assert image.created_by.identifier == "admin@rigd.local" and image.created_at.seconds > 0

    # the same image again, by tag, by digest, by another tag of the same manifest: one image
    registry.push_image("team/app", "stable")
    for again in ("team/app:v1", f"team/app@{digest}", "team/app:stable"):
        answer = _add(images, f"{registry.host}/{again}")
        assert (answer.image_id, answer.added_new_image) == (added.image_id, False)
    listed = images.List(pb.ListRequest(project_id=PROJECT, capsule_id=CAPSULE))
    assert listed.total == 1 and [i.image_id for i in listed.images] == [added.image_id]


def test_a_migration_as_rig_ops_makes_it(channel: grpc.Channel, images: image_grpc.ServiceStub,
                                         registry: Registry) -> None:
    """rig-ops migrate's calls, in its order: a dry run of a capsule that does not exist yet, naming
    the Deployment's image as it is; every answered entry decodes as one of the platform's objects
    (rig-ops refuses any other); then Create, and the Deploy with `add_image` of the dry-run
    Capsule's image after `image_id`."""
    environment_grpc.ServiceStub(channel).Create(environment_pb.CreateRequest(environment_id="prod"))
    digest = registry.push_image("team/legacy", "v3")
    image = f"{registry.host}/team/legacy:v3"
    capsules = capsule_grpc.ServiceStub(channel)
    changes = [change_pb2.Change(image_id=image), change_pb2.Change(replicas=2)]
    migration = capsule_pb.DeployRequest(project_id=PROJECT, capsule_id="legacy", environment_id="prod",
                                         message="Migrated from kubernetes deployment", dry_run=True,
                                         changes=changes, force_override=True)
    decoded = [yaml.safe_load(text) for text in capsules.Deploy(migration).resource_yaml.values()]
    assert sorted(document["kind"] for document in decoded) == ["Capsule", "ConfigMap"]
    (capsule,) = [document for document in decoded if document["kind"] == "Capsule"]
    assert capsule["spec"]["image"] == image
    assert capsule["metadata"]["annotations"]["rig.dev/override-ownership"] == "true"

    capsules.Create(capsule_pb.CreateRequest(project_id=PROJECT, name="legacy"))
    assert capsules.ListRollouts(capsule_pb.ListRolloutsRequest(project_id=PROJECT, capsule_id="legacy")).total == 0
    migration.dry_run = False
    migration.changes.append(change_pb2.Change(add_image=change_pb2.Change.AddImage(image=capsule["spec"]["image"])))
    deployed = capsules.Deploy(migration)
    assert deployed.rollout_id == 1
    assert deployed.rollout_config.image_id == f"{registry.host}/team/legacy@{digest}"


def test_refusals_name_the_problem(images: image_grpc.ServiceStub, registry: Registry) -> None:
    digest = registry.push_image("team/app", "v1")
    other = "sha256:" + "0" * 64
    code, message = _status(lambda: _add(images, f"{registry.host}/team/app:missing"))
    assert code == grpc.StatusCode.NOT_FOUND and "not found in its registry" in message
    assert _status(lambda: _add(images, f"{registry.host}/nothing/here:v1"))[0] == grpc.StatusCode.NOT_FOUND
    for malformed in ("UPPER/Case:v1", "team/app:bad tag", "team//app", "team/app@sha256:short", ""):
        assert _status(lambda m=malformed: _add(images, m))[0] == grpc.StatusCode.INVALID_ARGUMENT, malformed
    code, message = _status(lambda: _add(images, f"{registry.host}/team/app:v1", digest=other))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "provided digest doesn't match image" in message
    code, _ = _status(lambda: _add(images, f"{registry.host}/team/app@{digest}", digest=other, skip_image_check=True))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    unknown_project = pb.AddRequest(project_id="nope", capsule_id=CAPSULE, image=f"{registry.host}/team/app:v1")
    assert _status(lambda: images.Add(unknown_project))[0] == grpc.StatusCode.NOT_FOUND
    assert images.List(pb.ListRequest(project_id=PROJECT, capsule_id=CAPSULE)).total == 0


def test_skipping_the_check_takes_the_reference_as_given(images: image_grpc.ServiceStub) -> None:
    # no registry answers for this host: nothing asks it
    named = _add(images, "nginx", skip_image_check=True)
    assert (named.image_id, named.added_new_image) == ("index.docker.io/library/nginx:latest", True)
    digest = "sha256:" + "ab" * 32
    pinned = _add(images, "ghcr.io/acme/tool:1.0", digest=digest, skip_image_check=True)
    assert pinned.image_id == f"ghcr.io/acme/tool@{digest}"
    image = images.Get(pb.GetRequest(project_id=PROJECT, capsule_id=CAPSULE, image_id=pinned.image_id)).image
    assert (image.repository, image.tag, image.digest) == ("ghcr.io/acme/tool", "1.0", digest)


def test_an_unreachable_registry_is_unavailable(images: image_grpc.ServiceStub) -> None:
    code, message = _status(lambda: _add(images, "127.0.0.1:9/team/app:v1"))
    assert code == grpc.StatusCode.UNAVAILABLE and "could not be reached" in message


def test_delete_list_pagination_and_adding_a_deleted_image_again(
        images: image_grpc.ServiceStub, registry: Registry) -> None:
    ids = [_add(images, f"{registry.host}/team/app@{registry.push_image('team/app', f'v{n}', content=bytes([n]))}"
                ).image_id for n in range(3)]
    page = images.List(pb.ListRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                      pagination=common_pb2.Pagination(offset=1, limit=1, descending=True)))
    assert page.total == 3 and [i.image_id for i in page.images] == [ids[1]]
    images.Delete(pb.DeleteRequest(project_id=PROJECT, capsule_id=CAPSULE, image_id=ids[0]))
    assert _status(lambda: images.Get(pb.GetRequest(project_id=PROJECT, capsule_id=CAPSULE, image_id=ids[0])))[0] \
        == grpc.StatusCode.NOT_FOUND
    assert _status(lambda: images.Delete(pb.DeleteRequest(project_id=PROJECT, capsule_id=CAPSULE, image_id=ids[0])))[
        0] == grpc.StatusCode.NOT_FOUND
    assert images.List(pb.ListRequest(project_id=PROJECT, capsule_id=CAPSULE)).total == 2
    again = _add(images, ids[0])
    assert (again.image_id, again.added_new_image) == (ids[0], True)
    assert images.List(pb.ListRequest(project_id=PROJECT, capsule_id="other")).total == 0


def test_image_and_repository_info_come_from_the_registry(
        images: image_grpc.ServiceStub, registry: Registry) -> None:
    digest = registry.push_image("team/app", "v1", created="2024-05-06T07:08:09.123456789Z")
    registry.push_image("team/app", "v2", created="2025-01-02T03:04:05Z", content=b"newer")
    info = images.GetImageInfo(pb.GetImageInfoRequest(image=f"{registry.host}/team/app:v1"))
    assert info.image_id == pb.ImageId(registry=registry.host, repository="team/app", tag="v1", digest=digest)
    assert info.image_string == f"{registry.host}/team/app:v1"
    assert info.created_at.ToJsonString() == "2024-05-06T07:08:09.123456Z"
    tags = images.GetRepositoryInfo(pb.GetRepositoryInfoRequest(registry=registry.host, repository="team/app")).tags
    assert [(t.tag, t.image_created_at.ToJsonString()) for t in tags] == [
        ("v2", "2025-01-02T03:04:05Z"), ("v1", "2024-05-06T07:08:09.123456Z")]
    missing = pb.GetRepositoryInfoRequest(registry=registry.host, repository="team/none")
    assert _status(lambda: images.GetRepositoryInfo(missing))[0] == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("auth", ["basic", "token"])
def test_private_registries_use_the_settings_credentials_which_are_never_stored_or_shown_in_clear(
        rigd: Rigd, images: image_grpc.ServiceStub, project_settings: settings_grpc.ServiceStub, tmp_path: Path,
        auth: str) -> None:
    with running_registry(tmp_path / auth, auth) as registry:
        digest = registry.push_image("private/app", "v1")
        reference = f"{registry.host}/private/app:v1"
        code, message = _status(lambda: _add(images, reference))
        assert code == grpc.StatusCode.UNAUTHENTICATED and "needs credentials" in message

        wrong = settings_pb.UpdateSettingsRequest(updates=[_add_registry(registry.host, password="wrong-one")])
        project_settings.UpdateSettings(wrong)
        code, message = _status(lambda: _add(images, reference))
        assert code == grpc.StatusCode.UNAUTHENTICATED and "refused the credentials" in message

        project_settings.UpdateSettings(settings_pb.UpdateSettingsRequest(updates=[
            settings_pb2.Update(delete_docker_registry=registry.host),
            _add_registry(registry.host, as_auth=auth == "token")]))
        added = _add(images, reference)
        assert (added.image_id, added.added_new_image) == (f"{registry.host}/private/app@{digest}", True)

        shown = project_settings.GetSettings(settings_pb.GetSettingsRequest())
        assert [r.host for r in shown.settings.docker_registries] == [registry.host]
        assert shown.settings.docker_registries[0].secret_id
        assert PASSWORD.encode() not in shown.SerializeToString()
        stored = _stored_events(rigd)
        assert b"registry-settings.RegistryAdded" in stored
        for secret in (PASSWORD, "wrong-one", base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()):
            assert secret.encode() not in stored, secret
        if registry.token_server is not None:  # the token service saw the credentials, the registry a token
            assert any(request["basic"] for request in registry.token_server.requests)


def test_registry_settings_updates(project_settings: settings_grpc.ServiceStub) -> None:
    docker_config = base64.b64encode(json.dumps({"auth": base64.b64encode(b"u:p").decode()}).encode()).decode()
    project_settings.UpdateSettings(settings_pb.UpdateSettingsRequest(updates=[
        _add_registry("ghcr.io"),
        settings_pb2.Update(add_docker_registry=settings_pb2.AddDockerRegistry(
            host="https://index.docker.io/v1/", auth=docker_config))]))
    shown = project_settings.GetSettings(settings_pb.GetSettingsRequest()).settings.docker_registries
    assert [r.host for r in shown] == ["ghcr.io", "index.docker.io"]
    assert len({r.secret_id for r in shown}) == 2

    duplicate = settings_pb.UpdateSettingsRequest(updates=[_add_registry("docker.io")])
    assert _status(lambda: project_settings.UpdateSettings(duplicate))[0] == grpc.StatusCode.ALREADY_EXISTS
    unknown = settings_pb.UpdateSettingsRequest(updates=[settings_pb2.Update(delete_docker_registry="quay.io")])
    assert _status(lambda: project_settings.UpdateSettings(unknown))[0] == grpc.StatusCode.NOT_FOUND
    bad_auth = settings_pb.UpdateSettingsRequest(updates=[settings_pb2.Update(
        add_docker_registry=settings_pb2.AddDockerRegistry(host="quay.io", auth="not base64!"))])
    assert _status(lambda: project_settings.UpdateSettings(bad_auth))[0] == grpc.StatusCode.INVALID_ARGUMENT
    # all or nothing: the refused request above added nothing, a partly refused one neither
    mixed = settings_pb.UpdateSettingsRequest(updates=[
        _add_registry("quay.io"), settings_pb2.Update(delete_docker_registry="nowhere.example")])
    assert _status(lambda: project_settings.UpdateSettings(mixed))[0] == grpc.StatusCode.NOT_FOUND
    project_settings.UpdateSettings(settings_pb.UpdateSettingsRequest(updates=[
        settings_pb2.Update(delete_docker_registry="ghcr.io")]))
    shown = project_settings.GetSettings(settings_pb.GetSettingsRequest()).settings.docker_registries
    assert [r.host for r in shown] == ["index.docker.io"]


def test_concurrent_adds_of_one_image_make_one_image(images: image_grpc.ServiceStub, registry: Registry) -> None:
    digest = registry.push_image("team/app", "v1")
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: _add(images, f"{registry.host}/team/app:v1"), range(6)))
    assert {a.image_id for a in answers} == {f"{registry.host}/team/app@{digest}"}
    assert sum(a.added_new_image for a in answers) == 1
    assert images.List(pb.ListRequest(project_id=PROJECT, capsule_id=CAPSULE)).total == 1
