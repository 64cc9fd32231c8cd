"""Public event types of the foundation: the installation, projects and environments."""

from __future__ import annotations

from rigd.projections.event_docs import FIRST_PUBLISHED, Documented

_ENVIRONMENT_ID = "The environment's id (a system name; never changes)."
_TEMPLATE = "Go-template text that names the environment's Kubernetes namespace for each project."

FOUNDATION: dict[str, Documented] = {
    "installation.Created": Documented(
        "This rigd installation was set up (its first start).",
        {"installation_id": "A random id naming this installation.",
         "platform_version": "The Rig platform API version served, e.g. `v1.8.10`."}),
    "project.Created": Documented(
        "A project was created, with a new key pair.",
        {"project_id": "The project's id (a system name; never changes).",
         "name": "The project's display name.",
         "installation_id": "The installation the project belongs to.",
         "public_key": "The project's Ed25519 public key, PEM."}),
    "project.Renamed": Documented("A project's display name changed.", {"name": "The new display name."}),
    "project.Deleted": Documented("A project was deleted (its history is kept)."),
    "project.Recreated": Documented(
        "A deleted project was created again under the same id, with a new key pair.",
        {"name": "The display name it was created with.", "public_key": "Its new Ed25519 public key, PEM."}),
    "project.CapsuleAdded": Documented(
        "A capsule was created (or created again) in the project; recorded with the capsule's own event.",
        {"capsule_id": "The capsule's id (its name)."}),
    "project.CapsuleRemoved": Documented(
        "A capsule of the project was deleted; recorded with the capsule's own event.",
        {"capsule_id": "The capsule's id (its name)."}),
    "environment.Created": Documented(
        "An environment was created.",
        {"environment_id": _ENVIRONMENT_ID, "cluster_id": "The cluster it runs on.",
         "namespace_template": _TEMPLATE}),
    "environment.Recreated": Documented(
        "A deleted environment was created again under the same id.",
        {"cluster_id": "The cluster it runs on.", "namespace_template": _TEMPLATE}),
    "environment.Deleted": Documented(
        "An environment was deleted (its history is kept).",
        {"force": "Whether the deletion was forced."}),
    "environment.MadeDefault": Documented(
        "The environment became the default (recorded with `environment-default.Chosen`)."),
    "environment.CapsuleAdded": Documented(
        "A capsule was deployed to the environment for the first time since the environment was created"
        " (recorded with the capsule's first rollout there, so that the environment's deletion and that"
        " Deploy are decided one after the other).",
        {"project_id": "The project of the capsule.", "capsule_id": "The capsule deployed."},
        FIRST_PUBLISHED),
    "environment-default.Created": Documented("The index of the default environment was started (once)."),
    "environment-default.Chosen": Documented(
        "An environment became the default.", {"environment_id": "The new default environment."}),
    "environment-default.Cleared": Documented(
        "The default environment was deleted, leaving no default.",
        {"environment_id": "The environment that stopped being the default."}),
}
