"""The docker registries read model (project.settings GetSettings): hosts and secret ids,
never credentials (the sealed value is not even copied here)."""

from __future__ import annotations

from rigd.domain.registry_settings import DockerRegistry, RegistrySettings
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.read_model import ReadModel, handles


class RegistrySettingsReadModel(ReadModel):
    name = "registry_settings"
    version = 1
    tables = ("rm_docker_registries",)

    @property
    def registries(self) -> str:
        return self.table("rm_docker_registries")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.registries} ("
            " host TEXT PRIMARY KEY,"
            " secret_id TEXT NOT NULL,"
            " sequence BIGINT NOT NULL)"
        )

    @handles(RegistrySettings.RegistryAdded)
    def _added(self, event: RegistrySettings.RegistryAdded, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"INSERT INTO {self.registries} (host, secret_id, sequence) VALUES ($1, $2, $3)",
                       (event.host, event.secret_id, notification_id))

    @handles(RegistrySettings.RegistryDeleted)
    def _deleted(self, event: RegistrySettings.RegistryDeleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"DELETE FROM {self.registries} WHERE host = $1", (event.host,))


class RegistrySettingsQueries:
    read_models = ("registry_settings",)

    def __init__(self, database: ReadDatabase, model: RegistrySettingsReadModel | None = None) -> None:
        self._database = database
        self._model = model or RegistrySettingsReadModel()

    def registries(self) -> list[DockerRegistry]:
        """Every docker registry, in the order they were added."""
        with self._database.snapshot() as cursor:
            table = self._model.live(cursor).registries
            cursor.execute(f"SELECT secret_id, host FROM {table} ORDER BY sequence")
            return [DockerRegistry(row[0], row[1]) for row in cursor.fetchall()]
