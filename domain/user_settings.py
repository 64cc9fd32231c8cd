"""The platform-wide user settings (user.settings.Service): registration, verification,
token lifetimes, login mechanisms, the email provider and the mail templates.

One aggregate; without history every setting has its default. An update records one
`Changed` event holding only the settings whose value differs: a no-op records nothing.
The email provider's secret is sealed for this aggregate and never shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.context import CommandContext
from rigd.domain.errors import InvalidArgument
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id
from rigd.domain.passwords import Sealer

USER_SETTINGS_ID = stable_id("user-settings", "rigd")
EMAIL_SECRET_FIELD = "email_provider.secret"  # the sealed field's name in its binding
LOGIN_EMAIL_PASSWORD = 1  # model.LoginType
LOGIN_USERNAME_PASSWORD = 3
TEMPLATE_KINDS = ("welcome_email", "welcome_text", "reset_password_email", "reset_password_text", "verify_email",
                  "verify_phone_number")
MAX_TTL_SECONDS = 366 * 24 * 3600

DEFAULT_TEMPLATES: dict[str, dict[str, Any]] = {
    "welcome_email": {"subject": "Welcome to Rig", "body": "Hello {{ .Identifier }}, your Rig account is ready.",
                      "format": ["{{ .Identifier }}"]},
    "verify_email": {"subject": "Your verification code",
                     "body": "Hello {{ .Identifier }}, your code to verify {{ .Email }} is {{ .Code }}.",
                     "format": ["{{ .Identifier }}", "{{ .Email }}", "{{ .Code }}"]},
    "reset_password_email": {"subject": "Your password reset code",
                             "body": "Hello {{ .Identifier }}, your code to reset your password is {{ .Code }}.",
                             "format": ["{{ .Identifier }}", "{{ .Code }}"]},
}

DEFAULTS: dict[str, Any] = {
    # A self-hosted rigd has no mail provider to start with: nobody registers themselves,
    # and an email need not be verified to log in, until an operator says otherwise.
    "allow_register": False,
    "is_verified_email_required": False,
    "is_verified_phone_required": False,
    "access_token_ttl": 3600,
    "refresh_token_ttl": 7 * 24 * 3600,
    "verification_code_ttl": 600,
    "password_hashing": {},  # as a client set it; rigd hashes every new password with argon2id
    "login_mechanisms": [LOGIN_EMAIL_PASSWORD, LOGIN_USERNAME_PASSWORD],
    "send_welcome_mail": True,
    "email_provider": {},
    "text_provider": {},
    **{f"template.{kind}": DEFAULT_TEMPLATES.get(kind, {}) for kind in TEMPLATE_KINDS},
}


@dataclass(frozen=True)
class EmailProvider:
    """As set by UpdateSettings: `secret` in clear here, sealed before it is recorded."""

    from_address: str = ""
    client_id: str = ""
    secret: str = ""
    instance: str = ""  # "default", "mailjet" or "smtp"
    host: str = ""
    port: int = 0


@dataclass(frozen=True)
class Template:
    kind: str  # one of TEMPLATE_KINDS
    subject: str
    body: str
    format: tuple[str, ...] = ()


@dataclass(frozen=True)
class UserSettingsView:
    """The settings as recorded (secrets left out: only whether one is set)."""

    values: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULTS))

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name, DEFAULTS.get(name))

    @property
    def access_token_ttl(self) -> int:
        return int(self["access_token_ttl"])

    @property
    def refresh_token_ttl(self) -> int:
        return int(self["refresh_token_ttl"])

    @property
    def verification_code_ttl(self) -> int:
        return int(self["verification_code_ttl"])

    def template(self, kind: str) -> dict[str, Any]:
        return dict(self[f"template.{kind}"] or {})


class UserSettings(AuditedAggregate):
    TOPIC = "user-settings"
    snapshot_interval = 50  # one aggregate every settings change writes to

    class Created(AuditedCreated):
        TOPIC = "user-settings.Created"

    class Changed(AuditedEvent):
        """The settings whose value changed, by name, with their new values."""

        TOPIC = "user-settings.Changed"
        changes: dict[str, Any]

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return USER_SETTINGS_ID

    @event(Created)
    def __init__(self) -> None:
        self.values: dict[str, Any] = dict(DEFAULTS)

    def change(self, proposed: Sequence[tuple[str, Any]]) -> None:
        changes: dict[str, Any] = {}
        for name, value in proposed:
            if value != self.values.get(name):
                changes[name] = value
            else:
                changes.pop(name, None)
        if changes:
            self._changed(changes)

    @event(Changed)
    def _changed(self, changes: dict[str, Any]) -> None:
        self.values.update(changes)


def public_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values as they may be shown: the provider secret replaced by whether one is set."""
    shown = dict(values)
    for name in ("email_provider", "text_provider"):
        provider = dict(shown.get(name) or {})
        provider["has_secret"] = bool(provider.pop("sealed_secret", ""))
        shown[name] = provider
    return shown


