"""The composition of capsules, Deploy and rollouts (called once by `composition.build`)."""

from __future__ import annotations

from dataclasses import dataclass

from rigd.adapters.kubernetes.options import RenderOptions
from rigd.adapters.kubernetes.rendering import KubernetesRenderer
from rigd.adapters.secrets import Keyring
from rigd.domain.capsule_commands import CapsuleCommands
from rigd.domain.deploys import DeployCommands
from rigd.domain.event_store import EventStore
from rigd.domain.image_commands import ImageCommands
from rigd.projections.capsules import CapsuleQueries, CapsulesReadModel
from rigd.projections.database import ReadDatabase
from rigd.projections.job_executions import JobExecutionQueries, JobExecutionsReadModel
from rigd.projections.read_model import ReadModel
from rigd.projections.rollouts import RolloutQueries, RolloutsReadModel

# Until clusters configure ingress, a dry run renders Ingresses without TLS (as the local cluster serves them).
DEFAULT_RENDER_OPTIONS = RenderOptions(disable_tls=True)


@dataclass
class CapsuleParts:
    commands: CapsuleCommands
    deploys: DeployCommands
    queries: CapsuleQueries
    rollout_queries: RolloutQueries
    job_queries: JobExecutionQueries


def capsule_parts(store: EventStore, read_database: ReadDatabase, keyring: Keyring, commands: CapsuleCommands,
                  images: ImageCommands) -> tuple[CapsuleParts, list[ReadModel]]:
    """The capsule and deploy commands, their queries, and their read models."""
    capsules_model, rollouts_model, jobs_model = CapsulesReadModel(), RolloutsReadModel(), JobExecutionsReadModel()
    parts = CapsuleParts(
        commands=commands,
        deploys=DeployCommands(store, images, keyring, KubernetesRenderer(DEFAULT_RENDER_OPTIONS)),
        queries=CapsuleQueries(read_database, capsules_model),
        rollout_queries=RolloutQueries(read_database, rollouts_model),
        job_queries=JobExecutionQueries(read_database, jobs_model),
    )
    return parts, [capsules_model, rollouts_model, jobs_model]
