"""Deploy's changes through the RPC, on SQLite and PostgreSQL: every kind of change and its
effect on the recorded rollout, every invalid form refused naming the field, rollback as a
new rollout, and secret config files never in clear in the event store or a response."""

from __future__ import annotations

import base64
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from rigd.proto.api.v1.capsule import change_pb2 as c
from rigd.proto.api.v1.capsule import job_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.services.composition import Rigd
from tests.integration.test_capsules import (
    CAPSULE,
    ENVIRONMENT,
    NGINX_ID,
    PROJECT,
    add_image,
    deploy,
    prepared_capsules,
    rollout,
    status_of,
)
from tests.integration.test_identity_secrets import _stored_events


@pytest.fixture
def capsules(channel: grpc.Channel) -> capsule_grpc.ServiceStub:
    return prepared_capsules(channel)

HTTP = c.Interface(name="http", port=8080, liveness=c.InterfaceProbe(http=c.InterfaceProbe.HTTP(path="/healthz")))
JOB = job_pb2.CronJob(job_name="nightly", schedule="0 3 * * *", command=job_pb2.JobCommand(command="backup"))
SECRET = b"planted-secret-file-content"


def config_of(capsules: capsule_grpc.ServiceStub, rollout_id: int) -> dict[str, Any]:
    """The recorded rollout's config (as GetRollout shows it) in proto JSON, without its own facts."""
    config = json_format.MessageToDict(rollout(capsules, rollout_id).config, preserving_proto_field_name=True)
    for own in ("created_by", "created_at", "changes", "environment_id", "message"):
        config.pop(own, None)
    for file in config.get("config_files", []):
        file.pop("updated_at")
        file.pop("updated_by")
    return config


def apply(capsules: capsule_grpc.ServiceStub, change: c.Change) -> dict[str, Any]:
    return config_of(capsules, deploy(capsules, change).rollout_id)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_every_kind_of_change_has_its_effect_on_the_recorded_rollout(
        channel: grpc.Channel, capsules: capsule_grpc.ServiceStub) -> None:
    other = add_image(channel, "nginx:1.25")
    first = apply(capsules, c.Change(image_id=NGINX_ID))
    assert first == {"replicas": 1, "image_id": NGINX_ID}
    assert apply(capsules, c.Change(replicas=3))["replicas"] == 3
    assert apply(capsules, c.Change(image_id=other))["image_id"] == other
    assert apply(capsules, c.Change(network=c.Network(interfaces=[HTTP])))["network"] == {
        "interfaces": [{"name": "http", "port": 8080, "liveness": {"http": {"path": "/healthz"}}}]}
    assert [i["name"] for i in apply(capsules, c.Change(set_interface=c.Interface(name="admin", port=9000)))[
        "network"]["interfaces"]] == ["http", "admin"]
    assert [i["name"] for i in apply(capsules, c.Change(remove_interface="admin"))["network"]["interfaces"]] == [
        "http"]
    settings = c.ContainerSettings(environment_variables={"A": "1"}, command="serve")
    assert apply(capsules, c.Change(container_settings=settings))["container_settings"] == {
        "environment_variables": {"A": "1"}, "command": "serve"}
    assert apply(capsules, c.Change(set_environment_variable=c.Change.KeyValue(name="B", value="2")))[
        "container_settings"]["environment_variables"] == {"A": "1", "B": "2"}
    assert apply(capsules, c.Change(remove_environment_variable="A"))[
        "container_settings"]["environment_variables"] == {"B": "2"}
    source = c.EnvironmentSource(name="shared", kind=c.EnvironmentSource.KIND_SECRET)
    assert apply(capsules, c.Change(set_environment_source=source))["container_settings"][
        "environment_sources"] == [{"name": "shared", "kind": "KIND_SECRET"}]
    assert "environment_sources" not in apply(capsules, c.Change(remove_environment_source=source))[
        "container_settings"]
    entry = apply(capsules, c.Change(command_arguments=c.Change.CommandArguments(command="run", args=["-v"])))
    assert (entry["container_settings"]["command"], entry["container_settings"]["args"]) == ("run", ["-v"])
    assert apply(capsules, c.Change(set_config_file=c.Change.ConfigFile(path="/etc/app.yaml", content=b"a: 1")))[
        "config_files"] == [{"path": "/etc/app.yaml", "content": b64(b"a: 1")}]
    assert "config_files" not in apply(capsules, c.Change(remove_config_file="/etc/app.yaml"))
    scale = c.HorizontalScale(min_replicas=2, max_replicas=5, cpu_target=c.CPUTarget(average_utilization_percentage=70))
    assert apply(capsules, c.Change(horizontal_scale=scale))["horizontal_scale"] == {
        "min_replicas": 2, "max_replicas": 5, "cpu_target": {"average_utilization_percentage": 70}}
    assert [j["job_name"] for j in apply(capsules, c.Change(add_cron_job=JOB))["cron_jobs"]] == ["nightly"]
    assert "cron_jobs" not in apply(capsules, c.Change(remove_cron_job=c.Change.RemoveCronJob(job_name="nightly")))
    assert apply(capsules, c.Change(set_annotations=c.Change.Annotations(annotations={"a": "1", "b": "2"})))[
        "annotations"] == {"a": "1", "b": "2"}
    assert apply(capsules, c.Change(set_annotation=c.Change.KeyValue(name="c", value="3")))["annotations"] == {
        "a": "1", "b": "2", "c": "3"}
    assert apply(capsules, c.Change(remove_annotation="a"))["annotations"] == {"b": "2", "c": "3"}
    assert apply(capsules, c.Change(auto_add_rig_service_accounts=True))["auto_add_rig_service_accounts"] is True
    restored = deploy(capsules, c.Change(rollback=c.Change.Rollback(rollback_id=1)))
    assert config_of(capsules, restored.rollout_id) == first


