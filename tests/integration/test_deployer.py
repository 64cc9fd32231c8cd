"""The deployer on the local cluster, through the gRPC API, on SQLite and PostgreSQL: a
rollout goes through its stages to a DONE instances step, its instances answer Execute, Logs
and RestartInstance, a second Deploy replaces it, a broken one crash-loops and a rollback runs
again, cron jobs execute, and StopRollout removes its processes."""

from __future__ import annotations

import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.proto.api.v1.capsule import change_pb2, job_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.rollout import status_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from tests.conftest import serving
from tests.deploying import (
    CAPSULE,
    ENVIRONMENT,
    PROJECT,
    deploy,
    deploying_rigd,
    end_everything,
    events,
    http_server_changes,
    instances_step,
    prepared,
    processes_under,
    rollout,
    wait_for_instances,
    wait_until,
)
from tests.live_capsules import WHERE, FollowedLogs, execute, ready_instances


@pytest.fixture
def deploying(settings: Settings) -> Iterator[Rigd]:
    with deploying_rigd(settings) as instance:
        yield instance


@pytest.fixture
def channel(deploying: Rigd) -> Iterator[grpc.Channel]:
    with serving(deploying) as channel:
        yield channel


def test_a_rollout_runs_is_replaced_and_stops(deploying: Rigd, channel: grpc.Channel) -> None:
    capsules = prepared(channel)
    first = deploy(capsules, http_server_changes(replicas=2))
    done = wait_for_instances(capsules, first)
    assert done.status.state == status_pb2.STATE_RUNNING
    step = instances_step(done.status)
    assert (step.num_updated, step.num_ready, step.num_stuck, step.num_wrong_version) == (2, 2, 0, 0)
    assert step.info.message == "All instances are running"
    configure = done.status.stages.configure
    assert [(s.configure_capsule.info.name, s.configure_capsule.state) for s in configure.steps][:1] == [
        ("capsule.rig.dev/web", status_pb2.CONFIGURE_RESULT_CREATED)]
    commit = configure.steps[-1].generic.info  # as `rig deploy` shows it (the CI docs' transcript)
    assert (commit.name, commit.message, commit.state) == (
        "Commit rollout changes", "Wrote rollout changes to Kubernetes", status_pb2.STEP_STATE_DONE)
    created = done.status.stages.resource_creation.steps
    assert [s.WhichOneof("step") for s in created] == ["generic", "create_resource"]
    assert [created[0].generic.info.name, created[1].create_resource.info.name] == [
        "Wait for Capsule resource creation", "Created object 'deployment/web'"]
    processes = processes_under(deploying.settings.data_dir)
    assert len(processes) >= 2  # the two servers (in their instance folders)

    second = deploy(capsules, [change_pb2.Change(set_environment_variable=change_pb2.Change.KeyValue(
        name="GREETING", value="hello"))], force=False)  # no longer in progress: force is not needed
    wait_for_instances(capsules, second)
    assert rollout(capsules, first).status.result == status_pb2.RESULT_REPLACED
    assert rollout(capsules, first).status.stages.running.info.state == status_pb2.STAGE_STATE_STOPPED
    updated = {s.configure_capsule.info.name: s.configure_capsule.state
               for s in rollout(capsules, second).status.stages.configure.steps if s.configure_capsule.info.name}
    assert updated["capsule.rig.dev/web"] == status_pb2.CONFIGURE_RESULT_UPDATED

    capsules.StopRollout(pb.StopRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=second))
    wait_until(lambda: (second, "rollout", "cluster resources removed") in events(capsules, second),
               "the stopped rollout's resources to be removed")
    assert processes_under(deploying.settings.data_dir) == set()
    messages = [message for _, _, message in events(capsules, first)]
    assert messages == ["new rollout initiated", "cluster resources configured", "cluster resources created",
                        "rollout running: waiting for its instances to be ready", "All instances are running",
                        f"replaced by rollout {second}"]
    assert max(Counter(events(capsules)).values()) == 1  # no stage recorded twice


