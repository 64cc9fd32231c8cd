"""Deploy, AbortRollout and StopRollout: load, decide, save once (rig-behavior 4.2-4.4).

A Deploy loads the capsule (small, snapshotted) and the environment's current rollout only.
It checks `current_rollout_id` (ABORTED when another rollout is current) and that no rollout
is in progress (FAILED_PRECONDITION "rollout already in progress", unless `force`, which
aborts it), applies the changes to a copy of the current config, validates the result, and
saves the capsule's next rollout id, the new rollout, the previous rollout's end, any
image an `add_image` registered and (on the capsule's first rollout in the environment) the
environment's record of the capsule, in one transaction. Concurrent Deploys of one capsule all
write the capsule's next version: one commits, the others are decided again and find another
rollout current (ABORTED when they named the one they expected).

A dry run records nothing: it answers the config and the objects the platform would write, for
a capsule that does not exist yet too, and for an image the capsule does not have yet (rig-ops
dry-runs a migration before it creates the capsule and adds its image)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from rigd.domain.capsule_commands import load_capsule, load_rollout
from rigd.domain.capsules import Capsule, CapsuleNotFound, capsule_aggregate_id
from rigd.domain.changes import apply_changes
from rigd.domain.config_validation import validate_config
from rigd.domain.context import CommandContext, current_context
from rigd.domain.environments import DEFAULT_ENVIRONMENT_ID, DefaultEnvironment, Environment
from rigd.domain.errors import FailedPrecondition
from rigd.domain.event_store import EventStore
from rigd.domain.image_commands import ImageCommands
from rigd.domain.images import Image, ResolvedImage
from rigd.domain.lifecycle import load_live
from rigd.domain.naming import require, validate_system_name
from rigd.domain.passwords import Sealer
from rigd.domain.projects import Project
from rigd.domain.rendering import Renderer, RenderTarget
from rigd.domain.rollout_config import (
    ChangeDocument,
    Config,
    initial_config,
    open_secrets,
    redact_secrets,
    seal_secrets,
)
from rigd.domain.rollouts import (
    Rollout,
    RolloutInProgress,
    RolloutNotFound,
    StaleCurrentRollout,
    rollout_aggregate_id,
)


@dataclass(frozen=True)
class DeployRequest:
    project_id: str
    capsule_id: str
    environment_id: str = ""  # "" for the default environment
    changes: Sequence[ChangeDocument] = ()
    message: str = ""
    force: bool = False
    dry_run: bool = False
    current_rollout_id: int = 0  # 0: whatever is current
    force_override: bool = False


@dataclass(frozen=True)
class Deployed:
    """A Deploy's answer. `config` and `changes` are fit for a response (secrets left out)."""

    notification_id: int  # 0 for a dry run
    rollout_id: int  # 0 for a dry run
    environment_id: str
    config: Config
    changes: list[dict[str, Any]]
    message: str
    created_at: datetime
    resource_yaml: dict[str, str] = field(default_factory=dict)  # dry runs only


class NoDefaultEnvironment(FailedPrecondition):
    def __init__(self) -> None:
        super().__init__("environment_id is empty and there is no default environment; name one")


def json_time(moment: datetime) -> str:
    """A time as proto3 JSON writes a Timestamp."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def author_document(ctx: CommandContext) -> dict[str, str]:
    """The acting principal as a model.Author document."""
    actor = ctx.actor
    document = {"identifier": actor.identifier, "printable_name": actor.printable_name}
    if actor.user_id:
        document["user_id"] = actor.user_id
    elif actor.service_account_id:
        document["service_account_id"] = actor.service_account_id
    return document


def recorded_changes(changes: Sequence[ChangeDocument]) -> list[dict[str, Any]]:
    """The changes as a rollout records and shows them: a secret file's content left out
    (the config holds it, sealed)."""
    kept = []
    for change in changes:
        document = copy.deepcopy(dict(change))
        file = document.get("set_config_file")
        if isinstance(file, dict) and file.get("is_secret"):
            file.pop("content", None)
        kept.append(document)
    return kept


class _DeployWorld:
    """What applying changes needs of the capsule's images and earlier rollouts."""

    def __init__(self, commands: DeployCommands, request: DeployRequest, resolved: dict[str, ResolvedImage],
                 now: datetime, current_image: str, capsule: Capsule) -> None:
        self._commands = commands
        self._capsule = capsule
        self._current_image = current_image
        self._request = request
        self._resolved = resolved
        self._stamp = {"updated_by": author_document(current_context()), "updated_at": json_time(now)}
        self.new_images: list[Image] = []
        self._added: set[str] = set()

    def image_exists(self, image_id: str) -> bool:
        # The current rollout's image exists: an image a current rollout runs cannot be deleted.
        # A dry run shows what any image would make: rig-ops dry-runs an image it adds only
        # when it deploys for real.
        if image_id == self._current_image or image_id in self._added or self._request.dry_run:
            return True
        return self._commands.images.exists(self._request.project_id, self._request.capsule_id, image_id)

    def add_image(self, image: str) -> str:
        new, image_id = self._commands.images.registration(
            self._request.project_id, self._request.capsule_id, self._resolved[image])
        if new is not None:
            self.new_images.append(new)
        self._added.add(image_id)
        return image_id

    def rollout_config(self, rollout_id: int) -> Config:
        request = self._request
        earlier = None
        if self._capsule.has_rollout(rollout_id):  # (not one of an earlier incarnation's)
            earlier = load_rollout(self._commands.store, request.project_id, request.capsule_id, rollout_id)
        if earlier is None:
            raise RolloutNotFound(request.capsule_id, rollout_id)
        return self._commands.opened(earlier)

    def file_stamp(self) -> dict[str, Any]:
        return copy.deepcopy(self._stamp)


