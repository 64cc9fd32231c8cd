"""What one request may carry, checked on the call path as each request message is
parsed, before any work: every string, bytes, repeated and map field has a limit, by
kind unless a field has its own (keyed by its full name). A string may not hold NUL,
which no store keeps as text. The walk is generic over the descriptors, so the limits
hold for every RPC, implemented or not, and for every field a later .proto adds.

`table()` renders the limits as the README's table; a test keeps the two in agreement."""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from rigd.domain.errors import InvalidArgument
from rigd.domain.namespaces import MAX_TEMPLATE
from rigd.domain.naming import quoted

KIB = 1024
MIB = 1024 * KIB
# gRPC's own limit on a received message, set explicitly on the server.
MAX_REQUEST_BYTES = 4 * MIB


@dataclass(frozen=True)
class Limit:
    size: int
    unit: str  # what is counted: characters, bytes, items, entries


IDENTIFIER = Limit(256, "characters")
STRING = Limit(4 * KIB, "characters")
BYTES = Limit(64 * KIB, "bytes")
REPEATED = Limit(100, "items")
MAP = Limit(100, "entries")

# (kind, what it covers, limit), in the README's order.
KINDS: tuple[tuple[str, str, Limit], ...] = (
    ("identifier", "a string field named `id` or ending in `_id`", IDENTIFIER),
    ("string", "any other string field", STRING),
    ("bytes", "a bytes field", BYTES),
    ("repeated", "a repeated field", REPEATED),
    ("map", "a map field", MAP),
)

# Fields that carry more than their kind allows (or less), by full name.
OVERRIDES: dict[str, Limit] = {
    "api.v1.environment.CreateRequest.namespace_template": Limit(MAX_TEMPLATE, "characters"),
    "api.v1.environment.GetNamespacesRequest.project_envs": Limit(1000, "items"),
    "api.v1.capsule.DeployRequest.changes": Limit(1000, "items"),
    "api.v1.capsule.ContainerSettings.environment_variables": Limit(1000, "entries"),
    "api.v1.capsule.ContainerSettings.EnvironmentVariablesEntry.value": Limit(32 * KIB, "characters"),
    "api.v1.capsule.Change.KeyValue.value": Limit(32 * KIB, "characters"),
    "api.v1.capsule.ContainerSettings.args": Limit(1000, "items"),
    "api.v1.capsule.Change.CommandArguments.args": Limit(1000, "items"),
    "api.v1.capsule.JobCommand.args": Limit(1000, "items"),
    "api.v1.capsule.ExecuteRequest.Start.arguments": Limit(1000, "items"),
    "api.v1.capsule.Change.ConfigFile.content": Limit(1 * MIB, "bytes"),
    "api.v1.role.CreateRequest.permissions": Limit(1000, "items"),
    "api.v1.group.AddMemberRequest.member_ids": Limit(1000, "items"),
    "api.v1.user.settings.Template.body": Limit(64 * KIB, "characters"),
    "model.ProviderCredentials.private_key": Limit(16 * KIB, "characters"),
}


class LimitExceeded(InvalidArgument):
    """A request carries more than a limit allows, or text no store can keep."""


def limit_of(field: FieldDescriptor) -> Limit:
    """The field's limit: how many items for a repeated or map field, how long a value otherwise."""
    if field.full_name in OVERRIDES:
        return OVERRIDES[field.full_name]
    if field.is_repeated:
        return MAP if _is_map(field) else REPEATED
    return _value_limit(field)


def _value_limit(field: FieldDescriptor) -> Limit:
    """How long one string or bytes value may be (for a repeated field, each of its items)."""
    if not field.is_repeated and field.full_name in OVERRIDES:
        return OVERRIDES[field.full_name]
    if field.type == FieldDescriptor.TYPE_BYTES:
        return BYTES
    return IDENTIFIER if field.name == "id" or field.name.endswith("_id") else STRING


def check_request(message: Message) -> None:
    """Refuses (LimitExceeded, naming the field's path and the limit) a request that
    carries more than its limits or a string holding NUL."""
    _check_message(message, "")


def _check_message(message: Message, prefix: str) -> None:
    for field, value in message.ListFields():  # only what was sent: the walk is as big as the request
        path = prefix + field.name
        if not field.is_repeated:
            _check_value(field, value, path)
            continue
        _check_count(field, len(value), path)
        if _is_map(field):
            _check_map(field, value, path)
        else:
            for index, item in enumerate(value):
                _check_value(field, item, f"{path}[{index}]")


def _check_map(field: FieldDescriptor, entries: object, path: str) -> None:
    key_field = field.message_type.fields_by_name["key"]
    value_field = field.message_type.fields_by_name["value"]
    for key in entries:  # type: ignore[attr-defined]
        if isinstance(key, str):
            _check_value(key_field, key, f"a key of {path}")
        _check_value(value_field, entries[key], f"{path}[{quoted(str(key))}]")  # type: ignore[index]


def _check_value(field: FieldDescriptor, value: object, path: str) -> None:
    if isinstance(value, Message):
        _check_message(value, path + ".")
    elif isinstance(value, str):
        limit = _value_limit(field)
        if len(value) > limit.size:
            raise LimitExceeded(f"{path} is {len(value)} characters long; the limit is {limit.size}")
        if "\0" in value:
            raise LimitExceeded(f"{path} must not contain a NUL character")
    elif isinstance(value, bytes):
        limit = _value_limit(field)
        if len(value) > limit.size:
            raise LimitExceeded(f"{path} is {len(value)} bytes long; the limit is {limit.size}")


def _check_count(field: FieldDescriptor, count: int, path: str) -> None:
    limit = limit_of(field)
    if count > limit.size:
        raise LimitExceeded(f"{path} has {count} {limit.unit}; the limit is {limit.size}")


def _is_map(field: FieldDescriptor) -> bool:
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def table() -> str:
    """The limits as the README's Markdown table."""
    whole = _shown(Limit(MAX_REQUEST_BYTES, "bytes"))
    rows = ["| field | limit |", "| --- | --- |", f"| a whole request message | {whole} |"]
    rows += [f"| {covers} | {_shown(limit)} |" for _kind, covers, limit in KINDS]
    rows += [f"| `{name}` | {_shown(limit)} |" for name, limit in OVERRIDES.items()]
    return "\n".join(rows) + "\n"


def _shown(limit: Limit) -> str:
    if limit.unit == "bytes":
        for unit, name in ((MIB, "MiB"), (KIB, "KiB")):
            if limit.size % unit == 0:
                return f"{limit.size // unit} {name}"
    return f"{limit.size:,} {limit.unit}"
