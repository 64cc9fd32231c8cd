from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Author(_message.Message):
    __slots__ = ("identifier", "printable_name", "user_id", "service_account_id")
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    PRINTABLE_NAME_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    printable_name: str
    user_id: str
    service_account_id: str
    def __init__(self, identifier: _Optional[str] = ..., printable_name: _Optional[str] = ..., user_id: _Optional[str] = ..., service_account_id: _Optional[str] = ...) -> None: ...
