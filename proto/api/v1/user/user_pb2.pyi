import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import auth_pb2 as _auth_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from rigd.proto.model import metadata_pb2 as _metadata_pb2
from rigd.proto.model import user_pb2 as _user_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class VerificationType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VERIFICATION_TYPE_UNSPECIFIED: _ClassVar[VerificationType]
    VERIFICATION_TYPE_EMAIL: _ClassVar[VerificationType]
    VERIFICATION_TYPE_TEXT: _ClassVar[VerificationType]
    VERIFICATION_TYPE_RESET_PASSWORD: _ClassVar[VerificationType]
VERIFICATION_TYPE_UNSPECIFIED: VerificationType
VERIFICATION_TYPE_EMAIL: VerificationType
VERIFICATION_TYPE_TEXT: VerificationType
VERIFICATION_TYPE_RESET_PASSWORD: VerificationType

class VerificationCode(_message.Message):
    __slots__ = ("code", "sent_at", "expires_at", "attempts", "last_attempt", "type", "user_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    code: _common_pb2.HashingInstance
    sent_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    attempts: int
    last_attempt: _timestamp_pb2.Timestamp
    type: VerificationType
    user_id: str
    def __init__(self, code: _Optional[_Union[_common_pb2.HashingInstance, _Mapping]] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., attempts: _Optional[int] = ..., last_attempt: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., type: _Optional[_Union[VerificationType, str]] = ..., user_id: _Optional[str] = ...) -> None: ...

class Profile(_message.Message):
    __slots__ = ("first_name", "last_name")
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    first_name: str
    last_name: str
    def __init__(self, first_name: _Optional[str] = ..., last_name: _Optional[str] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("user_id", "user_info", "profile", "updated_at", "register_info", "is_phone_verified", "is_email_verified", "new_sessions_since", "metadata")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_INFO_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    REGISTER_INFO_FIELD_NUMBER: _ClassVar[int]
    IS_PHONE_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    IS_EMAIL_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    NEW_SESSIONS_SINCE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    user_info: _user_pb2.UserInfo
    profile: Profile
    updated_at: _timestamp_pb2.Timestamp
    register_info: _user_pb2.RegisterInfo
    is_phone_verified: bool
    is_email_verified: bool
    new_sessions_since: _timestamp_pb2.Timestamp
    metadata: _containers.ScalarMap[str, bytes]
    def __init__(self, user_id: _Optional[str] = ..., user_info: _Optional[_Union[_user_pb2.UserInfo, _Mapping]] = ..., profile: _Optional[_Union[Profile, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., register_info: _Optional[_Union[_user_pb2.RegisterInfo, _Mapping]] = ..., is_phone_verified: _Optional[bool] = ..., is_email_verified: _Optional[bool] = ..., new_sessions_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., metadata: _Optional[_Mapping[str, bytes]] = ...) -> None: ...

class Update(_message.Message):
    __slots__ = ("email", "username", "phone_number", "password", "profile", "is_email_verified", "is_phone_verified", "reset_sessions", "set_metadata", "delete_metadata_key", "hashed_password")
    class ResetSessions(_message.Message):
        __slots__ = ()
        def __init__(self) -> None: ...
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    IS_EMAIL_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    IS_PHONE_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    RESET_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    SET_METADATA_FIELD_NUMBER: _ClassVar[int]
    DELETE_METADATA_KEY_FIELD_NUMBER: _ClassVar[int]
    HASHED_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    email: str
    username: str
    phone_number: str
    password: str
    profile: Profile
    is_email_verified: bool
    is_phone_verified: bool
    reset_sessions: Update.ResetSessions
    set_metadata: _metadata_pb2.Metadata
    delete_metadata_key: str
    hashed_password: _common_pb2.HashingInstance
    def __init__(self, email: _Optional[str] = ..., username: _Optional[str] = ..., phone_number: _Optional[str] = ..., password: _Optional[str] = ..., profile: _Optional[_Union[Profile, _Mapping]] = ..., is_email_verified: _Optional[bool] = ..., is_phone_verified: _Optional[bool] = ..., reset_sessions: _Optional[_Union[Update.ResetSessions, _Mapping]] = ..., set_metadata: _Optional[_Union[_metadata_pb2.Metadata, _Mapping]] = ..., delete_metadata_key: _Optional[str] = ..., hashed_password: _Optional[_Union[_common_pb2.HashingInstance, _Mapping]] = ...) -> None: ...

class AuthMethod(_message.Message):
    __slots__ = ("login_type",)
    LOGIN_TYPE_FIELD_NUMBER: _ClassVar[int]
    login_type: _auth_pb2.LoginType
    def __init__(self, login_type: _Optional[_Union[_auth_pb2.LoginType, str]] = ...) -> None: ...

class SessionEntry(_message.Message):
    __slots__ = ("session_id", "session")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    session: Session
    def __init__(self, session_id: _Optional[str] = ..., session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class Session(_message.Message):
    __slots__ = ("auth_method", "is_invalidated", "created_at", "invalidated_at", "expires_at", "renewed_at", "country", "postal_code")
    AUTH_METHOD_FIELD_NUMBER: _ClassVar[int]
    IS_INVALIDATED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    INVALIDATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    RENEWED_AT_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODE_FIELD_NUMBER: _ClassVar[int]
    auth_method: AuthMethod
    is_invalidated: bool
    created_at: _timestamp_pb2.Timestamp
    invalidated_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    renewed_at: _timestamp_pb2.Timestamp
    country: str
    postal_code: int
    def __init__(self, auth_method: _Optional[_Union[AuthMethod, _Mapping]] = ..., is_invalidated: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., invalidated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., renewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., country: _Optional[str] = ..., postal_code: _Optional[int] = ...) -> None: ...
