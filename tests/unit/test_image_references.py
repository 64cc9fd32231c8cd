"""Image references as Docker reads them, registry hosts, digests, and registry auth strings."""

from __future__ import annotations

import base64
import json

import pytest

from rigd.adapters.registries import parse_challenge, parse_created
from rigd.domain.errors import InvalidArgument
from rigd.domain.image_references import ImageReference, parse_reference, validate_registry_host
from rigd.domain.registry_settings import decode_auth

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(("reference", "expected"), [
    ("nginx", ImageReference("index.docker.io", "library/nginx", "latest")),
    ("nginx:1.25", ImageReference("index.docker.io", "library/nginx", "1.25")),
    ("docker.io/nginx", ImageReference("index.docker.io", "library/nginx", "latest")),
    ("bitnami/redis:7", ImageReference("index.docker.io", "bitnami/redis", "7")),
    ("ghcr.io/acme/tools/cli:v1.2_3", ImageReference("ghcr.io", "acme/tools/cli", "v1.2_3")),
    ("localhost:5000/app", ImageReference("localhost:5000", "app", "latest")),
    ("localhost/app:dev", ImageReference("localhost", "app", "dev")),
    ("127.0.0.1:5000/team/app:v1", ImageReference("127.0.0.1:5000", "team/app", "v1")),
    (f"nginx@{DIGEST}", ImageReference("index.docker.io", "library/nginx", "", DIGEST)),
    (f"quay.io/a/b:1@{DIGEST}", ImageReference("quay.io", "a/b", "1", DIGEST)),
    ("Registry.Example/a__b.c-d", ImageReference("Registry.Example", "a__b.c-d", "latest")),
])
def test_references_are_parsed_and_normalized(reference: str, expected: ImageReference) -> None:
    assert parse_reference(reference) == expected


def test_image_ids_repositories_and_names() -> None:
    by_tag = parse_reference("nginx:1.25")
    assert by_tag.repository == "index.docker.io/library/nginx"
    assert by_tag.image_id() == "index.docker.io/library/nginx:1.25"
    assert by_tag.image_id(DIGEST) == f"index.docker.io/library/nginx@{DIGEST}"
    assert str(parse_reference(f"quay.io/a/b:1@{DIGEST}")) == f"quay.io/a/b:1@{DIGEST}"
    assert parse_reference(f"nginx@{DIGEST}").image_id() == f"index.docker.io/library/nginx@{DIGEST}"


@pytest.mark.parametrize("reference", [
    "", "Nginx", "team/App", "team//app", "/app", "app/", "app:", "app:-bad", "app:bad tag", "app@sha256:abc",
    f"app@{DIGEST.upper()}", "app@md5", "-host.io/app", "host.io:port/app", "a" * 260, "app:" + "t" * 129,
])
def test_malformed_references_are_invalid_arguments(reference: str) -> None:
    with pytest.raises(InvalidArgument):
        parse_reference(reference)


def test_registry_hosts_drop_scheme_and_path_and_know_docker_hub() -> None:
    assert validate_registry_host("https://index.docker.io/v1/") == "index.docker.io"
    assert validate_registry_host("docker.io") == "index.docker.io"
    assert validate_registry_host("registry.example.com:5000") == "registry.example.com:5000"
    for bad in ("", "bad host", "https://", "a_b.io"):
        with pytest.raises(InvalidArgument):
            validate_registry_host(bad)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_auth_strings_are_user_password_or_a_docker_config_entry() -> None:
    assert (decode_auth(_b64("ada:s3cret:with-colon")).username, decode_auth(_b64("ada:s3cret:with-colon")).password
            ) == ("ada", "s3cret:with-colon")
    entry = decode_auth(_b64(json.dumps({"username": "bob", "password": "pw", "email": "b@x.io"})))
    assert (entry.username, entry.password, entry.email) == ("bob", "pw", "b@x.io")
    nested = decode_auth(_b64(json.dumps({"auth": _b64("carol:pw2")})))
    assert (nested.username, nested.password) == ("carol", "pw2")
    assert "pw" not in repr(entry)  # a password never shows in a repr (logs, tracebacks)
    for bad in ("", "%%%", _b64("no-colon"), _b64("[1, 2]"), _b64("{broken")):
        with pytest.raises(InvalidArgument):
            decode_auth(bad)


def test_challenges_and_creation_times() -> None:
    assert parse_challenge('Bearer realm="https://auth.io/token",service="reg",scope="repository:a:pull"') == (
        "bearer", {"realm": "https://auth.io/token", "service": "reg", "scope": "repository:a:pull"})
    assert parse_challenge('Basic realm="x"') == ("basic", {"realm": "x"})
    assert parse_created("2024-05-06T07:08:09.123456789Z").isoformat() == "2024-05-06T07:08:09.123456+00:00"
    assert parse_created("2024-05-06T09:08:09+02:00").isoformat() == "2024-05-06T07:08:09+00:00"
    assert parse_created("yesterday") is None and parse_created(None) is None
