"""The changes of a deploy, applied to config documents, with change documents made from the
wire's own messages so that their shape is exactly what a client sends."""

from __future__ import annotations

import base64
import copy
from dataclasses import dataclass, field
from typing import Any

import pytest
from google.protobuf import json_format

from rigd.domain.changes import CHANGE_KINDS, apply_changes
from rigd.domain.errors import AlreadyExists, InvalidArgument, NotFound
from rigd.domain.rollout_config import Config
from rigd.proto.api.v1.capsule import change_pb2 as pb
from rigd.proto.api.v1.capsule import job_pb2, rollout_pb2

STAMP = {
    "updated_by": {"identifier": "ada@example.com", "printable_name": "Ada", "user_id": "u-1"},
    "updated_at": "2026-12-01T10:00:00Z",
}
EARLIER = {"replicas": 5, "image_id": "nginx:1.25", "annotations": {"team": "web"}}


@dataclass
class FakeWorld:
    """The capsule's images and earlier rollouts, as a deploy sees them."""

    images: set[str] = field(default_factory=lambda: {"nginx:1.25", "nginx:1.27"})
    rollouts: dict[int, Config] = field(default_factory=lambda: {3: copy.deepcopy(EARLIER)})
    added: list[str] = field(default_factory=list)

    def image_exists(self, image_id: str) -> bool:
        return image_id in self.images

    def add_image(self, image: str) -> str:
        self.added.append(image)
        self.images.add(image)
        return f"{image}@sha256:abc"

    def rollout_config(self, rollout_id: int) -> Config:
        if rollout_id not in self.rollouts:
            raise NotFound(f"rollout {rollout_id} not found")
        return self.rollouts[rollout_id]

    def file_stamp(self) -> dict[str, Any]:
        return copy.deepcopy(STAMP)


def change(**fields: Any) -> dict[str, Any]:
    """A change document as the wire has it."""
    return json_format.MessageToDict(pb.Change(**fields), preserving_proto_field_name=True)


def interface(name: str, port: int) -> pb.Interface:
    return pb.Interface(name=name, port=port)


def job(name: str) -> job_pb2.CronJob:
    return job_pb2.CronJob(job_name=name, schedule="0 * * * *", command=job_pb2.JobCommand(command="run"))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


HTTP = {"name": "http", "port": 8080}
GRPC = {"name": "grpc", "port": 9000}
CONFIG_MAP = {"name": "shared", "kind": "KIND_CONFIG_MAP"}
FILE = {"path": "/etc/app.yaml", "content": b64("a: 1"), **STAMP}
JOB = {"job_name": "nightly", "schedule": "0 * * * *", "command": {"command": "run"}}

