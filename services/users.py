"""api.v1.user.Service."""

from __future__ import annotations

from typing import Any

from rigd.adapters.passwords import imported_bcrypt, imported_scrypt
from rigd.domain.errors import InvalidArgument
from rigd.domain.user_commands import UserCommands, UserUpdate
from rigd.domain.users import REGISTERED_BY_SIGNUP
from rigd.projections.sessions import SessionQueries, SessionView
from rigd.projections.users import UserQueries, UserView
from rigd.proto.api.v1.user import service_pb2 as pb
from rigd.proto.api.v1.user import user_pb2
from rigd.proto.model import common_pb2
from rigd.proto.model import user_pb2 as model_user
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.logins import AUTH_METHODS
from rigd.services.mapping import page, timestamp

SERVICE = "api.v1.user.Service"
_IDENTIFIER_KINDS = {"email": "email", "username": "username", "phone_number": "phone"}
LOGIN_TYPES_BY_METHOD = {method: login_type for login_type, method in AUTH_METHODS.items()}


def register_info(view: UserView) -> model_user.RegisterInfo:
    method = model_user.RegisterMethod(
        signup=model_user.RegisterMethod.Signup(login_type=view.login_type)  # type: ignore[arg-type]
    ) if view.register_method == REGISTERED_BY_SIGNUP else model_user.RegisterMethod(
        system=model_user.RegisterMethod.System())
    return model_user.RegisterInfo(creater_id=view.creator_id, method=method)


def user_info(view: UserView) -> model_user.UserInfo:
    return model_user.UserInfo(email=view.email, username=view.username, phone_number=view.phone_number,
                               created_at=timestamp(view.created_at), group_ids=view.group_ids)


def user_message(view: UserView) -> user_pb2.User:
    user = user_pb2.User(
        user_id=view.user_id, user_info=user_info(view),
        profile=user_pb2.Profile(first_name=view.first_name, last_name=view.last_name),
        updated_at=timestamp(view.updated_at), register_info=register_info(view),
        is_phone_verified=view.is_phone_verified, is_email_verified=view.is_email_verified, metadata=view.metadata)
    if view.new_sessions_since is not None:
        user.new_sessions_since.CopyFrom(timestamp(view.new_sessions_since))
    return user


def user_entry(view: UserView) -> model_user.UserEntry:
    return model_user.UserEntry(
        user_id=view.user_id, printable_name=view.printable_name, register_info=register_info(view),
        verified=view.is_email_verified or view.is_phone_verified, group_ids=view.group_ids,
        created_at=timestamp(view.created_at))


def session_entry(view: SessionView) -> user_pb2.SessionEntry:
    session = user_pb2.Session(
        auth_method=user_pb2.AuthMethod(login_type=LOGIN_TYPES_BY_METHOD.get(view.auth_method, 0)),  # type: ignore[arg-type]
        is_invalidated=view.is_invalidated, created_at=timestamp(view.created_at),
        expires_at=timestamp(view.expires_at))
    if view.invalidated_at is not None:
        session.invalidated_at.CopyFrom(timestamp(view.invalidated_at))
    if view.renewed_at is not None:
        session.renewed_at.CopyFrom(timestamp(view.renewed_at))
    return user_pb2.SessionEntry(session_id=view.session_id, session=session)


def user_updates(updates: Any) -> list[UserUpdate]:
    """user.Update messages as the domain's updates (imported hashes in the hasher's text form)."""
    result = []
    for index, update in enumerate(updates):
        field = update.WhichOneof("field")
        if field is None:
            raise InvalidArgument(f"update {index} sets no field")
        if field == "profile":
            result.append(UserUpdate(field, (update.profile.first_name, update.profile.last_name)))
        elif field == "set_metadata":
            result.append(UserUpdate(field, (update.set_metadata.key, update.set_metadata.value)))
        elif field == "reset_sessions":
            result.append(UserUpdate(field))
        elif field == "hashed_password":
            result.append(UserUpdate(field, imported_hash(update.hashed_password)))
        else:
            result.append(UserUpdate(field, getattr(update, field)))
    return result


def imported_hash(instance: common_pb2.HashingInstance) -> str:
    method = instance.config.WhichOneof("method")
    if method == "bcrypt":
        return imported_bcrypt(instance.hash)
    if method == "scrypt":
        config = instance.config.scrypt
        return imported_scrypt(instance.hash, instance.scrypt.salt, {
            "signer_key": config.signer_key, "salt_separator": config.salt_separator, "rounds": config.rounds,
            "mem_cost": config.mem_cost, "p": config.p, "key_len": config.key_len})
    raise InvalidArgument("hashed_password needs a config: bcrypt or scrypt")


class UserServicer:
    def __init__(self, commands: UserCommands, queries: UserQueries, settle: ReadYourWrites,
                 sessions: SessionQueries) -> None:
        self._commands = commands
        self._queries = queries
        self._settle = settle
        self._sessions = sessions

    def Create(self, request: pb.CreateRequest, call: Call) -> pb.CreateResponse:
        written, user_id = self._commands.create(
            call.context(), user_updates(request.initializers), request.initial_group_id)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.CreateResponse(user=user_message(self._queries.get(user_id)))

    def Update(self, request: pb.UpdateRequest, call: Call) -> pb.UpdateResponse:
        written = self._commands.update(call.context(), request.user_id, user_updates(request.updates))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.UpdateResponse()

    def Get(self, request: pb.GetRequest, call: Call) -> pb.GetResponse:
        return pb.GetResponse(user=user_message(self._queries.get(request.user_id)))

    def GetByIdentifier(self, request: pb.GetByIdentifierRequest, call: Call) -> pb.GetByIdentifierResponse:
        kind = request.identifier.WhichOneof("identifier")
        if kind is None:
            raise InvalidArgument("identifier must set username, email or phone_number")
        user_id = self._commands.find_user_id(_IDENTIFIER_KINDS[kind], getattr(request.identifier, kind))
        return pb.GetByIdentifierResponse(user=user_message(self._queries.get(user_id)))

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        users, total = self._queries.list_page(page(request.pagination), request.search)
        return pb.ListResponse(users=[user_entry(u) for u in users], total=total)

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._commands.delete(call.context(), request.user_id)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.DeleteResponse()

    def ListSessions(self, request: pb.ListSessionsRequest, call: Call) -> pb.ListSessionsResponse:
        self._queries.get(request.user_id)
        sessions, total = self._sessions.list_page(request.user_id, page(request.pagination))
        return pb.ListSessionsResponse(sessions=[session_entry(s) for s in sessions], total=total)
