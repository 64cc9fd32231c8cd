"""What a parsed request is about, for the RBAC check: its project, environment and resources.

Driven by the request's descriptor (`project_id` and `environment_id` wherever a request
has them) and one small table per service: the resource type it acts on and the fields
naming the resource, first present wins (rig-behavior 3.5)."""

from __future__ import annotations

import functools
from typing import Any

from rigd.domain.rbac import Target, deploy_actions, requirement
from rigd.services.rpcs import Rpc

# Service package -> (resource type, fields that may name the resource, in order). A dotted
# field reads a sub-message (`start.capsule_id`); a field naming a oneof of ids
# (`member_id`) contributes the id set in it, typed by the id's field name.
_RESOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "api.v1.capsule.Service": ("capsule", ("capsule_id", "name", "start.capsule_id")),
    "api.v1.image.Service": ("image", ("image_id", "image")),
    "api.v1.cluster.Service": ("cluster", ()),
    "api.v1.environment.Service": ("environment", ("environment_id",)),
    "api.v1.group.Service": ("group", ("group_id", "member_id")),
    "api.v1.role.Service": ("role", ("role_id",)),
    "api.v1.service_account.Service": ("serviceaccount", ("service_account_id",)),
    "api.v1.user.Service": ("user", ("user_id",)),
    "api.v1.project.Service": ("project", ("project_id",)),
    "api.v1.project.settings.Service": ("settings", ()),
    "api.v1.user.settings.Service": ("settings", ()),
    "api.v1.authentication.Service": ("user", ()),
}
# The id fields of the `oneof kind` messages (group.MemberID, role.EntityID) and their types.
_ID_TYPES = {"user_id": "user", "service_account_id": "serviceaccount", "group_id": "group"}
_DEPLOY = "/api.v1.capsule.Service/Deploy"


def actions_of(rpc: Rpc, request: Any) -> tuple[str, ...]:
    """The actions a call needs (empty for auth-free and self-service RPCs): one, or for
    Deploy `capsule:deploy` and the sub-action of every kind of change it carries."""
    need = requirement(rpc.path)
    if rpc.path == _DEPLOY:
        changes = getattr(request, "changes", ()) if request is not None else ()
        # A change that sets nothing needs no sub-action: the servicer refuses it (INVALID_ARGUMENT).
        kinds = (change.WhichOneof("field") for change in changes)
        return deploy_actions(kind for kind in kinds if kind)
    return (need,)


def target_of(rpc: Rpc, request: Any) -> Target:
    """What `request` (None: a stream that sent nothing) asks `rpc` to act on."""
    kind, id_fields = _RESOURCES.get(rpc.service, ("", ()))
    if request is None:
        return Target(((kind, ""),))
    resources = [*_named(kind, request, id_fields), *_also_named(rpc, request)]
    return Target(
        tuple(resources) or ((kind, ""),),
        project=_text(request, "project_id"),
        environment=_text(request, "environment_id"),
    )


def _named(kind: str, request: Any, id_fields: tuple[str, ...]) -> list[tuple[str, str]]:
    for name in id_fields:
        value = _field(request, name)
        if isinstance(value, str) and value:
            return [(kind, value)]
        if value is not None and not isinstance(value, str) and hasattr(value, "WhichOneof"):
            chosen = value.WhichOneof("kind")
            if chosen:
                return [(_ID_TYPES.get(chosen, chosen), str(getattr(value, chosen)))]
    return []


def _also_named(rpc: Rpc, request: Any) -> list[tuple[str, str]]:
    """Images are also named by their capsule (the built-in roles grant image actions on
    `capsule/*` too)."""
    if rpc.service == "api.v1.image.Service":
        capsule = _text(request, "capsule_id")
        return [("capsule", capsule)] if capsule else []
    return []


def _field(message: Any, dotted: str) -> Any:
    """The value of a (dotted) field, or None when the message has no such field or an unset
    sub-message."""
    steps = _steps(message.DESCRIPTOR, dotted)
    if steps is None:
        return None
    for name, singular_message in steps:
        if singular_message and not message.HasField(name):
            return None
        message = getattr(message, name)
    return message


@functools.cache
def _steps(descriptor: Any, dotted: str) -> tuple[tuple[str, bool], ...] | None:
    """The fields a dotted name walks through, each with whether it is a singular sub-message
    (whose presence is checked), or None when the message type has no such field. Cached per
    message type: every call's RBAC check reads its request through here."""
    steps = []
    for name in dotted.split("."):
        field = descriptor.fields_by_name.get(name)
        if field is None:
            return None
        steps.append((name, field.message_type is not None and not field.is_repeated))
        descriptor = field.message_type
    return tuple(steps)


def _text(message: Any, name: str) -> str:
    value = _field(message, name)
    return value if isinstance(value, str) else ""
