"""Shared proto <-> domain mapping: timestamps, pagination, single-field updates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from rigd.domain.errors import InvalidArgument
from rigd.projections.pagination import Page
from rigd.proto.model import common_pb2


def timestamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


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
