"""api.v1.cluster.Service: the clusters of the configuration."""

from __future__ import annotations

from rigd.domain.clusters import Cluster, Clusters, ClusterType
from rigd.projections.environments import EnvironmentQueries
from rigd.proto.api.v1.cluster import cluster_pb2
from rigd.proto.api.v1.cluster import service_pb2 as pb
from rigd.services.calls import Call
from rigd.services.mapping import page

SERVICE = "api.v1.cluster.Service"

# The local process runtime builds and runs images on this machine, as a Docker cluster would.
_TYPES = {
    ClusterType.DOCKER: pb.CLUSTER_TYPE_DOCKER,
    ClusterType.LOCAL: pb.CLUSTER_TYPE_DOCKER,
    ClusterType.KUBERNETES: pb.CLUSTER_TYPE_KUBERNETES,
}


def config_message(cluster: Cluster) -> pb.GetConfigResponse:
    response = pb.GetConfigResponse(cluster_type=_TYPES[cluster.type], ingress=cluster.ingress)
    if cluster.dev_registry_host:
        response.registry.host = cluster.dev_registry_host
    elif cluster.type in (ClusterType.DOCKER, ClusterType.LOCAL):
        response.docker.SetInParent()
    return response


class ClusterServicer:
    def __init__(self, clusters: Clusters, environments: EnvironmentQueries) -> None:
        self._clusters = clusters
        self._environments = environments

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        clusters = page(request.pagination).slice(list(self._clusters.items))
        return pb.ListResponse(clusters=[cluster_pb2.Cluster(cluster_id=c.cluster_id) for c in clusters])

    def GetConfig(self, request: pb.GetConfigRequest, call: Call) -> pb.GetConfigResponse:
        environment = self._environments.get(request.environment_id)
        return config_message(self._clusters.get(environment.cluster_id))

    def GetConfigs(self, request: pb.GetConfigsRequest, call: Call) -> pb.GetConfigsResponse:
        return pb.GetConfigsResponse(clusters=[config_message(c) for c in self._clusters.items])
