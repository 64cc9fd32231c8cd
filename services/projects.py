"""api.v1.project.Service."""

from __future__ import annotations

from rigd.domain.project_commands import ProjectCommands
from rigd.domain.projects import ProjectSummary
from rigd.projections.projects import ProjectQueries
from rigd.proto.api.v1.project import project_pb2
from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.mapping import page, single_field_updates, timestamp

SERVICE = "api.v1.project.Service"


def project_message(project: ProjectSummary) -> project_pb2.Project:
    return project_pb2.Project(
        project_id=project.project_id,
        name=project.name,
        created_at=timestamp(project.created_at),
        updated_at=timestamp(project.updated_at),
        installation_id=project.installation_id,
    )


class ProjectServicer:
    def __init__(self, commands: ProjectCommands, queries: ProjectQueries, settle: ReadYourWrites) -> None:
        self._commands = commands
        self._queries = queries
        self._settle = settle

    def Create(self, request: pb.CreateRequest, call: Call) -> pb.CreateResponse:
        written, project = self._commands.create(
            call.context(), request.project_id, single_field_updates(request.initializers, "name"))
        # The answer comes from the recorded events, so it is right even if the read model lags.
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.CreateResponse(project=project_message(project))

    def Get(self, request: pb.GetRequest, call: Call) -> pb.GetResponse:
        return pb.GetResponse(project=project_message(self._queries.get(request.project_id)))

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        projects, total = self._queries.list_page(page(request.pagination))
        return pb.ListResponse(projects=[project_message(p) for p in projects], total=total)

    def Update(self, request: pb.UpdateRequest, call: Call) -> pb.UpdateResponse:
        written = self._commands.rename(
            call.context(), request.project_id, single_field_updates(request.updates, "name"))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.UpdateResponse()

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._commands.delete(call.context(), request.project_id)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.DeleteResponse()

    def PublicKey(self, request: pb.PublicKeyRequest, call: Call) -> pb.PublicKeyResponse:
        return pb.PublicKeyResponse(public_key=self._queries.public_key(request.project_id))
