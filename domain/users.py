"""Users: people who log in. Their id is a random UUID; their email and username are
claimed by name claims (domain.claims), so each belongs to one user at a time."""

from __future__ import annotations

import base64
import re
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.errors import AlreadyExists, InvalidArgument, NotFound
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id
from rigd.domain.naming import quoted

REGISTERED_BY_SYSTEM = "system"  # created by someone through user.Service (or by rigd)
REGISTERED_BY_SIGNUP = "signup"  # registered themselves (authentication.Register)
IDENTIFIER_EXISTS = "user-identifier already exists"
ADMIN_BOOTSTRAP_ID = stable_id("admin-bootstrap", "rigd")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
MAX_METADATA_KEY = 256
MAX_METADATA_VALUE = 64 * 1024


class UserNotFound(NotFound):
    def __init__(self, user: str) -> None:
        super().__init__(f"user {quoted(user)} not found")


class UserIdentifierExists(AlreadyExists):
    def __init__(self) -> None:
        super().__init__(IDENTIFIER_EXISTS)


def validate_email(email: str) -> str:
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidArgument(f"email {quoted(email)} is not a valid email address")
    return email


def validate_username(username: str) -> str:
    if not _USERNAME.match(username):
        raise InvalidArgument(
            f"username {quoted(username)} is invalid: use 2 to 63 letters, digits, '.', '_' and '-', "
            "starting with a letter or digit")
    return username


def validate_phone_number(phone_number: str) -> str:
    if not _PHONE.match(phone_number):
        raise InvalidArgument(
            f"phone_number {quoted(phone_number)} is invalid: use 6 to 15 digits, optionally after '+'")
    return phone_number


def validate_metadata(key: str, value: bytes) -> None:
    if not key:
        raise InvalidArgument("metadata key must not be empty")
    if len(key) > MAX_METADATA_KEY:
        raise InvalidArgument(f"metadata key must be at most {MAX_METADATA_KEY} characters long")
    if len(value) > MAX_METADATA_VALUE:
        raise InvalidArgument(f"metadata value must be at most {MAX_METADATA_VALUE} bytes")


def encode_metadata(value: bytes) -> str:
    """Metadata values are bytes; events hold them as base64."""
    return base64.b64encode(value).decode()


