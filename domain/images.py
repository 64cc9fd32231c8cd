"""Images: the container images registered for a capsule (image.Service), immutable once added.

An image's aggregate id is stable in (project, capsule, image id), so adding the same image
twice finds the first one: the second Add answers its id with `added_new_image=false`, and
two concurrent Adds are decided by the event store. Deleting keeps the history; adding the
image again revives it. The registry and the capsules are ports declared here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.context import Actor
from rigd.domain.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    Unauthenticated,
    Unavailable,
)
from rigd.domain.events import AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id
from rigd.domain.image_references import ImageReference
from rigd.domain.lifecycle import Revivable
from rigd.domain.naming import quoted


class ImageNotFound(NotFound):
    def __init__(self, image_id: str) -> None:
        super().__init__(f"image {quoted(image_id)} not found")


class ImageAlreadyExists(AlreadyExists):
    def __init__(self, image_id: str) -> None:
        super().__init__(f"image {quoted(image_id)} already exists")


class ImageInUse(FailedPrecondition):
    def __init__(self, image_id: str) -> None:
        super().__init__(f"cannot delete the current image {quoted(image_id)}: a rollout of the capsule uses it")


class DigestMismatch(InvalidArgument):
    def __init__(self, supplied: str, found: str) -> None:
        super().__init__(f"provided digest doesn't match image: {quoted(supplied)} was given, the image is {found}")


class ImageNotInRegistry(NotFound):
    def __init__(self, reference: str) -> None:
        super().__init__(f"image {quoted(reference)} not found in its registry")


class RepositoryNotInRegistry(NotFound):
    def __init__(self, repository: str) -> None:
        super().__init__(f"repository {quoted(repository)} not found in its registry")


class RegistryUnauthenticated(Unauthenticated):
    def __init__(self, registry: str, had_credentials: bool) -> None:
        reason = "refused the credentials of its docker registry settings" if had_credentials else (
            "needs credentials: add them with project.settings UpdateSettings add_docker_registry")
        super().__init__(f"docker registry {quoted(registry)} {reason}")


class RegistryUnavailable(Unavailable):
    def __init__(self, registry: str, reason: str) -> None:
        super().__init__(f"docker registry {quoted(registry)} is unavailable ({reason}); try again")


@dataclass(frozen=True)
class RegistryCredentials:
    """A login to a docker registry. Never printed: the password stays out of repr."""

    username: str
    password: str = field(repr=False)
    email: str = ""


@dataclass(frozen=True)
class RepositoryTag:
    tag: str
    created_at: datetime | None  # None when the registry does not say


class ImageRegistry(Protocol):
    """A docker registry's HTTP API v2 (adapters.registries). Refusals are the errors above."""

    def manifest_digest(self, reference: ImageReference, credentials: RegistryCredentials | None) -> str:
        """The digest of the manifest (or index) the reference names, by its digest or its tag."""

    def created_at(self, reference: ImageReference, credentials: RegistryCredentials | None) -> datetime | None:
        """When the image was built, from its configuration blob (None when it does not say)."""

    def tags(self, registry: str, path: str, credentials: RegistryCredentials | None) -> list[RepositoryTag]:
        """The repository's tags, with their images' creation times where available."""


class RegistryLogins(Protocol):
    """Where the credentials of a registry come from (the registry settings aggregate)."""

    def credentials_for(self, registry: str) -> RegistryCredentials | None: ...


class CapsuleImages(Protocol):
    """What images need of capsules (implemented by the capsules work)."""

    def require_capsule(self, project_id: str, capsule_id: str) -> None:
        """Raises NotFound when the project or the capsule does not exist."""

    def images_in_use(self, project_id: str, capsule_id: str) -> set[str]:
        """The image ids the capsule's current rollouts (in any environment) run."""


@dataclass(frozen=True)
class ResolvedImage:
    """An image reference checked against its registry (or not, when the check is skipped):
    what registering it records."""

    reference: ImageReference
    digest: str  # "" when unknown (check skipped and no digest given)

    @property
    def image_id(self) -> str:
        return self.reference.image_id(self.digest)

    @property
    def repository(self) -> str:
        return self.reference.repository

    @property
    def tag(self) -> str:
        return self.reference.tag


@dataclass(frozen=True)
class ImageSummary:
    """What the API shows of an image (api.v1.capsule.Image)."""

    image_id: str
    digest: str
    repository: str
    tag: str
    created_by: Actor
    created_at: datetime
    origin: Mapping[str, Any]
    labels: Mapping[str, str]


def image_aggregate_id(project_id: str, capsule_id: str, image_id: str) -> UUID:
    return stable_id("image", f"{project_id}/{capsule_id}/{image_id}")


class Image(Revivable):
    """One image of one capsule. Immutable: it is created, deleted, and created again."""

    TOPIC = "image"
    key_field = "image_id"
    not_found = ImageNotFound
    already_exists = ImageAlreadyExists

    class Created(AuditedCreated):
        TOPIC = "image.Created"
        project_id: str
        capsule_id: str
        image_id: str
        digest: str
        repository: str
        tag: str
        origin: dict[str, Any]  # api.v1.capsule.Origin as proto3 JSON with proto field names
        labels: dict[str, str]

    class Deleted(AuditedEvent):
        TOPIC = "image.Deleted"

    class Recreated(AuditedEvent):
        TOPIC = "image.Recreated"
        origin: dict[str, Any]
        labels: dict[str, str]

    @staticmethod
    def create_id(project_id: str, capsule_id: str, image_id: str, **_: Any) -> UUID:
        return image_aggregate_id(project_id, capsule_id, image_id)

    @event(Created)
    def __init__(self, project_id: str, capsule_id: str, image_id: str, digest: str, repository: str, tag: str,
                 origin: dict[str, Any], labels: dict[str, str]) -> None:
        self.project_id = project_id
        self.capsule_id = capsule_id
        self.image_id = image_id
        self.digest = digest
        self.repository = repository
        self.tag = tag
        self.origin = origin
        self.labels = labels
        self.deleted = False

    @classmethod
    def register(cls, project_id: str, capsule_id: str, resolved: ResolvedImage,
                 origin: Mapping[str, Any] | None = None, labels: Mapping[str, str] | None = None) -> Image:
        return cls(project_id, capsule_id, resolved.image_id, resolved.digest, resolved.repository, resolved.tag,
                   dict(origin or {}), dict(labels or {}))

    def revive(self, origin: Mapping[str, Any] | None = None, labels: Mapping[str, str] | None = None) -> None:
        self.require_deleted()
        self._recreated(dict(origin or {}), dict(labels or {}))

    def delete(self) -> None:
        self.require_live()
        self._deleted()

    @event(Deleted)
    def _deleted(self) -> None:
        self.deleted = True

    @event(Recreated)
    def _recreated(self, origin: dict[str, Any], labels: dict[str, str]) -> None:
        self.origin = origin
        self.labels = labels
        self.deleted = False
