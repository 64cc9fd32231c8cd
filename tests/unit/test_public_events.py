"""The public event schema is generated from the code and cannot drift from it: every event
class has a documented entry, and `docs/events.md` is what the code generates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rigd.domain.events import AuditedEvent
from rigd.projections.event_catalog import CATALOG, DOCUMENT, Undocumented, check, document
from rigd.projections.integration_events import (
    event_classes,
    event_type,
    is_secret_name,
    public_fields,
    public_value,
    withheld_fields,
)


class Configured(AuditedEvent):
    """Stands for an event a later issue adds, with secrets in names and in nested values."""

    TOPIC = "capsule.Configured"
    class_version = 3
    image: str
    registry_password: str
    client_secret: str
    verification_code: str
    password_hash: str
    files: dict[str, str]
    token_value: str
    PUBLIC_WITHHOLDS = ("image",)


def test_the_document_is_what_the_code_generates() -> None:
    check()
    assert DOCUMENT.read_text() == document(), "run: python -m rigd.projections.event_catalog --write"


def test_every_event_class_has_a_type_from_its_topic_and_version() -> None:
    types = [event_type(cls) for cls in event_classes()]
    assert len(set(types)) == len(types) == len(CATALOG)
    assert "dev.rig.project.Created.v2" in types
    assert event_type(Configured) == "dev.rig.capsule.Configured.v3"


def test_a_class_without_an_entry_or_with_an_undocumented_field_fails_the_check() -> None:
    without = {topic: entry for topic, entry in CATALOG.items() if topic != "project.Renamed"}
    with pytest.raises(Undocumented, match=r"project\.Renamed: no entry"):
        check(without)
    fields = dict(CATALOG["project.Created"].fields)
    del fields["public_key"]
    changed = {**CATALOG, "project.Created": replace(CATALOG["project.Created"], fields=fields)}
    with pytest.raises(Undocumented, match=r"project\.Created: published fields without a meaning: public_key"):
        check(changed)
    with pytest.raises(Undocumented, match="no event class has this topic"):
        check({**CATALOG, "project.Vanished": CATALOG["project.Deleted"]})


def test_secrets_are_withheld_by_name_by_default_and_by_the_class() -> None:
    assert withheld_fields(Configured) == [
        "image", "registry_password", "client_secret", "verification_code", "password_hash", "token_value"]
    assert public_fields(Configured) == ["files"]
    nested = {"app.yaml": "x", "db_password": "hunter2", "inner": {"api_secret": "s", "port": 1}}
    assert public_value(nested) == {"app.yaml": "x", "inner": {"port": 1}}
    assert all(is_secret_name(name) for name in ("sealed_private_key", "SecretValue", "passwd"))
    assert not any(is_secret_name(name) for name in ("public_key", "name", "environment_id"))
