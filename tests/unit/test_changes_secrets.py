"""Secret config files in config documents: sealed before they are recorded, opened for
rendering, left out of responses. Sealed with the real keyring, bound to one aggregate."""

from __future__ import annotations

import base64
import copy
import os
import uuid

import pytest

from rigd.adapters.secrets import Keyring, SealedSecretError
from rigd.domain.rollout_config import (
    initial_config,
    open_secrets,
    redact_secrets,
    seal_secrets,
    secret_paths,
)

ROLLOUT = uuid.uuid4()
STAMP = {"updated_by": {"identifier": "ada"}, "updated_at": "2026-12-01T10:00:00Z"}
PLAIN = {"path": "/etc/app.yaml", "content": base64.b64encode(b"a: 1").decode(), **STAMP}
SECRET = {"path": "/etc/key", "content": base64.b64encode(b"hunter2").decode(), "is_secret": True, **STAMP}
CONFIG = {"replicas": 2, "config_files": [PLAIN, SECRET]}


@pytest.fixture
def keyring() -> Keyring:
    return Keyring(os.urandom(32))


def test_sealing_replaces_the_secret_content_only(keyring: Keyring) -> None:
    kept = copy.deepcopy(CONFIG)
    sealed = seal_secrets(CONFIG, lambda plaintext, field: keyring.seal(plaintext, ROLLOUT, field))
    assert kept == CONFIG
    plain, secret = sealed["config_files"]
    assert plain == PLAIN
    assert "content" not in secret and "hunter2" not in str(sealed)
    assert keyring.open(secret["sealed_content"], ROLLOUT, "config_files//etc/key") == b"hunter2"
    assert {key: value for key, value in secret.items() if key != "sealed_content"} == {
        key: value for key, value in SECRET.items() if key != "content"}


def test_opening_gives_back_the_config_as_it_was(keyring: Keyring) -> None:
    sealed = seal_secrets(CONFIG, lambda plaintext, field: keyring.seal(plaintext, ROLLOUT, field))
    assert open_secrets(sealed, lambda text, field: keyring.open(text, ROLLOUT, field)) == CONFIG


def test_sealing_twice_keeps_what_is_sealed_already(keyring: Keyring) -> None:
    once = seal_secrets(CONFIG, lambda plaintext, field: keyring.seal(plaintext, ROLLOUT, field))
    assert seal_secrets(once, lambda plaintext, field: pytest.fail("sealed again")) == once


def test_a_sealed_file_opens_only_for_its_own_field(keyring: Keyring) -> None:
    sealed = seal_secrets(CONFIG, lambda plaintext, field: keyring.seal(plaintext, ROLLOUT, field))
    moved = copy.deepcopy(sealed)
    moved["config_files"][1]["path"] = "/etc/other"
    with pytest.raises(SealedSecretError):
        open_secrets(moved, lambda text, field: keyring.open(text, ROLLOUT, field))


def test_an_empty_secret_stays_empty(keyring: Keyring) -> None:
    config = {"config_files": [{"path": "/etc/empty", "is_secret": True}]}
    sealed = seal_secrets(config, lambda plaintext, field: keyring.seal(plaintext, ROLLOUT, field))
    assert open_secrets(sealed, lambda text, field: keyring.open(text, ROLLOUT, field)) == config


@pytest.mark.parametrize("form", ["opened", "sealed"])
def test_redacting_leaves_no_secret_content(keyring: Keyring, form: str) -> None:
    config = CONFIG if form == "opened" else seal_secrets(CONFIG, lambda p, f: keyring.seal(p, ROLLOUT, f))
    redacted = redact_secrets(config)
    assert redacted["config_files"] == [PLAIN, {"path": "/etc/key", "is_secret": True, **STAMP}]
    assert redacted["replicas"] == 2
    assert "content" in config["config_files"][0]


def test_secret_paths_and_the_initial_config() -> None:
    assert secret_paths(CONFIG) == ["/etc/key"]
    assert secret_paths({}) == []
    assert initial_config() == {"replicas": 1}
    assert initial_config() is not initial_config()
