"""The API's servicers, each given only the applications and queries it uses."""

from __future__ import annotations

from rigd.services import clusters, environments, project_settings, projects
from rigd.services.composition import Rigd


def servicers(rigd: Rigd) -> dict[str, object]:
    """The servicer of each implemented service, by the service's full name."""
    return {
        projects.SERVICE: projects.ProjectServicer(rigd.projects, rigd.project_queries, rigd.wait_for),
        project_settings.SERVICE: project_settings.ProjectSettingsServicer(),
        environments.SERVICE: environments.EnvironmentServicer(
            rigd.environments, rigd.environment_queries, rigd.wait_for, rigd.settings.platform_version),
        clusters.SERVICE: clusters.ClusterServicer(rigd.clusters, rigd.environment_queries),
    }
