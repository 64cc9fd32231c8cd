"""The identity and access parts of rigd, built by the composition root: the directory (users,
groups, roles, service accounts, user settings), the keys that seal secrets and sign tokens, and
authentication (tokens, the session view, logins, account codes, the mailer)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from rigd.adapters.email import SmtpMailer, SmtpSettings
from rigd.adapters.passwords import Argon2Passwords
from rigd.adapters.secret_digests import HmacSecretDigests
from rigd.adapters.secrets import Keyring, SecretKeyError, load_or_create_key_file, parse_key
from rigd.adapters.tokens import HMAC_ALGORITHM, SigningKeys, TokenKeyError, Tokens, load_signing_keys
from rigd.domain.event_store import EventStore
from rigd.domain.group_commands import GroupCommands
from rigd.domain.roles import RoleCommands
from rigd.domain.service_accounts import ServiceAccountCommands
from rigd.domain.user_commands import UserCommands
from rigd.domain.user_settings import UserSettingsCommands
from rigd.projections.database import ReadDatabase
from rigd.projections.follower import Follower, SharedLogEnd
from rigd.projections.groups import GroupQueries, GroupsReadModel
from rigd.projections.principals import Principals, directory_handlers
from rigd.projections.read_model import ReadModel
from rigd.projections.roles import RoleQueries, RolesReadModel
from rigd.projections.service_accounts import ServiceAccountQueries, ServiceAccountsReadModel
from rigd.projections.session_view import SessionView, SessionViewReaction, session_view_follower
from rigd.projections.sessions import SessionQueries
from rigd.projections.user_settings import UserSettingsQueries, UserSettingsReadModel
from rigd.projections.users import UserQueries, UsersReadModel
from rigd.projections.wakeup import Wakeup
from rigd.services.account_codes import AccountCodes
from rigd.services.authenticator import Authenticator
from rigd.services.config import ConfigError, Settings
from rigd.services.logins import Logins
from rigd.services.rbac_gate import DirectoryGrants


@dataclass
class Identity:
    """The identity directory: users, groups, roles, service accounts and user settings."""

    users: UserCommands
    groups: GroupCommands
    roles: RoleCommands
    service_accounts: ServiceAccountCommands
    user_settings: UserSettingsCommands
    user_queries: UserQueries
    group_queries: GroupQueries
    role_queries: RoleQueries
    service_account_queries: ServiceAccountQueries
    user_settings_queries: UserSettingsQueries


@dataclass
class Access:
    """Authentication: tokens, the in-memory view of dead sessions and of who subjects are
    (kept by `session_follower` in every process), the mailer, and the authenticator."""

    tokens: Tokens
    session_view: SessionView
    session_reaction: SessionViewReaction
    session_follower: Follower[None]
    principals: Principals
    authenticator: Authenticator
    logins: Logins
    codes: AccountCodes
    session_queries: SessionQueries
    session_progress: Wakeup = field(default_factory=Wakeup)

    def wait_for_view(self, notification_id: int, timeout: float) -> bool:
        """True once this process's session view has applied `notification_id` (within `timeout` s)."""
        deadline = time.monotonic() + timeout
        seen = self.session_progress.generation()
        while self.session_follower.position() < notification_id:
            if time.monotonic() >= deadline:
                return False
            seen = self.session_progress.wait(seen, min(1.0, max(0.0, deadline - time.monotonic())))
        return True


def access_parts(settings: Settings, store: EventStore, read_database: ReadDatabase, wakeup: Wakeup,
                 identity: Identity, keyring: Keyring, keys: SigningKeys,
                 log_end: SharedLogEnd | None = None) -> Access:
    """The authentication parts; `build` catches the session view up before it returns,
    `Rigd.start` follows the log from there. `log_end`: the projector's shared look at the log."""
    signed = Tokens(keys, settings.auth_issuer)
    view, principals = SessionView(), Principals()
    reaction = SessionViewReaction(view, directory_handlers(principals))
    progress = Wakeup()
    follower = session_view_follower(store, reaction, wakeup, on_progress=progress.signal, log_end=log_end)
    authenticator = Authenticator(signed, view, principals, identity.users, identity.service_accounts)
    hasher = Argon2Passwords()
    codes = AccountCodes(store, signed, identity.users, hasher, keyring, identity.user_settings,
                         _mail_source(settings, identity.user_settings))
    logins = Logins(store, signed, identity.users, hasher, identity.service_accounts, identity.user_settings,
                    reaction, codes.send_verification_if_possible)
    return Access(signed, view, reaction, follower, principals, authenticator, logins, codes,
                  SessionQueries(read_database), progress)


