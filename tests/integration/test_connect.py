"""The Connect protocol (issue 11) on both stores: one scenario over gRPC, Connect+proto and
Connect+JSON answers the same; errors carry Connect's codes, HTTP statuses and our messages."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from rigd.proto.api.v1.authentication import service_pb2 as authentication_pb
from rigd.proto.api.v1.authentication import user_pb2 as authentication_user_pb
from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.image import service_pb2 as image_pb
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.model import user_pb2
from rigd.services.call_path import endpoints
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from rigd.services.connect_server import ConnectServer
from tests.connect_client import PROTOCOLS, Clients, serving_every_protocol

PROJECT = "/api.v1.project.Service/"
ENVIRONMENT = "/api.v1.environment.Service/"
CAPSULE = "/api.v1.capsule.Service/"
IMAGE = "/api.v1.image.Service/"
LOGIN = "/api.v1.authentication.Service/Login"
ADMIN_PASSWORD = "connect-pa55!"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, admin_email="admin@example.com", admin_password=ADMIN_PASSWORD)


@pytest.fixture
def clients(rigd: Rigd) -> Iterator[Clients]:
    with serving_every_protocol(rigd) as clients:
        yield clients


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_scenario_answers_alike_over_every_protocol(clients: Clients, protocol: str) -> None:
    """Each protocol creates its own project, environment, capsule and image; then every protocol reads
    every one of them back, and all three answers to each read are equal."""
    suffix = protocol.replace("+", "-")
    create_the_scenario(clients, protocol, suffix)

    reads = [
        (PROJECT + "Get", project_pb.GetRequest(project_id=f"shop-{suffix}")),
        (PROJECT + "List", project_pb.ListRequest()),
        (ENVIRONMENT + "List", environment_pb.ListRequest()),
        (CAPSULE + "List", capsule_pb.ListRequest(project_id=f"shop-{suffix}")),
        (IMAGE + "List", image_pb.ListRequest(project_id=f"shop-{suffix}", capsule_id="web")),
        (CAPSULE + "ListRollouts", capsule_pb.ListRolloutsRequest(
            capsule_id="web", project_id=f"shop-{suffix}", environment_id=f"env-{suffix}")),
    ]
    for path, request in reads:
        answers = [clients.call(each, path, request) for each in PROTOCOLS]
        assert all(answer.code == "ok" for answer in answers), answers
        assert answers[0].response == answers[1].response == answers[2].response, path
    listed = clients.call(protocol, PROJECT + "List", project_pb.ListRequest()).response
    assert f"shop-{suffix}" in [project.project_id for project in listed.projects]


def create_the_scenario(clients: Clients, protocol: str, suffix: str) -> None:
    """Over `protocol`: a project, an environment, a capsule with an image, and a dry-run Deploy."""
    created = clients.call(protocol, PROJECT + "Create", project_pb.CreateRequest(project_id=f"shop-{suffix}"))
    assert created.code == "ok", created
    assert created.response.project.project_id == f"shop-{suffix}"
    environment = clients.call(protocol, ENVIRONMENT + "Create",
                               environment_pb.CreateRequest(environment_id=f"env-{suffix}", cluster_id="local"))
    assert environment.code == "ok", environment
    capsule = clients.call(protocol, CAPSULE + "Create",
                           capsule_pb.CreateRequest(name="web", project_id=f"shop-{suffix}"))
    assert capsule.code == "ok", capsule
    image = clients.call(protocol, IMAGE + "Add", image_pb.AddRequest(
        project_id=f"shop-{suffix}", capsule_id="web", image="nginx:1.27", skip_image_check=True))
    assert image.code == "ok" and image.response.added_new_image, image
    dry_run = capsule_pb.DeployRequest(
        capsule_id="web", project_id=f"shop-{suffix}", environment_id=f"env-{suffix}", dry_run=True,
        changes=[change_pb2.Change(image_id=image.response.image_id), change_pb2.Change(replicas=2)])
    deployed = clients.call(protocol, CAPSULE + "Deploy", dry_run)
    assert deployed.code == "ok" and deployed.response.rollout_config.replicas == 2, deployed
    assert deployed.response.rollout_config.image_id == image.response.image_id


def test_job_executions_of_an_unknown_capsule_answer_alike(clients: Clients) -> None:
    request = capsule_pb.GetJobExecutionsRequest(capsule_id="web", project_id="shop", environment_id="prod")
    answers = [clients.call(protocol, CAPSULE + "GetJobExecutions", request) for protocol in PROTOCOLS]
    assert [(answer.code, answer.message) for answer in answers] == [("not_found", "capsule 'web' not found")] * 3
    assert answers[1].http_status == answers[2].http_status == 404


def test_a_server_stream_answers_alike_over_every_protocol(clients: Clients) -> None:
    """Logs of a capsule of an unknown project: refused in the stream's first step."""
    request = capsule_pb.LogsRequest(capsule_id="web", project_id="nowhere", environment_id="prod")
    answers = [clients.call(protocol, CAPSULE + "Logs", request) for protocol in PROTOCOLS]
    assert [(answer.code, answer.message) for answer in answers] == [("not_found", "project 'nowhere' not found")] * 3
    assert answers[1].http_status == answers[2].http_status == 200  # a stream's error ends its body


