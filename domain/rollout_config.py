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
"""

from __future__ import annotations

from collections.abc import Mapping
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
