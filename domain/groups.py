"""Groups of users and service accounts. A group's id is a random UUID; its name (the
wire's `group_id`, e.g. `admin`) is claimed by a name claim, so renaming frees the old one."""

from __future__ import annotations

from typing import ClassVar

from eventsourcing.domain import event

from rigd.domain.errors import AlreadyExists, InvalidArgument, NotFound
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.naming import quoted, validate_display_name
from rigd.domain.users import encode_metadata, validate_metadata

USER = "user"
SERVICE_ACCOUNT = "service_account"
ALREADY_A_MEMBER = "the user is already a member of the group"
MAX_GROUP_NAME = 63


class GroupNotFound(NotFound):
    def __init__(self, group_id: str) -> None:
        super().__init__(f"group {quoted(group_id)} not found")


class GroupAlreadyExists(AlreadyExists):
    def __init__(self, group_id: str) -> None:
        super().__init__(f"group {quoted(group_id)} already exists")


class AlreadyAMember(AlreadyExists):
    def __init__(self) -> None:
        super().__init__(ALREADY_A_MEMBER)


class NotAMember(NotFound):
    def __init__(self, member_id: str, group_id: str) -> None:
        super().__init__(f"{quoted(member_id)} is not a member of group {quoted(group_id)}")


def validate_group_name(name: str) -> str:
    validate_display_name(name, "group_id")
    if len(name) > MAX_GROUP_NAME or "/" in name or name.strip() != name:
        raise InvalidArgument(
            f"group_id {quoted(name)} is invalid: at most {MAX_GROUP_NAME} characters, no '/' and no "
            "whitespace at either end")
    return name


class Group(AuditedAggregate):
    TOPIC = "group"
    snapshot_interval: ClassVar[int] = 100  # members come and go for as long as the group lives

    class Created(AuditedCreated):
        TOPIC = "group.Created"
        name: str

    class Renamed(AuditedEvent):
        TOPIC = "group.Renamed"
        name: str

    class MetadataSet(AuditedEvent):
        TOPIC = "group.MetadataSet"
        key: str
        value: str  # base64

    class MetadataDeleted(AuditedEvent):
        TOPIC = "group.MetadataDeleted"
        key: str

    class MemberAdded(AuditedEvent):
        TOPIC = "group.MemberAdded"
        member_kind: str  # USER or SERVICE_ACCOUNT
        member_id: str

    class MemberRemoved(AuditedEvent):
        TOPIC = "group.MemberRemoved"
        member_kind: str
        member_id: str

    class Deleted(AuditedEvent):
        TOPIC = "group.Deleted"

    @event(Created)
    def __init__(self, name: str) -> None:
        self.name = name
        self.metadata: dict[str, str] = {}
        self.members: set[tuple[str, str]] = set()
        self.deleted = False

    def require_live(self) -> None:
        if self.deleted:
            raise GroupNotFound(self.name)

    def rename(self, name: str) -> None:
        self.require_live()
        if name != self.name:
            self._renamed(name)

    def set_metadata(self, key: str, value: bytes) -> None:
        self.require_live()
        validate_metadata(key, value)
        encoded = encode_metadata(value)
        if self.metadata.get(key) != encoded:
            self._metadata_set(key, encoded)

    def delete_metadata(self, key: str) -> None:
        self.require_live()
        if key in self.metadata:
            self._metadata_deleted(key)

    def add_member(self, member_kind: str, member_id: str) -> None:
        self.require_live()
        if (member_kind, member_id) in self.members:
            raise AlreadyAMember()
        self._member_added(member_kind, member_id)

    def remove_member(self, member_kind: str, member_id: str) -> None:
        self.require_live()
        if (member_kind, member_id) not in self.members:
            raise NotAMember(member_id, self.name)
        self._member_removed(member_kind, member_id)

    def delete(self) -> None:
        self.require_live()
        self._deleted()

    @event(Renamed)
    def _renamed(self, name: str) -> None:
        self.name = name

    @event(MetadataSet)
    def _metadata_set(self, key: str, value: str) -> None:
        self.metadata[key] = value

    @event(MetadataDeleted)
    def _metadata_deleted(self, key: str) -> None:
        del self.metadata[key]

    @event(MemberAdded)
    def _member_added(self, member_kind: str, member_id: str) -> None:
        self.members.add((member_kind, member_id))

    @event(MemberRemoved)
    def _member_removed(self, member_kind: str, member_id: str) -> None:
        self.members.discard((member_kind, member_id))

    @event(Deleted)
    def _deleted(self) -> None:
        self.deleted = True
