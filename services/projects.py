"""api.v1.project.Service."""

from __future__ import annotations

import grpc

from rigd.projections.projects import ProjectView
from rigd.proto.api.v1.project import project_pb2
from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.services.composition import Rigd
from rigd.services.mapping import command_context, page, single_field_updates, timestamp

SERVICE = "api.v1.project.Service"


def project_message(view: ProjectView) -> project_pb2.Project:
    return project_pb2.Project(
        project_id=view.project_id,
        name=view.name,
        created_at=timestamp(view.created_at),
        updated_at=timestamp(view.updated_at),
        installation_id=view.installation_id,
    )


class ProjectServicer:
    def __init__(self, rigd: Rigd) -> None:
        self._rigd = rigd
        self._queries = rigd.project_queries

    def Create(self, request: pb.CreateRequest, context: grpc.ServicerContext) -> pb.CreateResponse:
        written = self._rigd.projects.create(command_context(context), request.project_id,
                                             single_field_updates(request.initializers, "name"))
        self._rigd.wait_for(written, self._queries.read_models)
        return pb.CreateResponse(project=project_message(self._queries.get(request.project_id)))

    def Get(self, request: pb.GetRequest, context: grpc.ServicerContext) -> pb.GetResponse:
        return pb.GetResponse(project=project_message(self._queries.get(request.project_id)))

    def List(self, request: pb.ListRequest, context: grpc.ServicerContext) -> pb.ListResponse:
        projects, total = self._queries.list_page(page(request.pagination))
        return pb.ListResponse(projects=[project_message(p) for p in projects], total=total)

    def Update(self, request: pb.UpdateRequest, context: grpc.ServicerContext) -> pb.UpdateResponse:
        written = self._rigd.projects.rename(command_context(context), request.project_id,
                                             single_field_updates(request.updates, "name"))
        self._rigd.wait_for(written, self._queries.read_models)
        return pb.UpdateResponse()

    def Delete(self, request: pb.DeleteRequest, context: grpc.ServicerContext) -> pb.DeleteResponse:
        written = self._rigd.projects.delete(command_context(context), request.project_id)
        self._rigd.wait_for(written, self._queries.read_models)
        return pb.DeleteResponse()

    def PublicKey(self, request: pb.PublicKeyRequest, context: grpc.ServicerContext) -> pb.PublicKeyResponse:
        return pb.PublicKeyResponse(public_key=self._queries.public_key(request.project_id))
