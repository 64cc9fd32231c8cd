"""The API's servicers, each given only the applications and queries it uses."""

from __future__ import annotations

from rigd.services import (
    authentication,
    capsules,
    clusters,
    environments,
    groups,
    images,
    live_capsules,
    project_settings,
    projects,
    roles,
    service_accounts,
    user_settings,
    users,
)
from rigd.services.composition import Rigd
from rigd.services.servicers import combined


def servicers(rigd: Rigd) -> dict[str, object]:
    """The servicer of each implemented service, by the service's full name."""
    return {
        projects.SERVICE: combined(
            projects.ProjectServicer(rigd.projects, rigd.project_queries, rigd.wait_for),
            live_capsules.LiveProjectServicer(rigd.live.capsules)),
        project_settings.SERVICE: project_settings.ProjectSettingsServicer(
            rigd.images.registry_settings, rigd.images.registry_settings_queries, rigd.wait_for),
        capsules.SERVICE: combined(capsule_servicer(rigd), live_capsules.LiveCapsuleServicer(rigd.live.capsules)),
        images.SERVICE: images.ImageServicer(rigd.images.commands, rigd.images.queries, rigd.wait_for),
        environments.SERVICE: environments.EnvironmentServicer(
            rigd.environments, rigd.environment_queries, rigd.wait_for, rigd.settings.platform_version),
        clusters.SERVICE: clusters.ClusterServicer(rigd.clusters, rigd.environment_queries),
        **_identity_servicers(rigd),
    }


def capsule_servicer(rigd: Rigd) -> capsules.CapsuleServicer:
    """capsule.Service's commands, Deploy and rollouts (the live RPCs are served beside it)."""
    parts = rigd.capsules
    return capsules.CapsuleServicer(parts.commands, parts.deploys, parts.queries, parts.rollout_queries,
                                    rigd.environment_queries, rigd.wait_for, parts.job_queries)


def _identity_servicers(rigd: Rigd) -> dict[str, object]:
    identity, settle = rigd.identity, rigd.wait_for
    return {
        users.SERVICE: users.UserServicer(identity.users, identity.user_queries, settle, rigd.access.session_queries),
        user_settings.SERVICE: user_settings.UserSettingsServicer(
            identity.user_settings, identity.user_settings_queries, settle),
        service_accounts.SERVICE: service_accounts.ServiceAccountServicer(
            identity.service_accounts, identity.service_account_queries, settle),
        groups.SERVICE: groups.GroupServicer(
            identity.groups, identity.group_queries, identity.user_queries, identity.service_account_queries, settle),
        roles.SERVICE: roles.RoleServicer(identity.roles, identity.role_queries, settle),
        authentication.SERVICE: _authentication_servicer(rigd),
    }


def _authentication_servicer(rigd: Rigd) -> authentication.AuthenticationServicer:
    access, identity = rigd.access, rigd.identity

    def view_settled(notification_id: int) -> None:
        # a deleted user or a reset ends sessions: this replica's view applies it before the answer
        access.wait_for_view(notification_id, rigd.settings.read_timeout)

    return authentication.AuthenticationServicer(
        access.logins, access.codes, identity.users, identity.user_queries, identity.user_settings,
        identity.user_settings_queries, access.authenticator.current_token, rigd.wait_for, view_settled)