@pytest.mark.parametrize("as_json", [False, True], ids=["proto", "json"])
def test_errors_carry_connect_codes_statuses_and_messages(clients: Clients, as_json: bool) -> None:
    missing = clients.connect(PROJECT + "Get", project_pb.GetRequest(project_id="nowhere"), as_json=as_json)
    assert (missing.code, missing.http_status, missing.message) == ("not_found", 404, "project 'nowhere' not found")
    invalid = clients.connect(PROJECT + "Create", project_pb.CreateRequest(project_id="x"), as_json=as_json)
    assert (invalid.code, invalid.http_status) == ("invalid_argument", 400)
    assert invalid.message == "project_id 'x' must be between 3 and 63 characters long"
    assert missing.headers is not None and missing.headers["content-type"] == "application/json"


def test_malformed_requests_are_invalid_argument(clients: Clients) -> None:
    for content_type, body in [("application/json", b'{"projectId":'), ("application/proto", b"\xff\xff\xff")]:
        status, _, raw = clients.post(PROJECT + "Get", body, {"Content-Type": content_type})
        error = json.loads(raw)
        assert (status, error["code"]) == (400, "invalid_argument"), raw
        assert "Traceback" not in error["message"]
    status, _, _ = clients.post("/api.v1.project.Service/Nope", b"", {"Content-Type": "application/proto"})
    assert status == 404
    status, _, _ = clients.post(PROJECT + "List", b"", {"Content-Type": "text/plain"})
    assert status == 415


def test_json_accepts_both_field_spellings_and_answers_lower_camel_case(clients: Clients) -> None:
    for index, field in enumerate(["projectId", "project_id"]):
        body = json.dumps({field: f"spelt-{index}"}).encode()
        status, _, raw = clients.post(PROJECT + "Create", body, {"Content-Type": "application/json"})
        assert status == 200, raw
        assert json.loads(raw)["project"]["projectId"] == f"spelt-{index}"


def test_the_request_id_is_echoed_or_made(clients: Clients) -> None:
    given = clients.connect(PROJECT + "List", project_pb.ListRequest(), headers={"X-Request-Id": "trace-42"})
    assert given.headers is not None and given.headers["x-request-id"] == "trace-42"
    failed = clients.connect(PROJECT + "Get", project_pb.GetRequest(project_id="nowhere"),
                             headers={"X-Request-Id": "trace-43"})
    assert failed.headers is not None and failed.headers["x-request-id"] == "trace-43"
    made = clients.connect(PROJECT + "List", project_pb.ListRequest())
    assert made.headers is not None and len(made.headers["x-request-id"]) == 32


