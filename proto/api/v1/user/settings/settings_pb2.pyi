import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from rigd.proto.model import auth_pb2 as _auth_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from rigd.proto.model import credentials_pb2 as _credentials_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TemplateType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEMPLATE_TYPE_UNSPECIFIED: _ClassVar[TemplateType]
    TEMPLATE_TYPE_WELCOME_EMAIL: _ClassVar[TemplateType]
    TEMPLATE_TYPE_EMAIL_VERIFICATION: _ClassVar[TemplateType]
    TEMPLATE_TYPE_EMAIL_RESET_PASSWORD: _ClassVar[TemplateType]
    TEMPLATE_TYPE_WELCOME_TEXT: _ClassVar[TemplateType]
    TEMPLATE_TYPE_TEXT_VERIFICATION: _ClassVar[TemplateType]
    TEMPLATE_TYPE_TEXT_RESET_PASSWORD: _ClassVar[TemplateType]
TEMPLATE_TYPE_UNSPECIFIED: TemplateType
TEMPLATE_TYPE_WELCOME_EMAIL: TemplateType
TEMPLATE_TYPE_EMAIL_VERIFICATION: TemplateType
TEMPLATE_TYPE_EMAIL_RESET_PASSWORD: TemplateType
TEMPLATE_TYPE_WELCOME_TEXT: TemplateType
TEMPLATE_TYPE_TEXT_VERIFICATION: TemplateType
TEMPLATE_TYPE_TEXT_RESET_PASSWORD: TemplateType

class Update(_message.Message):
    __slots__ = ("allow_register", "is_verified_email_required", "is_verified_phone_required", "access_token_ttl", "refresh_token_ttl", "verification_code_ttl", "password_hashing", "login_mechanisms", "email_provider", "text_provider", "template")
    class LoginMechanisms(_message.Message):
        __slots__ = ("login_mechanisms",)
        LOGIN_MECHANISMS_FIELD_NUMBER: _ClassVar[int]
        login_mechanisms: _containers.RepeatedScalarFieldContainer[_auth_pb2.LoginType]
        def __init__(self, login_mechanisms: _Optional[_Iterable[_Union[_auth_pb2.LoginType, str]]] = ...) -> None: ...
    ALLOW_REGISTER_FIELD_NUMBER: _ClassVar[int]
    IS_VERIFIED_EMAIL_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    IS_VERIFIED_PHONE_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_TTL_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_TTL_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_CODE_TTL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_HASHING_FIELD_NUMBER: _ClassVar[int]
    LOGIN_MECHANISMS_FIELD_NUMBER: _ClassVar[int]
    EMAIL_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TEXT_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    allow_register: bool
    is_verified_email_required: bool
    is_verified_phone_required: bool
    access_token_ttl: _duration_pb2.Duration
    refresh_token_ttl: _duration_pb2.Duration
    verification_code_ttl: _duration_pb2.Duration
    password_hashing: _common_pb2.HashingConfig
    login_mechanisms: Update.LoginMechanisms
    email_provider: EmailProvider
    text_provider: TextProvider
    template: Template
    def __init__(self, allow_register: _Optional[bool] = ..., is_verified_email_required: _Optional[bool] = ..., is_verified_phone_required: _Optional[bool] = ..., access_token_ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., refresh_token_ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., verification_code_ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., password_hashing: _Optional[_Union[_common_pb2.HashingConfig, _Mapping]] = ..., login_mechanisms: _Optional[_Union[Update.LoginMechanisms, _Mapping]] = ..., email_provider: _Optional[_Union[EmailProvider, _Mapping]] = ..., text_provider: _Optional[_Union[TextProvider, _Mapping]] = ..., template: _Optional[_Union[Template, _Mapping]] = ...) -> None: ...

