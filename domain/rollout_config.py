"""A rollout's configuration, as the domain holds it: a document.

The document is the proto3 JSON form of `api.v1.capsule.RolloutConfig` with the proto field
names (`json_format.MessageToDict(message, preserving_proto_field_name=True)`), restricted to
the fields that configure the capsule: `replicas`, `image_id`, `network`, `container_settings`,
`auto_add_rig_service_accounts`, `config_files`, `horizontal_scale`, `cron_jobs`, `annotations`.
The rollout's own facts (`created_by`, `created_at`, `changes`, `environment_id`, `message`)
belong to the rollout, not to its config. Changes are documents of `api.v1.capsule.Change` in
the same form.

Keeping the config a document means every event holds the whole config as auditors read it, the
wire form and the stored form cannot drift apart field by field, and an error can name the
field as the client wrote it (`network.interfaces[0].port`).

In the JSON form, bytes are base64 text (`config_files[].content`), 64-bit integers are text,
enums are their names and durations are text like `"30s"`. A secret config file's content never
enters an event: `seal_secrets` replaces it by `sealed_content` before the config is recorded.

Like proto3 JSON, a document leaves out what has its default value: an absent `replicas` is 0,
an absent `is_secret` false, an absent list or map empty. `sealed_content` is no proto field: a
document holding it is turned into a response only through `redact_secrets`.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable, Mapping
from typing import Any, Protocol

Config = dict[str, Any]
ChangeDocument = Mapping[str, Any]

CONFIG_FIELDS = (
    "replicas",
    "image_id",
    "network",
    "container_settings",
    "auto_add_rig_service_accounts",
    "config_files",
    "horizontal_scale",
    "cron_jobs",
    "annotations",
)


class ChangeWorld(Protocol):
    """What applying changes needs to know beyond the config itself."""

    def image_exists(self, image_id: str) -> bool:
        """Whether the image is registered for this capsule (an `image_id` change needs it)."""

    def add_image(self, image: str) -> str:
        """Registers `image` for the capsule unless it is already registered (an `add_image`
        change), and returns its image id."""

    def rollout_config(self, rollout_id: int) -> Config:
        """The whole config of an earlier rollout of this capsule (a `rollback` change);
        raises `RolloutNotFound` when the capsule has no such rollout."""

    def file_stamp(self) -> dict[str, Any]:
        """`updated_by` and `updated_at` (JSON form) for a config file this deploy sets."""


SEALED_CONTENT = "sealed_content"
Seal = Callable[[bytes, str], str]
"""Seals plaintext for a field of the config (`config_files/<path>`), bound to one aggregate."""
Open = Callable[[str, str], bytes]
"""The inverse of `Seal`: the plaintext of a sealed text for the same field."""


def initial_config() -> Config:
    """The config a capsule's first rollout in an environment starts from."""
    return {"replicas": 1}


def secret_field(path: str) -> str:
    """The field name a secret config file is sealed under."""
    return f"config_files/{path}"


def secret_paths(config: Config) -> list[str]:
    """The paths of the secret config files, in the config's order."""
    return [file.get("path", "") for file in config.get("config_files", ()) if file.get("is_secret")]


def seal_secrets(config: Config, seal: Seal) -> Config:
    """A copy of `config` in which each secret file's `content` is replaced by `sealed_content`.
    Files sealed already are kept as they are, so they must be sealed for the same aggregate:
    a config taken from another aggregate (the current or a rolled-back rollout, when each
    rollout is one) is opened with that aggregate's binding before changes are applied."""

    def sealed(file: dict[str, Any]) -> dict[str, Any]:
        content = file.pop("content", None)
        if content is not None:
            file[SEALED_CONTENT] = seal(base64.b64decode(content), secret_field(file.get("path", "")))
        return file

    return _with_secret_files(config, sealed)


def open_secrets(config: Config, open_: Open) -> Config:
    """A copy of `config` in which each sealed file's `sealed_content` is opened to `content`."""

    def opened(file: dict[str, Any]) -> dict[str, Any]:
        sealed = file.pop(SEALED_CONTENT, None)
        if sealed is not None:
            plaintext = open_(sealed, secret_field(file.get("path", "")))
            if plaintext:  # proto3 JSON leaves empty bytes out
                file["content"] = base64.b64encode(plaintext).decode("ascii")
        return file

    return _with_secret_files(config, opened)


def redact_secrets(config: Config) -> Config:
    """A copy of `config` fit for a response: secret files keep their path, `is_secret` and
    `updated_*`, but neither their content nor its sealed form."""

    def redacted(file: dict[str, Any]) -> dict[str, Any]:
        file.pop("content", None)
        file.pop(SEALED_CONTENT, None)
        return file

    return _with_secret_files(config, redacted)


def _with_secret_files(config: Config, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Config:
    result = copy.deepcopy(config)
    if "config_files" in result:
        result["config_files"] = [
            change(file) if file.get("is_secret") else file for file in result["config_files"]
        ]
    return result
