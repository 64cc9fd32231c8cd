"""Who a token's subject is, in memory: each user's identifier and printable name, each
service account's client id and name, so authenticating a call reads no database.

Kept by the session view's follower (every process), from the directory's user and
service-account events, through `directory_handlers`, which also tells the session view
about deleted subjects and `reset_sessions`."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from rigd.domain.service_accounts import ServiceAccount, client_id_of
from rigd.domain.sessions import SubjectType
from rigd.domain.users import User, identifier, printable_name
from rigd.projections.session_view import SESSION_HANDLERS, Handler, SessionView


@dataclass(frozen=True)
class UserNames:
    email: str = ""
    username: str = ""
    phone_number: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def identifier(self) -> str:
        return identifier(self.username, self.email, self.phone_number)

    @property
    def printable_name(self) -> str:
        return printable_name(self.first_name, self.last_name, self.username, self.email, self.phone_number)


@dataclass(frozen=True)
class AccountNames:
    client_id: str
    name: str


class Principals:
    """The live users and service accounts by id, with what an Actor needs. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users: dict[str, UserNames] = {}
        self._accounts: dict[str, AccountNames] = {}

    def user(self, user_id: str) -> UserNames | None:
        with self._lock:
            return self._users.get(user_id)

    def service_account(self, service_account_id: str) -> AccountNames | None:
        with self._lock:
            return self._accounts.get(service_account_id)

    def put_user(self, user_id: str, **changes: str) -> None:
        with self._lock:
            self._users[user_id] = replace(self._users.get(user_id, UserNames()), **changes)

    def put_service_account(self, service_account_id: str, names: AccountNames) -> None:
        with self._lock:
            self._accounts[service_account_id] = names

    def forget_user(self, user_id: str) -> None:
        with self._lock:
            self._users.pop(user_id, None)

    def forget_service_account(self, service_account_id: str) -> None:
        with self._lock:
            self._accounts.pop(service_account_id, None)


def directory_handlers(principals: Principals) -> Mapping[str, Handler]:
    """The session view's handlers (sessions invalidated) and the directory's: users and
    service accounts created, renamed, deleted, and users' `reset_sessions`."""

    def user_id(event: Any) -> str:
        return str(event.originator_id)

    def user_created(event: Any, view: SessionView) -> None:
        principals.put_user(user_id(event), email=event.email, username=event.username,
                            phone_number=event.phone_number)
        view.restore_subject(SubjectType.USER, user_id(event))

    def user_deleted(event: Any, view: SessionView) -> None:
        view.delete_subject(SubjectType.USER, user_id(event))
        principals.forget_user(user_id(event))

    def account_created(event: Any, view: SessionView) -> None:
        principals.put_service_account(user_id(event), AccountNames(client_id_of(event.originator_id), event.name))
        view.restore_subject(SubjectType.SERVICE_ACCOUNT, user_id(event))

    def account_deleted(event: Any, view: SessionView) -> None:
        view.delete_subject(SubjectType.SERVICE_ACCOUNT, user_id(event))
        principals.forget_service_account(user_id(event))

    return {
        **SESSION_HANDLERS,
        User.Created.TOPIC: user_created,
        User.EmailChanged.TOPIC: lambda e, _: principals.put_user(user_id(e), email=e.email),
        User.UsernameChanged.TOPIC: lambda e, _: principals.put_user(user_id(e), username=e.username),
        User.PhoneNumberChanged.TOPIC: lambda e, _: principals.put_user(user_id(e), phone_number=e.phone_number),
        User.ProfileUpdated.TOPIC: lambda e, _: principals.put_user(
            user_id(e), first_name=e.first_name, last_name=e.last_name),
        User.SessionsReset.TOPIC: lambda e, view: view.reset_sessions(user_id(e), e.timestamp),
        User.Deleted.TOPIC: user_deleted,
        ServiceAccount.Created.TOPIC: account_created,
        ServiceAccount.Deleted.TOPIC: account_deleted,
    }
