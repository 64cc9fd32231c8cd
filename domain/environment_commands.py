"""Command side of environments: load, decide, save once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rigd.domain.capsules import Capsule, capsule_aggregate_id
from rigd.domain.clusters import Clusters
from rigd.domain.context import CommandContext
from rigd.domain.environments import DEFAULT_ENVIRONMENT_ID, DefaultEnvironment, Environment, EnvironmentAlreadyExists
from rigd.domain.errors import FailedPrecondition
from rigd.domain.event_store import EventStore
from rigd.domain.lifecycle import load_any, load_live
from rigd.domain.namespaces import NamespaceOwners, NamespaceTemplate, check_new_environment
from rigd.domain.naming import quoted, validate_system_name
from rigd.domain.rollouts import Rollout, rollout_aggregate_id


@dataclass(frozen=True)
class EnvironmentSpec:
    """An environment as a request or the configuration declares it."""

    environment_id: str
    cluster_id: str = ""
    namespace_template: str = ""
    default: bool | None = None  # None: become the default only if there is none


class DeployedCapsules(Protocol):
    """Which capsules have had rollouts in an environment (the rollouts read model)."""

    def capsules_in(self, environment_id: str) -> list[tuple[str, str]]:
        """(project id, capsule id) of each capsule with a rollout there."""


class EnvironmentHasRunningCapsules(FailedPrecondition):
    def __init__(self, environment_id: str, running: Sequence[tuple[str, str, int]]) -> None:
        names = ", ".join(f"{quoted(project)}/{quoted(capsule)}" for project, capsule, _ in running[:5])
        super().__init__(f"environment {quoted(environment_id)} has capsules with running rollouts ({names});"
                         " delete it with force to stop them")


class EnvironmentCommands:
    def __init__(self, store: EventStore, clusters: Clusters, owners: NamespaceOwners,
                 rollouts: DeployedCapsules | None = None) -> None:
        self._store = store
        self._clusters = clusters
        self._owners = owners
        self._rollouts = rollouts

    def create(self, ctx: CommandContext, spec: EnvironmentSpec) -> int:
        validate_system_name(spec.environment_id, "environment_id")
        cluster = self._clusters.choose(spec.cluster_id)
        template = NamespaceTemplate.parse(spec.namespace_template)
        check_new_environment(template, spec.environment_id, self._owners)

        def decide() -> int:
            environment = load_any(self._store, Environment, spec.environment_id)
            if environment is None:
                environment = Environment(spec.environment_id, cluster.cluster_id, template.text)
            else:
                environment.revive(cluster.cluster_id, template.text)
            index = self._store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment)
            if spec.default or (spec.default is None and (index is None or not index.environment_id)):
                index = index or DefaultEnvironment()
                index.choose(spec.environment_id)
            return self._store.record(environment, *([index] if index else []))

        return self._store.decide(ctx, decide)

    def set_default(self, ctx: CommandContext, environment_id: str, defaults: Sequence[bool]) -> int:
        """Applies `default` updates in order and records the outcome only if it differs
        from the current state; returns 0 when nothing changed (nothing is recorded then)."""

        def decide() -> int:
            environment = load_live(self._store, Environment, environment_id)
            index = self._default_index()
            was_default = index.environment_id == environment_id
            if not defaults or defaults[-1] == was_default:
                return 0
            if defaults[-1]:
                environment.make_default()
                index.choose(environment_id)
            else:
                index.clear(environment_id)
            return self._store.record(environment, index)

        return self._store.decide(ctx, decide)

    def delete(self, ctx: CommandContext, environment_id: str, force: bool) -> int:
        """Deletes the environment. While capsules have running rollouts there it is refused,
        unless `force`, which stops them in the same save (the deployer removes their objects).

        The save also writes to every capsule with a current rollout there (it leaves the
        environment), so a Deploy of one of them racing this deletion loses on the capsule's
        version, and a capsule's first Deploy here loses on the environment's (it records the
        capsule there): either is decided again, after the other, by the event store."""

        def decide() -> int:
            environment = load_live(self._store, Environment, environment_id)
            capsules = self._capsules_in(environment)
            current = [(capsule, self._current_rollout(capsule, environment_id)) for capsule in capsules]
            running = [rollout for _, rollout in current if rollout is not None and rollout.holds_objects]
            if running and not force:
                raise EnvironmentHasRunningCapsules(
                    environment_id, [(r.project_id, r.capsule_id, r.rollout_id) for r in running])
            environment.delete(force)
            stopped = [rollout for rollout in running if rollout.stop()]
            left = [capsule for capsule in capsules if capsule.leave_environment(environment_id)]
            index = self._store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment)
            if index is not None:  # (with no default ever chosen there is no index to start)
                index.clear(environment_id)
            return self._store.record(environment, *([index] if index is not None else []), *stopped, *left)

        return self._store.decide(ctx, decide)

    def seed(self, ctx: CommandContext, specs: Sequence[EnvironmentSpec]) -> int:
        """Creates the environments the configuration declares that have no history yet.

        Configuration only seeds: once an environment exists, its history is the truth, so
        one that was deleted later stays deleted however often rigd restarts."""
        last = 0
        for spec in specs:
            if load_any(self._store, Environment, spec.environment_id) is not None:
                continue
            try:
                last = max(last, self.create(ctx, spec))
            except EnvironmentAlreadyExists:
                continue  # another replica seeded it at the same moment
        return last

    def _capsules_in(self, environment: Environment) -> list[Capsule]:
        """The live capsules with a current rollout in the environment: those it recorded, and
        (for rollouts made before it recorded them) those the rollouts read model knows."""
        keys = set(environment.deployed_capsules())
        if self._rollouts is not None:
            keys.update(self._rollouts.capsules_in(environment.environment_id))
        found = (self._store.load(capsule_aggregate_id(*key), Capsule) for key in sorted(keys))
        return [capsule for capsule in found
                if capsule is not None and not capsule.deleted
                and capsule.current_rollout_id(environment.environment_id)]

    def _current_rollout(self, capsule: Capsule, environment_id: str) -> Rollout | None:
        rollout_id = capsule.current_rollout_id(environment_id)
        return self._store.load(rollout_aggregate_id(capsule.project_id, capsule.capsule_id, rollout_id), Rollout)

    def _default_index(self) -> DefaultEnvironment:
        index = self._store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment)
        return index if index is not None else DefaultEnvironment()
