"""api.v1.environment.Service."""

from __future__ import annotations

from rigd.domain.environment_commands import EnvironmentCommands, EnvironmentSpec
from rigd.projections.environments import EnvironmentQueries, EnvironmentView
from rigd.proto.api.v1.environment import environment_pb2
from rigd.proto.api.v1.environment import service_pb2 as pb
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.mapping import page, single_field_updates

SERVICE = "api.v1.environment.Service"


def environment_message(view: EnvironmentView) -> environment_pb2.Environment:
    return environment_pb2.Environment(
        environment_id=view.environment_id,
        default=view.default,
        cluster_id=view.cluster_id,
        namespace_template=view.namespace_template,
    )


class EnvironmentServicer:
    def __init__(
        self, commands: EnvironmentCommands, queries: EnvironmentQueries, settle: ReadYourWrites, platform_version: str
    ) -> None:
        self._commands = commands
        self._queries = queries
        self._settle = settle
        self._platform_version = platform_version

    def Create(self, request: pb.CreateRequest, call: Call) -> pb.CreateResponse:
        chosen = single_field_updates(request.initializers, "default")
        spec = EnvironmentSpec(
            environment_id=request.environment_id,
            cluster_id=request.cluster_id,
            namespace_template=request.namespace_template,
            default=chosen[-1] if chosen else None,
        )
        written = self._commands.create(call.context(), spec)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.CreateResponse()

    def Update(self, request: pb.UpdateRequest, call: Call) -> pb.UpdateResponse:
        written = self._commands.set_default(
            call.context(), request.environment_id, single_field_updates(request.updates, "default")
        )
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.UpdateResponse()

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._commands.delete(call.context(), request.environment_id, request.force)
        # a forced delete stops the rollouts running there, in the same save
        self._settle(written, (*self._queries.read_models, "rollouts"), call.deadline)
        return pb.DeleteResponse()

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        environments, _total = self._queries.list_page(page(request.pagination))
        return pb.ListResponse(
            environments=[environment_message(e) for e in environments],
            platform_version=self._platform_version,
        )

    def GetNamespaces(
        self, request: pb.GetNamespacesRequest, call: Call
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
