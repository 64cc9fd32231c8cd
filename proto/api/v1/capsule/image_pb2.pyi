import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import author_pb2 as _author_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Image(_message.Message):
    __slots__ = ("image_id", "digest", "repository", "tag", "created_by", "created_at", "origin", "labels")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    REPOSITORY_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    image_id: str
    digest: str
    repository: str
    tag: str
    created_by: _author_pb2.Author
    created_at: _timestamp_pb2.Timestamp
    origin: Origin
    labels: _containers.ScalarMap[str, str]
    def __init__(self, image_id: _Optional[str] = ..., digest: _Optional[str] = ..., repository: _Optional[str] = ..., tag: _Optional[str] = ..., created_by: _Optional[_Union[_author_pb2.Author, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., origin: _Optional[_Union[Origin, _Mapping]] = ..., labels: _Optional[_Mapping[str, str]] = ...) -> None: ...

class GitReference(_message.Message):
    __slots__ = ("repository_url", "commit_sha", "commit_url")
    REPOSITORY_URL_FIELD_NUMBER: _ClassVar[int]
    COMMIT_SHA_FIELD_NUMBER: _ClassVar[int]
    COMMIT_URL_FIELD_NUMBER: _ClassVar[int]
    repository_url: str
    commit_sha: str
    commit_url: str
    def __init__(self, repository_url: _Optional[str] = ..., commit_sha: _Optional[str] = ..., commit_url: _Optional[str] = ...) -> None: ...

class Origin(_message.Message):
    __slots__ = ("git_reference",)
    GIT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    git_reference: GitReference
    def __init__(self, git_reference: _Optional[_Union[GitReference, _Mapping]] = ...) -> None: ...