# (what, changes, status, what the message starts with: the field as the client wrote it)
REFUSED: list[tuple[str, list[c.Change], grpc.StatusCode, str]] = [
    ("no field", [c.Change()], grpc.StatusCode.INVALID_ARGUMENT, "changes[0]: sets no change"),
    ("an unknown image", [c.Change(replicas=2), c.Change(image_id="nginx:9")], grpc.StatusCode.NOT_FOUND,
     "changes[1].image_id:"),
    ("an empty image id", [c.Change(image_id="")], grpc.StatusCode.INVALID_ARGUMENT, "changes[0].image_id:"),
    ("add_image without an image", [c.Change(add_image=c.Change.AddImage())], grpc.StatusCode.INVALID_ARGUMENT,
     "changes[0].add_image.image:"),
    ("an interface without a name", [c.Change(set_interface=c.Interface(port=80))],
     grpc.StatusCode.INVALID_ARGUMENT, "changes[0].set_interface.name:"),
    ("an interface on port 0", [c.Change(set_interface=c.Interface(name="http"))],
     grpc.StatusCode.INVALID_ARGUMENT, "network.interfaces[0].port:"),
    ("two interfaces on one port", [c.Change(network=c.Network(interfaces=[
        c.Interface(name="a", port=80), c.Interface(name="b", port=80)]))], grpc.StatusCode.INVALID_ARGUMENT,
     "network.interfaces[1].port:"),
    ("removing an unknown interface", [c.Change(remove_interface="grpc")], grpc.StatusCode.NOT_FOUND,
     "changes[0].remove_interface:"),
    ("a variable without a name", [c.Change(set_environment_variable=c.Change.KeyValue(value="1"))],
     grpc.StatusCode.INVALID_ARGUMENT, "changes[0].set_environment_variable.name:"),
    ("an invalid variable name", [c.Change(set_environment_variable=c.Change.KeyValue(name="1=x", value="1"))],
     grpc.StatusCode.INVALID_ARGUMENT, "container_settings.environment_variables"),
    ("removing an unknown variable", [c.Change(remove_environment_variable="NOPE")], grpc.StatusCode.NOT_FOUND,
     "changes[0].remove_environment_variable:"),
    ("a source without a kind", [c.Change(set_environment_source=c.EnvironmentSource(name="shared"))],
     grpc.StatusCode.INVALID_ARGUMENT, "changes[0].set_environment_source.kind:"),
    ("removing an unknown source", [c.Change(remove_environment_source=c.EnvironmentSource(
        name="x", kind=c.EnvironmentSource.KIND_SECRET))], grpc.StatusCode.NOT_FOUND,
     "changes[0].remove_environment_source:"),
    ("a config file without a path", [c.Change(set_config_file=c.Change.ConfigFile(content=b"x"))],
     grpc.StatusCode.INVALID_ARGUMENT, "changes[0].set_config_file.path:"),
    ("a relative config file path", [c.Change(set_config_file=c.Change.ConfigFile(path="etc/x", content=b"x"))],
     grpc.StatusCode.INVALID_ARGUMENT, "config_files[0].path:"),
    ("removing an unknown config file", [c.Change(remove_config_file="/etc/none")], grpc.StatusCode.NOT_FOUND,
     "changes[0].remove_config_file:"),
    ("max below min", [c.Change(horizontal_scale=c.HorizontalScale(min_replicas=5, max_replicas=2))],
     grpc.StatusCode.INVALID_ARGUMENT, "horizontal_scale"),
    ("a rollback to no rollout", [c.Change(rollback=c.Change.Rollback())], grpc.StatusCode.INVALID_ARGUMENT,
     "changes[0].rollback.rollback_id:"),
    ("a rollback to an unknown rollout", [c.Change(rollback=c.Change.Rollback(rollback_id=99))],
     grpc.StatusCode.NOT_FOUND, "rollout not found"),
    ("a cron job without a name", [c.Change(add_cron_job=job_pb2.CronJob(schedule="* * * * *"))],
     grpc.StatusCode.INVALID_ARGUMENT, "changes[0].add_cron_job.job_name:"),
    ("a cron job with a bad schedule", [c.Change(add_cron_job=job_pb2.CronJob(
        job_name="x1", schedule="every day", command=job_pb2.JobCommand(command="x")))],
     grpc.StatusCode.INVALID_ARGUMENT, "cron_jobs[0].schedule:"),
    ("a cron job added twice", [c.Change(add_cron_job=JOB), c.Change(add_cron_job=JOB)],
     grpc.StatusCode.ALREADY_EXISTS, "changes[1].add_cron_job:"),
    ("removing an unknown cron job", [c.Change(remove_cron_job=c.Change.RemoveCronJob(job_name="x"))],
     grpc.StatusCode.NOT_FOUND, "changes[0].remove_cron_job:"),
    ("removing a cron job without a name", [c.Change(remove_cron_job=c.Change.RemoveCronJob())],
     grpc.StatusCode.INVALID_ARGUMENT, "changes[0].remove_cron_job.job_name:"),
    ("an annotation without a name", [c.Change(set_annotation=c.Change.KeyValue(value="1"))],
     grpc.StatusCode.INVALID_ARGUMENT, "changes[0].set_annotation.name:"),
    ("an invalid annotation name", [c.Change(set_annotations=c.Change.Annotations(annotations={"a b": "1"}))],
     grpc.StatusCode.INVALID_ARGUMENT, "annotations"),
    ("removing an unknown annotation", [c.Change(remove_annotation="nope")], grpc.StatusCode.NOT_FOUND,
     "changes[0].remove_annotation:"),
]


