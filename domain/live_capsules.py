"""Live state of capsules, read from and acted on through the cluster drivers.

Nothing here is recorded: instances, logs, executions and metrics are the cluster's, asked for
on every call (DESIGN: what becomes an event). A request names a project, an environment and a
capsule; `CapsulePlaces` resolves them to where the capsule runs (the namespace and the
environment's cluster), refusing unknown ones, and `DriverSource` answers that cluster's driver.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rigd.domain.cluster_driver import (
    CapsulePlace,
    ClusterDriver,
    CustomMetric,
    ExecRequest,
    ExecSession,
    InstanceMetrics,
    InstanceNotFound,
    InstanceState,
    LogFeed,
    LogSelection,
    ObjectReference,
    ProjectPlace,
)
from rigd.domain.errors import ResourceExhausted
from rigd.domain.naming import quoted, require

MAX_OBJECTS = 10_000  # GetObjectsByKind has no pagination: its one answer stays a few MiB at most


@dataclass(frozen=True)
class PlacedCapsule:
    """A capsule in one environment, and the cluster that environment deploys to."""

    place: CapsulePlace
    cluster_id: str


@dataclass(frozen=True)
class PlacedProject:
    """A project in one environment, and the cluster that environment deploys to."""

    place: ProjectPlace
    cluster_id: str


class CapsulePlaces(Protocol):
    """Resolves what a request names. An empty `environment_id` is the default environment."""

    def capsule(self, project_id: str, environment_id: str, capsule_id: str) -> PlacedCapsule:
        """Raises NotFound for an unknown project, environment or capsule."""

    def project(self, project_id: str, environment_id: str) -> PlacedProject:
        """Raises NotFound for an unknown project or environment."""


class DriverSource(Protocol):
    def driver(self, cluster_id: str) -> ClusterDriver:
        """The driver of a configured cluster; FailedPrecondition when rigd has none for its type."""


@dataclass(frozen=True)
class CapsuleKey:
    """What a capsule request names (the wire's project_id, environment_id and capsule_id)."""

    project_id: str
    environment_id: str
    capsule_id: str


class LiveCapsules:
    """The capsule and project RPCs that read or act on what runs: one method per RPC."""

    def __init__(self, places: CapsulePlaces, drivers: DriverSource) -> None:
        self._places = places
        self._drivers = drivers

    def instances(self, key: CapsuleKey, include_deleted: bool, exclude_existing: bool) -> list[InstanceState]:
        """Oldest first; deleted ones (of the past 7 days) with `include_deleted`, and only
        those with `exclude_existing` as well."""
        driver, place = self._capsule(key)
        found = driver.instances(place, include_deleted=include_deleted)
        if exclude_existing:
            found = [instance for instance in found if instance.deleted_at is not None]
        return found

    def instance(self, key: CapsuleKey, instance_id: str) -> InstanceState:
        """One instance, also one deleted in the past 7 days."""
        require(instance_id, "instance_id")
        driver, place = self._capsule(key)
        for instance in driver.instances(place, include_deleted=True):
            if instance.instance_id == instance_id:
                return instance
        raise InstanceNotFound(instance_id)

    def restart(self, key: CapsuleKey, instance_id: str) -> None:
        require(instance_id, "instance_id")
        driver, place = self._capsule(key)
        driver.restart(place, instance_id)

    def logs(self, key: CapsuleKey, selection: LogSelection) -> LogFeed:
        driver, place = self._capsule(key)
        return driver.logs(place, selection)

    def execute(self, key: CapsuleKey, instance_id: str, request: ExecRequest) -> ExecSession:
        require(instance_id, "instance_id")
        driver, place = self._capsule(key)
        return driver.execute(place, instance_id, request)

    def metrics(self, key: CapsuleKey, instance_id: str | None) -> list[InstanceMetrics]:
        driver, place = self._capsule(key)
        return driver.metrics(place, instance_id or None)

    def custom_metrics(self, key: CapsuleKey) -> list[CustomMetric]:
        driver, place = self._capsule(key)
        return driver.custom_metrics(place)

    def objects_by_kind(self, project_id: str, environment_id: str, kind: str,
                        api_version: str) -> list[ObjectReference]:
        """Every object of the kind; the request has no pagination, so an answer that would
        exceed MAX_OBJECTS is refused rather than cut short."""
        require(kind, "kind")
        placed = self._places.project(project_id, environment_id)
        found = self._drivers.driver(placed.cluster_id).objects_by_kind(placed.place, kind, api_version)
        if len(found) > MAX_OBJECTS:
            raise ResourceExhausted(f"{len(found)} objects of kind {quoted(kind)}: more than the {MAX_OBJECTS}"
                                    " one answer carries")
        return found

    def object_metrics(self, project_id: str, environment_id: str, reference: ObjectReference) -> list[CustomMetric]:
        require(reference.kind, "object_reference.kind")
        require(reference.name, "object_reference.name")
        placed = self._places.project(project_id, environment_id)
        return self._drivers.driver(placed.cluster_id).object_metrics(placed.place, reference)

    def _capsule(self, key: CapsuleKey) -> tuple[ClusterDriver, CapsulePlace]:
        require(key.capsule_id, "capsule_id")
        placed = self._places.capsule(key.project_id, key.environment_id, key.capsule_id)
        return self._drivers.driver(placed.cluster_id), placed.place
