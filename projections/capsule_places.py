"""Where a capsule of a request runs, from the projects, environments and capsules read
models: the `CapsulePlaces` of the composition root. An unknown project, environment or
capsule is NOT_FOUND, in that order, so the first thing wrong is the one named."""

from __future__ import annotations

from rigd.domain.cluster_driver import CapsulePlace, ProjectPlace
from rigd.domain.errors import InvalidArgument
from rigd.domain.live_capsules import PlacedCapsule, PlacedProject
from rigd.domain.naming import require
from rigd.projections.capsules import CapsuleQueries
from rigd.projections.environments import EnvironmentQueries, EnvironmentView
from rigd.projections.projects import ProjectQueries


class ReadModelPlaces:
    """`CapsulePlaces` answered by the read models."""

    def __init__(self, projects: ProjectQueries, environments: EnvironmentQueries,
                 capsules: CapsuleQueries) -> None:
        self._projects = projects
        self._environments = environments
        self._capsules = capsules

    def capsule(self, project_id: str, environment_id: str, capsule_id: str) -> PlacedCapsule:
        require(capsule_id, "capsule_id")
        placed = self.project(project_id, environment_id)
        self._capsules.get(project_id, capsule_id)
        where = placed.place
        return PlacedCapsule(
            CapsulePlace(where.project_id, where.environment_id, capsule_id, where.namespace), placed.cluster_id)

    def project(self, project_id: str, environment_id: str) -> PlacedProject:
        self._projects.get(project_id)  # the project first: an unknown one is the first thing wrong
        environment = self._environment(environment_id)
        (namespace,) = self._environments.namespaces([(project_id, environment.environment_id)])
        return PlacedProject(
            ProjectPlace(project_id, environment.environment_id, namespace.namespace), environment.cluster_id)

    def _environment(self, environment_id: str) -> EnvironmentView:
        if environment_id:
            return self._environments.get(environment_id)
        for environment in self._environments.all():
            if environment.default:
                return environment
        raise InvalidArgument("environment_id must not be empty: no environment is the default")