def test_an_aborted_rollout_keeps_running_until_it_is_stopped(deploying: Rigd, channel: grpc.Channel) -> None:
    """`rig capsule abort` aborts the current rollout, finished or not: its instances keep running
    (rig-behavior 4.4), and a StopRollout afterwards still removes them."""
    capsules = prepared(channel)
    first = deploy(capsules, http_server_changes(replicas=1))
    wait_for_instances(capsules, first)
    capsules.AbortRollout(pb.AbortRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=first))
    assert rollout(capsules, first).status.result == status_pb2.RESULT_ABORTED
    assert processes_under(deploying.settings.data_dir)
    capsules.StopRollout(pb.StopRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=first))
    wait_until(lambda: (first, "rollout", "cluster resources removed") in events(capsules, first),
               "the aborted rollout's resources to be removed")
    assert processes_under(deploying.settings.data_dir) == set()


def test_a_deployed_capsule_serves_logs_execute_and_restarts(deploying: Rigd, channel: grpc.Channel) -> None:
    """What a developer does next, through the API only: Execute, a followed Logs stream showing
    the request line of an HTTP GET, and RestartInstance giving a new instance that the
    deployment's supervision brings up."""
    capsules = prepared(channel)
    wait_for_instances(capsules, deploy(capsules, http_server_changes(replicas=2)))
    listed = capsules.ListInstances(pb.ListInstancesRequest(**WHERE)).instances
    first, second = (instance.instance_id for instance in listed)
    assert execute(channel, first, "echo", "hi") == (b"hi\n", 0)
    port, code = execute(channel, first, "printenv", "PORT")
    assert code == 0
    followed = FollowedLogs(channel, pb.LogsRequest(**WHERE, instance_id=first, follow=True))
    with urllib.request.urlopen(f"http://127.0.0.1:{int(port)}/?from=the-deployer-test", timeout=10):
        pass
    assert followed.wait_for(b"GET /?from=the-deployer-test").log.instance_id == first
    followed.call.cancel()

    capsules.RestartInstance(pb.RestartInstanceRequest(**WHERE, instance_id=first))

    def ready_without_the_restarted() -> list[str] | None:
        ready = ready_instances(channel, 2)
        return ready if ready and first not in ready else None

    replaced = wait_until(ready_without_the_restarted, "a new ready instance in place of the restarted one")
    assert second in replaced and first not in replaced


def test_a_crash_looping_rollout_stays_in_progress_and_a_rollback_runs_again(
        deploying: Rigd, channel: grpc.Channel) -> None:
    capsules = prepared(channel)
    good = deploy(capsules, http_server_changes(replicas=1))
    wait_for_instances(capsules, good)
    broken = deploy(capsules, [change_pb2.Change(command_arguments=change_pb2.Change.CommandArguments(
        command=sys.executable, args=["-c", "raise SystemExit(3)"]))])  # never ready: its probe never answers
    wait_until(lambda: instances_step(rollout(capsules, broken).status), "the running stage")
    code, details = None, None
    try:
        deploy(capsules, [change_pb2.Change(replicas=2)], force=False)
    except grpc.RpcError as error:
        code, details = error.code(), error.details()
    assert (code, details) == (grpc.StatusCode.FAILED_PRECONDITION, "rollout already in progress")
    wait_until(lambda: any(kind == "error" and "CrashLoopBackOff" in message
                           for _, kind, message in events(capsules, broken)), "an error event of the crash loop")
    assert instances_step(rollout(capsules, broken).status).num_stuck == 1

    rolled_back = deploy(capsules, [change_pb2.Change(rollback=change_pb2.Change.Rollback(rollback_id=good))])
    done = wait_for_instances(capsules, rolled_back)
    assert instances_step(done.status).num_ready == 1
    assert rollout(capsules, broken).status.result == status_pb2.RESULT_ABORTED  # `force` aborted it
    assert max(Counter(events(capsules)).values()) == 1


