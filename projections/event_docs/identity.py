"""Public event types of the identity directory: users, groups, roles, service accounts,
user settings, the name claims that keep identifiers unique, and the first admin."""

from __future__ import annotations

from rigd.projections.event_docs import FIRST_PUBLISHED as _V2_ONLY
from rigd.projections.event_docs import Documented

_KEY = "The metadata key."
_VALUE = "The metadata value (bytes, base64 in JSON)."
_MEMBER_KIND = "`user` or `service_account`."
_MEMBER_ID = "The member's id (a user id or a service-account id)."
_ENTITY_KIND = "`user`, `service_account` or `group`."
_ENTITY_ID = "The id of the user, service account or group (a group by its aggregate id, so renames keep it)."
_PERMISSION = "A permission: `action` and `scope` (`resource`, `environment`, `project`)."
_VERIFIED = "Whether it is verified now."

_USERS = {
    "user.Created": Documented(
        "A user was created, by an administrator (`system`) or by signing up.",
        {"email": "The user's email address (empty if none).",
         "username": "The user's username (empty if none).",
         "phone_number": "The user's phone number (empty if none; deprecated by Rig).",
         "register_method": "`system` (made by another user) or `signup`.",
         "login_type": "For sign-ups, the login type used (the wire's `model.LoginType` number).",
         "creator_id": "The user who created it (empty for sign-ups and for rigd itself)."}, _V2_ONLY),
    "user.EmailChanged": Documented("A user's email address changed.", {"email": "The new address."}, _V2_ONLY),
    "user.UsernameChanged": Documented("A user's username changed.", {"username": "The new username."}, _V2_ONLY),
    "user.PhoneNumberChanged": Documented(
        "A user's phone number changed.", {"phone_number": "The new number."}, _V2_ONLY),
    "user.ProfileUpdated": Documented(
        "A user's profile changed.", {"first_name": "The first name.", "last_name": "The last name."}, _V2_ONLY),
    "user.PasswordSet": Documented(
        "A user's password was set or changed (the hash is never published).", {}, _V2_ONLY),
    "user.EmailVerificationSet": Documented(
        "A user's email address was marked verified or unverified.", {"verified": _VERIFIED}, _V2_ONLY),
    "user.PhoneVerificationSet": Documented(
        "A user's phone number was marked verified or unverified.", {"verified": _VERIFIED}, _V2_ONLY),
    "user.MetadataSet": Documented("Metadata was set on a user.", {"key": _KEY, "value": _VALUE}, _V2_ONLY),
    "user.MetadataDeleted": Documented("Metadata was removed from a user.", {"key": _KEY}, _V2_ONLY),
    "user.SessionsReset": Documented(
        "Every session a user started before this event ended (`reset_sessions`).", {}, _V2_ONLY),
    "user.Deleted": Documented("A user was deleted (its history is kept).", {}, _V2_ONLY),
    "admin-bootstrap.Created": Documented(
        "rigd made its first admin on first start (once per installation).",
        {"user_id": "The admin user's id."}, _V2_ONLY),
}

_GROUPS = {
    "group.Created": Documented("A group was created.", {"name": "The group's name (its `group_id` on the wire)."},
                                _V2_ONLY),
    "group.Renamed": Documented("A group was renamed; its old name is free again.", {"name": "The new name."},
                                _V2_ONLY),
    "group.MemberAdded": Documented(
        "A user or service account joined a group.", {"member_kind": _MEMBER_KIND, "member_id": _MEMBER_ID}, _V2_ONLY),
    "group.MemberRemoved": Documented(
        "A user or service account left a group.", {"member_kind": _MEMBER_KIND, "member_id": _MEMBER_ID}, _V2_ONLY),
    "group.MetadataSet": Documented("Metadata was set on a group.", {"key": _KEY, "value": _VALUE}, _V2_ONLY),
    "group.MetadataDeleted": Documented("Metadata was removed from a group.", {"key": _KEY}, _V2_ONLY),
    "group.Deleted": Documented("A group was deleted (its history is kept).", {}, _V2_ONLY),
}

_ROLES = {
    "role.Created": Documented(
        "A role was created.",
        {"role_id": "The role's id (never changes).", "permissions": "The permissions it grants; each " + _PERMISSION},
        _V2_ONLY),
    "role.Recreated": Documented(
        "A deleted role was created again under the same id.",
        {"permissions": "The permissions it grants now; each " + _PERMISSION}, _V2_ONLY),
    "role.PermissionAdded": Documented("A role grants one more permission.", {"permission": _PERMISSION}, _V2_ONLY),
    "role.PermissionRemoved": Documented(
        "A role no longer grants a permission.", {"permission": _PERMISSION}, _V2_ONLY),
    "role.Assigned": Documented(
        "A role was assigned to a user, service account or group.",
        {"entity_kind": _ENTITY_KIND, "entity_id": _ENTITY_ID}, _V2_ONLY),
    "role.Revoked": Documented(
        "A role was taken from a user, service account or group.",
        {"entity_kind": _ENTITY_KIND, "entity_id": _ENTITY_ID}, _V2_ONLY),
    "role.MetadataSet": Documented("Metadata was set on a role.", {"key": _KEY, "value": _VALUE}, _V2_ONLY),
    "role.MetadataDeleted": Documented("Metadata was removed from a role.", {"key": _KEY}, _V2_ONLY),
    "role.Deleted": Documented("A role was deleted (its history is kept).", {}, _V2_ONLY),
}

_SERVICE_ACCOUNTS = {
    "service-account.Created": Documented(
        "A service account was created (its secret, and even its digest, are never published).",
        {"name": "The service account's name.",
         "managed": "Whether rigd manages it (made for a capsule, not by a person)."}, _V2_ONLY),
    "service-account.Deleted": Documented(
        "A service account was deleted; tokens it already holds expire with their TTL.", {}, _V2_ONLY),
}

_SETTINGS_AND_CLAIMS = {
    "user-settings.Created": Documented("The platform-wide user settings were started (once).", {}, _V2_ONLY),
    "user-settings.Changed": Documented(
        "Platform-wide user settings changed.",
        {"changes": "The settings that changed, by name, with their new values (secrets never published)."},
        _V2_ONLY),
    "name-claim.Created": Documented(
        "A name (an email, username, phone number or group name) was claimed, keeping it unique.",
        {"kind": "`email`, `username`, `phone` or `group`.", "name": "The name claimed (as compared).",
         "owner_id": "The id of the user or group holding it."}, _V2_ONLY),
    "name-claim.Released": Documented("A name was given up and is free again.", {}, _V2_ONLY),
    "name-claim.Reclaimed": Documented(
        "A free name was claimed again.", {"owner_id": "The id of the user or group holding it now."}, _V2_ONLY),
}

IDENTITY: dict[str, Documented] = {**_USERS, **_GROUPS, **_ROLES, **_SERVICE_ACCOUNTS, **_SETTINGS_AND_CLAIMS}
