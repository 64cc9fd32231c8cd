"""api.v1.service_account.Service."""

from __future__ import annotations

from rigd.domain.context import Actor
from rigd.domain.service_accounts import ServiceAccountCommands
from rigd.projections.service_accounts import ServiceAccountQueries, ServiceAccountView
from rigd.proto.api.v1.service_account import service_account_pb2
from rigd.proto.api.v1.service_account import service_pb2 as pb
from rigd.proto.model import author_pb2
from rigd.proto.model import user_pb2 as model_user
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.mapping import timestamp

SERVICE = "api.v1.service_account.Service"


def author(actor: Actor) -> author_pb2.Author:
    message = author_pb2.Author(identifier=actor.identifier, printable_name=actor.printable_name)
    if actor.user_id:
        message.user_id = actor.user_id
    elif actor.service_account_id:
        message.service_account_id = actor.service_account_id
    return message


def service_account_entry(view: ServiceAccountView) -> model_user.ServiceAccountEntry:
    return model_user.ServiceAccountEntry(
        service_account_id=view.service_account_id, name=view.name, client_id=view.client_id,
        group_ids=view.group_ids, created_at=timestamp(view.created_at), created_by=author(view.created_by))


class ServiceAccountServicer:
    def __init__(
        self, commands: ServiceAccountCommands, queries: ServiceAccountQueries, settle: ReadYourWrites
    ) -> None:
        self._commands = commands
        self._queries = queries
        self._settle = settle

    def Create(self, request: pb.CreateRequest, call: Call) -> pb.CreateResponse:
        written, account, secret = self._commands.create(call.context(), request.name, request.initial_group_id)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.CreateResponse(
            service_account=service_account_pb2.ServiceAccount(
                name=account.name, created_at=timestamp(account.created_on), created_by=author(call.principal),
                managed=account.managed, group_ids=[request.initial_group_id] if request.initial_group_id else []),
            client_id=account.client_id, client_secret=secret)

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        return pb.ListResponse(service_accounts=[service_account_entry(v) for v in self._queries.all()])

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._commands.delete(call.context(), request.service_account_id)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.DeleteResponse()
