"""Clusters come from configuration; environments name the cluster they deploy to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rigd.domain.errors import InvalidArgument, NotFound
from rigd.domain.naming import quoted


class ClusterType(Enum):
    DOCKER = "docker"
    KUBERNETES = "k8s"
    LOCAL = "local"


@dataclass(frozen=True)
class Cluster:
    cluster_id: str
    type: ClusterType
    dev_registry_host: str = ""
    ingress: bool = False
    # capsules get an image pull Secret from the project settings' registry credentials (k8s)
    create_pull_secrets: bool = False


class ClusterNotFound(NotFound):
    def __init__(self, cluster_id: str) -> None:
        super().__init__(f"cluster {quoted(cluster_id)} not found")


@dataclass(frozen=True)
class Clusters:
    """The configured clusters, in configuration order."""

    items: tuple[Cluster, ...]

    def get(self, cluster_id: str) -> Cluster:
        for cluster in self.items:
            if cluster.cluster_id == cluster_id:
                return cluster
        raise ClusterNotFound(cluster_id)

    def choose(self, cluster_id: str) -> Cluster:
        """The named cluster; with no name, the only one configured."""
        if cluster_id:
            return self.get(cluster_id)
        if len(self.items) == 1:
            return self.items[0]
        names = ", ".join(c.cluster_id for c in self.items) or "none"
        raise InvalidArgument(f"cluster_id is required: more than one cluster is configured ({names})")