def test_every_invalid_change_is_refused_naming_the_field_and_records_nothing(
        capsules: capsule_grpc.ServiceStub) -> None:
    deploy(capsules, c.Change(image_id=NGINX_ID))
    wrong = []
    for what, changes, code, message in REFUSED:
        answer = status_of(lambda changes=changes: deploy(capsules, *changes))
        if answer[0] != code or not answer[1].startswith(message):
            wrong.append((what, answer, code, message))
    assert wrong == []
    listed = capsules.ListRollouts(pb.ListRolloutsRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                          environment_id=ENVIRONMENT))
    assert listed.total == 1
    # a first rollout needs an image
    capsules.Create(pb.CreateRequest(project_id=PROJECT, name="api"))
    code, message = status_of(lambda: capsules.Deploy(pb.DeployRequest(
        project_id=PROJECT, capsule_id="api", environment_id=ENVIRONMENT, changes=[c.Change(replicas=2)])))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and message.startswith("image_id:")


def test_rollback_restores_the_whole_earlier_config_as_a_new_rollout(
        channel: grpc.Channel, capsules: capsule_grpc.ServiceStub) -> None:
    other = add_image(channel, "nginx:1.25")
    full = deploy(capsules, c.Change(image_id=NGINX_ID), c.Change(replicas=3),
                  c.Change(set_environment_variable=c.Change.KeyValue(name="MODE", value="blue")),
                  c.Change(set_config_file=c.Change.ConfigFile(path="/etc/app.yaml", content=b"color: blue")),
                  c.Change(network=c.Network(interfaces=[HTTP])),
                  c.Change(horizontal_scale=c.HorizontalScale(min_replicas=3, max_replicas=6)),
                  c.Change(add_cron_job=JOB))
    earlier = config_of(capsules, full.rollout_id)
    deploy(capsules, c.Change(image_id=other), c.Change(replicas=1), c.Change(remove_environment_variable="MODE"),
           c.Change(remove_config_file="/etc/app.yaml"), c.Change(remove_interface="http"),
           c.Change(horizontal_scale=c.HorizontalScale()),
           c.Change(remove_cron_job=c.Change.RemoveCronJob(job_name="nightly")))
    back = deploy(capsules, c.Change(rollback=c.Change.Rollback(rollback_id=full.rollout_id)), message="undo")
    assert back.rollout_id == 3
    assert config_of(capsules, 3) == earlier
    assert earlier["image_id"] == NGINX_ID and earlier["cron_jobs"][0]["job_name"] == "nightly"
    assert rollout(capsules, 3).config.message == "undo"
    assert list(rollout(capsules, 3).config.changes) == [c.Change(rollback=c.Change.Rollback(rollback_id=1))]