# (what, config before, the change, config after)
EFFECTS: list[tuple[str, Config, dict[str, Any], Config]] = [
    ("replicas", {"replicas": 1}, change(replicas=4), {"replicas": 4}),
    ("replicas to zero", {"replicas": 1}, change(replicas=0), {}),
    ("image_id", {}, change(image_id="nginx:1.27"), {"image_id": "nginx:1.27"}),
    ("add_image", {"image_id": "nginx:1.25"}, change(add_image=pb.Change.AddImage(image="redis:7")),
     {"image_id": "redis:7@sha256:abc"}),
    ("network", {"network": {"interfaces": [HTTP]}},
     change(network=pb.Network(interfaces=[interface("grpc", 9000)])), {"network": {"interfaces": [GRPC]}}),
    ("set_interface adds", {"network": {"interfaces": [HTTP]}}, change(set_interface=interface("grpc", 9000)),
     {"network": {"interfaces": [HTTP, GRPC]}}),
    ("set_interface replaces by name", {"network": {"interfaces": [HTTP, GRPC]}},
     change(set_interface=interface("http", 80)), {"network": {"interfaces": [{"name": "http", "port": 80}, GRPC]}}),
    ("set_interface on no network", {}, change(set_interface=interface("http", 8080)),
     {"network": {"interfaces": [HTTP]}}),
    ("remove_interface", {"network": {"interfaces": [HTTP, GRPC]}}, change(remove_interface="http"),
     {"network": {"interfaces": [GRPC]}}),
    ("container_settings", {"container_settings": {"command": "old", "environment_variables": {"A": "1"}}},
     change(container_settings=pb.ContainerSettings(
         resources=pb.Resources(requests=pb.ResourceList(cpu_millis=500, memory_bytes=1000)))),
     {"container_settings": {"resources": {"requests": {"cpu_millis": 500, "memory_bytes": "1000"}}}}),
    ("set_environment_variable", {"container_settings": {"environment_variables": {"A": "1"}}},
     change(set_environment_variable=pb.Change.KeyValue(name="B", value="2")),
     {"container_settings": {"environment_variables": {"A": "1", "B": "2"}}}),
    ("set_environment_variable overwrites", {"container_settings": {"environment_variables": {"A": "1"}}},
     change(set_environment_variable=pb.Change.KeyValue(name="A")),
     {"container_settings": {"environment_variables": {"A": ""}}}),
    ("remove_environment_variable", {"container_settings": {"environment_variables": {"A": "1", "B": "2"}}},
     change(remove_environment_variable="A"), {"container_settings": {"environment_variables": {"B": "2"}}}),
    ("remove_environment_variable, the last", {"container_settings": {"environment_variables": {"A": "1"}}},
     change(remove_environment_variable="A"), {"container_settings": {}}),
    ("set_environment_source", {},
     change(set_environment_source=pb.EnvironmentSource(name="shared", kind=pb.EnvironmentSource.KIND_CONFIG_MAP)),
     {"container_settings": {"environment_sources": [CONFIG_MAP]}}),
    ("set_environment_source, the same again", {"container_settings": {"environment_sources": [CONFIG_MAP]}},
     change(set_environment_source=pb.EnvironmentSource(name="shared", kind=pb.EnvironmentSource.KIND_CONFIG_MAP)),
     {"container_settings": {"environment_sources": [CONFIG_MAP]}}),
    ("set_environment_source, a secret of the same name", {"container_settings": {"environment_sources": [CONFIG_MAP]}},
     change(set_environment_source=pb.EnvironmentSource(name="shared", kind=pb.EnvironmentSource.KIND_SECRET)),
     {"container_settings": {"environment_sources": [CONFIG_MAP, {"name": "shared", "kind": "KIND_SECRET"}]}}),
    ("remove_environment_source", {"container_settings": {"environment_sources": [CONFIG_MAP]}},
     change(remove_environment_source=pb.EnvironmentSource(name="shared", kind=pb.EnvironmentSource.KIND_CONFIG_MAP)),
     {"container_settings": {}}),
    ("command_arguments", {"container_settings": {"command": "old"}},
     change(command_arguments=pb.Change.CommandArguments(command="serve", args=["--port", "80"])),
     {"container_settings": {"command": "serve", "args": ["--port", "80"]}}),
    ("command_arguments, empty, clears", {"container_settings": {"command": "serve", "args": ["x"]}},
     change(command_arguments=pb.Change.CommandArguments()), {"container_settings": {}}),
    ("set_config_file", {}, change(set_config_file=pb.Change.ConfigFile(path="/etc/app.yaml", content=b"a: 1")),
     {"config_files": [FILE]}),
    ("set_config_file replaces by path", {"config_files": [{"path": "/etc/app.yaml", "content": b64("old")}]},
     change(set_config_file=pb.Change.ConfigFile(path="/etc/app.yaml", content=b"new", is_secret=True)),
     {"config_files": [{"path": "/etc/app.yaml", "content": b64("new"), "is_secret": True, **STAMP}]}),
    ("remove_config_file", {"config_files": [FILE]}, change(remove_config_file="/etc/app.yaml"), {}),
    ("horizontal_scale", {"horizontal_scale": {"max_replicas": 9}},
     change(horizontal_scale=pb.HorizontalScale(min_replicas=2, max_replicas=4,
                                                cpu_target=pb.CPUTarget(average_utilization_percentage=80))),
     {"horizontal_scale": {"min_replicas": 2, "max_replicas": 4,
                           "cpu_target": {"average_utilization_percentage": 80}}}),
    ("rollback", {"replicas": 1, "network": {"interfaces": [HTTP]}},
     change(rollback=pb.Change.Rollback(rollback_id=3)), EARLIER),
    ("add_cron_job", {}, change(add_cron_job=job("nightly")), {"cron_jobs": [JOB]}),
    ("remove_cron_job", {"cron_jobs": [JOB, {**JOB, "job_name": "hourly"}]},
     change(remove_cron_job=pb.Change.RemoveCronJob(job_name="nightly")),
     {"cron_jobs": [{**JOB, "job_name": "hourly"}]}),
    ("set_annotations", {"annotations": {"a": "1"}},
     change(set_annotations=pb.Change.Annotations(annotations={"b": "2"})), {"annotations": {"b": "2"}}),
    ("set_annotations, empty, clears", {"annotations": {"a": "1"}},
     change(set_annotations=pb.Change.Annotations()), {}),
    ("set_annotation", {"annotations": {"a": "1"}}, change(set_annotation=pb.Change.KeyValue(name="b", value="2")),
     {"annotations": {"a": "1", "b": "2"}}),
    ("remove_annotation", {"annotations": {"a": "1", "b": "2"}}, change(remove_annotation="a"),
     {"annotations": {"b": "2"}}),
    ("auto_add_rig_service_accounts", {}, change(auto_add_rig_service_accounts=True),
     {"auto_add_rig_service_accounts": True}),
    ("auto_add_rig_service_accounts off", {"auto_add_rig_service_accounts": True},
     change(auto_add_rig_service_accounts=False), {}),
]


