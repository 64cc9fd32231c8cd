"""The composition of images and docker registry settings (called once by `composition.build`)."""

from __future__ import annotations

from dataclasses import dataclass

from rigd.adapters.registries import RegistryClient
from rigd.adapters.secrets import Keyring
from rigd.domain.event_store import EventStore
from rigd.domain.image_commands import ImageCommands
from rigd.domain.images import CapsuleImages
from rigd.domain.registry_settings import RegistrySettingsCommands
from rigd.projections.database import ReadDatabase
from rigd.projections.images import ImageQueries, ImagesReadModel
from rigd.projections.read_model import ReadModel
from rigd.projections.registry_settings import RegistrySettingsQueries, RegistrySettingsReadModel


@dataclass
class ImageParts:
    commands: ImageCommands
    queries: ImageQueries
    registry_settings: RegistrySettingsCommands
    registry_settings_queries: RegistrySettingsQueries
    registry: RegistryClient


def image_parts(store: EventStore, read_database: ReadDatabase, keyring: Keyring,
                capsules: CapsuleImages) -> tuple[ImageParts, list[ReadModel]]:
    """The image commands and queries, the registry settings, and their read models."""
    images_model, registries_model = ImagesReadModel(), RegistrySettingsReadModel()
    registry_settings = RegistrySettingsCommands(store, keyring)
    registry = RegistryClient()
    parts = ImageParts(
        commands=ImageCommands(store, registry, registry_settings, capsules),
        queries=ImageQueries(read_database, images_model),
        registry_settings=registry_settings,
        registry_settings_queries=RegistrySettingsQueries(read_database, registries_model),
        registry=registry,
    )
    return parts, [images_model, registries_model]
