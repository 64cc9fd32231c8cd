from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Update(_message.Message):
    __slots__ = ("default",)
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    default: bool
    def __init__(self, default: _Optional[bool] = ...) -> None: ...

class Environment(_message.Message):
    __slots__ = ("environment_id", "default", "operator_version", "cluster_id", "namespace_template")
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_VERSION_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    environment_id: str
    default: bool
    operator_version: str
    cluster_id: str
    namespace_template: str
    def __init__(self, environment_id: _Optional[str] = ..., default: _Optional[bool] = ..., operator_version: _Optional[str] = ..., cluster_id: _Optional[str] = ..., namespace_template: _Optional[str] = ...) -> None: ...
