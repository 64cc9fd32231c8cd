"""Public event types of images and of the docker registry settings."""

from __future__ import annotations

from rigd.projections.event_docs import FIRST_PUBLISHED as _V2_ONLY
from rigd.projections.event_docs import Documented

_ORIGIN = "Where the image came from: `api.v1.capsule.Origin` as JSON with proto field names (`{}` if unknown)."
_LABELS = "Labels attached to the image (a string map)."
_HOST = "The registry host (with its port, if any); Docker Hub is `index.docker.io`."

IMAGES: dict[str, Documented] = {
    "image.Created": Documented(
        "An image was added to a capsule (image.Service Add, or a Deploy's `add_image`).",
        {"project_id": "The project of the capsule.",
         "capsule_id": "The capsule the image belongs to.",
         "image_id": "The image's id: `<registry>/<repository>@<digest>`, or its normalized name without a digest.",
         "digest": "The manifest digest (`sha256:...`), empty when the registry check was skipped without one.",
         "repository": "The repository with its registry, e.g. `index.docker.io/library/nginx`.",
         "tag": "The tag the image was added by (empty when it was named by digest only).",
         "origin": _ORIGIN,
         "labels": _LABELS}, _V2_ONLY),
    "image.Deleted": Documented("An image was deleted from its capsule (its history is kept).", {}, _V2_ONLY),
    "image.Recreated": Documented(
        "A deleted image was added to its capsule again.", {"origin": _ORIGIN, "labels": _LABELS}, _V2_ONLY),
    "registry-settings.Created": Documented(
        "The platform's docker registry settings were first changed.", {}, _V2_ONLY),
    "registry-settings.RegistryAdded": Documented(
        "A docker registry was added (its credentials and their secret id are never published).",
        {"host": _HOST}, _V2_ONLY),
    "registry-settings.RegistryDeleted": Documented(
        "A docker registry and its credentials were removed.", {"host": _HOST}, _V2_ONLY),
}
