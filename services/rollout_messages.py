"""A rollout's stages (projections.rollout_status documents) as api.v1.capsule.rollout.Stages."""

from __future__ import annotations

from typing import Any

from rigd.projections.read_model import from_micros
from rigd.proto.api.v1.capsule.rollout import status_pb2 as pb
from rigd.services.mapping import timestamp


def _info(step: dict[str, Any]) -> pb.StepInfo:
    return pb.StepInfo(name=step["name"], message=step.get("message", ""), state=pb.StepState.Value(step["state"]),
                       started_at=timestamp(from_micros(step["started_at"])),
                       updated_at=timestamp(from_micros(step["updated_at"])))


def _stage_info(name: str, stage: dict[str, Any]) -> pb.StageInfo:
    return pb.StageInfo(name=name, state=pb.StageState.Value(stage["state"]),
                        started_at=timestamp(from_micros(stage["started_at"])),
                        updated_at=timestamp(from_micros(stage["updated_at"])))


def _configure_step(step: dict[str, Any]) -> pb.ConfigureStep:
    if step["type"] == "generic":
        return pb.ConfigureStep(generic=pb.GenericStep(info=_info(step)))
    info, result = _info(step), pb.ConfigureResult.Value(step["result"])
    if step["type"] == "configure_file":
        return pb.ConfigureStep(configure_file=pb.ConfigureFileStep(
            info=info, state=result, path=step["path"], is_secret=step["is_secret"]))
    if step["type"] == "configure_env":
        return pb.ConfigureStep(configure_env=pb.ConfigureEnvStep(info=info, state=result,
                                                                  is_secret=step["is_secret"]))
    return pb.ConfigureStep(configure_capsule=pb.ConfigureCapsuleStep(info=info, state=result))


def _resource_step(step: dict[str, Any]) -> pb.ResourceCreationStep:
    if step["type"] == "generic":
        return pb.ResourceCreationStep(generic=pb.GenericStep(info=_info(step)))
    return pb.ResourceCreationStep(create_resource=pb.CreateResourceStep(
        info=_info(step), kind=step["kind"], name=step["object"]))


def _running_step(step: dict[str, Any]) -> pb.RunningStep:
    if step["type"] != "instances":
        return pb.RunningStep(generic=pb.GenericStep(info=_info(step)))
    return pb.RunningStep(instances=pb.InstancesStep(
        info=_info(step), num_updated=step["num_updated"], num_ready=step["num_ready"],
        num_stuck=step["num_stuck"], num_wrong_version=step["num_wrong_version"]))


def stages_message(stages: dict[str, Any]) -> pb.Stages:
    message = pb.Stages()
    if "configure" in stages:
        stage = stages["configure"]
        message.configure.CopyFrom(pb.ConfigureStage(
            info=_stage_info("configure", stage), steps=[_configure_step(s) for s in stage["steps"]]))
    if "resource_creation" in stages:
        stage = stages["resource_creation"]
        message.resource_creation.CopyFrom(pb.ResourceCreationStage(
            info=_stage_info("resource_creation", stage), steps=[_resource_step(s) for s in stage["steps"]]))
    if "running" in stages:
        stage = stages["running"]
        message.running.CopyFrom(pb.RunningStage(
            info=_stage_info("running", stage), steps=[_running_step(s) for s in stage["steps"]]))
    return message