@pytest.mark.parametrize(("before", "document", "after"), [row[1:] for row in EFFECTS], ids=[row[0] for row in EFFECTS])
def test_a_change_makes_the_next_config(before: Config, document: dict[str, Any], after: Config) -> None:
    kept = copy.deepcopy(before)
    assert apply_changes(before, [document], FakeWorld()) == after
    assert before == kept  # the input is never changed


def test_every_kind_of_change_has_its_effect_tested() -> None:
    tested = {next(iter(row[2])) for row in EFFECTS}
    assert tested == set(CHANGE_KINDS)
    assert set(CHANGE_KINDS) == {field.name for field in pb.Change.DESCRIPTOR.oneofs_by_name["field"].fields}


@pytest.mark.parametrize("after", [row[3] for row in EFFECTS], ids=[row[0] for row in EFFECTS])
def test_the_result_is_in_the_wires_own_form(after: Config) -> None:
    message = json_format.ParseDict(after, rollout_pb2.RolloutConfig())
    assert json_format.MessageToDict(message, preserving_proto_field_name=True) == after


def test_changes_apply_in_order_and_later_ones_build_on_a_rollback() -> None:
    changes = [change(replicas=2), change(rollback=pb.Change.Rollback(rollback_id=3)),
               change(set_annotation=pb.Change.KeyValue(name="tier", value="1")), change(replicas=7)]
    assert apply_changes({"replicas": 1}, changes, FakeWorld()) == {
        "replicas": 7, "image_id": "nginx:1.25", "annotations": {"team": "web", "tier": "1"}}


def test_a_rollback_takes_a_copy_of_the_earlier_config() -> None:
    world = FakeWorld()
    result = apply_changes({}, [change(rollback=pb.Change.Rollback(rollback_id=3)),
                                change(set_annotation=pb.Change.KeyValue(name="x", value="y"))], world)
    assert result["annotations"] == {"team": "web", "x": "y"}
    assert world.rollouts[3] == EARLIER


def test_no_changes_redeploy_the_same_config() -> None:
    config = {"replicas": 3, "image_id": "nginx:1.25"}
    result = apply_changes(config, [], FakeWorld())
    assert result == config and result is not config


def test_add_image_registers_the_image() -> None:
    world = FakeWorld()
    apply_changes({}, [change(add_image=pb.Change.AddImage(image="redis:7"))], world)
    assert world.added == ["redis:7"]


