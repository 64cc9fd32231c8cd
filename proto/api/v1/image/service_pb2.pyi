import datetime

from rigd.proto.api.v1.capsule import image_pb2 as _image_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetImageInfoRequest(_message.Message):
    __slots__ = ("image",)
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    image: str
    def __init__(self, image: _Optional[str] = ...) -> None: ...

class GetImageInfoResponse(_message.Message):
    __slots__ = ("image_id", "image_string", "created_at", "origin")
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_STRING_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    image_id: ImageId
    image_string: str
    created_at: _timestamp_pb2.Timestamp
    origin: _image_pb2.Origin
    def __init__(self, image_id: _Optional[_Union[ImageId, _Mapping]] = ..., image_string: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., origin: _Optional[_Union[_image_pb2.Origin, _Mapping]] = ...) -> None: ...

class ImageId(_message.Message):
    __slots__ = ("registry", "repository", "tag", "digest")
    REGISTRY_FIELD_NUMBER: _ClassVar[int]
    REPOSITORY_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    registry: str
    repository: str
    tag: str
    digest: str
    def __init__(self, registry: _Optional[str] = ..., repository: _Optional[str] = ..., tag: _Optional[str] = ..., digest: _Optional[str] = ...) -> None: ...

class GetRepositoryInfoRequest(_message.Message):
    __slots__ = ("registry", "repository")
    REGISTRY_FIELD_NUMBER: _ClassVar[int]
    REPOSITORY_FIELD_NUMBER: _ClassVar[int]
    registry: str
    repository: str
    def __init__(self, registry: _Optional[str] = ..., repository: _Optional[str] = ...) -> None: ...

class GetRepositoryInfoResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[Tag]
    def __init__(self, tags: _Optional[_Iterable[_Union[Tag, _Mapping]]] = ...) -> None: ...

class Tag(_message.Message):
    __slots__ = ("tag", "image_created_at")
    TAG_FIELD_NUMBER: _ClassVar[int]
    IMAGE_CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    tag: str
    image_created_at: _timestamp_pb2.Timestamp
    def __init__(self, tag: _Optional[str] = ..., image_created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddRequest(_message.Message):
    __slots__ = ("capsule_id", "image", "digest", "origin", "labels", "skip_image_check", "project_id")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    SKIP_IMAGE_CHECK_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    image: str
    digest: str
    origin: _image_pb2.Origin
    labels: _containers.ScalarMap[str, str]
    skip_image_check: bool
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., image: _Optional[str] = ..., digest: _Optional[str] = ..., origin: _Optional[_Union[_image_pb2.Origin, _Mapping]] = ..., labels: _Optional[_Mapping[str, str]] = ..., skip_image_check: _Optional[bool] = ..., project_id: _Optional[str] = ...) -> None: ...

class AddResponse(_message.Message):
    __slots__ = ("image_id", "added_new_image")
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ADDED_NEW_IMAGE_FIELD_NUMBER: _ClassVar[int]
    image_id: str
    added_new_image: bool
    def __init__(self, image_id: _Optional[str] = ..., added_new_image: _Optional[bool] = ...) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ("capsule_id", "pagination", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    pagination: _common_pb2.Pagination
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., project_id: _Optional[str] = ...) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("images", "total")
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    images: _containers.RepeatedCompositeFieldContainer[_image_pb2.Image]
    total: int
    def __init__(self, images: _Optional[_Iterable[_Union[_image_pb2.Image, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("capsule_id", "image_id", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    image_id: str
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., image_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetRequest(_message.Message):
    __slots__ = ("capsule_id", "image_id", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    image_id: str
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., image_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class GetResponse(_message.Message):
    __slots__ = ("image",)
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    image: _image_pb2.Image
    def __init__(self, image: _Optional[_Union[_image_pb2.Image, _Mapping]] = ...) -> None: ...