def _mail_source(settings: Settings, user_settings: UserSettingsCommands) -> Callable[[], SmtpMailer | None]:
    """The mailer of the settings (`smtp_host`), else the one the user settings' email
    provider names when its instance is smtp (read at each mail: it may change at run time)."""
    configured = mailer(settings)

    def current() -> SmtpMailer | None:
        if configured is not None:
            return configured
        provider = user_settings.current()["email_provider"] or {}
        if provider.get("instance") != "smtp" or not provider.get("host"):
            return None
        return SmtpMailer(SmtpSettings(provider["host"], int(provider.get("port") or 587), "starttls",
                                       provider.get("client_id", ""), user_settings.email_secret(),
                                       provider.get("from", "")))

    return current


def identity_parts(store: EventStore, read_database: ReadDatabase, keyring: Keyring,
                   keys: tuple[bytes, list[bytes]]) -> tuple[Identity, list[ReadModel]]:
    groups_model, users_model, roles_model = GroupsReadModel(), UsersReadModel(), RolesReadModel()
    accounts_model, settings_model = ServiceAccountsReadModel(), UserSettingsReadModel()
    group_queries = GroupQueries(read_database, groups_model)
    role_queries = RoleQueries(read_database, group_queries, roles_model)
    # No escalation: callers put members into groups, and permissions into roles, only
    # within what they hold themselves.
    holdings = DirectoryGrants(role_queries)
    groups = GroupCommands(store, holdings)
    identity = Identity(
        users=UserCommands(store, Argon2Passwords(), keyring, groups, holdings),
        groups=groups,
        roles=RoleCommands(store, groups, holdings),
        service_accounts=ServiceAccountCommands(store, HmacSecretDigests(*keys), groups),
        user_settings=UserSettingsCommands(store, keyring),
        user_queries=UserQueries(read_database, group_queries, users_model),
        group_queries=group_queries,
        role_queries=role_queries,
        service_account_queries=ServiceAccountQueries(read_database, group_queries, accounts_model),
        user_settings_queries=UserSettingsQueries(read_database, settings_model),
    )
    return identity, [users_model, groups_model, roles_model, accounts_model, settings_model]


def secret_keys(settings: Settings) -> tuple[bytes, list[bytes]]:
    """The current key (configured, or the generated key file of the embedded default) and the retired ones."""
    try:
        if settings.secret_key:
            current = parse_key(settings.secret_key)
        else:
            current = load_or_create_key_file(settings.data_dir / "secret.key")
    except ValueError as error:  # the message never repeats the key
        raise ConfigError(f"setting 'secret_key': {error}") from None
    try:
        return current, [parse_key(key) for key in settings.retired_secret_keys]
    except SecretKeyError as error:
        raise ConfigError(f"setting 'retired_secret_keys': {error}") from None


def token_signing_keys(settings: Settings) -> SigningKeys:
    """The keys of rigd's JWTs: HS512 with `auth_secret` (generated into data_dir/auth.key on
    the embedded default), or the configured private key."""
    if settings.uses_postgres and settings.auth_algorithm == HMAC_ALGORITHM and not settings.auth_secret:
        # Replicas share one store and verify each other's tokens, so they must share the secret.
        raise ConfigError("setting 'auth_secret' is required when 'database_url' is set")
    try:
        return load_signing_keys(settings.auth_algorithm, settings.auth_secret, settings.auth_private_key_file,
                                 settings.data_dir / "auth.key")
    except (TokenKeyError, ValueError) as error:  # the message never repeats the key
        setting = "auth_private_key_file" if settings.auth_private_key_file else "auth_secret"
        raise ConfigError(f"setting {setting!r}: {error}") from None


def tokens(settings: Settings) -> Tokens:
    return Tokens(token_signing_keys(settings), settings.auth_issuer)


def mailer(settings: Settings) -> SmtpMailer | None:
    """The SMTP mailer the settings describe; None while no `smtp_host` is set (no mail is sent)."""
    if not settings.smtp_host:
        return None
    return SmtpMailer(SmtpSettings(settings.smtp_host, settings.smtp_port, settings.smtp_tls, settings.smtp_user,
                                   settings.smtp_password, settings.smtp_from))


def keyring_of(keys: tuple[bytes, list[bytes]]) -> Keyring:
    try:
        return Keyring(*keys)
    except SecretKeyError as error:
        raise ConfigError(f"setting 'retired_secret_keys': {error}") from None
