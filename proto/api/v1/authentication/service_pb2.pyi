from rigd.proto.api.v1.authentication import user_pb2 as _user_pb2
from rigd.proto.model import auth_pb2 as _auth_pb2
from rigd.proto.model import user_pb2 as _user_pb2_1
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SSOType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SSO_TYPE_UNSPECIFIED: _ClassVar[SSOType]
    SSO_TYPE_OIDC: _ClassVar[SSOType]
SSO_TYPE_UNSPECIFIED: SSOType
SSO_TYPE_OIDC: SSOType

class SendVerificationEmailRequest(_message.Message):
    __slots__ = ("identifier",)
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    identifier: _user_pb2_1.UserIdentifier
    def __init__(self, identifier: _Optional[_Union[_user_pb2_1.UserIdentifier, _Mapping]] = ...) -> None: ...

class SendVerificationEmailResponse(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class VerifyEmailRequest(_message.Message):
    __slots__ = ("code", "email", "token")
    CODE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    code: str
    email: str
    token: str
    def __init__(self, code: _Optional[str] = ..., email: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class VerifyEmailResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class VerifyPhoneNumberRequest(_message.Message):
    __slots__ = ("code", "phone_number")
    CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    code: str
    phone_number: str
    def __init__(self, code: _Optional[str] = ..., phone_number: _Optional[str] = ...) -> None: ...

class VerifyPhoneNumberResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LoginRequest(_message.Message):
    __slots__ = ("user_password", "client_credentials")
    USER_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    CLIENT_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    user_password: _user_pb2.UserPassword
    client_credentials: _user_pb2.ClientCredentials
    def __init__(self, user_password: _Optional[_Union[_user_pb2.UserPassword, _Mapping]] = ..., client_credentials: _Optional[_Union[_user_pb2.ClientCredentials, _Mapping]] = ...) -> None: ...

class LoginResponse(_message.Message):
    __slots__ = ("token", "user_id", "user_info")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_INFO_FIELD_NUMBER: _ClassVar[int]
    token: _user_pb2.Token
    user_id: str
    user_info: _user_pb2_1.UserInfo
    def __init__(self, token: _Optional[_Union[_user_pb2.Token, _Mapping]] = ..., user_id: _Optional[str] = ..., user_info: _Optional[_Union[_user_pb2_1.UserInfo, _Mapping]] = ...) -> None: ...

class LogoutRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LogoutResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetResponse(_message.Message):
    __slots__ = ("user_info", "user_id")
    USER_INFO_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_info: _user_pb2_1.UserInfo
    user_id: str
    def __init__(self, user_info: _Optional[_Union[_user_pb2_1.UserInfo, _Mapping]] = ..., user_id: _Optional[str] = ...) -> None: ...

class RegisterRequest(_message.Message):
    __slots__ = ("user_password",)
    USER_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    user_password: _user_pb2.UserPassword
    def __init__(self, user_password: _Optional[_Union[_user_pb2.UserPassword, _Mapping]] = ...) -> None: ...

class RegisterResponse(_message.Message):
    __slots__ = ("token", "user_id", "user_info")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_INFO_FIELD_NUMBER: _ClassVar[int]
    token: _user_pb2.Token
    user_id: str
    user_info: _user_pb2_1.UserInfo
    def __init__(self, token: _Optional[_Union[_user_pb2.Token, _Mapping]] = ..., user_id: _Optional[str] = ..., user_info: _Optional[_Union[_user_pb2_1.UserInfo, _Mapping]] = ...) -> None: ...

class SendPasswordResetRequest(_message.Message):
    __slots__ = ("identifier",)
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    identifier: _user_pb2_1.UserIdentifier
    def __init__(self, identifier: _Optional[_Union[_user_pb2_1.UserIdentifier, _Mapping]] = ...) -> None: ...

class SendPasswordResetResponse(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class ResetPasswordRequest(_message.Message):
    __slots__ = ("code", "new_password", "identifier", "token")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NEW_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    code: str
    new_password: str
    identifier: _user_pb2_1.UserIdentifier
    token: str
    def __init__(self, code: _Optional[str] = ..., new_password: _Optional[str] = ..., identifier: _Optional[_Union[_user_pb2_1.UserIdentifier, _Mapping]] = ..., token: _Optional[str] = ...) -> None: ...

class ResetPasswordResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RefreshTokenRequest(_message.Message):
    __slots__ = ("refresh_token",)
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    refresh_token: str
    def __init__(self, refresh_token: _Optional[str] = ...) -> None: ...

class RefreshTokenResponse(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: _user_pb2.Token
    def __init__(self, token: _Optional[_Union[_user_pb2.Token, _Mapping]] = ...) -> None: ...

class GetAuthConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetAuthConfigResponse(_message.Message):
    __slots__ = ("name", "logo_url", "validate_password", "login_types", "allows_register", "sso_options")
    NAME_FIELD_NUMBER: _ClassVar[int]
    LOGO_URL_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    LOGIN_TYPES_FIELD_NUMBER: _ClassVar[int]
    ALLOWS_REGISTER_FIELD_NUMBER: _ClassVar[int]
    SSO_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    logo_url: str
    validate_password: bool
    login_types: _containers.RepeatedScalarFieldContainer[_auth_pb2.LoginType]
    allows_register: bool
    sso_options: _containers.RepeatedCompositeFieldContainer[SSOOption]
    def __init__(self, name: _Optional[str] = ..., logo_url: _Optional[str] = ..., validate_password: _Optional[bool] = ..., login_types: _Optional[_Iterable[_Union[_auth_pb2.LoginType, str]]] = ..., allows_register: _Optional[bool] = ..., sso_options: _Optional[_Iterable[_Union[SSOOption, _Mapping]]] = ...) -> None: ...

class SSOOption(_message.Message):
    __slots__ = ("type", "provider_id", "name", "icon")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ICON_FIELD_NUMBER: _ClassVar[int]
    type: SSOType
    provider_id: str
    name: str
    icon: str
    def __init__(self, type: _Optional[_Union[SSOType, str]] = ..., provider_id: _Optional[str] = ..., name: _Optional[str] = ..., icon: _Optional[str] = ...) -> None: ...

class SSOID(_message.Message):
    __slots__ = ("type", "provider_id", "sso_id", "user_id")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    SSO_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    type: SSOType
    provider_id: str
    sso_id: str
    user_id: str
    def __init__(self, type: _Optional[_Union[SSOType, str]] = ..., provider_id: _Optional[str] = ..., sso_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...