def test_cron_job_executions_are_recorded_and_filtered(deploying: Rigd, channel: grpc.Channel) -> None:
    capsules = prepared(channel)
    job = job_pb2.CronJob(job_name="tick", schedule="* * * * *",
                          command=job_pb2.JobCommand(command=sys.executable, args=["-c", "print('tick')"]))
    first = deploy(capsules, [*http_server_changes(replicas=1), change_pb2.Change(add_cron_job=job)])
    wait_for_instances(capsules, first)
    # The local cluster's schedules run against a clock; moved a minute on, the job comes due now.
    driver = deploying.live.drivers.driver("local")
    assert isinstance(driver, LocalCluster)
    driver.run_schedules(until=datetime.now(UTC) + timedelta(minutes=1))

    def executions(**fields: object) -> pb.GetJobExecutionsResponse:
        return capsules.GetJobExecutions(pb.GetJobExecutionsRequest(
            project_id=PROJECT, capsule_id=CAPSULE, environment_id=ENVIRONMENT, **fields))

    completed = wait_until(lambda: executions(states=[job_pb2.JOB_STATE_COMPLETED]).job_executions,
                           "a COMPLETED execution")
    (execution,) = completed
    assert (execution.job_name, execution.rollout_id, execution.capsule_id) == ("tick", first, CAPSULE)
    assert execution.finished_at.ToDatetime() >= execution.created_at.ToDatetime()
    assert executions(job_name="tick").total == 1
    assert executions(job_name="other").total == 0
    assert executions(states=[job_pb2.JOB_STATE_FAILED]).total == 0
    past = Timestamp()
    past.FromDatetime(datetime.now(UTC) - timedelta(days=1))
    assert executions(created_to=past).total == 0
    assert executions(created_from=past).total == 1
    code = None
    try:
        executions(states=[99])
    except grpc.RpcError as error:
        code = error.code()
    assert code == grpc.StatusCode.INVALID_ARGUMENT


def _gauge(rigd: Rigd, name: str) -> float:
    value = rigd.metrics.registry.get_sample_value(name)
    assert value is not None, f"{name} is not exported"
    return value


def test_the_deployer_queue_is_measured_until_the_deployer_takes_it(rigd: Rigd) -> None:
    """rigd_deployer_queue_events counts rollout events the deployer has not handled: one
    Deploy waits while no deployer runs, none once the deployer has taken them."""
    with serving(rigd) as channel:
        capsules = prepared(channel)
        first = deploy(capsules, http_server_changes(replicas=1))
        assert _gauge(rigd, "rigd_deployer_queue_events") >= 1
        assert _gauge(rigd, "rigd_deployer_leader") == 0
        rigd.deployer.start()
        try:
            wait_for_instances(capsules, first)
            assert _gauge(rigd, "rigd_deployer_queue_events") == 0
            assert _gauge(rigd, "rigd_deployer_leader") == 1
            assert _gauge(rigd, "rigd_deployer_position") >= 1
            wait_until(lambda: _gauge(rigd, "rigd_deployer_watched_rollouts") == 0, "no rollout left to watch")
        finally:
            rigd.deployer.stop()
            end_everything(rigd.settings.data_dir)


def test_a_forced_environment_delete_removes_its_capsules_from_the_cluster(
        deploying: Rigd, channel: grpc.Channel) -> None:
    """The environment is deleted in the same save that stops its rollouts: the deployer still
    removes their objects, on the cluster the deleted environment was on."""
    capsules = prepared(channel)
    first = deploy(capsules, http_server_changes(replicas=1))
    wait_for_instances(capsules, first)
    assert processes_under(deploying.settings.data_dir)
    environment_grpc.ServiceStub(channel).Delete(environment_pb.DeleteRequest(environment_id=ENVIRONMENT, force=True))
    wait_until(lambda: (first, "rollout", "cluster resources removed") in events(capsules, first),
               "the deleted environment's rollout to have its resources removed")
    assert processes_under(deploying.settings.data_dir) == set()
