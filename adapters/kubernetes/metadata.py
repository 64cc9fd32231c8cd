"""Labels, annotations and object names shared by every object family.

Object names the platform chooses itself (config file objects, file volumes) are derived from
client input, so they are made DNS-safe and bounded here, in one place."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

CAPSULE_LABEL = "rig.dev/capsule"
OWNED_BY_CAPSULE_LABEL = "rig.dev/owned-by-capsule"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
MANAGED_BY_RIGD = "rigd"
CRONJOB_LABEL = "batch.kubernets.io/cronjob"  # sic: the Rig operator's spelling, kept for selectors written against it

ROLLOUT_ANNOTATION = "rig.dev/rollout"
OVERRIDE_OWNERSHIP_ANNOTATION = "rig.dev/override-ownership"
PULL_SECRET_ANNOTATION = "rig.dev/pull-secret"  # the Secret the operator puts in imagePullSecrets
FILES_CHECKSUM_ANNOTATION = "rig.dev/config-checksum-files"
AUTO_ENV_CHECKSUM_ANNOTATION = "rig.dev/config-checksum-auto-env"
SHARED_ENV_CHECKSUM_ANNOTATION = "rig.dev/config-checksum-shared-env"
SHARED_CONFIG_LABEL = "rig.dev/shared-config"  # "true": every capsule of the namespace reads it as env

FILE_KEY = "content"
"""The data key of a config file's ConfigMap or Secret (the key Rig's platform used too)."""

MAX_NAME = 63  # a DNS-1123 label; volume names must be one, so file object names stay one too
_SLUG_LENGTH = 30
_NOT_NAME = re.compile(r"[^a-z0-9]+")


def metadata(name: str, namespace: str, labels: Mapping[str, str],
             annotations: Mapping[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": namespace, "labels": dict(labels)}
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


def platform_labels(capsule: str) -> dict[str, str]:
    """Labels of the objects the platform writes (the Capsule and its ConfigMaps/Secrets)."""
    return {CAPSULE_LABEL: capsule, MANAGED_BY_LABEL: MANAGED_BY_RIGD}


def owned_labels(capsule: str) -> dict[str, str]:
    """Labels of the objects the operator derives from the Capsule (section 5.2)."""
    return {CAPSULE_LABEL: capsule, OWNED_BY_CAPSULE_LABEL: capsule}


def pod_selector(capsule: str) -> dict[str, str]:
    return {CAPSULE_LABEL: capsule}


def _digest(value: str, length: int = 8) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:length]


def bounded(name: str, limit: int = MAX_NAME) -> str:
    """`name` if it fits in `limit`, else its start and a digest of the whole (stable, still unique)."""
    if len(name) <= limit:
        return name
    return f"{name[:limit - 9].rstrip('-')}-{_digest(name)}"


def file_object_name(capsule: str, path: str) -> str:
    """The ConfigMap/Secret holding the config file at `path`: `<capsule>-file-<slug>-<digest>`.

    The slug (the path's letters and digits, lower-case, runs of anything else as one '-') keeps
    the name readable; the digest of the exact path keeps paths apart that share a slug
    ("/a-b", "/a/b", "/A/b"). Capsule names are at most 63 characters, so the whole is bounded
    to a DNS-1123 label."""
    slug = _NOT_NAME.sub("-", path.lower()).strip("-")[:_SLUG_LENGTH].strip("-") or "root"
    return bounded(f"{capsule}-file-{slug}-{_digest(path)}")


def volume_name(kind: str, reference: str) -> str:
    """The operator's file volume name, `configmap-<name>` or `secret-<name>` with '.' as '-',
    bounded to a DNS-1123 label (the operator's rule alone would overflow for long names)."""
    prefix = "configmap" if kind == "ConfigMap" else "secret"
    return bounded(f"{prefix}-{reference.replace('.', '-')}")


def checksum(parts: list[Any]) -> str:
    """sha256 of a canonical text of `parts` (pod annotations change when referenced data does)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
