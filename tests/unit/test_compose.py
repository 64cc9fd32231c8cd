"""docker-compose.yml, checked structurally (no Docker engine runs here): the services and
roles it starts exist in rigd, and every setting it passes is one rigd reads."""

from __future__ import annotations

from pathlib import Path

import yaml

from rigd.services.composition import ROLES
from rigd.services.config import _ENVIRONMENT_VARIABLES

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def test_compose_runs_each_role_as_a_service_configured_by_environment_variables() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert {"db", "kafka", "api", "projector", "relay"} <= set(services)
    kraft = services["kafka"]["environment"]
    assert "controller" in kraft["KAFKA_PROCESS_ROLES"] and "ZOOKEEPER" not in " ".join(kraft)
    roles = {}
    for name in ("api", "projector", "relay"):
        service = services[name]
        command = service["command"]
        assert command[:1] == ["rigd"] and service["build"] == "."
        roles[name] = command[3].split(",") if command[1:3] == ["serve", "--roles"] else [command[1]]
        unknown = set(service["environment"]) - set(_ENVIRONMENT_VARIABLES)
        assert not unknown, f"{name} sets variables rigd does not read: {unknown}"
        assert service["environment"]["RIGD_DATABASE_URL"].startswith("postgresql://")
    assert roles == {"api": ["api"], "projector": ["projector"], "relay": ["relay"]}
    assert set(roles["api"] + roles["projector"]) <= set(ROLES)
    assert services["relay"]["environment"]["RIGD_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
