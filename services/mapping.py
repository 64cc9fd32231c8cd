"""Shared proto <-> domain mapping: timestamps, pagination, the caller's command context."""

from __future__ import annotations

from datetime import datetime

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from domain.context import Actor, CommandContext
from projections.pagination import Page
from proto.model import common_pb2
from services.logs import request_id

# Until authentication lands, every change is recorded as made by an anonymous caller.
ANONYMOUS = Actor(identifier="anonymous", printable_name="anonymous")


def command_context(_context: grpc.ServicerContext) -> CommandContext:
    return CommandContext(actor=ANONYMOUS, request_id=request_id.get())


def timestamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def page(pagination: common_pb2.Pagination) -> Page:
    return Page.of(pagination.offset, pagination.limit, pagination.descending)