class UserSettingsCommands:
    def __init__(self, store: EventStore, sealer: Sealer) -> None:
        self._store = store
        self._sealer = sealer

    def update(self, ctx: CommandContext, updates: Sequence[tuple[str, Any]]) -> int:
        """Applies (name, value) updates in order; returns 0 when nothing changed. Values:
        bools, TTLs in whole seconds, a list of login types, an EmailProvider, a Template,
        a mapping for password_hashing."""
        checked = [_check(name, value) for name, value in updates]

        def decide() -> int:
            existing = self._store.load(USER_SETTINGS_ID, UserSettings)
            settings = existing or UserSettings()
            before = settings.version
            settings.change([self._recordable(name, value, settings) for name, value in checked])
            if settings.version == before:
                return 0  # nothing changed: nothing is recorded (not even the settings' creation)
            return self._store.record(settings)

        return self._store.decide(ctx, decide)

    def current(self) -> UserSettingsView:
        """The settings from their history (for the command side; queries read the read model)."""
        settings = self._store.load(USER_SETTINGS_ID, UserSettings)
        return UserSettingsView(public_values(settings.values if settings else DEFAULTS))

    def email_secret(self) -> str:
        """The email provider's secret (e.g. the SMTP password), opened; "" when none is set."""
        settings = self._store.load(USER_SETTINGS_ID, UserSettings)
        sealed = (settings.values.get("email_provider") or {}).get("sealed_secret", "") if settings else ""
        return self._sealer.open(sealed, USER_SETTINGS_ID, EMAIL_SECRET_FIELD).decode() if sealed else ""

    def _recordable(self, name: str, value: Any, settings: UserSettings) -> tuple[str, Any]:
        if isinstance(value, EmailProvider):
            before = settings.values.get("email_provider") or {}
            recorded = {"from": value.from_address, "client_id": value.client_id, "instance": value.instance,
                        "host": value.host, "port": value.port}
            same = {k: before.get(k) for k in recorded} == recorded
            if not value.secret and same:
                return name, before  # nothing new: keep the recorded secret, record nothing
            secret = value.secret
            if not secret and before.get("sealed_secret"):
                recorded["sealed_secret"] = before["sealed_secret"]  # a provider edit without the secret keeps it
            elif secret:
                recorded["sealed_secret"] = self._sealer.seal(secret.encode(), USER_SETTINGS_ID, EMAIL_SECRET_FIELD)
            return name, recorded
        if isinstance(value, Template):
            return f"template.{value.kind}", {"subject": value.subject, "body": value.body,
                                              "format": list(value.format)}
        return name, value


def _check(name: str, value: Any) -> tuple[str, Any]:
    if name in ("allow_register", "is_verified_email_required", "is_verified_phone_required"):
        return name, bool(value)
    if name in ("access_token_ttl", "refresh_token_ttl", "verification_code_ttl"):
        if not isinstance(value, int) or value <= 0 or value > MAX_TTL_SECONDS:
            raise InvalidArgument(f"{name} must be a positive duration of at most 366 days, in whole seconds")
        return name, value
    if name == "login_mechanisms":
        if not value:
            raise InvalidArgument("login_mechanisms must name at least one login type")
        return name, sorted(set(int(v) for v in value))
    if name == "password_hashing":
        return name, dict(value)
    if name == "email_provider" and isinstance(value, EmailProvider):
        if value.instance not in ("default", "mailjet", "smtp"):
            raise InvalidArgument("email_provider.instance must be default, mailjet or smtp")
        if value.instance == "smtp" and (not value.host or not 0 < value.port < 65536):
            raise InvalidArgument("email_provider.instance.smtp needs a host and a port between 1 and 65535")
        return name, value
    if name == "template" and isinstance(value, Template):
        if value.kind not in TEMPLATE_KINDS:
            raise InvalidArgument("template.type must name a template (e.g. TEMPLATE_TYPE_WELCOME_EMAIL)")
        return name, value
    if name == "text_provider":
        raise InvalidArgument("text messages are not supported")
    raise InvalidArgument(f"unknown user setting {name!r}")
