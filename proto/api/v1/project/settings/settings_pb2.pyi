from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Settings(_message.Message):
    __slots__ = ("docker_registries",)
    DOCKER_REGISTRIES_FIELD_NUMBER: _ClassVar[int]
    docker_registries: _containers.RepeatedCompositeFieldContainer[DockerRegistry]
    def __init__(self, docker_registries: _Optional[_Iterable[_Union[DockerRegistry, _Mapping]]] = ...) -> None: ...

class DockerRegistry(_message.Message):
    __slots__ = ("secret_id", "host")
    SECRET_ID_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    secret_id: str
    host: str
    def __init__(self, secret_id: _Optional[str] = ..., host: _Optional[str] = ...) -> None: ...

class AddDockerRegistry(_message.Message):
    __slots__ = ("host", "auth", "credentials")
    HOST_FIELD_NUMBER: _ClassVar[int]
    AUTH_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    host: str
    auth: str
    credentials: DockerRegistryCredentials
    def __init__(self, host: _Optional[str] = ..., auth: _Optional[str] = ..., credentials: _Optional[_Union[DockerRegistryCredentials, _Mapping]] = ...) -> None: ...

class DockerRegistryCredentials(_message.Message):
    __slots__ = ("username", "password", "email")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    username: str
    password: str
    email: str
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class Update(_message.Message):
    __slots__ = ("add_docker_registry", "delete_docker_registry")
    ADD_DOCKER_REGISTRY_FIELD_NUMBER: _ClassVar[int]
    DELETE_DOCKER_REGISTRY_FIELD_NUMBER: _ClassVar[int]
    add_docker_registry: AddDockerRegistry
    delete_docker_registry: str
    def __init__(self, add_docker_registry: _Optional[_Union[AddDockerRegistry, _Mapping]] = ..., delete_docker_registry: _Optional[str] = ...) -> None: ...
