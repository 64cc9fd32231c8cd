"""api.v1.capsule.Service: capsules, Deploy and rollouts.

The live RPCs (ListInstances, Logs, Execute, metrics, RestartInstance) are served by another
servicer combined with this one; they are absent here on purpose. Job executions are events
the deployer records, read here from their read model (GetJobExecutions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any

from google.protobuf import json_format

from rigd.domain.capsule_commands import CapsuleCommands
from rigd.domain.capsules import CapsuleSummary
from rigd.domain.deploys import DeployCommands, Deployed, DeployRequest, NoDefaultEnvironment
from rigd.domain.errors import InvalidArgument
from rigd.domain.rollout_config import Config
from rigd.projections.capsules import CapsuleQueries
from rigd.projections.environments import EnvironmentQueries
from rigd.projections.job_executions import JobExecutionFilter, JobExecutionQueries, JobExecutionView
from rigd.projections.rollouts import RolloutEventView, RolloutQueries, RolloutView
from rigd.proto.api.v1.capsule import capsule_pb2, change_pb2, event_pb2, job_pb2, rollout_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.rollout import status_pb2
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.mapping import page, timestamp
from rigd.services.rollout_messages import stages_message
from rigd.services.service_accounts import author

SERVICE = "api.v1.capsule.Service"
# What a Deploy's answer is awaited in: the rollout and its events. The capsule's `updated_at`
# (the capsules read model) follows, unawaited: a Deploy waits on one read model, not two.
DEPLOY_READ_MODELS = ("rollouts",)
DELETE_READ_MODELS = ("capsules", "rollouts")


def capsule_message(capsule: CapsuleSummary) -> capsule_pb2.Capsule:
    return capsule_pb2.Capsule(capsule_id=capsule.capsule_id, updated_at=timestamp(capsule.updated_at),
                               updated_by=author(capsule.updated_by))


def change_documents(changes: Sequence[change_pb2.Change]) -> list[dict[str, Any]]:
    return [json_format.MessageToDict(change, preserving_proto_field_name=True) for change in changes]


def rollout_config_message(config: Config, changes: Sequence[Mapping[str, Any]], environment_id: str,
                           message: str) -> rollout_pb2.RolloutConfig:
    result = json_format.ParseDict(dict(config), rollout_pb2.RolloutConfig(), ignore_unknown_fields=True)
    for change in changes:
        json_format.ParseDict(dict(change), result.changes.add(), ignore_unknown_fields=True)
    result.environment_id = environment_id
    result.message = message
    return result


def rollout_message(view: RolloutView) -> rollout_pb2.Rollout:
    config = rollout_config_message(view.config, view.changes, view.environment_id, view.message)
    config.created_by.CopyFrom(author(view.created_by))
    config.created_at.CopyFrom(timestamp(view.created_at))
    status = status_pb2.Status(rollout_id=view.rollout_id, state=status_pb2.State.Value(view.state),
                               result=status_pb2.Result.Value(view.result), updated_at=timestamp(view.updated_at),
                               stages=stages_message(view.stages))
    return rollout_pb2.Rollout(rollout_id=view.rollout_id, config=config, status=status)


def event_message(view: RolloutEventView) -> event_pb2.Event:
    message = event_pb2.Event(created_by=author(view.created_by), created_at=timestamp(view.created_at),
                              rollout_id=view.rollout_id, message=view.message)
    getattr(message.event_data, view.kind).SetInParent()
    return message


def _job_state(value: int) -> str:
    if value not in job_pb2.JobState.values():
        raise InvalidArgument(f"states: {value} is not a job state")
    return job_pb2.JobState.Name(value).removeprefix("JOB_STATE_")


def job_message(view: JobExecutionView) -> job_pb2.JobExecution:
    message = job_pb2.JobExecution(
        job_name=view.job_name, created_at=timestamp(view.created_at), state=job_pb2.JobState.Value(
            f"JOB_STATE_{view.state}"), retries=view.retries, rollout_id=view.rollout_id, capsule_id=view.capsule_id,
        project_id=view.project_id, execution_id=view.execution_id, environment_id=view.environment_id)
    if view.finished_at is not None:
        message.finished_at.CopyFrom(timestamp(view.finished_at))
    return message


class CapsuleServicer:
    def __init__(self, commands: CapsuleCommands, deploys: DeployCommands, queries: CapsuleQueries,
                 rollouts: RolloutQueries, environments: EnvironmentQueries, settle: ReadYourWrites,
                 jobs: JobExecutionQueries) -> None:
        self._commands = commands
        self._deploys = deploys
        self._queries = queries
        self._rollouts = rollouts
        self._environments = environments
        self._settle = settle
        self._jobs = jobs

    def Create(self, request: pb.CreateRequest, call: Call) -> pb.CreateResponse:
        written = self._commands.create(call.context(), request.project_id, request.name)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.CreateResponse(capsule_id=request.name)

    def Get(self, request: pb.GetRequest, call: Call) -> pb.GetResponse:
        return pb.GetResponse(capsule=capsule_message(self._queries.get(request.project_id, request.capsule_id)))

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        capsules, total = self._queries.list_page(request.project_id, page(request.pagination))
        return pb.ListResponse(capsules=[capsule_message(c) for c in capsules], total=total)

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._commands.delete(call.context(), request.project_id, request.capsule_id)
        self._settle(written, DELETE_READ_MODELS, call.deadline)
        return pb.DeleteResponse()

    def Update(self, request: pb.UpdateRequest, call: Call) -> pb.UpdateResponse:
        return pb.UpdateResponse()  # deprecated: a no-op (capsule/service.proto)

    def Deploy(self, request: pb.DeployRequest, call: Call) -> pb.DeployResponse:
        deployed = self._deploys.deploy(call.context(), DeployRequest(
            project_id=request.project_id, capsule_id=request.capsule_id, environment_id=request.environment_id,
            changes=change_documents(request.changes), message=request.message, force=request.force,
            dry_run=request.dry_run, current_rollout_id=request.current_rollout_id,
            force_override=request.force_override))
        if deployed.notification_id:
            self._settle(deployed.notification_id, DEPLOY_READ_MODELS, call.deadline)
        return pb.DeployResponse(rollout_id=deployed.rollout_id, resource_yaml=deployed.resource_yaml,
                                 rollout_config=self._deployed_config(deployed, call))

    def GetRollout(self, request: pb.GetRolloutRequest, call: Call) -> pb.GetRolloutResponse:
        view = self._rollouts.get(request.project_id, request.capsule_id, request.rollout_id)
        return pb.GetRolloutResponse(rollout=rollout_message(view))

    def ListRollouts(self, request: pb.ListRolloutsRequest, call: Call) -> pb.ListRolloutsResponse:
        self._queries.get(request.project_id, request.capsule_id)  # NOT_FOUND for an unknown capsule
        rollouts, total = self._rollouts.list_page(request.project_id, request.capsule_id,
                                                   self._environment(request.environment_id),
                                                   page(request.pagination))
        return pb.ListRolloutsResponse(rollouts=[rollout_message(r) for r in rollouts], total=total)

    def AbortRollout(self, request: pb.AbortRolloutRequest, call: Call) -> pb.AbortRolloutResponse:
        written = self._deploys.abort(call.context(), request.project_id, request.capsule_id, request.rollout_id)
        self._settle(written, self._rollouts.read_models, call.deadline)
        return pb.AbortRolloutResponse()

    def StopRollout(self, request: pb.StopRolloutRequest, call: Call) -> pb.StopRolloutResponse:
        written = self._deploys.stop(call.context(), request.project_id, request.capsule_id, request.rollout_id)
        self._settle(written, self._rollouts.read_models, call.deadline)
        return pb.StopRolloutResponse()

    def ListEvents(self, request: pb.ListEventsRequest, call: Call) -> pb.ListEventsResponse:
        self._queries.get(request.project_id, request.capsule_id)  # NOT_FOUND for an unknown capsule
        events, total = self._rollouts.events_page(request.project_id, request.capsule_id,
                                                   self._environment(request.environment_id), request.rollout_id,
                                                   page(request.pagination))
        return pb.ListEventsResponse(events=[event_message(e) for e in events], total=total)

    def GetJobExecutions(self, request: pb.GetJobExecutionsRequest, call: Call) -> pb.GetJobExecutionsResponse:
        self._queries.get(request.project_id, request.capsule_id)  # NOT_FOUND for an unknown capsule
        wanted = JobExecutionFilter(
            job_name=request.job_name,
            states=[_job_state(state) for state in request.states],
            created_from=request.created_from.ToDatetime(UTC) if request.HasField("created_from") else None,
            created_to=request.created_to.ToDatetime(UTC) if request.HasField("created_to") else None)
        executions, total = self._jobs.page(request.project_id, request.capsule_id,
                                            self._environment(request.environment_id), wanted,
                                            page(request.pagination))
        return pb.GetJobExecutionsResponse(job_executions=[job_message(e) for e in executions], total=total)

    def _deployed_config(self, deployed: Deployed, call: Call) -> rollout_pb2.RolloutConfig:
        config = rollout_config_message(deployed.config, deployed.changes, deployed.environment_id,
                                        deployed.message)
        config.created_by.CopyFrom(author(call.principal))
        config.created_at.CopyFrom(timestamp(deployed.created_at))
        return config

    def _environment(self, environment_id: str) -> str:
        """The environment a request names, else the default one."""
        if environment_id:
            return environment_id
        for environment in self._environments.all():
            if environment.default:
                return environment.environment_id
        raise NoDefaultEnvironment()
