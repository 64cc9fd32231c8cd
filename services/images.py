"""api.v1.image.Service: a capsule's images, and registry look-ups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format

from rigd.domain.errors import InvalidArgument
from rigd.domain.image_commands import ImageCommands
from rigd.domain.images import ImageSummary
from rigd.projections.images import ImageQueries
from rigd.proto.api.v1.capsule import image_pb2
from rigd.proto.api.v1.image import service_pb2 as pb
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.mapping import page, timestamp
from rigd.services.service_accounts import author

SERVICE = "api.v1.image.Service"


def origin_document(origin: image_pb2.Origin) -> dict[str, Any]:
    """An Origin as the events record it: proto3 JSON with proto field names."""
    return json_format.MessageToDict(origin, preserving_proto_field_name=True)


def origin_message(document: Mapping[str, Any]) -> image_pb2.Origin:
    try:
        return json_format.ParseDict(dict(document), image_pb2.Origin(), ignore_unknown_fields=True)
    except json_format.ParseError:
        return image_pb2.Origin()  # recorded by a newer rigd with a kind this one does not know


def image_message(image: ImageSummary) -> image_pb2.Image:
    return image_pb2.Image(
        image_id=image.image_id, digest=image.digest, repository=image.repository, tag=image.tag,
        created_by=author(image.created_by), created_at=timestamp(image.created_at),
        origin=origin_message(image.origin), labels=dict(image.labels))


class ImageServicer:
    def __init__(self, commands: ImageCommands, queries: ImageQueries, settle: ReadYourWrites) -> None:
        self._commands = commands
        self._queries = queries
        self._settle = settle

    def GetImageInfo(self, request: pb.GetImageInfoRequest, call: Call) -> pb.GetImageInfoResponse:
        info = self._commands.info(request.image)
        reference = info.reference
        response = pb.GetImageInfoResponse(
            image_id=pb.ImageId(registry=reference.registry, repository=reference.path, tag=reference.tag,
                                digest=reference.digest),
            image_string=request.image, origin=image_pb2.Origin())
        if info.created_at is not None:
            response.created_at.CopyFrom(timestamp(info.created_at))
        return response

    def GetRepositoryInfo(self, request: pb.GetRepositoryInfoRequest, call: Call) -> pb.GetRepositoryInfoResponse:
        tags = self._commands.repository_tags(request.registry, request.repository)
        response = pb.GetRepositoryInfoResponse()
        for tag in tags:
            entry = response.tags.add(tag=tag.tag)
            if tag.created_at is not None:
                entry.image_created_at.CopyFrom(timestamp(tag.created_at))
        return response

    def Get(self, request: pb.GetRequest, call: Call) -> pb.GetResponse:
        image = self._queries.get(request.project_id, request.capsule_id, request.image_id)
        return pb.GetResponse(image=image_message(image))

    def Add(self, request: pb.AddRequest, call: Call) -> pb.AddResponse:
        if request.HasField("origin") and request.origin.WhichOneof("kind") is None:
            raise InvalidArgument("origin sets no kind; set git_reference or leave origin out")
        written, image_id, added = self._commands.add(
            call.context(), request.project_id, request.capsule_id, request.image, request.digest,
            origin_document(request.origin), dict(request.labels), request.skip_image_check)
        if written:
            self._settle(written, self._queries.read_models, call.deadline)
        return pb.AddResponse(image_id=image_id, added_new_image=added)

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        images, total = self._queries.list_page(request.project_id, request.capsule_id, page(request.pagination))
        return pb.ListResponse(images=[image_message(image) for image in images], total=total)

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._commands.delete(call.context(), request.project_id, request.capsule_id, request.image_id)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.DeleteResponse()
