"""The live RPCs of api.v1.capsule.Service and api.v1.project.Service: instances, logs,
Execute and metrics, read from (and acted on through) the cluster drivers on every call.

`LiveCapsuleServicer` serves only these RPCs of capsule.Service; the command RPCs (Create,
Deploy, rollouts) are another servicer's, and `combined` (services/servicers.py) serves both
as one service. Likewise `LiveProjectServicer` beside `ProjectServicer`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Protocol

from rigd.domain.cluster_driver import (
    CustomMetric,
    ExecRequest,
    InstanceMetrics,
    LogLine,
    LogSelection,
    LogStream,
    ObjectReference,
)
from rigd.domain.errors import InvalidArgument
from rigd.domain.live_capsules import CapsuleKey, LiveCapsules
from rigd.proto.api.v1.capsule import log_pb2, metrics_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.calls import Call
from rigd.services.instance_messages import instance_message, status_message
from rigd.services.live_streams import StdinPump, closed_when_gone, terminal_size
from rigd.services.mapping import page, timestamp

CAPSULE_SERVICE = "api.v1.capsule.Service"
PROJECT_SERVICE = "api.v1.project.Service"


class _NamesCapsule(Protocol):
    project_id: str
    environment_id: str
    capsule_id: str


def _key(request: _NamesCapsule) -> CapsuleKey:
    return CapsuleKey(request.project_id, request.environment_id, request.capsule_id)


class LiveCapsuleServicer:
    def __init__(self, live: LiveCapsules) -> None:
        self._live = live

    def ListInstances(self, request: pb.ListInstancesRequest, call: Call) -> pb.ListInstancesResponse:
        instances = self._live.instances(_key(request), request.include_deleted, request.exclude_existing)
        shown = page(request.pagination).slice(instances)
        return pb.ListInstancesResponse(instances=[instance_message(i) for i in shown], total=len(instances))

    def ListInstanceStatuses(
        self, request: pb.ListInstanceStatusesRequest, call: Call
    ) -> pb.ListInstanceStatusesResponse:
        instances = self._live.instances(_key(request), request.include_deleted, request.exclude_existing)
        shown = page(request.pagination).slice(instances)
        return pb.ListInstanceStatusesResponse(
            instances=[status_message(i, request.capsule_id) for i in shown], total=len(instances))

    def GetInstanceStatus(self, request: pb.GetInstanceStatusRequest, call: Call) -> pb.GetInstanceStatusResponse:
        instance = self._live.instance(_key(request), request.instance_id)
        return pb.GetInstanceStatusResponse(status=status_message(instance, request.capsule_id))

    def RestartInstance(self, request: pb.RestartInstanceRequest, call: Call) -> pb.RestartInstanceResponse:
        self._live.restart(_key(request), request.instance_id)
        return pb.RestartInstanceResponse()

    def Logs(self, request: pb.LogsRequest, call: Call) -> Iterator[pb.LogsResponse]:
        """The selected lines, oldest first per instance; following, new ones until the client
        goes. `since` counts back from now; unset, every line kept is sent."""
        selection = LogSelection(
            instance_id=request.instance_id or None,
            follow=request.follow,
            since=_since(request),
            previous=request.previous_containers,
        )
        feed = self._live.logs(_key(request), selection)
        with closed_when_gone(feed, call):
            for line in feed:
                yield pb.LogsResponse(log=_log_message(line))

    def Execute(self, requests: Iterator[pb.ExecuteRequest], call: Call) -> Iterator[pb.ExecuteResponse]:
        """The first message starts the command; later ones feed its stdin or resize its
        terminal. Its stdout and stderr stream back, then its exit code."""
        first = next(requests, None)
        if first is None or first.WhichOneof("request") != "start":
            raise InvalidArgument("the first message of Execute must be a start request")
        start = first.start
        key = CapsuleKey(first.project_id, first.environment_id, start.capsule_id)
        session = self._live.execute(key, start.instance_id, ExecRequest(
            command=start.command,
            args=tuple(start.arguments),
            tty=terminal_size(start.tty) if start.HasField("tty") else None,
            interactive=start.interactive,
        ))
        pump = StdinPump(requests, session)
        with closed_when_gone(session, call):
            pump.start()
            try:
                for output in session:
                    data = pb.StreamData(data=output.data)
                    yield (pb.ExecuteResponse(stderr=data) if output.stream is LogStream.STDERR
                           else pb.ExecuteResponse(stdout=data))
            finally:
                pump.stop()
            pump.raise_failure()
            code = session.exit_code
            if code is not None:
                yield pb.ExecuteResponse(exit_code=code)

    def CapsuleMetrics(self, request: pb.CapsuleMetricsRequest, call: Call) -> pb.CapsuleMetricsResponse:
        """The instances' metrics now (the drivers keep no history: `since` only filters)."""
        metrics = self._live.metrics(_key(request), request.instance_id or None)
        if request.HasField("since"):
            since = request.since.ToMicroseconds() / 1e6
            metrics = [m for m in metrics if m.timestamp.timestamp() >= since]
        return pb.CapsuleMetricsResponse(
            instance_metrics=[_instance_metrics(request.capsule_id, m) for m in metrics])

    def GetCustomInstanceMetrics(
        self, request: pb.GetCustomInstanceMetricsRequest, call: Call
    ) -> pb.GetCustomInstanceMetricsResponse:
        return pb.GetCustomInstanceMetricsResponse(
            metrics=[_metric(m) for m in self._live.custom_metrics(_key(request))])