def test_a_secret_config_file_is_never_in_clear_in_the_store_or_a_response(
        rigd: Rigd, capsules: capsule_grpc.ServiceStub) -> None:
    secret = c.Change(set_config_file=c.Change.ConfigFile(path="/etc/key", content=SECRET, is_secret=True))
    plain = c.Change(set_config_file=c.Change.ConfigFile(path="/etc/plain", content=b"plain-content"))
    answers: list[Any] = [deploy(capsules, c.Change(image_id=NGINX_ID), secret, plain)]
    answers.append(deploy(capsules, c.Change(replicas=2)))  # the secret carried over from the current rollout
    answers.append(deploy(capsules, c.Change(replicas=3), dry_run=True))
    answers.append(deploy(capsules, c.Change(rollback=c.Change.Rollback(rollback_id=1))))
    answers += [rollout(capsules, n) for n in (1, 2, 3)]
    answers.append(capsules.ListRollouts(pb.ListRolloutsRequest(project_id=PROJECT, capsule_id=CAPSULE)))
    encoded = b64(SECRET).encode()
    for answer in answers:
        serialized = answer.SerializeToString()
        assert SECRET not in serialized and encoded not in serialized
    secret_files = [f for f in rollout(capsules, 3).config.config_files if f.path == "/etc/key"]
    assert len(secret_files) == 1 and secret_files[0].is_secret and secret_files[0].content == b""
    assert [f.content for f in rollout(capsules, 3).config.config_files if f.path == "/etc/plain"] == [
        b"plain-content"]
    stored = _stored_events(rigd)
    assert b"/etc/key" in stored and b"sealed_content" in stored
    assert SECRET not in stored and encoded not in stored
    # the sealed content still opens: the dry run rendered it (redacted) and the rollback carried it
    dry = answers[2].resource_yaml
    assert any("/etc/key" in text or "file-etc-key" in name for name, text in dry.items())
