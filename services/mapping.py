"""Shared proto <-> domain mapping: timestamps, pagination, single-field updates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from rigd.domain.errors import InvalidArgument
from rigd.projections.pagination import Page
from rigd.proto.model import common_pb2

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)


def timestamp(moment: datetime) -> Timestamp:
    """`moment` as a Timestamp (a naive datetime is UTC, as protobuf's FromDatetime takes it).
    By arithmetic on the timedelta: every response with a time goes through here, and
    FromDatetime's calendar round trip costs several times as much."""
    since = moment - (_NAIVE_EPOCH if moment.tzinfo is None else _EPOCH)
    return Timestamp(seconds=since.days * 86_400 + since.seconds, nanos=since.microseconds * 1000)


def page(pagination: common_pb2.Pagination) -> Page:
    return Page.of(pagination.offset, pagination.limit, pagination.descending)


def single_field_updates(updates: Iterable[Message], field: str) -> list[Any]:
    """The values of `updates` whose oneof `field` is the only choice, e.g. project.Update{name}.
    An update that sets nothing is refused (it would silently do nothing)."""
    values = []
    for index, update in enumerate(updates):
        if update.WhichOneof("field") != field:
            raise InvalidArgument(f"update {index} sets no field; set {field}")
        values.append(getattr(update, field))
    return values
