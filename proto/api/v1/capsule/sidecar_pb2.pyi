from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sidecar(_message.Message):
    __slots__ = ("interfaces",)
    INTERFACES_FIELD_NUMBER: _ClassVar[int]
    interfaces: _containers.RepeatedCompositeFieldContainer[SidecarInterface]
    def __init__(self, interfaces: _Optional[_Iterable[_Union[SidecarInterface, _Mapping]]] = ...) -> None: ...

class SidecarInterface(_message.Message):
    __slots__ = ("port", "proxy_port")
    PORT_FIELD_NUMBER: _ClassVar[int]
    PROXY_PORT_FIELD_NUMBER: _ClassVar[int]
    port: int
    proxy_port: int
    def __init__(self, port: _Optional[int] = ..., proxy_port: _Optional[int] = ...) -> None: ...
