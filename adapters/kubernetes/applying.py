"""Applying a rollout's rendered objects to a cluster.

1. The namespace (the environment's template rendered for the project) is created when missing.
2. Every object is looked up. One that exists and is not the capsule's (by the labels below: made
   by hand, by Helm, for another capsule) is left untouched and answered FAILED, and nothing is
   applied, unless the rollout was deployed with `force_override` (rig-behavior 5.2: the operator
   leaves such objects alone unless `rig.dev/override-ownership`); then rigd takes it over.
3. Every object is applied server-side as a dry run first (`dryRun=All`): the server validates
   each one, its admission webhooks run, a kind the cluster does not serve shows up, and
   nothing is written. When any object fails there, nothing is applied and only the FAILED
   objects are answered (the port's rule).
4. Every object is applied server-side (`PATCH` with `application/apply-patch+yaml`, field
   manager `rigd`, `force=true`: rigd owns the fields it writes, also those an earlier manager
   wrote). The outcome compares the object's `resourceVersion` before and after: no object
   before is CREATED, an unchanged version is NO_CHANGE, else UPDATED. An object refused here
   after a clean dry run (the cluster changed in between) is answered FAILED and the rest is
   not applied; what was applied before it stays, and applying again finishes the work.
   What the operator derives from the Capsule gets the Capsule as its controlling owner
   (`ownerReferences`, with the uid the apply answered), as the operator's objects do.
5. Objects rigd wrote for the capsule earlier (found by label) that are no longer rendered are
   deleted (DELETED).

Which objects rigd owns, by their labels: those it writes for the platform carry
`app.kubernetes.io/managed-by=rigd` and `rig.dev/capsule=<capsule>`; those derived from the
Capsule carry `rig.dev/owned-by-capsule=<capsule>`. Nothing else is ever deleted."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rigd.adapters.kubernetes.cluster_api import (
    APPLY_PATCH,
    FIELD_MANAGER,
    KNOWN_RESOURCES,
    NAMESPACE,
    ApiError,
    KubeApi,
    Resource,
    label_selector,
)
from rigd.adapters.kubernetes.documents import flag, items, text
from rigd.adapters.kubernetes.metadata import (
    CAPSULE_LABEL,
    MANAGED_BY_LABEL,
    MANAGED_BY_RIGD,
    OWNED_BY_CAPSULE_LABEL,
    SHARED_CONFIG_LABEL,
    file_object_name,
)
from rigd.domain.cluster_driver import AppliedObject, ApplyStage, CapsulePlace, Outcome
from rigd.domain.rendering import RenderTarget
from rigd.domain.rollout_config import Config

CONFIG_MAP, SECRET = KNOWN_RESOURCES[("v1", "ConfigMap")], KNOWN_RESOURCES[("v1", "Secret")]
OWNED_KINDS = [
    ("rig.dev/v1alpha2", "Capsule"), ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "ServiceAccount"),
    ("apps/v1", "Deployment"), ("autoscaling/v2", "HorizontalPodAutoscaler"), ("v1", "Service"),
    ("networking.k8s.io/v1", "Ingress"), ("batch/v1", "CronJob"),
]
"""The kinds rigd writes, in the order it renders them (deleted in the reverse order)."""

APPLY_QUERY = (("fieldManager", FIELD_MANAGER), ("force", "true"))
DRY_RUN_QUERY = (("dryRun", "All"), *APPLY_QUERY)
DELETE_QUERY = (("propagationPolicy", "Background"),)


@dataclass(frozen=True)
class FileInfo:
    path: str
    is_secret: bool


def ensure_namespace(api: KubeApi, namespace: str) -> AppliedObject | None:
    """Creates the namespace when it does not exist (another writer creating it first is fine);
    a FAILED `namespace/<name>` when it cannot. A rigd allowed to see no namespaces (403 on the
    look-up) goes on: the dry run then tells whether the namespace is there."""
    try:
        if api.get_or_none(NAMESPACE.item("", namespace)) is not None:
            return None
    except ApiError as error:
        if error.status == 403:
            return None
        raise
    body = {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": namespace, "labels": {MANAGED_BY_LABEL: MANAGED_BY_RIGD}}}
    try:
        api.call("POST", NAMESPACE.collection(), body=body)
    except ApiError as error:
        if error.status == 409:  # AlreadyExists: made since we looked
            return None
        if error.retryable:
            raise
        return AppliedObject("namespace", namespace, Outcome.FAILED, ApplyStage.CONFIGURE, error.message,
                             permanent=True)
    return None


def apply_objects(api: KubeApi, target: RenderTarget, config: Config,
                  objects: list[dict[str, Any]]) -> list[AppliedObject]:
    """See the module's description. Raises `ApiError` when listing or deleting what is no longer
    rendered fails, after everything was applied (applying again finishes the work)."""
    files = _file_infos(target.capsule_id, config)
    namespace_failure = ensure_namespace(api, target.namespace)
    if namespace_failure is not None:
        return [namespace_failure]
    existing = _look_up(api, objects, files)
    if isinstance(existing, AppliedObject):
        return [existing]
    if not target.force_override:
        taken = [_not_the_capsules(item, files, target.capsule_id)
                 for item, before in zip(objects, existing, strict=True)
                 if before is not None and not _owned_by(before, target.capsule_id)]
        if taken:
            return taken
    failures = [f for f in (_dry_run(api, item, files) for item in objects) if f is not None]
    if failures:
        return failures
    outcomes = _apply_in_order(api, objects, existing, files)
    if outcomes[-1].outcome is Outcome.FAILED:
        return outcomes[-1:]
    rendered = {(item["kind"], item["metadata"]["name"]) for item in objects}
    leftovers = [item for item in owned_objects(api, CapsulePlace.of(target)) if _identity(item) not in rendered]
    outcomes += delete_objects(api, leftovers)
    # as the local driver reports them: the configure stage first, deletions last in each stage
    stages = [ApplyStage.CONFIGURE, ApplyStage.RESOURCE_CREATION]
    return sorted(outcomes, key=lambda o: (stages.index(o.stage), o.outcome is Outcome.DELETED))


def env_sources(api: KubeApi, namespace: str, capsule: str) -> list[dict[str, Any]]:
    """What the operator reads of the namespace for a capsule's env, besides what the platform
    writes: the automatic Secret `<capsule>` when there is one, and every ConfigMap and Secret
    labelled `rig.dev/shared-config=true` (rig-behavior 5.4)."""
    found = []
    selector = [("labelSelector", label_selector({SHARED_CONFIG_LABEL: "true"}))]
    for kind, resource in (("ConfigMap", CONFIG_MAP), ("Secret", SECRET)):
        for item in api.items(resource.collection(namespace), selector):
            found.append({**item, "apiVersion": "v1", "kind": kind})
    automatic = api.get_or_none(SECRET.item(namespace, capsule))
    if automatic is not None and not any(item["kind"] == "Secret" and item["metadata"]["name"] == capsule
                                         for item in found):
        found.append({**automatic, "apiVersion": "v1", "kind": "Secret"})
    return found


def owned_objects(api: KubeApi, place: CapsulePlace) -> list[dict[str, Any]]:
    """The objects rigd wrote for the capsule, in render order of their kinds."""
    selector = label_selector({CAPSULE_LABEL: place.capsule_id})
    found = []
    for api_version, kind in OWNED_KINDS:
        resource = KNOWN_RESOURCES[(api_version, kind)]
        for item in api.items(resource.collection(place.namespace), [("labelSelector", selector)]):
            item.setdefault("apiVersion", api_version)
            item.setdefault("kind", kind)  # lists may leave them out of their items
            if _owned_by(item, place.capsule_id):
                found.append(item)
    return found


def delete_objects(api: KubeApi, objects: Iterable[dict[str, Any]]) -> list[AppliedObject]:
    """Deletes `objects` in reverse order (derived objects before what they derive from)."""
    outcomes = []
    for item in reversed(list(objects)):
        meta = item["metadata"]
        path = _resource(item).item(meta["namespace"], meta["name"])
        try:
            api.call("DELETE", path, DELETE_QUERY)
        except ApiError as error:
            if error.status != 404:  # already gone is what was wanted
                outcomes.append(_failed(item, {}, error))
                continue
        outcomes.append(_outcome(item, {}, Outcome.DELETED))
    return outcomes


def stage_of(item: dict[str, Any]) -> ApplyStage:
    """Objects the platform writes are configured; what is derived from them is created."""
    labels = item.get("metadata", {}).get("labels") or {}
    return ApplyStage.CONFIGURE if labels.get(MANAGED_BY_LABEL) == MANAGED_BY_RIGD else ApplyStage.RESOURCE_CREATION


def _dry_run(api: KubeApi, item: dict[str, Any], files: dict[str, FileInfo]) -> AppliedObject | None:
    try:
        api.call("PATCH", _path(item), DRY_RUN_QUERY, body=item, content_type=APPLY_PATCH)
    except ApiError as error:
        return _failed(item, files, error)
    return None


def _look_up(api: KubeApi, objects: list[dict[str, Any]],
             files: dict[str, FileInfo]) -> list[dict[str, Any] | None] | AppliedObject:
    """Each object as the cluster has it (None: not there), or the FAILED look-up."""
    existing: list[dict[str, Any] | None] = []
    for item in objects:
        try:
            existing.append(api.get_or_none(_path(item)))
        except ApiError as error:
            return _failed(item, files, error)
    return existing


def _apply_in_order(api: KubeApi, objects: list[dict[str, Any]], existing: list[dict[str, Any] | None],
                    files: dict[str, FileInfo]) -> list[AppliedObject]:
    """Applies the objects in order up to the first that fails (the last outcome then). What
    the operator derives from the Capsule is owned by it, as the operator's objects are, so
    deleting the Capsule deletes them (Kubernetes' garbage collector)."""
    outcomes = []
    capsule: dict[str, Any] | None = None
    for item, before in zip(objects, existing, strict=True):
        if capsule is not None and stage_of(item) is ApplyStage.RESOURCE_CREATION:
            item = _owned_by_capsule(item, capsule)
        outcome, after = _apply(api, item, files, before)
        outcomes.append(outcome)
        if outcome.outcome is Outcome.FAILED:
            break
        if item["kind"] == "Capsule":
            capsule = after
    return outcomes


def _owned_by_capsule(item: dict[str, Any], capsule: dict[str, Any]) -> dict[str, Any]:
    meta = capsule.get("metadata", {})
    if not meta.get("uid"):
        return item
    owner = {"apiVersion": capsule.get("apiVersion", "rig.dev/v1alpha2"), "kind": "Capsule", "name": meta["name"],
             "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}
    return {**item, "metadata": {**item["metadata"], "ownerReferences": [owner]}}


def _apply(api: KubeApi, item: dict[str, Any], files: dict[str, FileInfo],
           before: dict[str, Any] | None) -> tuple[AppliedObject, dict[str, Any] | None]:
    try:
        after = api.call("PATCH", _path(item), APPLY_QUERY, body=item, content_type=APPLY_PATCH)
    except ApiError as error:
        return _failed(item, files, error), None
    if before is None:
        outcome = Outcome.CREATED
    elif _version(before) == _version(after):
        outcome = Outcome.NO_CHANGE
    else:
        outcome = Outcome.UPDATED
    return _outcome(item, files, outcome), after


def _failed(item: dict[str, Any], files: dict[str, FileInfo], error: ApiError) -> AppliedObject:
    message = _without_secrets(item, error.message)
    if error.status == 404 and item["kind"] == "Capsule":
        message = f"the cluster serves no Capsule resource (rig.dev/v1alpha2): {message}"
    outcome = _outcome(item, files, Outcome.FAILED)
    return AppliedObject(outcome.kind, outcome.name, Outcome.FAILED, outcome.stage, message, outcome.path,
                         outcome.is_secret, permanent=not error.retryable)


def _without_secrets(item: dict[str, Any], message: str) -> str:
    """The server's message with a Secret's values taken out (a validation or webhook message may
    quote them, and the message becomes an event)."""
    if item.get("kind") != "Secret":
        return message
    for encoded in (item.get("data") or {}).values():
        try:
            decoded = base64.b64decode(encoded).decode("utf-8", "replace")
        except ValueError:  # not base64: only the value as written can be quoted
            decoded = ""
        forms = {encoded, decoded, *decoded.splitlines(), *_json_texts(decoded)} - {""}
        for form in sorted(forms, key=len, reverse=True):
            message = message.replace(form, "<redacted>")
    return message


def _json_texts(text: str) -> list[str]:
    """The strings inside a JSON document (a pull Secret's docker config: its password)."""
    try:
        document = json.loads(text)
    except ValueError:
        return []
    found: list[str] = []
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            pending += value.values()
        elif isinstance(value, list):
            pending += value
    return found


def _outcome(item: dict[str, Any], files: dict[str, FileInfo], outcome: Outcome) -> AppliedObject:
    name = item["metadata"]["name"]
    kind = item["kind"].lower()
    info = files.get(name) if kind in ("configmap", "secret") else None
    return AppliedObject(kind, name, outcome, stage_of(item), path=info.path if info else "",
                         is_secret=info.is_secret if info else kind == "secret")


def _file_infos(capsule: str, config: Config) -> dict[str, FileInfo]:
    return {file_object_name(capsule, text(file, "path")): FileInfo(text(file, "path"), flag(file, "is_secret"))
            for file in items(config, "config_files")}


def _not_the_capsules(item: dict[str, Any], files: dict[str, FileInfo], capsule: str) -> AppliedObject:
    outcome = _outcome(item, files, Outcome.FAILED)
    message = (f"{item['kind'].lower()}/{item['metadata']['name']} exists and is not capsule {capsule}'s;"
               " it is left as it is (deploy with force_override to take it over)")
    return AppliedObject(outcome.kind, outcome.name, Outcome.FAILED, outcome.stage, message, outcome.path,
                         outcome.is_secret, permanent=True)


def _owned_by(item: dict[str, Any], capsule: str) -> bool:
    """Whether rigd (or the Rig operator) made the object for this capsule."""
    labels = item.get("metadata", {}).get("labels") or {}
    return labels.get(OWNED_BY_CAPSULE_LABEL) == capsule or (
        labels.get(MANAGED_BY_LABEL) == MANAGED_BY_RIGD and labels.get(CAPSULE_LABEL) == capsule)


def _identity(item: dict[str, Any]) -> tuple[str, str]:
    return item["kind"], item["metadata"]["name"]


def _resource(item: dict[str, Any]) -> Resource:
    return KNOWN_RESOURCES[(item["apiVersion"], item["kind"])]


def _path(item: dict[str, Any]) -> str:
    return _resource(item).item(item["metadata"]["namespace"], item["metadata"]["name"])


def _version(item: dict[str, Any]) -> str:
    return str(item.get("metadata", {}).get("resourceVersion", ""))
