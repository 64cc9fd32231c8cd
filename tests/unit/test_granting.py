"""The no-escalation rule: a principal may only hand out permissions it holds (domain/rbac.py)."""

from __future__ import annotations

import itertools

import pytest

from rigd.domain.errors import PermissionDenied
from rigd.domain.permissions import BUILT_IN_ROLES, Action, Permission, Scope
from rigd.domain.rbac import covers, require_held, ungranted

VIEW_ALL = Permission(Action.CAPSULE_VIEW, Scope("capsule/*"))


@pytest.mark.parametrize(("held", "wanted", "covered"), [
    (Scope("capsule/*"), Scope("capsule/web"), True),
    (Scope("capsule/*"), Scope("capsule/*"), True),
    (Scope("capsule"), Scope("capsule/*"), True),  # a bare type is every capsule
    (Scope("*"), Scope("capsule/web", "prod", "shop"), True),
    (Scope("capsule/web"), Scope("capsule/web"), True),
    (Scope("capsule/web"), Scope("capsule/*"), False),  # one capsule does not cover all
    (Scope("capsule/web"), Scope("capsule/api"), False),
    (Scope("capsule/*"), Scope("*"), False),  # one type does not cover every type
    (Scope("image/*"), Scope("capsule/web"), False),
    (Scope("capsule/*", "prod", "shop"), Scope("capsule/web", "prod", "shop"), True),
    (Scope("capsule/*", "prod", "shop"), Scope("capsule/web", "*", "shop"), False),
    (Scope("capsule/*", "*", "shop"), Scope("capsule/web", "prod", "blog"), False),
])
def test_a_held_permission_covers_only_what_its_scope_contains(held: Scope, wanted: Scope, covered: bool) -> None:
    assert covers(Permission(Action.CAPSULE_VIEW, held), Permission(Action.CAPSULE_VIEW, wanted)) is covered


def test_another_action_is_never_covered() -> None:
    assert not covers(VIEW_ALL, Permission(Action.CAPSULE_EDIT, Scope("capsule/*")))


def test_each_built_in_role_holds_the_ones_below_it_and_not_those_above() -> None:
    ladder = ("viewer", "developer", "owner", "admin")
    for lower, upper in itertools.pairwise(ladder):
        assert ungranted(BUILT_IN_ROLES[upper], BUILT_IN_ROLES[lower]) == []
        assert ungranted(BUILT_IN_ROLES[lower], BUILT_IN_ROLES[upper]) != []


def test_an_owner_cannot_hand_out_admin() -> None:
    missing = ungranted(BUILT_IN_ROLES["owner"], BUILT_IN_ROLES["admin"])
    assert {p.action for p in missing} == {
        Action.PROJECT_EDIT, Action.SETTINGS_EDIT, Action.ENVIRONMENT_EDIT, Action.ROLE_ASSIGN, Action.ROLE_RETRACT,
        Action.GROUP_EDIT}
    with pytest.raises(PermissionDenied, match=r"adding a member to group 'admin' grants permissions you do not "
                                               r"hold: project:edit on project/\*"):
        require_held(BUILT_IN_ROLES["owner"], BUILT_IN_ROLES["admin"], "adding a member to group 'admin'")


def test_a_refusal_names_a_few_missing_permissions_and_counts_the_rest() -> None:
    wanted = [Permission(f"thing:{n}", Scope("capsule/*")) for n in range(8)]
    with pytest.raises(PermissionDenied) as refused:
        require_held([], wanted, "creating role 'x'")
    assert "thing:4 on capsule/*" in refused.value.message and "and 3 more" in refused.value.message
    assert "thing:5" not in refused.value.message


def test_holding_everything_wanted_passes() -> None:
    require_held(BUILT_IN_ROLES["admin"], BUILT_IN_ROLES["admin"], "assigning role 'admin'")
    require_held([], [], "creating role 'empty'")


def test_resource_any_means_every_type_its_action_applies_to() -> None:
    """The admin holds image:view on images and capsules: that is all `image:view` on `*` can
    ever grant, so it may hand it out; an owner may not hand out `project:edit` anywhere; an
    unknown action on `*` needs `*` itself."""
    anywhere = Permission(Action.IMAGE_VIEW, Scope("*"))
    assert ungranted(BUILT_IN_ROLES["admin"], [anywhere]) == []
    assert ungranted(BUILT_IN_ROLES["viewer"], [anywhere]) == []
    assert ungranted(BUILT_IN_ROLES["owner"], [Permission(Action.PROJECT_EDIT, Scope("*"))]) != []
    assert ungranted([Permission(Action.IMAGE_VIEW, Scope("image/*"))], [anywhere]) == [anywhere]
    assert ungranted(BUILT_IN_ROLES["admin"], [Permission("thing:do", Scope("*"))]) != []
    assert ungranted([Permission(Action.IMAGE_VIEW, Scope("*"))], [anywhere]) == []
