"""ImageCommands' two steps for the Deploy's add_image (`resolve` outside a decision,
`registration` inside it), and the capsule port's refusals, with fakes for the ports."""

from __future__ import annotations

from datetime import datetime

import pytest

from rigd.domain.context import CommandContext
from rigd.domain.errors import FailedPrecondition, InvalidArgument, NotFound
from rigd.domain.event_store import EventStore
from rigd.domain.image_commands import ImageCommands
from rigd.domain.image_references import ImageReference
from rigd.domain.images import RegistryCredentials, RepositoryTag

DIGEST = "sha256:" + "ab" * 32
CTX = CommandContext(request_id="test")


class FakeRegistry:
    def __init__(self) -> None:
        self.asked: list[tuple[str, RegistryCredentials | None]] = []

    def manifest_digest(self, reference: ImageReference, credentials: RegistryCredentials | None) -> str:
        self.asked.append((str(reference), credentials))
        return DIGEST

    def created_at(self, reference: ImageReference, credentials: RegistryCredentials | None) -> datetime | None:
        return None

    def tags(self, registry: str, path: str, credentials: RegistryCredentials | None) -> list[RepositoryTag]:
        return []


class FakeLogins:
    def credentials_for(self, registry: str) -> RegistryCredentials | None:
        return RegistryCredentials("u", "p") if registry == "ghcr.io" else None


class FakeCapsules:
    def __init__(self) -> None:
        self.in_use: set[str] = set()

    def require_capsule(self, project_id: str, capsule_id: str) -> None:
        if capsule_id != "web":
            raise NotFound(f"capsule {capsule_id!r} not found")

    def images_in_use(self, project_id: str, capsule_id: str) -> set[str]:
        return self.in_use


Parts = tuple[ImageCommands, EventStore, FakeRegistry, FakeCapsules]


@pytest.fixture
def parts() -> Parts:
    store = EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    registry, capsules = FakeRegistry(), FakeCapsules()
    return ImageCommands(store, registry, FakeLogins(), capsules), store, registry, capsules


def test_resolve_asks_the_registry_with_its_credentials_and_registration_saves_once(parts: Parts) -> None:
    commands, store, registry, _ = parts
    resolved = commands.resolve("shop", "ghcr.io/acme/app:v1")
    assert registry.asked == [("ghcr.io/acme/app:v1", RegistryCredentials("u", "p"))]
    assert resolved.image_id == f"ghcr.io/acme/app@{DIGEST}"

    def decide() -> tuple[bool, str]:
        image, image_id = commands.registration("shop", "web", resolved)
        if image is not None:
            store.record(image)
        return image is not None, image_id

    assert store.decide(CTX, decide) == (True, resolved.image_id)
    assert store.decide(CTX, decide) == (False, resolved.image_id)
    assert commands.exists("shop", "web", resolved.image_id)
    assert not commands.exists("shop", "other", resolved.image_id)


def test_skip_check_asks_nothing_and_a_contradicting_digest_is_refused(parts: Parts) -> None:
    commands, _, registry, _ = parts
    assert commands.resolve("shop", "nginx", skip_check=True).image_id == "index.docker.io/library/nginx:latest"
    assert commands.resolve("shop", "nginx", DIGEST, skip_check=True).digest == DIGEST
    assert registry.asked == []
    with pytest.raises(InvalidArgument, match="provided digest doesn't match image"):
        commands.resolve("shop", "nginx:1", "sha256:" + "cd" * 32)


def test_add_needs_the_capsule_and_delete_refuses_an_image_in_use(parts: Parts) -> None:
    commands, _, _, capsules = parts
    with pytest.raises(NotFound):
        commands.add(CTX, "shop", "nope", "nginx:1")
    _, image_id, added = commands.add(CTX, "shop", "web", "nginx:1")
    assert added
    capsules.in_use = {image_id}
    with pytest.raises(FailedPrecondition, match="cannot delete the current image"):
        commands.delete(CTX, "shop", "web", image_id)
    capsules.in_use = set()
    assert commands.delete(CTX, "shop", "web", image_id) > 0
    assert not commands.exists("shop", "web", image_id)
    _, again, added = commands.add(CTX, "shop", "web", "nginx:1")
    assert (again, added) == (image_id, True)