def test_a_timeout_already_spent_is_deadline_exceeded(clients: Clients) -> None:
    outcome = clients.connect(PROJECT + "List", project_pb.ListRequest(), headers={"Connect-Timeout-Ms": "0"})
    assert (outcome.code, outcome.http_status) == ("deadline_exceeded", 504)


def test_status_answers_200_when_serving(clients: Clients) -> None:
    """rigd is NOT_SERVING until its first readiness round (a loaded machine may make it slow),
    and /api/v1/status follows the health monitor: wait for 200, generously."""
    host, _, port = clients.connect_address.rpartition(":")
    deadline = time.monotonic() + 60
    while True:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", "/api/v1/status")
        response = connection.getresponse()
        answer = (response.status, json.loads(response.read()))
        connection.close()
        if answer[0] == 200 or time.monotonic() > deadline:
            break
        assert answer == (503, {"status": "NOT_SERVING"})
        time.sleep(0.2)
    assert answer == (200, {"status": "SERVING"})


def test_status_answers_503_when_not_serving(rigd: Rigd) -> None:
    serving = threading.Event()
    server = ConnectServer(endpoints({}, rigd.gate, rigd.metrics), "127.0.0.1:0", serving.is_set, workers=2)
    server.start()
    try:
        host, _, port = server.address.rpartition(":")
        for expected in (503, 200):
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("GET", "/api/v1/status")
            assert connection.getresponse().status == expected
            connection.close()
            serving.set()
    finally:
        server.stop(grace=1)


@pytest.mark.parametrize("as_json", [False, True], ids=["proto", "json"])
def test_login_then_list_projects_with_the_token(clients: Clients, as_json: bool) -> None:
    clients = Clients(clients.channel, clients.connect_address)  # no credentials but those given here
    anonymous = clients.connect(PROJECT + "List", project_pb.ListRequest(), as_json=as_json)
    assert (anonymous.code, anonymous.http_status) == ("unauthenticated", 401)
    assert clients.call("grpc", PROJECT + "List", project_pb.ListRequest()).code == "unauthenticated"
    wrong = clients.connect(LOGIN, login_request("not-it-1!"), as_json=as_json)
    assert (wrong.code, wrong.http_status, wrong.message) == ("unauthenticated", 401, "wrong password")
    logged_in = clients.connect(LOGIN, login_request(ADMIN_PASSWORD), as_json=as_json)
    assert logged_in.code == "ok", logged_in
    bearer = {"Authorization": f"Bearer {logged_in.response.token.access_token}"}
    assert clients.connect(PROJECT + "Create", project_pb.CreateRequest(project_id="mine"), as_json=as_json,
                           headers=bearer).code == "ok"
    for protocol in PROTOCOLS:
        listed = clients.call(protocol, PROJECT + "List", project_pb.ListRequest(), headers=bearer)
        assert listed.code == "ok", (protocol, listed)
        assert [project.project_id for project in listed.response.projects] == ["mine"]


def login_request(password: str) -> authentication_pb.LoginRequest:
    return authentication_pb.LoginRequest(user_password=authentication_user_pb.UserPassword(
        identifier=user_pb2.UserIdentifier(email="admin@example.com"), password=password))


def test_a_unary_answer_has_a_content_length_not_chunks(clients: Clients) -> None:
    status, headers, raw = clients.post(PROJECT + "List", b"{}", {"Content-Type": "application/json"})
    assert status == 200
    assert headers.get("content-length") == str(len(raw)) and "transfer-encoding" not in headers
    json_body = {"Content-Type": "application/json"}
    status, headers, raw = clients.post(PROJECT + "Get", b'{"projectId": "nowhere"}', json_body)
    assert (status, headers.get("content-length")) == (404, str(len(raw)))