class LiveProjectServicer:
    def __init__(self, live: LiveCapsules) -> None:
        self._live = live

    def GetObjectsByKind(
        self, request: project_pb.GetObjectsByKindRequest, call: Call
    ) -> project_pb.GetObjectsByKindResponse:
        found = self._live.objects_by_kind(request.project_id, request.environment_id, request.kind,
                                           request.api_version)
        return project_pb.GetObjectsByKindResponse(
            objects=[project_pb.KubernetesObject(kind=o.kind, name=o.name) for o in found])

    def GetCustomObjectMetrics(
        self, request: project_pb.GetCustomObjectMetricsRequest, call: Call
    ) -> project_pb.GetCustomObjectMetricsResponse:
        wanted = request.object_reference
        reference = ObjectReference(wanted.kind, wanted.name, wanted.api_version)
        metrics = self._live.object_metrics(request.project_id, request.environment_id, reference)
        return project_pb.GetCustomObjectMetricsResponse(
            metrics=[_metric(m) for m in metrics], project_id=request.project_id,
            environment_id=request.environment_id)


def _since(request: pb.LogsRequest) -> timedelta | None:
    if not request.HasField("since"):
        return None
    since = request.since.ToTimedelta()
    if since < timedelta(0):
        raise InvalidArgument("since must not be negative")
    return since or None


def _log_message(line: LogLine) -> log_pb2.Log:
    log = log_pb2.Log(timestamp=timestamp(line.timestamp), instance_id=line.instance_id)
    if line.stream is LogStream.STDOUT:
        log.message.stdout = line.data
    elif line.stream is LogStream.STDERR:
        log.message.stderr = line.data
    else:
        log.message.container_termination.SetInParent()
    return log


def _instance_metrics(capsule_id: str, metrics: InstanceMetrics) -> metrics_pb2.InstanceMetrics:
    return metrics_pb2.InstanceMetrics(
        capsule_id=capsule_id,
        instance_id=metrics.instance_id,
        main_container=metrics_pb2.ContainerMetrics(
            timestamp=timestamp(metrics.timestamp),
            memory_bytes=metrics.memory_bytes,
            cpu_ms=metrics.cpu_ms,
            storage_bytes=metrics.storage_bytes,
        ),
    )


def _metric(metric: CustomMetric) -> pb.Metric:
    return pb.Metric(name=metric.name, latest_value=metric.latest_value,
                     latest_timestamp=timestamp(metric.latest_timestamp))