class RegisterMethod(_message.Message):
    __slots__ = ("system", "signup")
    class System(_message.Message):
        __slots__ = ()
        def __init__(self) -> None: ...
    class Signup(_message.Message):
        __slots__ = ("login_type",)
        LOGIN_TYPE_FIELD_NUMBER: _ClassVar[int]
        login_type: _auth_pb2.LoginType
        def __init__(self, login_type: _Optional[_Union[_auth_pb2.LoginType, str]] = ...) -> None: ...
    SYSTEM_FIELD_NUMBER: _ClassVar[int]
    SIGNUP_FIELD_NUMBER: _ClassVar[int]
    system: RegisterMethod.System
    signup: RegisterMethod.Signup
    def __init__(self, system: _Optional[_Union[RegisterMethod.System, _Mapping]] = ..., signup: _Optional[_Union[RegisterMethod.Signup, _Mapping]] = ...) -> None: ...

class AuthMethod(_message.Message):
    __slots__ = ("login_type",)
    LOGIN_TYPE_FIELD_NUMBER: _ClassVar[int]
    login_type: _auth_pb2.LoginType
    def __init__(self, login_type: _Optional[_Union[_auth_pb2.LoginType, str]] = ...) -> None: ...

class Settings(_message.Message):
    __slots__ = ("allow_register", "is_verified_email_required", "is_verified_phone_required", "access_token_ttl", "refresh_token_ttl", "verification_code_ttl", "password_hashing", "login_mechanisms", "send_welcome_mail", "email_provider", "text_provider", "templates")
    ALLOW_REGISTER_FIELD_NUMBER: _ClassVar[int]
    IS_VERIFIED_EMAIL_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    IS_VERIFIED_PHONE_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_TTL_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_TTL_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_CODE_TTL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_HASHING_FIELD_NUMBER: _ClassVar[int]
    LOGIN_MECHANISMS_FIELD_NUMBER: _ClassVar[int]
    SEND_WELCOME_MAIL_FIELD_NUMBER: _ClassVar[int]
    EMAIL_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TEXT_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    allow_register: bool
    is_verified_email_required: bool
    is_verified_phone_required: bool
    access_token_ttl: _duration_pb2.Duration
    refresh_token_ttl: _duration_pb2.Duration
    verification_code_ttl: _duration_pb2.Duration
    password_hashing: _common_pb2.HashingConfig
    login_mechanisms: _containers.RepeatedScalarFieldContainer[_auth_pb2.LoginType]
    send_welcome_mail: bool
    email_provider: EmailProviderEntry
    text_provider: TextProviderEntry
    templates: Templates
    def __init__(self, allow_register: _Optional[bool] = ..., is_verified_email_required: _Optional[bool] = ..., is_verified_phone_required: _Optional[bool] = ..., access_token_ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., refresh_token_ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., verification_code_ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., password_hashing: _Optional[_Union[_common_pb2.HashingConfig, _Mapping]] = ..., login_mechanisms: _Optional[_Iterable[_Union[_auth_pb2.LoginType, str]]] = ..., send_welcome_mail: _Optional[bool] = ..., email_provider: _Optional[_Union[EmailProviderEntry, _Mapping]] = ..., text_provider: _Optional[_Union[TextProviderEntry, _Mapping]] = ..., templates: _Optional[_Union[Templates, _Mapping]] = ...) -> None: ...

