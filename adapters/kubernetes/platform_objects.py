"""The objects the platform itself writes for a rollout (section 5.1): the `Capsule` custom
resource, the ConfigMap of its environment variables and one ConfigMap or Secret per config file.

With the target's pull login, an image pull Secret `<capsule>-pull-secret` (a docker config of
that one registry) that the Capsule names in `rig.dev/pull-secret`.

Config files: object name `<capsule>-file-<slug of the path>-<digest of the path>` (see
`metadata.file_object_name`), data key `content`. A plain file whose content is UTF-8 is
`data.content` (readable); other plain files are `binaryData.content`; a secret file is
`data.content` of a Secret (base64, as Secrets hold it)."""

from __future__ import annotations

import base64
import json
from typing import Any

from rigd.adapters.kubernetes.capsule_spec import capsule_spec, file_reference
from rigd.adapters.kubernetes.documents import Document, flag, items, section, string_map, text
from rigd.adapters.kubernetes.metadata import (
    FILE_KEY,
    OVERRIDE_OWNERSHIP_ANNOTATION,
    PULL_SECRET_ANNOTATION,
    ROLLOUT_ANNOTATION,
    metadata,
    platform_labels,
)
from rigd.domain.image_references import DOCKER_HUB
from rigd.domain.naming import quoted
from rigd.domain.rendering import RenderTarget
from rigd.domain.rollout_config import Config

CAPSULE_API_VERSION = "rig.dev/v1alpha2"


class SealedFileContent(ValueError):
    """A secret config file reached the renderer sealed: the caller must open it first
    (a defect of the caller, not of the request)."""


DOCKER_HUB_SERVER = "https://index.docker.io/v1/"  # Docker Hub's key in a docker config, as docker writes it


def platform_objects(target: RenderTarget, config: Config) -> list[dict[str, Any]]:
    """The Capsule, the env ConfigMap, the file objects in config order, then the pull Secret."""
    files = [file_object(target, file) for file in items(config, "config_files")]
    pull = [pull_secret(target)] if target.pull_login is not None else []
    return [capsule_resource(target, config), environment_config_map(target, config), *files, *pull]


def pull_secret_name(capsule: str) -> str:
    return f"{capsule}-pull-secret"


def pull_secret(target: RenderTarget) -> dict[str, Any]:
    """A `kubernetes.io/dockerconfigjson` Secret holding the login of the image's registry."""
    assert target.pull_login is not None
    login = target.pull_login.credentials
    entry = {"username": login.username, "password": login.password,
             "auth": base64.b64encode(f"{login.username}:{login.password}".encode()).decode()}
    if login.email:
        entry["email"] = login.email
    server = DOCKER_HUB_SERVER if target.pull_login.registry == DOCKER_HUB else target.pull_login.registry
    document = json.dumps({"auths": {server: entry}}, sort_keys=True)
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": metadata(pull_secret_name(target.capsule_id), target.namespace,
                                 platform_labels(target.capsule_id)),
            "type": "kubernetes.io/dockerconfigjson",
            "data": {".dockerconfigjson": base64.b64encode(document.encode()).decode()}}


def capsule_resource(target: RenderTarget, config: Config) -> dict[str, Any]:
    """User annotations first; the platform's own (`rig.dev/rollout`, and
    `rig.dev/override-ownership` for a forced takeover) win over a user's of the same key."""
    annotations = string_map(config, "annotations")
    annotations[ROLLOUT_ANNOTATION] = str(target.rollout_id)
    if target.force_override:
        annotations[OVERRIDE_OWNERSHIP_ANNOTATION] = "true"
    if target.pull_login is not None:
        annotations[PULL_SECRET_ANNOTATION] = pull_secret_name(target.capsule_id)
    return {
        "apiVersion": CAPSULE_API_VERSION,
        "kind": "Capsule",
        "metadata": metadata(target.capsule_id, target.namespace, platform_labels(target.capsule_id), annotations),
        "spec": capsule_spec(target.capsule_id, config),
    }


def environment_config_map(target: RenderTarget, config: Config) -> dict[str, Any]:
    """The ConfigMap named like the capsule, always written (also when empty), which the
    operator's automatic env adds to the container's `envFrom`."""
    variables = string_map(section(config, "container_settings"), "environment_variables")
    result: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": metadata(target.capsule_id, target.namespace, platform_labels(target.capsule_id)),
    }
    if variables:
        result["data"] = variables
    return result


def file_object(target: RenderTarget, file: Document) -> dict[str, Any]:
    reference = file_reference(target.capsule_id, file)["ref"]
    meta = metadata(reference["name"], target.namespace, platform_labels(target.capsule_id))
    content = _content(file)
    if flag(file, "is_secret"):
        encoded = base64.b64encode(content).decode()
        return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque",
                "data": {FILE_KEY: encoded}}
    result: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    try:
        result["data"] = {FILE_KEY: content.decode("utf-8")}
    except UnicodeDecodeError:
        result["binaryData"] = {FILE_KEY: base64.b64encode(content).decode()}
    return result


def _content(file: Document) -> bytes:
    if "content" not in file and "sealed_content" in file:
        raise SealedFileContent(f"config file {quoted(text(file, 'path'))} is sealed; open it before rendering")
    # proto3 JSON bytes are base64, standard or URL-safe, padded or not
    encoded = text(file, "content").replace("-", "+").replace("_", "/")
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4))
