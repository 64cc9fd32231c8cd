"""Command side of images, and the registry look-ups of image.Service.

The registry is asked OUTSIDE any decision (`resolve`): a decision may run several times
when it loses a race, and must not wait on the network while it holds fresh state. The
Deploy's `add_image` change uses the same two steps as Add: `resolve` before its decision,
`registration` inside it (the image is saved with the rollout, atomically)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rigd.domain.context import CommandContext
from rigd.domain.errors import InvalidArgument
from rigd.domain.event_store import EventStore
from rigd.domain.image_references import ImageReference, parse_reference, validate_digest, validate_registry_host
from rigd.domain.images import (
    CapsuleImages,
    DigestMismatch,
    Image,
    ImageInUse,
    ImageNotFound,
    ImageRegistry,
    RegistryLogins,
    RepositoryTag,
    ResolvedImage,
    image_aggregate_id,
)
from rigd.domain.naming import quoted, require

MAX_LABELS = 64
MAX_LABEL_LENGTH = 4096


@dataclass(frozen=True)
class ImageInfo:
    """GetImageInfo's answer: the reference resolved to its digest, and when it was built."""

    reference: ImageReference
    created_at: datetime | None


class ImageCommands:
    def __init__(self, store: EventStore, registry: ImageRegistry, logins: RegistryLogins,
                 capsules: CapsuleImages) -> None:
        self._store = store
        self._registry = registry
        self._logins = logins
        self._capsules = capsules

    def add(self, ctx: CommandContext, project_id: str, capsule_id: str, image: str, digest: str = "",
            origin: Mapping[str, Any] | None = None, labels: Mapping[str, str] | None = None,
            skip_image_check: bool = False) -> tuple[int, str, bool]:
        """Registers the image for the capsule: (notification id, image id, whether it is new).
        An image the capsule has already is answered with its id and nothing is recorded."""
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        _check_labels(labels or {})
        self._capsules.require_capsule(project_id, capsule_id)
        resolved = self.resolve(project_id, image, digest, skip_image_check)

        def decide() -> tuple[int, str, bool]:
            new, image_id = self.registration(project_id, capsule_id, resolved, origin, labels)
            if new is None:
                return 0, image_id, False
            return self._store.record(new), image_id, True

        return self._store.decide(ctx, decide)

    def delete(self, ctx: CommandContext, project_id: str, capsule_id: str, image_id: str) -> int:
        """Deletes the image; one a current rollout of the capsule runs is refused."""
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        require(image_id, "image_id")

        def decide() -> int:
            image = self._load(project_id, capsule_id, image_id)
            if image is None or image.deleted:
                raise ImageNotFound(image_id)
            if image_id in self._capsules.images_in_use(project_id, capsule_id):
                raise ImageInUse(image_id)
            image.delete()
            return self._store.record(image)

        return self._store.decide(ctx, decide)

    def resolve(self, project_id: str, reference: str, digest: str = "", skip_check: bool = False) -> ResolvedImage:
        """Parses `reference` and, unless `skip_check`, asks its registry (with the registry's
        credentials from the settings) for the digest: a `digest` given that differs is
        InvalidArgument, an unknown image NotFound, refused credentials Unauthenticated."""
        parsed = parse_reference(reference)
        if digest:
            validate_digest(digest)
        if digest and parsed.digest and digest != parsed.digest:
            raise DigestMismatch(digest, parsed.digest)
        if skip_check:
            return ResolvedImage(parsed, digest or parsed.digest)
        found = self._registry.manifest_digest(parsed, self._logins.credentials_for(parsed.registry))
        if (digest or parsed.digest) and found != (digest or parsed.digest):
            raise DigestMismatch(digest or parsed.digest, found)
        return ResolvedImage(parsed, found)

    def registration(self, project_id: str, capsule_id: str, resolved: ResolvedImage,
                     origin: Mapping[str, Any] | None = None,
                     labels: Mapping[str, str] | None = None) -> tuple[Image | None, str]:
        """Inside a decision: the image aggregate to save (new, or a deleted one revived), or
        None when the capsule has the image already; and the image id."""
        image_id = resolved.image_id
        image = self._load(project_id, capsule_id, image_id)
        if image is None:
            return Image.register(project_id, capsule_id, resolved, origin, labels), image_id
        if image.deleted:
            image.revive(origin, labels)
            return image, image_id
        return None, image_id

    def exists(self, project_id: str, capsule_id: str, image_id: str) -> bool:
        """Whether the capsule has this image (from its history, not a read model)."""
        image = self._load(project_id, capsule_id, image_id)
        return image is not None and not image.deleted

    def info(self, reference: str) -> ImageInfo:
        """GetImageInfo: the reference's digest and creation time, from its registry."""
        parsed = parse_reference(reference)
        credentials = self._logins.credentials_for(parsed.registry)
        digest = self._registry.manifest_digest(parsed, credentials)
        resolved = parsed.with_digest(digest)
        return ImageInfo(resolved, self._registry.created_at(resolved, credentials))

    def repository_tags(self, registry: str, repository: str) -> list[RepositoryTag]:
        """GetRepositoryInfo: the tags of `repository` (a path, or a name with its registry),
        newest first where the registry says when their images were made."""
        require(repository, "repository")
        name = f"{validate_registry_host(registry)}/{repository}" if registry else repository
        parsed = parse_reference(name)
        if parsed.digest or parsed.tag != "latest" or name.rsplit("/", 1)[-1].count(":"):
            raise InvalidArgument(f"repository {quoted(repository)} must name a repository, not an image")
        tags = self._registry.tags(parsed.registry, parsed.path, self._logins.credentials_for(parsed.registry))
        return sorted(tags, key=lambda t: (t.created_at is not None, t.created_at or datetime.min, t.tag),
                      reverse=True)

    def _load(self, project_id: str, capsule_id: str, image_id: str) -> Image | None:
        return self._store.load(image_aggregate_id(project_id, capsule_id, image_id), Image)


def _check_labels(labels: Mapping[str, str]) -> None:
    if len(labels) > MAX_LABELS:
        raise InvalidArgument(f"an image has at most {MAX_LABELS} labels")
    for key, value in labels.items():
        if not key:
            raise InvalidArgument("a label key must not be empty")
        if len(key) + len(value) > MAX_LABEL_LENGTH:
            raise InvalidArgument(f"label {quoted(key)} is longer than {MAX_LABEL_LENGTH} characters")
