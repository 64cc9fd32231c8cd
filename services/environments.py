"""api.v1.environment.Service."""

from __future__ import annotations

import grpc

from rigd.domain.environment_commands import EnvironmentSpec
from rigd.projections.environments import EnvironmentView
from rigd.proto.api.v1.environment import environment_pb2
from rigd.proto.api.v1.environment import service_pb2 as pb
from rigd.services.composition import Rigd
from rigd.services.mapping import command_context, page, single_field_updates

SERVICE = "api.v1.environment.Service"


def environment_message(view: EnvironmentView) -> environment_pb2.Environment:
    return environment_pb2.Environment(
        environment_id=view.environment_id,
        default=view.default,
        cluster_id=view.cluster_id,
        namespace_template=view.namespace_template,
    )


class EnvironmentServicer:
    def __init__(self, rigd: Rigd) -> None:
        self._rigd = rigd
        self._queries = rigd.environment_queries

    def Create(self, request: pb.CreateRequest, context: grpc.ServicerContext) -> pb.CreateResponse:
        chosen = single_field_updates(request.initializers, "default")
        spec = EnvironmentSpec(
            environment_id=request.environment_id,
            cluster_id=request.cluster_id,
            namespace_template=request.namespace_template,
            default=chosen[-1] if chosen else None,
        )
        written = self._rigd.environments.create(command_context(context), spec)
        self._rigd.wait_for(written, self._queries.read_models)
        return pb.CreateResponse()

    def Update(self, request: pb.UpdateRequest, context: grpc.ServicerContext) -> pb.UpdateResponse:
        written = self._rigd.environments.set_default(
            command_context(context), request.environment_id, single_field_updates(request.updates, "default")
        )
        self._rigd.wait_for(written, self._queries.read_models)
        return pb.UpdateResponse()

    def Delete(self, request: pb.DeleteRequest, context: grpc.ServicerContext) -> pb.DeleteResponse:
        written = self._rigd.environments.delete(command_context(context), request.environment_id, request.force)
        self._rigd.wait_for(written, self._queries.read_models)
        return pb.DeleteResponse()

    def List(self, request: pb.ListRequest, context: grpc.ServicerContext) -> pb.ListResponse:
        environments, _total = self._queries.list_page(page(request.pagination))
        return pb.ListResponse(
            environments=[environment_message(e) for e in environments],
            platform_version=self._rigd.settings.platform_version,
        )

    def GetNamespaces(
        self, request: pb.GetNamespacesRequest, context: grpc.ServicerContext
    ) -> pb.GetNamespacesResponse:
        pairs = [(pair.project_id, pair.environment_id) for pair in request.project_envs]
        return pb.GetNamespacesResponse(
            namespaces=[
                pb.ProjectEnvironmentNamespace(
                    project_id=n.project_id, environment_id=n.environment_id, namespace=n.namespace
                )
                for n in self._queries.namespaces(pairs)
            ]
        )