class User(AuditedAggregate):
    TOPIC = "user"
    snapshot_interval: ClassVar[int] = 50  # long-lived: profile, password and session resets add up

    class Created(AuditedCreated):
        TOPIC = "user.Created"
        email: str
        username: str
        phone_number: str
        register_method: str  # REGISTERED_BY_SYSTEM or REGISTERED_BY_SIGNUP
        login_type: int  # model.LoginType of a signup (0 for system)
        creator_id: str  # the user or service account id that created it ("" for rigd or a signup)

    class EmailChanged(AuditedEvent):
        TOPIC = "user.EmailChanged"
        email: str

    class UsernameChanged(AuditedEvent):
        TOPIC = "user.UsernameChanged"
        username: str

    class PhoneNumberChanged(AuditedEvent):
        TOPIC = "user.PhoneNumberChanged"
        phone_number: str

    class ProfileUpdated(AuditedEvent):
        TOPIC = "user.ProfileUpdated"
        first_name: str
        last_name: str

    class PasswordSet(AuditedEvent):
        """The password hash, sealed for this user (never the password)."""

        TOPIC = "user.PasswordSet"
        sealed_hash: str

    class EmailVerificationSet(AuditedEvent):
        TOPIC = "user.EmailVerificationSet"
        verified: bool

    class PhoneVerificationSet(AuditedEvent):
        TOPIC = "user.PhoneVerificationSet"
        verified: bool

    class MetadataSet(AuditedEvent):
        TOPIC = "user.MetadataSet"
        key: str
        value: str  # base64

    class MetadataDeleted(AuditedEvent):
        TOPIC = "user.MetadataDeleted"
        key: str

    class SessionsReset(AuditedEvent):
        """Sessions begun before this event's timestamp end (`new_sessions_since`)."""

        TOPIC = "user.SessionsReset"

    class Deleted(AuditedEvent):
        TOPIC = "user.Deleted"

    @event(Created)
    def __init__(
        self, email: str, username: str, phone_number: str, register_method: str, login_type: int, creator_id: str
    ) -> None:
        self.email = email
        self.username = username
        self.phone_number = phone_number
        self.register_method = register_method
        self.login_type = login_type
        self.creator_id = creator_id
        self.first_name = ""
        self.last_name = ""
        self.sealed_hash = ""
        self.is_email_verified = False
        self.is_phone_verified = False
        self.metadata: dict[str, str] = {}
        self.new_sessions_since: datetime | None = None
        self.deleted = False

    @property
    def user_id(self) -> str:
        return str(self.id)

    def require_live(self) -> None:
        if self.deleted:
            raise UserNotFound(self.user_id)

    def change_email(self, email: str) -> None:
        self.require_live()
        if email != self.email:
            self._email_changed(email)

    def change_username(self, username: str) -> None:
        self.require_live()
        if username != self.username:
            self._username_changed(username)

    def change_phone_number(self, phone_number: str) -> None:
        self.require_live()
        if phone_number != self.phone_number:
            self._phone_number_changed(phone_number)

    def update_profile(self, first_name: str, last_name: str) -> None:
        self.require_live()
        if (first_name, last_name) != (self.first_name, self.last_name):
            self._profile_updated(first_name, last_name)

    def set_password(self, sealed_hash: str) -> None:
        self.require_live()
        self._password_set(sealed_hash)

    def set_email_verified(self, verified: bool) -> None:
        self.require_live()
        if verified != self.is_email_verified:
            self._email_verification_set(verified)

    def set_phone_verified(self, verified: bool) -> None:
        self.require_live()
        if verified != self.is_phone_verified:
            self._phone_verification_set(verified)

    def set_metadata(self, key: str, value: bytes) -> None:
        self.require_live()
        validate_metadata(key, value)
        encoded = encode_metadata(value)
        if self.metadata.get(key) != encoded:
            self._metadata_set(key, encoded)

    def delete_metadata(self, key: str) -> None:
        self.require_live()
        if key in self.metadata:
            self._metadata_deleted(key)

    def reset_sessions(self) -> None:
        self.require_live()
        self._sessions_reset()

    def delete(self) -> None:
        self.require_live()
        self._deleted()

    @event(EmailChanged)
    def _email_changed(self, email: str) -> None:
        self.email = email
        self.is_email_verified = False  # a new address is not verified

    @event(UsernameChanged)
    def _username_changed(self, username: str) -> None:
        self.username = username

    @event(PhoneNumberChanged)
    def _phone_number_changed(self, phone_number: str) -> None:
        self.phone_number = phone_number
        self.is_phone_verified = False

    @event(ProfileUpdated)
    def _profile_updated(self, first_name: str, last_name: str) -> None:
        self.first_name = first_name
        self.last_name = last_name

    @event(PasswordSet)
    def _password_set(self, sealed_hash: str) -> None:
        self.sealed_hash = sealed_hash

    @event(EmailVerificationSet)
    def _email_verification_set(self, verified: bool) -> None:
        self.is_email_verified = verified

    @event(PhoneVerificationSet)
    def _phone_verification_set(self, verified: bool) -> None:
        self.is_phone_verified = verified

    @event(MetadataSet)
    def _metadata_set(self, key: str, value: str) -> None:
        self.metadata[key] = value

    @event(MetadataDeleted)
    def _metadata_deleted(self, key: str) -> None:
        del self.metadata[key]

    @event(SessionsReset)
    def _sessions_reset(self, timestamp: datetime | None = None) -> None:
        self.new_sessions_since = timestamp

    @event(Deleted)
    def _deleted(self) -> None:
        self.deleted = True


def printable_name(first_name: str, last_name: str, username: str, email: str, phone_number: str) -> str:
    """"First Last" when a profile is set, else the username, the email or the phone number."""
    full = f"{first_name} {last_name}".strip()
    return full or username or email or phone_number


def identifier(username: str, email: str, phone_number: str) -> str:
    """How an author is identified: the username, else the email, else the phone number."""
    return username or email or phone_number


class AdminBootstrapped(AuditedAggregate):
    """Recorded with the first admin user, so that replicas starting together make one."""

    TOPIC = "admin-bootstrap"

    class Created(AuditedCreated):
        TOPIC = "admin-bootstrap.Created"
        user_id: str

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return ADMIN_BOOTSTRAP_ID

    @event(Created)
    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
