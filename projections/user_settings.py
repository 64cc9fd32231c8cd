"""The user settings read model: the current settings as one row (secrets left out)."""

from __future__ import annotations

import json
from typing import Any

from rigd.domain.user_settings import DEFAULTS, UserSettings, UserSettingsView, public_values
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.read_model import ReadModel, handles


class UserSettingsReadModel(ReadModel):
    name = "user_settings"
    version = 1
    tables = ("rm_user_settings",)

    @property
    def settings(self) -> str:
        return self.table("rm_user_settings")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(f"CREATE TABLE {self.settings} (id INTEGER PRIMARY KEY, settings TEXT NOT NULL)")

    @handles(UserSettings.Created)
    def _created(self, event: UserSettings.Created, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"INSERT INTO {self.settings} (id, settings) VALUES (1, $1)",
                       (json.dumps(public_values(DEFAULTS)),))

    @handles(UserSettings.Changed)
    def _changed(self, event: UserSettings.Changed, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"SELECT settings FROM {self.settings} WHERE id = 1")
        row = cursor.fetchone()
        values: dict[str, Any] = json.loads(row[0]) if row else dict(DEFAULTS)
        values.update(event.changes)
        cursor.execute(f"UPDATE {self.settings} SET settings = $1 WHERE id = 1", (json.dumps(public_values(values)),))


class UserSettingsQueries:
    read_models = ("user_settings",)

    def __init__(self, database: ReadDatabase, model: UserSettingsReadModel | None = None) -> None:
        self._database = database
        self._model = model or UserSettingsReadModel()

    def get(self) -> UserSettingsView:
        """The current settings; the defaults until the first change."""
        with self._database.snapshot() as cursor:
            settings = self._model.live(cursor).settings
            cursor.execute(f"SELECT settings FROM {settings} WHERE id = 1")
            row = cursor.fetchone()
        return UserSettingsView(json.loads(row[0]) if row else public_values(DEFAULTS))