class DefaultInstance(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MailjetInstance(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TwilioInstance(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SmtpInstance(_message.Message):
    __slots__ = ("host", "port")
    HOST_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    host: str
    port: int
    def __init__(self, host: _Optional[str] = ..., port: _Optional[int] = ...) -> None: ...

class EmailInstance(_message.Message):
    __slots__ = ("default", "mailjet", "smtp")
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    MAILJET_FIELD_NUMBER: _ClassVar[int]
    SMTP_FIELD_NUMBER: _ClassVar[int]
    default: DefaultInstance
    mailjet: MailjetInstance
    smtp: SmtpInstance
    def __init__(self, default: _Optional[_Union[DefaultInstance, _Mapping]] = ..., mailjet: _Optional[_Union[MailjetInstance, _Mapping]] = ..., smtp: _Optional[_Union[SmtpInstance, _Mapping]] = ...) -> None: ...

class TextInstance(_message.Message):
    __slots__ = ("default", "twilio")
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    TWILIO_FIELD_NUMBER: _ClassVar[int]
    default: DefaultInstance
    twilio: TwilioInstance
    def __init__(self, default: _Optional[_Union[DefaultInstance, _Mapping]] = ..., twilio: _Optional[_Union[TwilioInstance, _Mapping]] = ...) -> None: ...

class EmailProvider(_message.Message):
    __slots__ = ("credentials", "instance")
    FROM_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    credentials: _credentials_pb2.ProviderCredentials
    instance: EmailInstance
    def __init__(self, credentials: _Optional[_Union[_credentials_pb2.ProviderCredentials, _Mapping]] = ..., instance: _Optional[_Union[EmailInstance, _Mapping]] = ..., **kwargs) -> None: ...

class EmailProviderEntry(_message.Message):
    __slots__ = ("client_id", "secret_id", "instance")
    FROM_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    SECRET_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    secret_id: str
    instance: EmailInstance
    def __init__(self, client_id: _Optional[str] = ..., secret_id: _Optional[str] = ..., instance: _Optional[_Union[EmailInstance, _Mapping]] = ..., **kwargs) -> None: ...

class TextProvider(_message.Message):
    __slots__ = ("credentials", "instance")
    FROM_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    credentials: _credentials_pb2.ProviderCredentials
    instance: TextInstance
    def __init__(self, credentials: _Optional[_Union[_credentials_pb2.ProviderCredentials, _Mapping]] = ..., instance: _Optional[_Union[TextInstance, _Mapping]] = ..., **kwargs) -> None: ...

class TextProviderEntry(_message.Message):
    __slots__ = ("client_id", "secret_id", "instance")
    FROM_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    SECRET_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    secret_id: str
    instance: TextInstance
    def __init__(self, client_id: _Optional[str] = ..., secret_id: _Optional[str] = ..., instance: _Optional[_Union[TextInstance, _Mapping]] = ..., **kwargs) -> None: ...

class Template(_message.Message):
    __slots__ = ("body", "subject", "type", "format")
    BODY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    body: str
    subject: str
    type: TemplateType
    format: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, body: _Optional[str] = ..., subject: _Optional[str] = ..., type: _Optional[_Union[TemplateType, str]] = ..., format: _Optional[_Iterable[str]] = ...) -> None: ...

class Templates(_message.Message):
    __slots__ = ("welcome_email", "welcome_text", "reset_password_email", "reset_password_text", "verify_email", "verify_phone_number")
    WELCOME_EMAIL_FIELD_NUMBER: _ClassVar[int]
    WELCOME_TEXT_FIELD_NUMBER: _ClassVar[int]
    RESET_PASSWORD_EMAIL_FIELD_NUMBER: _ClassVar[int]
    RESET_PASSWORD_TEXT_FIELD_NUMBER: _ClassVar[int]
    VERIFY_EMAIL_FIELD_NUMBER: _ClassVar[int]
    VERIFY_PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    welcome_email: Template
    welcome_text: Template
    reset_password_email: Template
    reset_password_text: Template
    verify_email: Template
    verify_phone_number: Template
    def __init__(self, welcome_email: _Optional[_Union[Template, _Mapping]] = ..., welcome_text: _Optional[_Union[Template, _Mapping]] = ..., reset_password_email: _Optional[_Union[Template, _Mapping]] = ..., reset_password_text: _Optional[_Union[Template, _Mapping]] = ..., verify_email: _Optional[_Union[Template, _Mapping]] = ..., verify_phone_number: _Optional[_Union[Template, _Mapping]] = ...) -> None: ...
