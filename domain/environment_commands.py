"""Command side of environments: load, decide, save once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rigd.domain.clusters import Clusters
from rigd.domain.context import CommandContext
from rigd.domain.environments import (
    DEFAULT_ENVIRONMENT_ID,
    DefaultEnvironment,
    Environment,
    EnvironmentAlreadyExists,
    EnvironmentNotFound,
)
from rigd.domain.event_store import EventStore
from rigd.domain.namespaces import NamespaceTemplate
from rigd.domain.naming import require, validate_system_name


@dataclass(frozen=True)
class EnvironmentSpec:
    """An environment as a request or the configuration declares it."""

    environment_id: str
    cluster_id: str = ""
    namespace_template: str = ""
    default: bool | None = None  # None: become the default only if there is none


class EnvironmentCommands:
    def __init__(self, store: EventStore, clusters: Clusters) -> None:
        self._store = store
        self._clusters = clusters

    def create(self, ctx: CommandContext, spec: EnvironmentSpec) -> int:
        validate_system_name(spec.environment_id, "environment_id")
        cluster = self._clusters.choose(spec.cluster_id)
        template = NamespaceTemplate.parse(spec.namespace_template)

        def decide() -> int:
            environment = self._store.load(Environment.create_id(spec.environment_id), Environment)
            if environment is None:
                environment = Environment.create(spec.environment_id, cluster.cluster_id, template.text, ctx)
            else:
                environment.revive(cluster.cluster_id, template.text, ctx)
            index = self._default_index(ctx)
            if spec.default or (spec.default is None and not index.environment_id):
                index.choose(spec.environment_id, ctx)
            return self._store.record(environment, index)

        return self._store.decide(decide, conflict=lambda: EnvironmentAlreadyExists(spec.environment_id))

    def set_default(self, ctx: CommandContext, environment_id: str, defaults: Sequence[bool]) -> int:
        """Applies `default` updates in order; returns 0 when nothing changed."""

        def decide() -> int:
            environment = self._live(environment_id)
            index = self._default_index(ctx)
            for default in defaults:
                if default and index.environment_id != environment_id:
                    environment.make_default(ctx)
                    index.choose(environment_id, ctx)
                elif not default:
                    index.clear(environment_id, ctx)
            return self._store.record(environment, index)

        return self._store.decide(decide)

    def delete(self, ctx: CommandContext, environment_id: str, force: bool) -> int:
        def decide() -> int:
            environment = self._live(environment_id)
            environment.delete(force, ctx)
            index = self._default_index(ctx)
            index.clear(environment_id, ctx)
            return self._store.record(environment, index)

        return self._store.decide(decide)

    def declare(self, ctx: CommandContext, specs: Sequence[EnvironmentSpec]) -> int:
        """Creates the environments the configuration declares and that do not exist yet."""
        last = 0
        for spec in specs:
            existing = self._store.load(Environment.create_id(spec.environment_id), Environment)
            if existing is not None and not existing.deleted:
                continue
            try:
                last = max(last, self.create(ctx, spec))
            except EnvironmentAlreadyExists:
                continue  # another replica declared it at the same moment
        return last

    def _live(self, environment_id: str) -> Environment:
        require(environment_id, "environment_id")
        environment = self._store.load(Environment.create_id(environment_id), Environment)
        if environment is None:
            raise EnvironmentNotFound(environment_id)
        environment.require_live()
        return environment

    def _default_index(self, ctx: CommandContext) -> DefaultEnvironment:
        index = self._store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment)
        return index if index is not None else DefaultEnvironment.start(ctx)
