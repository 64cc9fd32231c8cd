"""api.v1.role.Service."""

from __future__ import annotations

from typing import Any

from rigd.domain.errors import InvalidArgument
from rigd.domain.groups import SERVICE_ACCOUNT, USER
from rigd.domain.permissions import Permission, Scope
from rigd.domain.roles import GROUP, RoleCommands, RoleUpdate
from rigd.projections.roles import RoleQueries, RoleView
from rigd.proto.api.v1.role import role_pb2
from rigd.proto.api.v1.role import service_pb2 as pb
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.mapping import page, timestamp

SERVICE = "api.v1.role.Service"
_ENTITY_KINDS = {"user_id": USER, "service_account_id": SERVICE_ACCOUNT, "group_id": GROUP}


def permission_of(message: role_pb2.Permission) -> Permission:
    scope = message.scope
    return Permission(message.action, Scope(scope.resource, scope.environment, scope.project))


def role_message(view: RoleView) -> role_pb2.Role:
    return role_pb2.Role(
        role_id=view.role_id,
        permissions=[role_pb2.Permission(action=p.action, scope=role_pb2.Scope(
            resource=p.scope.resource, environment=p.scope.environment, project=p.scope.project))
            for p in view.permissions],
        metadata=view.metadata, created_at=timestamp(view.created_at), updated_at=timestamp(view.updated_at))


def role_updates(updates: Any) -> list[RoleUpdate]:
    result = []
    for index, update in enumerate(updates):
        field = update.WhichOneof("update")
        if field is None:
            raise InvalidArgument(f"update {index} sets no field")
        if field in ("add_permission", "remove_permission"):
            result.append(RoleUpdate(field, permission_of(getattr(update, field))))
        elif field == "set_metadata":
            result.append(RoleUpdate(field, (update.set_metadata.key, update.set_metadata.value)))
        else:
            result.append(RoleUpdate(field, update.delete_metadata_key))
    return result


def entity_of(entity: role_pb2.EntityID) -> tuple[str, str]:
    kind = entity.WhichOneof("kind")
    if kind is None:
        raise InvalidArgument("entity_id must set user_id, service_account_id or group_id")
    return _ENTITY_KINDS[kind], getattr(entity, kind)


class RoleServicer:
    def __init__(self, commands: RoleCommands, queries: RoleQueries, settle: ReadYourWrites) -> None:
        self._commands = commands
        self._queries = queries
        self._settle = settle

    def Create(self, request: pb.CreateRequest, call: Call) -> pb.CreateResponse:
        written = self._commands.create(
            call.context(), request.role_id, [permission_of(p) for p in request.permissions])
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.CreateResponse(role=role_message(self._queries.get(request.role_id)))

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._commands.delete(call.context(), request.role_id)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.DeleteResponse()

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        roles, _total = self._queries.list_page(page(request.pagination))  # role.List has no total
        return pb.ListResponse(roles=[role_message(r) for r in roles])

    def Update(self, request: pb.UpdateRequest, call: Call) -> pb.UpdateResponse:
        written = self._commands.update(call.context(), request.role_id, role_updates(request.updates))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.UpdateResponse()

    def Get(self, request: pb.GetRequest, call: Call) -> pb.GetResponse:
        return pb.GetResponse(role=role_message(self._queries.get(request.role_id)))

    def Assign(self, request: pb.AssignRequest, call: Call) -> pb.AssignResponse:
        written = self._commands.assign(call.context(), request.role_id, entity_of(request.entity_id))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.AssignResponse()

    def Revoke(self, request: pb.RevokeRequest, call: Call) -> pb.RevokeResponse:
        written = self._commands.revoke(call.context(), request.role_id, entity_of(request.entity_id))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.RevokeResponse()
