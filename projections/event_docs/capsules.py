"""Public event types of capsules and rollouts."""

from __future__ import annotations

from rigd.projections.event_docs import FIRST_PUBLISHED as _V2_ONLY
from rigd.projections.event_docs import Documented

_STEPS = ("One document per object: `kind`, `name`, `outcome` (CREATED, UPDATED, NO_CHANGE, DELETED or FAILED),"
          " `path` and `is_secret` for a config file's object, and a `message`.")

CAPSULES: dict[str, Documented] = {
    "capsule.Created": Documented(
        "A capsule was created in a project (its id is its name).",
        {"project_id": "The project of the capsule.", "capsule_id": "The capsule's id, which is its name."},
        _V2_ONLY),
    "capsule.Deleted": Documented(
        "A capsule was deleted from every environment (its history is kept; its current rollouts stop).",
        {}, _V2_ONLY),
    "capsule.Recreated": Documented("A deleted capsule was created again.", {}, _V2_ONLY),
    "capsule.RolloutStarted": Documented(
        "A Deploy took the capsule's next rollout id for an environment (the rollout is `rollout.Created`).",
        {"environment_id": "The environment the rollout runs in.",
         "rollout_id": "The rollout's id: per capsule from 1, unique across environments, without gaps."},
        _V2_ONLY),
    "capsule.EnvironmentDeleted": Documented(
        "An environment the capsule had a current rollout in was deleted: the capsule has none there any more"
        " (recorded in the deletion's save; a running rollout there is `rollout.Stopped` in the same save).",
        {"environment_id": "The environment deleted."},
        _V2_ONLY),
    "rollout.Created": Documented(
        "A Deploy recorded a new rollout: the whole configuration, immutable from now on.",
        {"project_id": "The project of the capsule.",
         "capsule_id": "The capsule deployed.",
         "environment_id": "The environment the rollout runs in.",
         "rollout_id": "The rollout's id within its capsule.",
         "config": "The rollout's configuration: `api.v1.capsule.RolloutConfig` as JSON with proto field names,"
                   " without the rollout's own facts; a secret config file's content is never published.",
         "changes": "The Deploy's changes (`api.v1.capsule.Change` as JSON), a secret file's content left out.",
         "message": "The message the Deploy was given.",
         "force_override": "Whether the rollout takes over objects it does not own (`rig.dev/override-ownership`).",
         "cluster_id": "The cluster the rollout runs on (its environment's at the Deploy); empty in version 2.",
         "namespace": "The namespace its objects are in (its environment's at the Deploy); empty in version 2."},
        {**_V2_ONLY, 3: "Adds `cluster_id` and `namespace`: where the rollout runs, whatever becomes of its"
                        " environment later (version 2 events read as empty: the environment's)."}),
    "rollout.Aborted": Documented(
        "A rollout in progress was aborted (AbortRollout, or a forced Deploy); its objects are kept.", {}, _V2_ONLY),
    "rollout.Stopped": Documented(
        "A rollout was stopped (StopRollout, a capsule's or an environment's deletion); its objects are removed.",
        {}, _V2_ONLY),
    "rollout.Replaced": Documented(
        "A newer rollout of the same environment took over.",
        {"by_rollout_id": "The rollout that replaced this one."}, _V2_ONLY),
    "rollout.Configured": Documented(
        "The deployer applied the rollout: its configure stage, the objects the platform writes.",
        {"steps": _STEPS}, _V2_ONLY),
    "rollout.ResourcesCreated": Documented(
        "The deployer applied the rollout: its resource creation stage, the objects made from the configured ones.",
        {"steps": _STEPS}, _V2_ONLY),
    "rollout.RunningStarted": Documented(
        "The rollout reached its running stage; its instances step waits for every instance to be ready.",
        {}, _V2_ONLY),
    "rollout.InstancesReady": Documented(
        "The running stage's instances step is DONE: every instance runs this rollout and is ready.",
        {"num_updated": "Instances running this rollout.", "num_ready": "Of them, the ready ones.",
         "num_stuck": "Of them, the crash-looping ones.",
         "num_wrong_version": "Instances of other rollouts still running."}, _V2_ONLY),
    "rollout.InstancesCounted": Documented(
        "The instances of a rollout in its running stage changed while its instances step waits (recorded at"
        " most about once a second, so the step's counts show progress before it is DONE).",
        {"num_updated": "Instances running this rollout.", "num_ready": "Of them, the ready ones.",
         "num_stuck": "Of them, the crash-looping ones.",
         "num_wrong_version": "Instances of other rollouts still running."}, _V2_ONLY),
    "rollout.InstancesStuck": Documented(
        "Instances of the rollout keep failing (CrashLoopBackOff); recorded once per rollout, an error event.",
        {"num_stuck": "How many instances were crash looping.", "message": "Why, from their last termination."},
        _V2_ONLY),
    "rollout.ApplyFailed": Documented(
        "Applying the rollout to its cluster failed (an error event); retried with back-off unless permanent.",
        {"message": "What failed, the cluster's or driver's words.",
         "permanent": "Whether retrying cannot help: the rollout then ends with result FAILED."}, _V2_ONLY),
    "rollout.ResourcesRemoved": Documented(
        "The deployer removed a stopped rollout's objects from the cluster.",
        {"steps": _STEPS}, _V2_ONLY),
    "job_execution.Created": Documented(
        "The deployer saw a new execution of a capsule's cron job on the cluster.",
        {"project_id": "The project of the capsule.", "environment_id": "The environment it runs in.",
         "capsule_id": "The capsule.",
         "execution_id": "The cluster's name of the execution (stable while it is known).",
         "job_name": "The cron job.", "rollout_id": "The rollout whose job it is.",
         "started_at": "When the execution was created on the cluster."}, _V2_ONLY),
    "job_execution.Finished": Documented(
        "An execution of a cron job ended.",
        {"state": "How it ended: COMPLETED, FAILED or TERMINATED (timed out or killed).",
         "retries": "How many times it was retried.", "finished_at": "When it ended."}, _V2_ONLY),
}
