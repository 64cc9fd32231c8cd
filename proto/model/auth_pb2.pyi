from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class LoginType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOGIN_TYPE_UNSPECIFIED: _ClassVar[LoginType]
    LOGIN_TYPE_EMAIL_PASSWORD: _ClassVar[LoginType]
    LOGIN_TYPE_PHONE_PASSWORD: _ClassVar[LoginType]
    LOGIN_TYPE_USERNAME_PASSWORD: _ClassVar[LoginType]
    LOGIN_TYPE_SSO: _ClassVar[LoginType]
LOGIN_TYPE_UNSPECIFIED: LoginType
LOGIN_TYPE_EMAIL_PASSWORD: LoginType
LOGIN_TYPE_PHONE_PASSWORD: LoginType
LOGIN_TYPE_USERNAME_PASSWORD: LoginType
LOGIN_TYPE_SSO: LoginType
