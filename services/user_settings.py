"""api.v1.user.settings.Service."""

from __future__ import annotations

from typing import Any

from google.protobuf.duration_pb2 import Duration

from rigd.domain.errors import InvalidArgument
from rigd.domain.user_settings import (
    EMAIL_SECRET_FIELD,
    EmailProvider,
    Template,
    UserSettingsCommands,
    UserSettingsView,
)
from rigd.projections.user_settings import UserSettingsQueries
from rigd.proto.api.v1.user.settings import service_pb2 as pb
from rigd.proto.api.v1.user.settings import settings_pb2
from rigd.proto.model import common_pb2
from rigd.services.calls import Call, ReadYourWrites

SERVICE = "api.v1.user.settings.Service"
_TEMPLATE_TYPES = {1: "welcome_email", 2: "verify_email", 3: "reset_password_email", 4: "welcome_text",
                   5: "verify_phone_number", 6: "reset_password_text"}
_TTLS = ("access_token_ttl", "refresh_token_ttl", "verification_code_ttl")


def _seconds(duration: Duration) -> int:
    if duration.nanos:
        raise InvalidArgument("token and code lifetimes are whole seconds")
    return int(duration.seconds)


def setting_updates(updates: Any) -> list[tuple[str, Any]]:
    result: list[tuple[str, Any]] = []
    for index, update in enumerate(updates):
        field = update.WhichOneof("field")
        if field is None:
            raise InvalidArgument(f"update {index} sets no field")
        value = getattr(update, field)
        if field in _TTLS:
            result.append((field, _seconds(value)))
        elif field == "login_mechanisms":
            result.append((field, list(value.login_mechanisms)))
        elif field == "password_hashing":
            result.append((field, _hashing(value)))
        elif field == "email_provider":
            instance = value.instance.WhichOneof("instance") or ""
            result.append((field, EmailProvider(
                from_address=getattr(value, "from"), client_id=value.credentials.public_key,
                secret=value.credentials.private_key, instance=instance,
                host=value.instance.smtp.host, port=int(value.instance.smtp.port))))
        elif field == "template":
            kind = _TEMPLATE_TYPES.get(int(value.type))
            if kind is None:
                raise InvalidArgument("template.type must name a template (e.g. TEMPLATE_TYPE_WELCOME_EMAIL)")
            result.append(("template", Template(kind, value.subject, value.body, tuple(value.format))))
        else:
            result.append((field, value))
    return result


def _hashing(config: common_pb2.HashingConfig) -> dict[str, Any]:
    method = config.WhichOneof("method")
    if method == "bcrypt":
        return {"bcrypt": {"cost": config.bcrypt.cost}}
    if method == "scrypt":
        s = config.scrypt
        return {"scrypt": {"signer_key": s.signer_key, "salt_separator": s.salt_separator, "rounds": s.rounds,
                           "mem_cost": s.mem_cost, "p": s.p, "key_len": s.key_len}}
    return {}


def settings_message(view: UserSettingsView) -> settings_pb2.Settings:
    message = settings_pb2.Settings(
        allow_register=view["allow_register"], is_verified_email_required=view["is_verified_email_required"],
        is_verified_phone_required=view["is_verified_phone_required"],
        login_mechanisms=view["login_mechanisms"], send_welcome_mail=view["send_welcome_mail"])
    for name in _TTLS:
        getattr(message, name).CopyFrom(Duration(seconds=int(view[name])))
    hashing = view["password_hashing"] or {}
    if "bcrypt" in hashing:
        message.password_hashing.bcrypt.cost = hashing["bcrypt"]["cost"]
    elif "scrypt" in hashing:
        message.password_hashing.scrypt.CopyFrom(common_pb2.ScryptHashingConfig(**hashing["scrypt"]))
    provider = view["email_provider"] or {}
    if provider.get("instance"):
        entry = message.email_provider
        setattr(entry, "from", provider.get("from", ""))
        entry.client_id = provider.get("client_id", "")
        entry.secret_id = EMAIL_SECRET_FIELD if provider.get("has_secret") else ""  # never the secret itself
        if provider["instance"] == "smtp":
            entry.instance.smtp.host = provider.get("host", "")
            entry.instance.smtp.port = int(provider.get("port", 0))
        else:
            getattr(entry.instance, provider["instance"]).SetInParent()
    for kind in _TEMPLATE_TYPES.values():
        template = view.template(kind)
        if template:
            number = next(n for n, k in _TEMPLATE_TYPES.items() if k == kind)
            getattr(message.templates, kind).CopyFrom(settings_pb2.Template(
                subject=template.get("subject", ""), body=template.get("body", ""),
                type=number, format=template.get("format", [])))  # type: ignore[arg-type]
    return message


class UserSettingsServicer:
    def __init__(self, commands: UserSettingsCommands, queries: UserSettingsQueries, settle: ReadYourWrites) -> None:
        self._commands = commands
        self._queries = queries
        self._settle = settle

    def GetSettings(self, request: pb.GetSettingsRequest, call: Call) -> pb.GetSettingsResponse:
        return pb.GetSettingsResponse(settings=settings_message(self._queries.get()))

    def UpdateSettings(self, request: pb.UpdateSettingsRequest, call: Call) -> pb.UpdateSettingsResponse:
        written = self._commands.update(call.context(), setting_updates(request.settings))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.UpdateSettingsResponse()