class DeployCommands:
    def __init__(self, store: EventStore, images: ImageCommands, sealer: Sealer, renderer: Renderer) -> None:
        self.store = store
        self.images = images
        self._sealer = sealer
        self._renderer = renderer

    def deploy(self, ctx: CommandContext, request: DeployRequest) -> Deployed:
        require(request.project_id, "project_id")
        require(request.capsule_id, "capsule_id")
        # The registry is asked before deciding: a decision may run again after a lost race.
        resolved = {image: self.images.resolve(request.project_id, image)
                    for image in _added_images(request.changes)}
        environment_id = request.environment_id or self._default_environment()
        return self.store.decide(ctx, lambda: self._decide(request, environment_id, resolved))

    def abort(self, ctx: CommandContext, project_id: str, capsule_id: str, rollout_id: int) -> int:
        def decide() -> int:
            _, rollout = self._existing_rollout(project_id, capsule_id, rollout_id)
            rollout.abort()
            return self.store.record(rollout)

        return self.store.decide(ctx, decide)

    def stop(self, ctx: CommandContext, project_id: str, capsule_id: str, rollout_id: int) -> int:
        """Stops the rollout; 0 (nothing recorded) when it was stopped already, or when a newer
        rollout of its environment took over (the capsule's objects there are that one's)."""

        def decide() -> int:
            capsule, rollout = self._existing_rollout(project_id, capsule_id, rollout_id)
            current = capsule.current_rollout_id(rollout.environment_id) == rollout_id
            return self.store.record(rollout) if current and rollout.stop() else 0

        return self.store.decide(ctx, decide)

    def opened(self, rollout: Rollout) -> Config:
        """The rollout's config with its secret files opened (for changes and rendering)."""
        return open_secrets(rollout.config, lambda text, path: self._sealer.open(text, rollout.id, path))

    def _decide(self, request: DeployRequest, environment_id: str, resolved: dict[str, ResolvedImage]) -> Deployed:
        capsule, environment, current = self._loaded(request, environment_id)
        current_id = capsule.current_rollout_id(environment_id)
        if request.current_rollout_id and request.current_rollout_id != current_id:
            raise StaleCurrentRollout(request.current_rollout_id, current_id)
        if current is not None and current.in_progress and not request.force and not request.dry_run:
            raise RolloutInProgress()
        now = datetime.now(UTC)
        base = self.opened(current) if current is not None else initial_config()
        world = _DeployWorld(self, request, resolved, now, str(base.get("image_id", "")), capsule)
        config = apply_changes(base, request.changes, world)
        validate_config(config, request.capsule_id, require_image=not request.dry_run)
        changes = recorded_changes(request.changes)
        if request.dry_run:
            return self._dry_run(request, environment, config, current, changes, now)
        if current is not None:
            if current.in_progress:
                current.abort()  # `force`: the running rollout is aborted first
            current.replace(capsule.last_rollout_id + 1)
        # A capsule's first rollout here is recorded by the environment too, so a concurrent
        # Delete of it conflicts with this save (a later rollout conflicts on the capsule,
        # which that Delete writes to).
        first_here = [environment] if not current_id else []
        if first_here:
            environment.add_capsule(request.project_id, request.capsule_id)
        rollout_id = capsule.start_rollout(environment_id)
        rollout_uuid = Rollout.create_id(request.project_id, request.capsule_id, rollout_id)
        rollout = Rollout(request.project_id, request.capsule_id, environment_id, rollout_id,
                          self._sealed(config, rollout_uuid), changes, request.message, request.force_override,
                          environment.cluster_id, environment.namespace(request.project_id))
        ended = [current] if current is not None else []  # recorded first: its end comes before the new start
        written = self.store.record(*ended, *world.new_images, *first_here, capsule, rollout)
        return Deployed(written, rollout_id, environment_id, redact_secrets(config), changes, request.message,
                        rollout.created_on)

    def _loaded(self, request: DeployRequest, environment_id: str) -> tuple[Capsule, Environment, Rollout | None]:
        """The capsule, the environment and the capsule's current rollout there, read in one
        query when this process keeps a copy of the capsule (which names the rollout to load
        with it; should the capsule have moved on meanwhile, the new one is loaded after)."""
        require(environment_id, Environment.key_field)
        project_id, capsule_id = request.project_id, request.capsule_id
        capsule_id_ = capsule_aggregate_id(project_id, capsule_id)
        guess = self.store.peek_kept(capsule_id_, lambda kept: kept.current_rollout_id(environment_id))
        wanted: list[tuple[UUID, type[Aggregate]]] = [(capsule_id_, Capsule),
                                                      (Environment.create_id(environment_id), Environment)]
        if guess:
            wanted.append((rollout_aggregate_id(project_id, capsule_id, guess), Rollout))
        loaded = self.store.load_together(wanted)
        capsule = cast(Capsule | None, loaded[0])
        if capsule is None or capsule.deleted:
            capsule = self._capsule_to_be(request)
        environment = cast(Environment | None, loaded[1])
        if environment is None:
            raise Environment.not_found(environment_id)
        environment.require_live()
        current_id = capsule.current_rollout_id(environment_id)
        if guess and guess == current_id:
            return capsule, environment, cast(Rollout | None, loaded[2])
        return capsule, environment, load_rollout(self.store, project_id, capsule_id, current_id)

    def _capsule_to_be(self, request: DeployRequest) -> Capsule:
        """For a dry run, a capsule that does not exist yet is one with no rollouts (never saved):
        rig-ops dry-runs a capsule before it creates it. Anything else needs the capsule."""
        if not request.dry_run:
            raise CapsuleNotFound(request.capsule_id)
        load_live(self.store, Project, request.project_id)
        validate_system_name(request.capsule_id, "capsule_id")
        return Capsule(request.project_id, request.capsule_id)

    def _dry_run(self, request: DeployRequest, environment: Environment, config: Config,
                 current: Rollout | None, changes: list[dict[str, Any]], now: datetime) -> Deployed:
        namespace = environment.namespace(request.project_id)
        target = RenderTarget(request.project_id, environment.environment_id, request.capsule_id, namespace, 0,
                              request.force_override)
        before = None
        if current is not None:
            before = (RenderTarget(request.project_id, environment.environment_id, request.capsule_id, namespace,
                                   current.rollout_id, current.force_override), self.opened(current))
        resource_yaml = self._renderer.resource_yaml(target, config, before)
        return Deployed(0, 0, environment.environment_id, redact_secrets(config), changes, request.message, now,
                        resource_yaml)

    def _sealed(self, config: Config, rollout_uuid: UUID) -> Config:
        return seal_secrets(config, lambda plaintext, path: self._sealer.seal(plaintext, rollout_uuid, path))

    def _existing_rollout(self, project_id: str, capsule_id: str, rollout_id: int) -> tuple[Capsule, Rollout]:
        capsule = load_capsule(self.store, project_id, capsule_id)
        rollout = None
        if capsule.has_rollout(rollout_id):  # (not one of an earlier incarnation's)
            rollout = load_rollout(self.store, project_id, capsule_id, rollout_id)
        if rollout is None:
            raise RolloutNotFound(capsule_id, rollout_id)
        return capsule, rollout

    def _default_environment(self) -> str:
        index = self.store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment)
        if index is None or not index.environment_id:
            raise NoDefaultEnvironment()
        return index.environment_id


def _added_images(changes: Sequence[ChangeDocument]) -> list[str]:
    images = []
    for change in changes:
        value = change.get("add_image") if isinstance(change, dict) else None
        if isinstance(value, dict) and isinstance(value.get("image"), str) and value["image"]:
            images.append(value["image"])
    return list(dict.fromkeys(images))
