"""The images read model (image.Service Get and List) and its queries."""

from __future__ import annotations

import json
from typing import Any

from rigd.domain.context import Actor
from rigd.domain.images import Image, ImageNotFound, ImageSummary
from rigd.domain.naming import require
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros


def _actor(event: Any) -> str:
    actor: Actor = event.actor
    return json.dumps([actor.identifier, actor.printable_name, actor.user_id, actor.service_account_id])


class ImagesReadModel(ReadModel):
    """One row per image ever added to a capsule; deleted ones are kept (hidden) so that an
    image added again finds its row."""

    name = "images"
    version = 1
    tables = ("rm_images",)

    @property
    def images(self) -> str:
        return self.table("rm_images")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.images} ("
            " aggregate_id TEXT PRIMARY KEY,"
            " project_id TEXT NOT NULL,"
            " capsule_id TEXT NOT NULL,"
            " image_id TEXT NOT NULL,"
            " digest TEXT NOT NULL,"
            " repository TEXT NOT NULL,"
            " tag TEXT NOT NULL,"
            " created_by TEXT NOT NULL,"
            " created_at BIGINT NOT NULL,"
            " origin TEXT NOT NULL,"
            " labels TEXT NOT NULL,"
            " sequence BIGINT NOT NULL,"
            " deleted INTEGER NOT NULL)"
        )
        cursor.execute(
            f"CREATE INDEX {self.images}_listing ON {self.images} (project_id, capsule_id, deleted, sequence)")
        cursor.execute(f"CREATE INDEX {self.images}_by_id ON {self.images} (project_id, capsule_id, image_id)")

    @handles(Image.Created)
    def _created(self, event: Image.Created, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"INSERT INTO {self.images} (aggregate_id, project_id, capsule_id, image_id, digest, repository, tag,"
            " created_by, created_at, origin, labels, sequence, deleted)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0)",
            (str(event.originator_id), event.project_id, event.capsule_id, event.image_id, event.digest,
             event.repository, event.tag, _actor(event), micros(event.timestamp), json.dumps(event.origin),
             json.dumps(event.labels), notification_id),
        )

    @handles(Image.Recreated)
    def _recreated(self, event: Image.Recreated, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"UPDATE {self.images} SET created_by = $1, created_at = $2, origin = $3, labels = $4, sequence = $5,"
            " deleted = 0 WHERE aggregate_id = $6",
            (_actor(event), micros(event.timestamp), json.dumps(event.origin), json.dumps(event.labels),
             notification_id, str(event.originator_id)),
        )

    @handles(Image.Deleted)
    def _deleted(self, event: Image.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.images} SET deleted = 1 WHERE aggregate_id = $1", (str(event.originator_id),))


_COLUMNS = "image_id, digest, repository, tag, created_by, created_at, origin, labels"


def _view(row: tuple[Any, ...]) -> ImageSummary:
    return ImageSummary(image_id=row[0], digest=row[1], repository=row[2], tag=row[3],
                        created_by=Actor(*json.loads(row[4])), created_at=from_micros(row[5]),
                        origin=json.loads(row[6]), labels=json.loads(row[7]))


class ImageQueries:
    read_models = ("images",)

    def __init__(self, database: ReadDatabase, model: ImagesReadModel | None = None) -> None:
        self._database = database
        self._model = model or ImagesReadModel()

    def get(self, project_id: str, capsule_id: str, image_id: str) -> ImageSummary:
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        require(image_id, "image_id")
        with self._database.snapshot() as cursor:
            images = self._model.live(cursor).images
            cursor.execute(
                f"SELECT {_COLUMNS} FROM {images} WHERE project_id = $1 AND capsule_id = $2 AND image_id = $3"
                " AND deleted = 0", (project_id, capsule_id, image_id))
            row = cursor.fetchone()
        if row is None:
            raise ImageNotFound(image_id)
        return _view(row)

    def list_page(self, project_id: str, capsule_id: str, page: Page) -> tuple[list[ImageSummary], int]:
        """One page of the capsule's images in the order they were added, and the total."""
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        with self._database.snapshot() as cursor:
            images = self._model.live(cursor).images
            rows, total = select_page(cursor, images, _COLUMNS, "project_id = $1 AND capsule_id = $2 AND deleted = 0",
                                      (project_id, capsule_id), page, "sequence")
        return [_view(row) for row in rows], total