# (what, config before, changes, error class, the start of its message)
REFUSALS: list[tuple[str, Config, list[dict[str, Any]], type[Exception], str]] = [
    ("no field set", {}, [change()], InvalidArgument, "changes[0]: sets no change"),
    ("two fields", {}, [{"replicas": 1, "image_id": "x"}], InvalidArgument, "changes[0]: sets 2 fields"),
    ("an unknown kind", {}, [{"scale": 1}], InvalidArgument, "changes[0]: 'scale' is no kind of change"),
    ("negative replicas", {}, [{"replicas": -1}], InvalidArgument, "changes[0].replicas:"),
    ("an unknown image", {}, [change(replicas=1), change(image_id="nginx:9")], NotFound,
     "changes[1].image_id: image 'nginx:9'"),
    ("an empty image id", {}, [{"image_id": ""}], InvalidArgument, "changes[0].image_id: must not be empty"),
    ("add_image without an image", {}, [change(add_image=pb.Change.AddImage())], InvalidArgument,
     "changes[0].add_image.image: must not be empty"),
    ("set_interface without a name", {}, [change(set_interface=pb.Interface(port=80))], InvalidArgument,
     "changes[0].set_interface.name: must not be empty"),
    ("removing an unknown interface", {"network": {"interfaces": [HTTP]}}, [change(remove_interface="grpc")],
     NotFound, "changes[0].remove_interface: no interface is named 'grpc'"),
    ("removing an interface of no network", {}, [change(remove_interface="grpc")], NotFound,
     "changes[0].remove_interface:"),
    ("an empty interface name to remove", {}, [change(remove_interface="")], InvalidArgument,
     "changes[0].remove_interface: must not be empty"),
    ("set_environment_variable without a name", {}, [change(set_environment_variable=pb.Change.KeyValue(value="1"))],
     InvalidArgument, "changes[0].set_environment_variable.name: must not be empty"),
    ("removing an unknown variable", {"container_settings": {"environment_variables": {"A": "1"}}},
     [change(remove_environment_variable="B")], NotFound, "changes[0].remove_environment_variable: no environment"),
    ("a source without a kind", {}, [change(set_environment_source=pb.EnvironmentSource(name="shared"))],
     InvalidArgument, "changes[0].set_environment_source.kind: must be one of KIND_CONFIG_MAP, KIND_SECRET"),
    ("a source without a name", {},
     [change(set_environment_source=pb.EnvironmentSource(kind=pb.EnvironmentSource.KIND_SECRET))],
     InvalidArgument, "changes[0].set_environment_source.name: must not be empty"),
    ("removing an unknown source", {"container_settings": {"environment_sources": [CONFIG_MAP]}},
     [change(remove_environment_source=pb.EnvironmentSource(name="shared", kind=pb.EnvironmentSource.KIND_SECRET))],
     NotFound, "changes[0].remove_environment_source: no environment source is the secret 'shared'"),
    ("a config file without a path", {}, [change(set_config_file=pb.Change.ConfigFile(content=b"x"))],
     InvalidArgument, "changes[0].set_config_file.path: must not be empty"),
    ("removing an unknown config file", {"config_files": [FILE]}, [change(remove_config_file="/etc/other")],
     NotFound, "changes[0].remove_config_file: no config file has the path '/etc/other'"),
    ("a rollback to no rollout", {}, [change(rollback=pb.Change.Rollback())], InvalidArgument,
     "changes[0].rollback.rollback_id: must name a rollout"),
    ("a rollback to an unknown rollout", {}, [change(rollback=pb.Change.Rollback(rollback_id=99))], NotFound,
     "rollout 99 not found"),
    ("a cron job without a name", {}, [change(add_cron_job=job_pb2.CronJob(schedule="* * * * *"))], InvalidArgument,
     "changes[0].add_cron_job.job_name: must not be empty"),
    ("a cron job whose name is taken", {"cron_jobs": [JOB]}, [change(add_cron_job=job("nightly"))], AlreadyExists,
     "changes[0].add_cron_job: a cron job named 'nightly' exists already"),
    ("a cron job added twice", {}, [change(add_cron_job=job("a")), change(add_cron_job=job("a"))], AlreadyExists,
     "changes[1].add_cron_job:"),
    ("removing an unknown cron job", {"cron_jobs": [JOB]},
     [change(remove_cron_job=pb.Change.RemoveCronJob(job_name="hourly"))], NotFound,
     "changes[0].remove_cron_job: no cron job is named 'hourly'"),
    ("removing a cron job without a name", {}, [change(remove_cron_job=pb.Change.RemoveCronJob())], InvalidArgument,
     "changes[0].remove_cron_job.job_name: must not be empty"),
    ("set_annotation without a name", {}, [change(set_annotation=pb.Change.KeyValue(value="1"))], InvalidArgument,
     "changes[0].set_annotation.name: must not be empty"),
    ("removing an unknown annotation", {"annotations": {"a": "1"}}, [change(remove_annotation="b")], NotFound,
     "changes[0].remove_annotation: no annotation is named 'b'"),
    ("auto_add_rig_service_accounts not a bool", {}, [{"auto_add_rig_service_accounts": "yes"}], InvalidArgument,
     "changes[0].auto_add_rig_service_accounts: must be true or false"),
    ("network not a message", {}, [{"network": "none"}], InvalidArgument, "changes[0].network: must be a message"),
]


@pytest.mark.parametrize(("before", "changes", "error", "message"), [row[1:] for row in REFUSALS],
                         ids=[row[0] for row in REFUSALS])
def test_a_change_that_cannot_apply_is_refused_naming_it(
    before: Config, changes: list[dict[str, Any]], error: type[Exception], message: str
) -> None:
    kept = copy.deepcopy(before)
    with pytest.raises(error) as refused:
        apply_changes(before, changes, FakeWorld())
    assert str(refused.value).startswith(message)
    assert before == kept


def test_a_refusal_quotes_only_a_prefix_of_long_input() -> None:
    with pytest.raises(NotFound) as refused:
        apply_changes({}, [change(remove_annotation="x" * 100_000)], FakeWorld())
    assert len(str(refused.value)) < 200
